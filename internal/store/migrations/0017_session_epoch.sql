-- A contestant's sign-ins are signed cookies (no row per session), so ending them all takes
-- a number they carry: raising session_epoch ends every cookie issued before (docs/decisions.md,
-- "Remembered sign-in"). It is raised by "sign out on every device" and by a password reset.
ALTER TABLE contestant ADD COLUMN session_epoch bigint NOT NULL DEFAULT 0;

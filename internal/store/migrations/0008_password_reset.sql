-- Account recovery for contestants who forgot their password (docs/decisions.md, "Account
-- recovery"). A reset is a secret handed to the person: a long token in an email's link, or a
-- short code sent by SMS or given by the helpdesk, typed with the login. Only its HMAC with
-- the app's key is stored: a copy of this table is of no use without the key, not even to try
-- every code of eight digits.
--
-- A reset is bound to the contestant's password hash when it was issued (credential_tag, the
-- hash's SHA-256): once the password changes, every reset issued before it is dead, whatever
-- its other columns say. Expiry is decided by the web app's clock (expires_at is written and
-- compared with the app's time), like its signed sessions and challenges.
CREATE TABLE password_reset (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contestant_id  bigint      NOT NULL REFERENCES contestant (id) ON DELETE CASCADE,
    -- link: found by its hash alone; code: found by the contestant, the newest live one.
    kind           text        NOT NULL CHECK (kind IN ('link', 'code')),
    -- How the secret reached the person.
    channel        text        NOT NULL CHECK (channel IN ('email', 'sms', 'helpdesk')),
    secret_hash    bytea       NOT NULL CHECK (octet_length(secret_hash) = 32),
    credential_tag bytea       NOT NULL,
    -- Tries at a code, counted before each check.
    attempts       integer     NOT NULL DEFAULT 0,
    -- The organizer who issued a helpdesk code.
    issued_by      text        NOT NULL DEFAULT '' CHECK (char_length(issued_by) <= 100),
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz,
    revoked_at     timestamptz
);
CREATE UNIQUE INDEX password_reset_link ON password_reset (secret_hash) WHERE kind = 'link';
CREATE INDEX password_reset_live ON password_reset (contestant_id) WHERE used_at IS NULL AND revoked_at IS NULL;
CREATE INDEX password_reset_expiry ON password_reset (expires_at);

-- A reset link may be asked for by the registered email address (not unique: a family may
-- share one).
CREATE INDEX contestant_email ON contestant (contest_id, lower(email)) WHERE email IS NOT NULL;

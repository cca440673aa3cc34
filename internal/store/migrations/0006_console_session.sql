-- Organizer console sessions, kept on the server so that signing out ends a session at once
-- on every replica (a signed cookie alone stays valid until it expires). The cookie carries
-- a random token; only its SHA-256 is stored.
CREATE TABLE console_session (
    token_hash     bytea       PRIMARY KEY,
    username       text        NOT NULL,
    -- Which credential signed in (a tag of the password hash): changing the password ends
    -- the sessions made with the old one.
    credential_tag text        NOT NULL,
    client_net     text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz
);
CREATE INDEX console_session_expiry ON console_session (expires_at);

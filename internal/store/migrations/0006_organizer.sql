-- Organizer accounts with roles, their console sessions, and the audit log of what they do.

-- One account per person of the committee and secretariat. Accounts listed in the
-- Kubernetes Secret (source 'secret') follow it at every start of the web app; the others
-- are made with `contest admin create` or in the console by an admin.
CREATE TABLE organizer (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username             text        NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$'),
    role                 text        NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash        text        NOT NULL,
    -- Raised at every password change: sessions made with an older password end.
    credential_version   integer     NOT NULL DEFAULT 1,
    -- A one-time password handed over by someone else must be replaced at first sign-in.
    must_change_password boolean     NOT NULL DEFAULT false,
    source               text        NOT NULL CHECK (source IN ('secret', 'cli', 'console')),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           text        NOT NULL,
    disabled_at          timestamptz,
    last_sign_in_at      timestamptz
);

-- Console sessions, kept on the server so that signing out or disabling the account ends a
-- session at once on every replica. The cookie carries a random token; only its SHA-256 is
-- stored.
CREATE TABLE console_session (
    token_hash         bytea       PRIMARY KEY,
    organizer_id       bigint      NOT NULL REFERENCES organizer (id),
    credential_version integer     NOT NULL,
    client_net         text        NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    revoked_at         timestamptz
);
CREATE INDEX console_session_expiry ON console_session (expires_at);
CREATE INDEX console_session_organizer ON console_session (organizer_id) WHERE revoked_at IS NULL;

-- What organizers did: who, what, when, from which network, the state before and after.
-- Append-only: rows are never changed or deleted, by the application or anyone else
-- connecting as it.
CREATE TABLE audit_log (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text        NOT NULL,
    actor_role text        NOT NULL DEFAULT '',
    action     text        NOT NULL,
    target     text        NOT NULL DEFAULT '',
    client_net text        NOT NULL DEFAULT '',
    before     jsonb,
    after      jsonb,
    reason     text        NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: entries are never changed or deleted'
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Who flagged a person as not eligible for prizes, and when (the reason is ineligible_reason);
-- the audit log keeps every change.
ALTER TABLE contestant ADD COLUMN ineligible_by text, ADD COLUMN ineligible_at timestamptz;
CREATE INDEX contestant_flagged ON contestant (contest_id, ineligible_at) WHERE ineligible;

-- Guards of the exam web app that must hold across replicas.

-- Counters for rate limits that several replicas share (failed sign-ins per account,
-- registrations per address), one row per key and fixed window.
CREATE TABLE rate_limit (
    key          text        NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer     NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_window ON rate_limit (window_start);

-- Spent anti-robot challenges, so one solution cannot be replayed before it expires.
CREATE TABLE challenge_spent (
    id         text        PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX challenge_spent_expiry ON challenge_spent (expires_at);

-- Overdue attempts are found by deadline when they are closed.
CREATE INDEX attempt_in_progress_deadline ON attempt (deadline) WHERE status = 'in_progress';

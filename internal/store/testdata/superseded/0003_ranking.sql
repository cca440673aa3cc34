-- The ranking of a round, as computed by `contest rank`. A rerun replaces it in one
-- transaction, so readers see the old ranking or the new one, never a mix.

CREATE TABLE ranking_run (
    round         text        PRIMARY KEY,
    computed_at   timestamptz NOT NULL DEFAULT now(),
    participants  integer     NOT NULL,
    attempts      bigint      NOT NULL,
    -- The true answer to the prediction question: people whose best attempt is perfect.
    perfect       bigint      NOT NULL,
    tie_break     text[]      NOT NULL,
    boundary_ties jsonb       NOT NULL DEFAULT '[]'
);

CREATE TABLE ranking_entry (
    round             text        NOT NULL REFERENCES ranking_run (round) ON DELETE CASCADE,
    position          integer     NOT NULL CHECK (position > 0), -- listing order, 1..n
    rank              integer     NOT NULL CHECK (rank > 0),     -- shared by people equal on every key
    -- No foreign keys: the rows are derived from attempt and contestant in one job run, and
    -- checking two keys per row would double the time to store a 500,000-person ranking.
    contestant_id     bigint      NOT NULL,
    attempt_id        bigint      NOT NULL,
    correct           smallint    NOT NULL,
    total             smallint    NOT NULL,
    prediction        bigint,                                    -- NULL: never answered
    distance          bigint      NOT NULL,
    time_used         interval    NOT NULL,
    submitted_at      timestamptz NOT NULL,
    eligible          boolean     NOT NULL,
    ineligible_reason text        NOT NULL DEFAULT '',
    prize             text        NOT NULL DEFAULT '',
    tie_at_boundary   boolean     NOT NULL DEFAULT false,
    -- One row per person holds by construction (the ranking lists each person once); a
    -- unique index would only slow the bulk load.
    PRIMARY KEY (round, position)
);

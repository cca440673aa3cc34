-- Publication of a round's results on the public winners page. The web app reads the
-- cluster but may not write to it, so publishing is a fact in the database, recorded by
-- the organizer console: a row means the round's results are public.
CREATE TABLE result_publication (
    round        text        PRIMARY KEY, -- the ContestRound's namespace/name, as in attempt.round
    published_at timestamptz NOT NULL DEFAULT now(),
    published_by text        NOT NULL
);

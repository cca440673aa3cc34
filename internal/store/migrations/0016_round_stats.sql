-- Organizer statistics at a million attempts (docs/BENCHMARKS.md, "Organizer statistics at
-- scale"; docs/decisions.md, "Organizer statistics").

-- Every count of a round's participation reads its finished attempts by person. With the
-- start time and the score in the index, that reading never touches the attempt table (1.5
-- GB at a million attempts, mostly papers and answers): the index holds what the counts
-- need. Same name, same key and predicate as before, so every query that used it still
-- does. Rebuilding it holds writes to attempt for a few seconds per million attempts:
-- upgrade between rounds.
DROP INDEX attempt_round_finished;
CREATE INDEX attempt_round_finished ON attempt (round, contestant_id) INCLUDE (started_at, correct, total)
    WHERE status <> 'in_progress';

-- An index-only scan reads the table for every page not marked all-visible since the last
-- vacuum. The default thresholds vacuum after a fifth of the table changed (200,000
-- attempts), which a slow day takes days to reach; after 2 % the visibility map stays
-- nearly whole and the vacuum has little to do each time.
ALTER TABLE attempt SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);

-- The round's participation as last counted, shared by every replica: the console and the
-- landing page read this row; one replica at a time counts again when it is older than the
-- app's --stats-max-age, and readers meanwhile see the previous count with its time.
CREATE TABLE round_stats (
    round            text        PRIMARY KEY,  -- the ContestRound's namespace/name, as in attempt.round
    -- The shape of data (store.roundStatsFormat); 0 is a placeholder made by the first
    -- claim, before any count.
    format           integer     NOT NULL,
    computed_at      timestamptz NOT NULL,     -- the counting transaction's start: what the figures are as of
    took_ms          integer     NOT NULL,
    data             jsonb       NOT NULL,
    -- Raised by whatever changes counts after the fact (store.InvalidateRoundStats); a
    -- count records the generation its snapshot saw, and one below the current is out of
    -- date, however the two transactions overlapped.
    generation         bigint    NOT NULL DEFAULT 0,
    counted_generation bigint    NOT NULL DEFAULT 0,
    -- A replica is counting until then (its claim lapses if it dies).
    refreshing_until timestamptz
);

-- The review queue's latest scan of each round, computed in the background by one replica at
-- a time (docs/web.md, "The review queue's scan"). A scan of a round of a million attempts
-- takes most of a minute: it never runs inside a page request, and every replica shows
-- the one stored result, so a decision is checked against the evidence the editor read.
--
-- A replica claims the round's row (claim, lease_until in the future) with one statement
-- that only succeeds when no scan holds an unexpired lease; the scan stops before its lease
-- ends, and a replica that died mid-scan leaves a lease that simply expires.
CREATE TABLE integrity_scan (
    contest_id  text        NOT NULL,
    round       text        NOT NULL,
    -- The latest finished scan (internal/review.Scan as JSON) and when it started: its
    -- snapshot of the round.
    result      jsonb,
    scanned_at  timestamptz,
    -- The scan running, or the last one to run.
    started_at  timestamptz NOT NULL,
    claim       text,
    lease_until timestamptz,
    -- Why the last scan failed, when it did after the latest result.
    failed      text,
    PRIMARY KEY (contest_id, round),
    CHECK ((result IS NULL) = (scanned_at IS NULL))
);

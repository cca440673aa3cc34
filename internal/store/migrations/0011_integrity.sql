-- Integrity signals and the organizers' review of them (docs/web.md, "What is recorded for
-- the review queue"; docs/decisions.md, "Integrity signals").

-- Per attempt, written by the statements that already run (no extra round trip): the
-- client's network at the start (/24 of an IPv4 address, /64 of IPv6, never the address),
-- an 8-byte HMAC-SHA256 of the browser's user agent with the app's key (no table of user
-- agents undoes it without the key), and the timeline of autosaves. Nullable and without
-- defaults but the counter's (a constant default: no table rewrite), and not indexed: the
-- hot path's UPDATE stays a HOT update, and only the console reads them.
ALTER TABLE attempt
    ADD COLUMN client_net    text,
    ADD COLUMN device_tag    bytea,
    ADD COLUMN save_count    integer NOT NULL DEFAULT 0,
    ADD COLUMN first_save_at timestamptz,
    ADD COLUMN last_save_at  timestamptz;

-- Per registration: the network it came from (bursts of registrations).
ALTER TABLE contestant ADD COLUMN registered_net text;

-- What organizers decided about a person the review queue listed: excluded from prizes (the
-- contestant's eligibility flag is set in the same transaction, with the reason) or
-- dismissed. One row per decision, never changed; the keys of the evidence it covered
-- keep a dismissed person out of the queue until new evidence, and `summary` is the
-- evidence in the words the organizer read, for the report.
CREATE TABLE integrity_review (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id    text        NOT NULL,
    contestant_id bigint      NOT NULL REFERENCES contestant (id),
    round         text        NOT NULL,
    decision      text        NOT NULL CHECK (decision IN ('excluded', 'dismissed')),
    reason        text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
    evidence_keys text[]      NOT NULL,
    evidence      jsonb       NOT NULL,
    summary       text        NOT NULL,
    decided_by    text        NOT NULL,
    decided_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX integrity_review_contestant ON integrity_review (contest_id, contestant_id, decided_at);

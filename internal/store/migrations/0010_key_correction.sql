-- Key corrections (docs/decisions.md, "Correcting an answer key"). When the committee finds
-- that a question's answer key was wrong after people answered it, the bank version stays as
-- imported (its trigger refuses UPDATE): the correction belongs to the round, and the
-- round's attempts are scored again with it. Both tables are records, appended to and never
-- changed: the corrections in force for a round are, per question, the latest one.
CREATE TABLE key_correction (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round            text        NOT NULL,
    bank_name        text        NOT NULL,
    bank_version     integer     NOT NULL,
    question_id      text        NOT NULL,
    -- Keys as the bank file writes them: the letter of an option in the bank's order, or
    -- 'any' (whichever option was chosen counts as right). old_key is the key in force
    -- before: the bank's, or an earlier correction's.
    old_key          text        NOT NULL CHECK (old_key ~ '^([A-J]|any)$'),
    new_key          text        NOT NULL CHECK (new_key ~ '^([A-J]|any)$'),
    reason           text        NOT NULL CHECK (btrim(reason) <> '' AND char_length(reason) <= 2000),
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- What applying it changed: attempts whose score changed, people whose best result did.
    attempts_changed integer     NOT NULL CHECK (attempts_changed >= 0),
    people_changed   integer     NOT NULL CHECK (people_changed >= 0),
    CHECK (new_key <> old_key),
    FOREIGN KEY (bank_name, bank_version) REFERENCES question_bank (name, version)
);
-- Submits read the corrections in force of their round: (round, question_id, id DESC).
CREATE INDEX key_correction_round ON key_correction (round, question_id, id);

-- Each attempt whose score a correction changed, with its score before and after.
CREATE TABLE score_change (
    correction_id bigint   NOT NULL REFERENCES key_correction (id),
    attempt_id    bigint   NOT NULL REFERENCES attempt (id),
    contestant_id bigint   NOT NULL,
    old_correct   smallint NOT NULL,
    new_correct   smallint NOT NULL CHECK (new_correct <> old_correct),
    PRIMARY KEY (correction_id, attempt_id)
);
-- The result page shows an attempt's changes.
CREATE INDEX score_change_attempt ON score_change (attempt_id);

CREATE FUNCTION key_correction_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'key corrections and their score changes are records: they are never changed or deleted (apply a new correction instead)'
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER key_correction_append_only
    BEFORE UPDATE OR DELETE ON key_correction
    FOR EACH ROW EXECUTE FUNCTION key_correction_is_append_only();
CREATE TRIGGER key_correction_no_truncate
    BEFORE TRUNCATE ON key_correction
    FOR EACH STATEMENT EXECUTE FUNCTION key_correction_is_append_only();
CREATE TRIGGER score_change_append_only
    BEFORE UPDATE OR DELETE ON score_change
    FOR EACH ROW EXECUTE FUNCTION key_correction_is_append_only();
CREATE TRIGGER score_change_no_truncate
    BEFORE TRUNCATE ON score_change
    FOR EACH STATEMENT EXECUTE FUNCTION key_correction_is_append_only();

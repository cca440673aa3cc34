-- First schema of the contest platform.
-- Names follow the contest's own words: contest, locality, contestant, question bank, round, attempt.

-- A version of a question bank, immutable once imported: a round pins (name, version), so the
-- questions never change under an open round. The web app loads `content` into memory.
CREATE TABLE question_bank (
    name        text        NOT NULL CHECK (name ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
    version     integer     NOT NULL CHECK (version > 0),
    checksum    text        NOT NULL,
    content     jsonb       NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);

CREATE FUNCTION question_bank_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'question bank %/% is immutable: import a new version instead', OLD.name, OLD.version
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER question_bank_immutable
    BEFORE UPDATE ON question_bank
    FOR EACH ROW EXECUTE FUNCTION question_bank_is_immutable();

-- Localities are data per contest (administrative units change), never code.
CREATE TABLE locality (
    contest_id  text NOT NULL,
    code        text NOT NULL,
    name        text NOT NULL,
    parent_code text,
    PRIMARY KEY (contest_id, code),
    FOREIGN KEY (contest_id, parent_code) REFERENCES locality (contest_id, code)
);

-- One registration per person per contest; personal data is stored here once and masked
-- everywhere public.
CREATE TABLE contestant (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id        text        NOT NULL,
    national_id       text        NOT NULL CHECK (national_id ~ '^[0-9]{12}$'),
    phone             text        NOT NULL CHECK (phone ~ '^0[0-9]{9}$'),
    full_name         text        NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
    birth_date        date        NOT NULL,
    gender            text        NOT NULL CHECK (gender IN ('male', 'female')),
    email             text        CHECK (email IS NULL OR char_length(email) <= 254),
    participant_group text        NOT NULL CHECK (participant_group IN ('official', 'armed_forces', 'student', 'resident')),
    organization      text        NOT NULL DEFAULT '' CHECK (char_length(organization) <= 300),
    locality_code     text        NOT NULL,
    password_hash     text        NOT NULL,
    ineligible        boolean     NOT NULL DEFAULT false,
    ineligible_reason text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (contest_id, national_id),
    UNIQUE (contest_id, phone),
    FOREIGN KEY (contest_id, locality_code) REFERENCES locality (contest_id, code)
);

-- One row per attempt. `round` is the ContestRound's namespace/name.
-- The attempt cap holds by construction: attempt_no is unique per person and round, and the
-- start statement computes it and checks it against the round's maxAttempts in one INSERT,
-- so concurrent starts collide on the unique key instead of slipping past a read.
CREATE TABLE attempt (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round         text        NOT NULL,
    contestant_id bigint      NOT NULL REFERENCES contestant (id),
    attempt_no    smallint    NOT NULL CHECK (attempt_no BETWEEN 1 AND 10),
    status        text        NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'submitted', 'expired')),
    started_at    timestamptz NOT NULL DEFAULT now(),
    deadline      timestamptz NOT NULL,
    submitted_at  timestamptz,
    bank_name     text        NOT NULL,
    bank_version  integer     NOT NULL,
    paper         jsonb       NOT NULL, -- drawn questions and per-attempt option order
    answers       jsonb       NOT NULL DEFAULT '{}',
    prediction    bigint      CHECK (prediction IS NULL OR prediction >= 0),
    total         smallint    NOT NULL CHECK (total > 0),
    correct       smallint    CHECK (correct IS NULL OR correct BETWEEN 0 AND total),
    UNIQUE (round, contestant_id, attempt_no),
    CHECK (deadline > started_at),
    CHECK ((status = 'in_progress') = (submitted_at IS NULL)),
    CHECK (submitted_at IS NULL OR submitted_at <= deadline),
    FOREIGN KEY (bank_name, bank_version) REFERENCES question_bank (name, version)
);

-- At most one attempt in progress per person and round.
CREATE UNIQUE INDEX attempt_one_in_progress ON attempt (round, contestant_id) WHERE status = 'in_progress';
-- Ranking and participation reports read finished attempts of one round.
CREATE INDEX attempt_round_finished ON attempt (round, contestant_id) WHERE status <> 'in_progress';

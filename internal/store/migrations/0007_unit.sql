-- Units ("cơ quan, đơn vị") are data per contest, like localities: the agencies, schools,
-- communes and enterprises people work or study in, imported from the organizers' list
-- (internal/unit). Participation is counted and eligibility decided by unit code, so that
-- spellings no longer split a unit.
CREATE TABLE unit (
    contest_id  text    NOT NULL,
    code        text    NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$' AND char_length(code) <= 32),
    name        text    NOT NULL CHECK (char_length(name) BETWEEN 1 AND 300),
    parent_code text,
    type        text    NOT NULL CHECK (type IN ('agency', 'commune', 'school', 'enterprise', 'armed_forces', 'other')),
    headcount   integer CHECK (headcount IS NULL OR headcount >= 0),
    aliases     text[]  NOT NULL DEFAULT '{}',
    -- The list's order, as the organizers wrote it (departments first, say).
    position    integer NOT NULL,
    -- The name without case or diacritics (unit.Key), to rank exact names first in searches.
    name_key    text    NOT NULL,
    PRIMARY KEY (contest_id, code),
    FOREIGN KEY (contest_id, parent_code) REFERENCES unit (contest_id, code)
);
CREATE INDEX unit_parent ON unit (contest_id, parent_code);

-- The registration's type-ahead: each unit's search words (unit.Unit.Words: of its code,
-- name and aliases, without case or diacritics). Words compare byte by byte (COLLATE "C"),
-- so the words starting with a prefix are one range of the primary key's index.
CREATE TABLE unit_word (
    contest_id text NOT NULL,
    word       text COLLATE "C" NOT NULL,
    code       text NOT NULL,
    PRIMARY KEY (contest_id, word, code),
    FOREIGN KEY (contest_id, code) REFERENCES unit (contest_id, code) ON DELETE CASCADE
);

-- A contestant's unit, chosen from the list; NULL for residents and units the list lacks,
-- whose free text stays in organization ("Khác").
ALTER TABLE contestant ADD COLUMN unit_code text;
ALTER TABLE contestant ADD CONSTRAINT contestant_unit_fkey
    FOREIGN KEY (contest_id, unit_code) REFERENCES unit (contest_id, code);
CREATE INDEX contestant_unit ON contestant (contest_id, unit_code) WHERE unit_code IS NOT NULL;

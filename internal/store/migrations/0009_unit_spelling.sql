-- The console maps the organizations people typed to units of the list, spelling by
-- spelling (issue 11): everyone who typed "Sở TT&TT" gets the unit's code at once.
--
-- organization_key is the typed text in the form internal/unit compares names in (unit.Key:
-- no case, no diacritics, spaces collapsed), so that "SỞ TT&TT" and "sở tt&tt" are one
-- spelling. It is computed by the application, never in SQL: an SQL imitation of the Go
-- function would disagree on some letter, and a spelling would then split. NULL means not
-- computed yet: rows written before this migration are filled in batches by the web app.
ALTER TABLE contestant ADD COLUMN organization_key text;

-- unit_mapped: the unit was given by an organizer mapping the person's spelling, not chosen
-- by the person; undoing the mapping clears these rows and no others.
ALTER TABLE contestant ADD COLUMN unit_mapped boolean NOT NULL DEFAULT false;
ALTER TABLE contestant ADD CONSTRAINT contestant_unit_mapped_has_unit CHECK (NOT unit_mapped OR unit_code IS NOT NULL);

-- The spellings still to map (people without a unit), grouped and counted from the index
-- alone; a mapping's UPDATE finds its rows here too.
CREATE INDEX contestant_free_text ON contestant (contest_id, organization_key) WHERE unit_code IS NULL;
-- The mappings made, listed and undone by spelling.
CREATE INDEX contestant_unit_mapped ON contestant (contest_id, organization_key, unit_code) WHERE unit_mapped;
-- The rows whose key is still to compute: empty once they are filled.
CREATE INDEX contestant_organization_key_missing ON contestant (id) WHERE organization_key IS NULL;

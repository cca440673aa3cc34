-- The prize a person was passed over for because they had fewer correct answers than its
-- condition (spec.prizes[].minCorrect), as the ranking decided it; '' when none. The
-- report shows it, so a person ranked near the prizes without one can be told why.
ALTER TABLE ranking_entry ADD COLUMN IF NOT EXISTS below_condition text NOT NULL DEFAULT '';

-- The prizes as the ranking applied them (names, counts, conditions), so the report
-- explains a ranking with the rules it was computed under, even if the round changed since.
ALTER TABLE ranking_run ADD COLUMN IF NOT EXISTS prizes jsonb NOT NULL DEFAULT '[]';

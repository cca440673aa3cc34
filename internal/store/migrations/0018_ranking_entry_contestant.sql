-- A person's lines in the stored rankings: their certificates ("my attempts" lists the
-- published rounds they were ranked in; a download and a verification read one line).
-- Without it each would scan a round's ranking (a million rows). Not unique: the ranking job
-- writes one line per person by construction (0005 dropped the unique key for its bulk load).
CREATE INDEX IF NOT EXISTS ranking_entry_contestant ON ranking_entry (contestant_id);

-- The ranking job stores a round's ranking with COPY in one transaction after deleting the
-- previous one (store.ReplaceRanking). The foreign key from ranking_entry.round to
-- ranking_run checked every one of the 500,000 rows of a big round with a locking lookup:
-- 2 of the 4.4 seconds the store took. The rows are written with their header in the same
-- transaction, and ReplaceRanking deletes a round's rows with its header, so the key and
-- its cascade are replaced by that code (as 0005 did for the keys to contestant and attempt).
ALTER TABLE ranking_entry DROP CONSTRAINT IF EXISTS ranking_entry_round_fkey;

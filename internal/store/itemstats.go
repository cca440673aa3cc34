package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/regrade"
)

// RoundBank is the bank version a round's finished attempts were drawn from (a round's
// exam rules are frozen once it opens, so there is one); ErrNotFound when no attempt of the
// round is finished.
func RoundBank(ctx context.Context, pool Querier, round string) (name string, version int, err error) {
	err = pool.QueryRow(ctx, `SELECT bank_name, bank_version FROM attempt WHERE round = $1 AND status <> 'in_progress' LIMIT 1`,
		round).Scan(&name, &version)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, fmt.Errorf("finished attempts of round %s: %w", round, ErrNotFound)
	}
	if err != nil {
		return "", 0, fmt.Errorf("find the bank of round %s: %w", round, err)
	}
	return name, version, nil
}

// finishedOf selects a round's finished attempts drawn from one bank version: submitted or
// closed at their deadline, the attempts the ranking reads.
const finishedOf = `a.round = $1 AND a.status <> 'in_progress' AND a.bank_name = $2 AND a.bank_version = $3`

// responsesSQL reads the answers stored for the analysis (attempt.responses) with the score.
const responsesSQL = `SELECT a.responses, coalesce(a.correct, 0) FROM attempt a WHERE ` + finishedOf + ` AND a.responses IS NOT NULL`

// legacySumsSQL adds up, in the database, the attempts finished without stored responses
// (before migration 0013, or by a replica of the previous version during an upgrade), per
// question and option chosen: one row per (question ID, bank option or -1 for blank). The
// answer is the letter shown; the paper's order turns it into the bank's option, as
// exam.Score does (a letter that is not one of the item's options counts as blank). Each
// attempt also adds one row with a NULL question: their count is the number of attempts.
// An attempt without any answer is left out, as AddResponses leaves out one whose answers
// are all blank (the same attempts: the answer rule lets only valid letters be stored).
const legacySumsSQL = `SELECT x.id, coalesce(x.opt, -1), count(*), sum(coalesce(a.correct, 0)),
	sum(coalesce(a.correct, 0)::int * coalesce(a.correct, 0)::int)
FROM attempt a CROSS JOIN LATERAL (
	SELECT e->>'id' AS id, CASE WHEN length(a.answers->>(i - 1)::text) = 1
		THEN nullif(substr(e->>'order', ascii(a.answers->>(i - 1)::text) - 64, 1), '')::int END AS opt
	FROM jsonb_array_elements(a.paper->'items') WITH ORDINALITY AS t(e, i)
	UNION ALL SELECT NULL, NULL) x
WHERE ` + finishedOf + ` AND a.responses IS NULL AND a.answers <> '{}'
GROUP BY x.id, x.opt`

// ItemTally reads the answers of a round's finished attempts drawn from bank b into an
// item analysis tally, streaming: memory holds the tally (the bank's size), never the
// attempts. Stored responses are read row by row (about 50 bytes each); attempts finished
// without them are added up by the database. The round's key corrections in force are read
// with them, in one snapshot (a correction rewrites the scores in its transaction), and
// set on the tally, so the analysis judges each question by the key its scores were
// computed with.
//
// Given a transaction (a report's, already one read-only snapshot), it reads in it; given a
// pool, it opens its own.
func ItemTally(ctx context.Context, q Querier, round string, b *bank.Bank) (*itemstats.Tally, error) {
	t := itemstats.NewTally(b)
	err := inSnapshot(ctx, q, func(tx Querier) error {
		history, err := corrections(ctx, tx, round)
		if err != nil {
			return err
		}
		t.SetCorrections(regrade.InForce(history))
		rows, err := tx.Query(ctx, responsesSQL, round, b.Name, b.Version)
		if err != nil {
			return fmt.Errorf("read the answers of round %s: %w", round, err)
		}
		var responses []byte
		var correct int16
		_, err = pgx.ForEachRow(rows, []any{&responses, &correct}, func() error {
			_, err := t.AddResponses(responses, int(correct))
			return err
		})
		if err != nil {
			return fmt.Errorf("read the answers of round %s: %w", round, err)
		}
		return legacySums(ctx, tx, round, t)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// inSnapshot runs read in one repeatable-read, read-only transaction: q's own when q is
// one, a new one otherwise.
func inSnapshot(ctx context.Context, q Querier, read func(Querier) error) error {
	if tx, ok := q.(pgx.Tx); ok {
		return read(tx)
	}
	if db, ok := q.(interface {
		BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
	}); ok {
		return pgx.BeginTxFunc(ctx, db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
			func(tx pgx.Tx) error { return read(tx) })
	}
	return read(q)
}

func legacySums(ctx context.Context, q Querier, round string, t *itemstats.Tally) error {
	b := t.Bank()
	rows, err := q.Query(ctx, legacySumsSQL, round, b.Name, b.Version)
	if err != nil {
		return fmt.Errorf("add up the answers of round %s: %w", round, err)
	}
	var id *string
	var option int
	var s itemstats.Sums
	_, err = pgx.ForEachRow(rows, []any{&id, &option, &s.Attempts, &s.Score, &s.ScoreSq}, func() error {
		if id == nil {
			t.AddAttempts(s.Attempts)
			return nil
		}
		return t.AddSums(*id, option, s)
	})
	if err != nil {
		return fmt.Errorf("add up the answers of round %s: %w", round, err)
	}
	return nil
}

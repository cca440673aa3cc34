package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/itemstats"
)

// RoundBank is the bank version a round's finished attempts were drawn from (a round's
// exam rules are frozen once it opens, so there is one); ErrNotFound when no attempt of the
// round is finished.
func RoundBank(ctx context.Context, pool *pgxpool.Pool, round string) (name string, version int, err error) {
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

// itemSumsSQL computes the item analysis's sums in the database, per question and option
// chosen: one row per (question ID, bank option or -1 for blank). The answer is the letter
// shown; the paper's order turns it into the bank's option, as exam.Score does (a letter
// that is not one of the item's options counts as blank). Each attempt also adds one row
// with a NULL question: their count is the number of attempts.
const itemSumsSQL = `SELECT x.id, coalesce(x.opt, -1), count(*), sum(coalesce(a.correct, 0)),
	sum(coalesce(a.correct, 0)::int * coalesce(a.correct, 0)::int)
FROM attempt a CROSS JOIN LATERAL (
	SELECT e->>'id' AS id, CASE WHEN length(a.answers->>(i - 1)::text) = 1
		THEN nullif(substr(e->>'order', ascii(a.answers->>(i - 1)::text) - 64, 1), '')::int END AS opt
	FROM jsonb_array_elements(a.paper->'items') WITH ORDINALITY AS t(e, i)
	UNION ALL SELECT NULL, NULL) x
WHERE a.round = $1 AND a.status <> 'in_progress' AND a.answers <> '{}' AND a.bank_name = $2 AND a.bank_version = $3
GROUP BY x.id, x.opt`

// ItemTally reads the answers of a round's finished attempts drawn from bank b — submitted
// or closed at their deadline, as the ranking counts them, with at least one answer — into
// an item analysis tally. The database adds them up: what crosses the connection is a few
// rows per question, whatever the number of attempts.
func ItemTally(ctx context.Context, pool *pgxpool.Pool, round string, b *bank.Bank) (*itemstats.Tally, error) {
	t := itemstats.NewTally(b)
	rows, err := pool.Query(ctx, itemSumsSQL, round, b.Name, b.Version)
	if err != nil {
		return nil, fmt.Errorf("add up the answers of round %s: %w", round, err)
	}
	defer rows.Close()
	var id *string
	var option int
	var s itemstats.Sums
	for rows.Next() {
		if err := rows.Scan(&id, &option, &s.Attempts, &s.Score, &s.ScoreSq); err != nil {
			return nil, fmt.Errorf("add up the answers of round %s: %w", round, err)
		}
		if id == nil {
			t.SetAttempts(s.Attempts)
			continue
		}
		if err := t.AddSums(*id, option, s); err != nil {
			return nil, fmt.Errorf("add up the answers of round %s: %w", round, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("add up the answers of round %s: %w", round, err)
	}
	return t, nil
}

package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/itemstats"
)

// ItemSumsFromJSON adds up every finished attempt of the round from its paper and answers
// in the database, as if none had stored responses: what the analysis costs without them.
func ItemSumsFromJSON(ctx context.Context, pool *pgxpool.Pool, round string, t *itemstats.Tally) error {
	sql := strings.Replace(legacySumsSQL, " AND a.responses IS NULL", "", 1)
	b := t.Bank()
	rows, err := pool.Query(ctx, sql, round, b.Name, b.Version)
	if err != nil {
		return err
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
	return err
}

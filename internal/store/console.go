package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Queries of the organizer console. Like the report, they count finished attempts as
// participation; the console adds what only a live round has: attempts in progress.

// RoundActivity is where a round stands right now.
type RoundActivity struct {
	// Participants finished at least one attempt; Attempts counts finished attempts.
	Participants int64
	Attempts     int64
	// Perfect counts people with at least one finished attempt with every answer right,
	// the number the prediction question asks for (so far).
	Perfect    int64
	InProgress int64
}

// RoundActivities reads the activity of each round named; rounds without attempts are
// absent from the map.
func RoundActivities(ctx context.Context, pool *pgxpool.Pool, rounds []string) (map[string]RoundActivity, error) {
	rows, err := pool.Query(ctx, `SELECT round,
			count(DISTINCT contestant_id) FILTER (WHERE status <> 'in_progress'),
			count(*) FILTER (WHERE status <> 'in_progress'),
			count(DISTINCT contestant_id) FILTER (WHERE status <> 'in_progress' AND correct = total),
			count(*) FILTER (WHERE status = 'in_progress')
		FROM attempt WHERE round = ANY($1) GROUP BY round`, rounds)
	if err != nil {
		return nil, fmt.Errorf("read round activity: %w", err)
	}
	out := make(map[string]RoundActivity, len(rounds))
	var round string
	var a RoundActivity
	_, err = pgx.ForEachRow(rows, []any{&round, &a.Participants, &a.Attempts, &a.Perfect, &a.InProgress}, func() error {
		out[round] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read round activity: %w", err)
	}
	return out, nil
}

package contestdata_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/testutil/contestdata"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// Every finished attempt keeps its responses, as a submit or a close at the deadline
// stores them: without them the item analysis (console, report) falls back to decoding
// every paper in SQL, and the benchmarks would time that instead of what production runs.
func TestFinishedAttemptsKeepResponses(t *testing.T) {
	pool := pgtest.Migrated(t)
	ctx := context.Background()
	sum, err := contestdata.Load(ctx, pool, contestdata.Options{People: 500, Attempts: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var missing, running int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status <> 'in_progress' AND responses IS NULL),
		count(*) FILTER (WHERE status = 'in_progress' AND responses IS NOT NULL) FROM attempt`).Scan(&missing, &running); err != nil {
		t.Fatal(err)
	}
	if missing != 0 || running != 0 {
		t.Errorf("%d finished attempts without responses, %d running ones with", missing, running)
	}
	// They decode as the analysis reads them: the sample bank's questions, in format 1.
	b, err := bank.Sample()
	if err != nil {
		t.Fatal(err)
	}
	tally := itemstats.NewTally(b)
	rows, err := pool.Query(ctx, `SELECT responses, correct FROM attempt WHERE responses IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	var responses []byte
	var correct int16
	counted := 0
	if _, err := pgx.ForEachRow(rows, []any{&responses, &correct}, func() error {
		ok, err := tally.AddResponses(responses, int(correct))
		if ok {
			counted++
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if int64(counted) != sum.Attempts-unanswered(t, pool) {
		t.Errorf("the analysis counted %d attempts, want the %d finished with an answer", counted, sum.Attempts-unanswered(t, pool))
	}
}

func unanswered(t *testing.T, pool *pgxpool.Pool) int64 {
	var n int64
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM attempt WHERE status <> 'in_progress' AND answers = '{}'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

package review

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// A scan on the organizers' pool, whose connections carry a short statement timeout meant
// for pages, runs its statements under its own deadline instead; without a deadline it
// keeps the connection's.
func TestScanTimeoutIsTheScansDeadline(t *testing.T) {
	migrated := pgtest.Migrated(t)
	cfg := migrated.Config().Copy()
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "10s"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	timeout := func(ctx context.Context) string {
		var got string
		if err := inScanTx(ctx, pool, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT current_setting('statement_timeout')`).Scan(&got)
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := timeout(context.Background()); got != "10s" {
		t.Errorf("without a deadline: %q, want the connection's 10s", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if got := timeout(ctx); got != "10min" && got != "599999ms" && got != "599998ms" {
		t.Errorf("with a 10-minute deadline: %q", got)
	}
}

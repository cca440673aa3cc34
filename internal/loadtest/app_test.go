package loadtest_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/loadtest"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/roundsource"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
	"github.com/dxcontest/contest-platform/webapp"
)

const namespace = "lt"

// site is the real web app on a real PostgreSQL, behind a loopback HTTP server, serving
// the rounds Prepare writes (through the same validation as `contest web --rounds-file`).
type site struct {
	url  string
	pool *pgxpool.Pool
}

func newSite(t *testing.T, people int, rounds ...string) *site {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	b, err := loadtest.PrepareData(ctx, pool, loadtest.SampleContest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadtest.PreparePeople(ctx, pool, loadtest.SampleContest, 0, people, ""); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rounds.yaml")
	if err := loadtest.WriteRounds(file, loadtest.RoundsOptions{Contest: loadtest.SampleContest, Names: rounds,
		OpenFor: time.Hour, TimeLimit: 30 * time.Minute, MaxAttempts: 3, Bank: b}); err != nil {
		t.Fatal(err)
	}
	source, err := roundsource.FromFiles(ctx, []string{file}, namespace)
	if err != nil {
		y, _ := os.ReadFile(file)
		t.Fatalf("the rounds file Prepare wrote is refused: %v\n%s", err, y)
	}
	app, err := webapp.New(webapp.Config{
		Pool: pool, Rounds: source, ContestID: loadtest.SampleContest,
		Attempts: attempt.New(store.NewAttempts(pool), func(ctx context.Context, name string, version int) (*bank.Bank, error) {
			return store.LoadBank(ctx, pool, name, version)
		}),
		Localities: func(ctx context.Context, id string) ([]locality.Locality, error) {
			return store.ListLocalities(ctx, pool, id)
		},
		SecretKey: []byte(strings.Repeat("k", 32)),
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		// The tool solves what the page asks; a small difficulty keeps the test short.
		ChallengeBits: 8,
		// The tool plays the ingress: each person comes from an address of their own.
		TrustedProxies: []string{"127.0.0.1", "::1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(srv.Close)
	return &site{url: srv.URL, pool: pool}
}

package store_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// intoNextWindow waits, by the database clock, until a window of w has just begun (less than
// a tenth of it gone) and returns how much of it has gone.
func intoNextWindow(t *testing.T, pool *pgxpool.Pool, w time.Duration) float64 {
	t.Helper()
	var start float64
	if err := pool.QueryRow(context.Background(), `SELECT floor(extract(epoch FROM clock_timestamp()) / $1)`, w.Seconds()).Scan(&start); err != nil {
		t.Fatal(err)
	}
	for {
		var now float64
		if err := pool.QueryRow(context.Background(), `SELECT extract(epoch FROM clock_timestamp())`).Scan(&now); err != nil {
			t.Fatal(err)
		}
		if gone := now/w.Seconds() - math.Floor(now/w.Seconds()); math.Floor(now/w.Seconds()) > start && gone < 0.1 {
			return gone
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCountersSlideAcrossTheWindowBoundary: what was counted just before a window's end
// still counts just after it (weighted by the overlap), fades out over the next window,
// and a reset forgives both windows. Fixed windows had dropped to zero at the boundary.
func TestCountersSlideAcrossTheWindowBoundary(t *testing.T) {
	pool := pgtest.Migrated(t)
	ctx := context.Background()
	const window = 2 * time.Second
	c := store.Counter{Key: store.CounterKey("test", "boundary"), Window: window}
	other := store.Counter{Key: store.CounterKey("test", "other"), Window: window}

	intoNextWindow(t, pool, window)
	for i := 1; i <= 10; i++ {
		n, err := store.Count(ctx, pool, c)
		if err != nil || n != i {
			t.Fatalf("count %d in one window: %d, %v", i, n, err)
		}
	}
	gone := intoNextWindow(t, pool, window)
	got, err := store.Counts(ctx, pool, c, other)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] < 8 || got[0] > 10 || got[1] != 0 {
		t.Fatalf("just after the boundary (%.0f %% of the window gone): %v, want 8–10 and 0", gone*100, got)
	}
	n, err := store.Count(ctx, pool, c)
	if err != nil || n < 9 || n > 11 {
		t.Fatalf("a count just after the boundary: %d, %v, want 1 + 8–10", n, err)
	}
	// Two windows on, nothing of the first is left.
	intoNextWindow(t, pool, window)
	intoNextWindow(t, pool, window)
	if got, _ := store.Counts(ctx, pool, c); got[0] != 0 {
		t.Fatalf("two windows later: %v, want 0", got)
	}

	for range 5 {
		if _, err := store.Count(ctx, pool, c); err != nil {
			t.Fatal(err)
		}
	}
	intoNextWindow(t, pool, window)
	if _, err := store.Count(ctx, pool, c); err != nil {
		t.Fatal(err)
	}
	if err := store.Reset(ctx, pool, c); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Counts(ctx, pool, c); got[0] != 0 {
		t.Fatalf("after a reset: %v, want 0 (both windows forgiven)", got)
	}
}

// TestOneKeyCountedInTwoWindowLengths: a key limited per hour and per day (a person's reset
// messages) is two counters. Both windows begin at 00:00 UTC, and they shared one row then:
// from 00:00 to 01:00 every message counted twice in each (CI, 00:20 UTC: the third of three
// allowed messages refused). Windows of 100 and 200 years both begin at the epoch until 2069,
// so this test meets that hour whenever it runs.
func TestOneKeyCountedInTwoWindowLengths(t *testing.T) {
	pool := pgtest.Migrated(t)
	ctx := context.Background()
	const year = 365 * 24 * time.Hour
	key := store.CounterKey("test", "person")
	short, long := store.Counter{Key: key, Window: 100 * year}, store.Counter{Key: key, Window: 200 * year}
	for i := 1; i <= 3; i++ {
		for _, c := range []store.Counter{short, long} {
			if n, err := store.Count(ctx, pool, c); err != nil || n != i {
				t.Fatalf("count %d in the %v window: %d, %v", i, c.Window, n, err)
			}
		}
	}
	if got, err := store.Counts(ctx, pool, short, long); err != nil || got[0] != 3 || got[1] != 3 {
		t.Fatalf("read: %v, %v, want [3 3]", got, err)
	}
	if err := store.Reset(ctx, pool, short); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Counts(ctx, pool, short, long); got[0] != 0 || got[1] != 3 {
		t.Fatalf("after resetting the shorter one: %v, want [0 3]", got)
	}
}

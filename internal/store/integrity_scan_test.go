package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// Many replicas claiming a round's scan at once get one claim between them; a result is
// stored only by the claim that holds the lease; a recent result is not scanned again
// unless asked, a running scan never twice, and an expired lease is claimed again.
func TestIntegrityScanClaims(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	const round = "contest/dot-1"
	if _, err := store.IntegrityScanStateOf(ctx, pool, "c", round); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("state before any scan: %v", err)
	}
	claim := func(name string, force bool, lease time.Duration) bool {
		t.Helper()
		_, ok, err := store.ClaimIntegrityScan(ctx, pool, "c", round, name, force, 5*time.Minute, lease)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []string
	for i := range 16 {
		wg.Go(func() {
			name := fmt.Sprintf("replica-%d", i)
			if claim(name, i%2 == 0, time.Hour) {
				mu.Lock()
				won = append(won, name)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(won) != 1 {
		t.Fatalf("claims won at once: %v", won)
	}
	if st, err := store.IntegrityScanStateOf(ctx, pool, "c", round); err != nil || !st.Running || !st.ScannedAt.IsZero() {
		t.Fatalf("state while scanning: %+v %v", st, err)
	}
	if ok, err := store.FinishIntegrityScan(ctx, pool, "c", round, "not-the-claim", []byte(`{"x":1}`)); err != nil || ok {
		t.Fatalf("a result stored without the claim: %v %v", ok, err)
	}
	if ok, err := store.FinishIntegrityScan(ctx, pool, "c", round, won[0], []byte(`{"x":2}`)); err != nil || !ok {
		t.Fatalf("store the result: %v %v", ok, err)
	}
	raw, at, err := store.IntegrityScanResult(ctx, pool, "c", round)
	if err != nil || string(raw) != `{"x": 2}` || at.IsZero() {
		t.Fatalf("result %s at %v: %v", raw, at, err)
	}

	// Recent: only a forced claim; then a running scan refuses even a forced one.
	if claim("late", false, time.Hour) {
		t.Errorf("a recent result claimed again without force")
	}
	if !claim("forced", true, 0) {
		t.Fatalf("a forced scan is refused")
	}
	// That lease (zero) has expired: a replica that died mid-scan holds nothing.
	if !claim("after-expiry", true, time.Hour) || claim("second", true, time.Hour) {
		t.Errorf("an expired lease is not claimed again, or a running scan is claimed twice")
	}
	if err := store.FailIntegrityScan(ctx, pool, "c", round, "after-expiry", "canceled"); err != nil {
		t.Fatal(err)
	}
	st, err := store.IntegrityScanStateOf(ctx, pool, "c", round)
	if err != nil || st.Running || st.Failed != "canceled" || !st.ScannedAt.Equal(at) {
		t.Errorf("after a failed scan: %+v %v (the latest result stays)", st, err)
	}
	if ok, _ := store.FinishIntegrityScan(ctx, pool, "c", round, "forced", []byte(`{}`)); ok {
		t.Errorf("a scan whose lease expired stored its result")
	}
}

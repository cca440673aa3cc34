package webapp

import (
	"context"
	"sync"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
)

// countCache keeps participation counts for the landing page for a short while: the page
// is the busiest one, and a count a few seconds old is fine there. The counts come from
// the shared round statistics (webapp/stats.go): the page never counts, nor waits for a
// count; a round not counted yet shows 0 for a few seconds, until its first count lands.
type countCache struct {
	load   func(ctx context.Context, rounds []contestv1alpha1.ContestRound) (counts map[string]attempt.RoundCounts, complete bool, err error)
	ttl    time.Duration
	mu     sync.Mutex
	until  time.Time
	counts map[string]attempt.RoundCounts
}

// incompleteTTL is how long counts missing a round are kept: its first count is on its way.
const incompleteTTL = 2 * time.Second

func (cc *countCache) get(ctx context.Context, rounds []contestv1alpha1.ContestRound) (map[string]attempt.RoundCounts, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.counts != nil && time.Now().Before(cc.until) {
		return cc.counts, nil
	}
	counts, complete, err := cc.load(ctx, rounds)
	if err != nil {
		return nil, err
	}
	ttl := cc.ttl
	if !complete {
		ttl = incompleteTTL
	}
	cc.counts, cc.until = counts, time.Now().Add(ttl)
	return counts, nil
}

// homeCounts reads the rounds' participation from their statistics, on the contestants'
// pool (one primary-key read per round); a missing or stale count is asked of the
// organizers' side, in the background.
func (a *App) homeCounts(ctx context.Context, rounds []contestv1alpha1.ContestRound) (map[string]attempt.RoundCounts, bool, error) {
	snaps, err := a.stats.snapshots(ctx, a.cfg.Pool, rounds, false)
	if err != nil {
		return nil, false, err
	}
	out := make(map[string]attempt.RoundCounts, len(snaps))
	for k, st := range snaps {
		out[k] = attempt.RoundCounts{Participants: st.Stats.Activity.Participants, Attempts: st.Stats.Activity.Attempts}
	}
	return out, len(snaps) == len(rounds), nil
}

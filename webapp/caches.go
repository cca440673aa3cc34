package webapp

import (
	"context"
	"sync"
	"time"

	"github.com/dxcontest/contest-platform/internal/attempt"
)

// countCache keeps participation counts for the landing page for a short while: the page
// is the busiest one, and a count a few seconds old is fine there.
type countCache struct {
	attempts *attempt.Service
	ttl      time.Duration
	mu       sync.Mutex
	at       time.Time
	counts   map[string]attempt.RoundCounts
}

func newCountCache(attempts *attempt.Service, ttl time.Duration) *countCache {
	return &countCache{attempts: attempts, ttl: ttl}
}

func (cc *countCache) get(ctx context.Context, rounds []string) (map[string]attempt.RoundCounts, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.counts != nil && time.Since(cc.at) < cc.ttl {
		return cc.counts, nil
	}
	counts, err := cc.attempts.Participation(ctx, rounds)
	if err != nil {
		return nil, err
	}
	cc.counts, cc.at = counts, time.Now()
	return counts, nil
}

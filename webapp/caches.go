package webapp

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/store"
)

// bankCache holds the bank versions rounds pin. Versions are immutable, so a loaded one is
// kept for the life of the process; no replica depends on another's copy.
type bankCache struct {
	load  BankLoader
	mu    sync.Mutex
	banks map[string]*bank.Bank
}

func newBankCache(load BankLoader) *bankCache {
	return &bankCache{load: load, banks: map[string]*bank.Bank{}}
}

func (bc *bankCache) get(ctx context.Context, name string, version int) (*bank.Bank, error) {
	key := fmt.Sprintf("%s@%d", name, version)
	bc.mu.Lock()
	b, ok := bc.banks[key]
	bc.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := bc.load(ctx, name, version)
	if err != nil {
		return nil, fmt.Errorf("load question bank %s: %w", key, err)
	}
	bc.mu.Lock()
	bc.banks[key] = b
	bc.mu.Unlock()
	return b, nil
}

// countCache keeps participation counts for the landing page for a short while: the page
// is the busiest one, and a count a few seconds old is fine there.
type countCache struct {
	pool   *pgxpool.Pool
	ttl    time.Duration
	mu     sync.Mutex
	at     time.Time
	counts map[string]store.RoundCounts
}

func newCountCache(pool *pgxpool.Pool, ttl time.Duration) *countCache {
	return &countCache{pool: pool, ttl: ttl}
}

func (cc *countCache) get(ctx context.Context, rounds []string) (map[string]store.RoundCounts, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.counts != nil && time.Since(cc.at) < cc.ttl {
		return cc.counts, nil
	}
	counts, err := store.CountRounds(ctx, cc.pool, rounds)
	if err != nil {
		return nil, err
	}
	cc.counts, cc.at = counts, time.Now()
	return counts, nil
}

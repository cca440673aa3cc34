package attempt

import (
	"context"
	"fmt"
	"sync"

	"github.com/dxcontest/contest-platform/internal/bank"
)

// BankLoader returns a question bank version.
type BankLoader func(ctx context.Context, name string, version int) (*bank.Bank, error)

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

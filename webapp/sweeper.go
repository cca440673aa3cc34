package webapp

import (
	"context"
	"sync"
	"time"

	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
)

// RunSweeper closes abandoned attempts at their deadlines (with the answers saved before
// them), computes the spelling of organizations written without one (people registered
// before migration 0009) and prunes expired guards, until ctx ends. Every replica may run
// it: rows being closed or filled by one are skipped by the others.
func (a *App) RunSweeper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	lastPrune := time.Time{}
	for {
		for {
			n, err := a.attempts.ExpireOverdue(ctx, 500)
			if err != nil {
				if ctx.Err() == nil {
					a.cfg.Logger.Error("close overdue attempts", "err", err)
				}
				break
			}
			if n > 0 {
				a.cfg.Logger.Info("closed overdue attempts", "count", n)
			}
			if n < 500 {
				break
			}
		}
		a.fillOrganizationKeys(ctx)
		if time.Since(lastPrune) > time.Hour {
			if err := store.PruneGuards(ctx, a.cfg.Pool, 24*time.Hour); err != nil && ctx.Err() == nil {
				a.cfg.Logger.Error("prune guards", "err", err)
			}
			if err := store.PrunePasswordResets(ctx, a.cfg.Pool, a.now(), 7*24*time.Hour); err != nil && ctx.Err() == nil {
				a.cfg.Logger.Error("prune password resets", "err", err)
			}
			lastPrune = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Spellings filled per batch, and batches per pass of the sweeper: a pass stays short, so
// overdue attempts keep being closed while a large table is filled.
const (
	organizationKeyBatch   = 2000
	organizationKeyBatches = 25
)

// fillOrganizationKeys computes up to organizationKeyBatches batches of missing spellings.
func (a *App) fillOrganizationKeys(ctx context.Context) {
	for range organizationKeyBatches {
		n, err := store.FillOrganizationKeys(ctx, a.cfg.Pool, organizationKeyBatch)
		if err != nil {
			if ctx.Err() == nil {
				a.cfg.Logger.Error("fill organization spellings", "err", err)
			}
			return
		}
		if n > 0 {
			a.cfg.Logger.Info("filled organization spellings", "count", n)
		}
		if n < organizationKeyBatch {
			return
		}
	}
}

// CachedLocalities keeps a contest's locality list for ttl: the registration page needs it
// on every view and it changes only when organizers import a new list.
func CachedLocalities(load LocalityLoader, ttl time.Duration) LocalityLoader {
	var mu sync.Mutex
	type entry struct {
		at   time.Time
		list []locality.Locality
	}
	cache := map[string]entry{}
	return func(ctx context.Context, contestID string) ([]locality.Locality, error) {
		mu.Lock()
		e, ok := cache[contestID]
		mu.Unlock()
		if ok && time.Since(e.at) < ttl {
			return e.list, nil
		}
		list, err := load(ctx, contestID)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		cache[contestID] = entry{at: time.Now(), list: list}
		mu.Unlock()
		return list, nil
	}
}

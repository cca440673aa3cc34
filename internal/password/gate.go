package password

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// Gate bounds the memory that password hashing may take at once. One argon2id check
// allocates its whole memory cost (19 MiB by default) for its duration, so without a bound
// a burst of sign-ins grows the process until the kernel kills it and everyone on the
// replica drops. Callers wait in line (first come, first served) for a bounded time, and a
// bounded number may wait: beyond either, Acquire answers ErrBusy and the caller asks the
// person to retry in a moment.
//
// The line is paced: the gate keeps a moving average of how long a check holds its room,
// and a caller who would not be served within the wait is told at once (with when to come
// back) instead of joining the line, so whoever waits is served rather than timed out after
// waiting, and retries arrive about when there is room for them.
type Gate struct {
	sem        *semaphore.Weighted
	budgetKiB  int64
	maxWaiters int64
	maxWait    time.Duration
	waiting    atomic.Int64
	inUse      atomic.Int64
	// heldNanos is the moving average of how long a check holds its room (0: none seen yet).
	heldNanos atomic.Int64
}

// ErrBusy says the gate is full: too many checks are running or waiting. Acquire's error
// is a *BusyError, which matches ErrBusy with errors.Is.
var ErrBusy = errors.New("password hashing is busy")

// BusyError says when the line is expected to have room again.
type BusyError struct{ RetryAfter time.Duration }

func (e *BusyError) Error() string {
	return ErrBusy.Error() + ", retry after " + e.RetryAfter.Round(time.Second).String()
}

func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// NewGate admits checks whose memory costs add up to at most budgetKiB (at least one
// check of the default cost is always admitted), lets at most maxWaiters wait, each for at
// most maxWait.
func NewGate(budgetKiB int64, maxWaiters int, maxWait time.Duration) *Gate {
	budgetKiB = max(budgetKiB, MemoryKiB)
	return &Gate{sem: semaphore.NewWeighted(budgetKiB), budgetKiB: budgetKiB, maxWaiters: int64(maxWaiters), maxWait: maxWait}
}

// Slots is how many checks of the default cost may run at once.
func (g *Gate) Slots() int { return int(g.budgetKiB / MemoryKiB) }

// Acquire waits for room for a check costing memKiB and returns the function that gives
// the room back. It answers ErrBusy when too many wait already or the wait runs out, and
// ctx's error when the request goes away first.
func (g *Gate) Acquire(ctx context.Context, memKiB uint32) (release func(), err error) {
	n := min(int64(memKiB), g.budgetKiB)
	if g.sem.TryAcquire(n) {
		return g.releaser(n), nil
	}
	place := g.waiting.Add(1)
	if place > g.maxWaiters || g.expectedWait(place) > g.maxWait {
		g.waiting.Add(-1)
		return nil, g.busy(place)
	}
	defer g.waiting.Add(-1)
	wctx, cancel := context.WithTimeout(ctx, g.maxWait)
	defer cancel()
	if err := g.sem.Acquire(wctx, n); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, g.busy(g.waiting.Load())
	}
	return g.releaser(n), nil
}

// expectedWait is how long the place-th in line waits for room: the checks ahead of it,
// served Slots at a time, each holding its room for the average seen.
func (g *Gate) expectedWait(place int64) time.Duration {
	return time.Duration(place * g.heldNanos.Load() / int64(g.Slots()))
}

// busy is the refusal for someone who would be place-th in line: come back when the line
// ahead has gone (at least a second; at most a minute, as a phone's patience goes).
func (g *Gate) busy(place int64) error {
	return &BusyError{RetryAfter: min(max(g.expectedWait(place), time.Second), time.Minute)}
}

// observe folds how long a check held its room into the moving average (weight 1/8: a
// change of load shows within a few dozen checks).
func (g *Gate) observe(held time.Duration) {
	for {
		old := g.heldNanos.Load()
		next := int64(held)
		if old != 0 {
			next = old + (int64(held)-old)/8
		}
		if g.heldNanos.CompareAndSwap(old, next) {
			return
		}
	}
}

func (g *Gate) releaser(n int64) func() {
	g.inUse.Add(n)
	start := time.Now()
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			g.observe(time.Since(start))
			g.inUse.Add(-n)
			g.sem.Release(n)
		}
	}
}

// Waiting is how many checks wait for room now; InUseKiB the memory admitted now;
// BudgetKiB the most that may be admitted.
func (g *Gate) Waiting() int64   { return g.waiting.Load() }
func (g *Gate) InUseKiB() int64  { return g.inUse.Load() }
func (g *Gate) BudgetKiB() int64 { return g.budgetKiB }

// Hash hashes password once there is room for it.
func (g *Gate) Hash(ctx context.Context, password string) (string, error) {
	release, err := g.Acquire(ctx, MemoryKiB)
	if err != nil {
		return "", err
	}
	defer release()
	return Hash(password), nil
}

// Check checks password against the stored hash once there is room for it. A malformed
// hash is reported before waiting.
func (g *Gate) Check(ctx context.Context, encoded, password string) (bool, error) {
	p, err := Parse(encoded)
	if err != nil {
		return false, err
	}
	release, err := g.Acquire(ctx, p.MemoryKiB)
	if err != nil {
		return false, err
	}
	defer release()
	return Check(encoded, password)
}

package webapp

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/review"
	"github.com/dxcontest/contest-platform/internal/store"
)

// The review queue's signals of a round (internal/review computes them) come from the
// round's latest stored scan (table integrity_scan, on the organizers' pool; the scan reads
// on the read replica when there is one, as round statistics do, never on the
// contestants' connections). A scan of a round of a million
// attempts takes most of a minute (docs/BENCHMARKS.md), longer than a page may wait, so
// it runs in the background: opening the page starts one when the latest result is older
// than scanStale (or when an editor asks with "Quét lại"), and the page shows the latest
// result meanwhile. One scan of a round runs at a time across replicas (a lease on the
// round's row), and every replica shows the same result, so a decision is checked against
// the evidence the editor read whichever replica answers.
const (
	scanStale = 5 * time.Minute
	// scanLimit bounds one scan; its lease outlasts it, so a scan never outlives its lease
	// and another replica takes over only from one that died.
	scanLimit = 10 * time.Minute
	scanLease = scanLimit + time.Minute
)

// scans runs this replica's background scans and keeps the latest result of each round
// decoded: one per round of the contest, replaced when a newer one is stored.
type scans struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// slot is taken by the scan this replica runs.
	slot chan struct{}

	mu     sync.Mutex
	latest map[string]*review.Scan
	// hold, in tests, runs before a scan reads the round (to keep it running).
	hold func(ctx context.Context)
}

func newScans() *scans {
	ctx, cancel := context.WithCancel(context.Background())
	return &scans{ctx: ctx, cancel: cancel, slot: make(chan struct{}, 1), latest: map[string]*review.Scan{}}
}

// StopScans stops this replica's background scans (at shutdown) and waits until each
// has given back its round's lease, so that another replica may scan at once.
func (a *App) StopScans() {
	a.scans.mu.Lock()
	a.scans.cancel()
	a.scans.mu.Unlock()
	a.scans.wg.Wait()
}

// integrityScan is a round's latest stored scan as the page shows it.
type integrityScan struct {
	// Scan is nil when no scan of the round has finished yet.
	Scan *review.Scan
	// Running: a scan of the round is running (on any replica).
	Running bool
	// Failed: the last scan failed after the latest result.
	Failed bool
	// Busy: the round wants a scan, and this replica is scanning another round.
	Busy bool
}

// integrityScanOf returns the round's latest stored scan, first starting a new scan in the
// background when the latest is older than scanStale, or when start is asked, and none is
// running; with start false (a decision) it starts nothing.
func (a *App) integrityScanOf(ctx context.Context, r *contestv1alpha1.ContestRound, start, force bool) (integrityScan, error) {
	key := r.RoundKey()
	busy := false
	if start {
		var err error
		if busy, err = a.startScan(ctx, r, force); err != nil {
			return integrityScan{}, err
		}
	}
	st, err := store.IntegrityScanStateOf(ctx, a.consoleDB(), a.cfg.ContestID, key)
	if errors.Is(err, store.ErrNotFound) {
		return integrityScan{Busy: busy}, nil
	}
	if err != nil {
		return integrityScan{}, err
	}
	out := integrityScan{Running: st.Running, Failed: st.Failed != "",
		Busy: busy && !st.Running && (force || st.ScannedAt.IsZero() || st.Age >= scanStale)}
	if st.ScannedAt.IsZero() {
		return out, nil
	}
	a.scans.mu.Lock()
	s := a.scans.latest[key]
	a.scans.mu.Unlock()
	if s == nil || !s.At.Equal(st.ScannedAt) {
		if s, err = a.loadScan(ctx, key); err != nil {
			return integrityScan{}, err
		}
	}
	out.Scan = s
	return out, nil
}

// loadScan reads and decodes the round's latest result and keeps it (a newer one than
// what another request kept meanwhile).
func (a *App) loadScan(ctx context.Context, key string) (*review.Scan, error) {
	raw, at, err := store.IntegrityScanResult(ctx, a.consoleDB(), a.cfg.ContestID, key)
	if err != nil {
		return nil, err
	}
	s := &review.Scan{}
	if err := json.Unmarshal(raw, s); err != nil {
		return nil, fmt.Errorf("decode the scan of round %s: %w", key, err)
	}
	s.At = at
	a.scans.mu.Lock()
	defer a.scans.mu.Unlock()
	if kept := a.scans.latest[key]; kept != nil && kept.At.After(at) {
		return kept, nil
	}
	a.scans.latest[key] = s
	return s, nil
}

// startScan claims the round's next scan and runs it in the background, unless a scan is
// running or (without force) the latest result is recent.
//
// A replica runs one scan at a time, whatever the round (one takes hundreds of MB at a
// million attempts, docs/BENCHMARKS.md): busy says this replica's is taken, and then
// nothing was claimed.
func (a *App) startScan(ctx context.Context, r *contestv1alpha1.ContestRound, force bool) (busy bool, err error) {
	if a.scans.ctx.Err() != nil {
		return false, nil // shutting down
	}
	select {
	case a.scans.slot <- struct{}{}:
	default:
		return true, nil
	}
	started := false
	defer func() {
		if !started {
			<-a.scans.slot
		}
	}()
	key, claim := r.RoundKey(), rand.Text()
	_, ok, err := store.ClaimIntegrityScan(ctx, a.consoleDB(), a.cfg.ContestID, key, claim, force, scanStale, scanLease)
	if err != nil || !ok {
		return false, err
	}
	r = r.DeepCopy()
	a.scans.mu.Lock()
	defer a.scans.mu.Unlock()
	if a.scans.ctx.Err() != nil {
		// Stopped since: the lease goes back at once.
		return false, store.FailIntegrityScan(ctx, a.consoleDB(), a.cfg.ContestID, key, claim, "the replica is shutting down")
	}
	started = true
	a.scans.wg.Add(1)
	go func() {
		defer func() { <-a.scans.slot; a.scans.wg.Done() }()
		a.runScan(r, claim)
	}()
	return false, nil
}

// runScan runs the claimed scan of the round and stores its result, or gives the lease
// back with the reason it failed.
func (a *App) runScan(r *contestv1alpha1.ContestRound, claim string) {
	key, log := r.RoundKey(), a.cfg.Logger.With("round", r.RoundKey())
	ctx, cancel := context.WithTimeout(a.scans.ctx, scanLimit)
	defer cancel()
	if a.scans.hold != nil {
		a.scans.hold(ctx)
	}
	began := time.Now()
	s, err := a.scanRound(ctx, r)
	var result []byte
	if err == nil {
		result, err = json.Marshal(s)
	}
	// The lease is given back even when the scan was stopped (shutdown).
	done, cancelDone := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancelDone()
	if err != nil {
		log.Error("integrity scan failed", "err", err)
		if err := store.FailIntegrityScan(done, a.consoleDB(), a.cfg.ContestID, key, claim, err.Error()); err != nil {
			log.Error("integrity scan: give back the lease", "err", err)
		}
		return
	}
	stored, err := store.FinishIntegrityScan(done, a.consoleDB(), a.cfg.ContestID, key, claim, result)
	switch {
	case err != nil:
		log.Error("integrity scan: store the result", "err", err)
	case !stored:
		log.Warn("integrity scan outlived its lease; its result is dropped")
	default:
		log.Info("integrity scan done", "signals", len(s.Signals), "bytes", len(result), "took", time.Since(began).Round(time.Millisecond))
	}
}

func (a *App) scanRound(ctx context.Context, r *contestv1alpha1.ContestRound) (*review.Scan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Without the bank the scan still runs; it then cannot count identical wrong answers.
	b, _ := a.attempts.Bank(ctx, r.Spec.Exam.Bank.Name, int(r.Spec.Exam.Bank.Version))
	return review.Round(ctx, a.heavyDB(), a.cfg.ContestID, r, b)
}

package webapp

import (
	"context"
	"slices"
	"sync"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/integrity"
	"github.com/dxcontest/contest-platform/internal/store"
)

// The review queue's signals for one round, computed from what the store recorded
// (internal/integrity decides; the store narrows what is read) and kept a minute per
// replica: the queries read a round's attempts, which is fine for an editor's page and
// not for every reload. Decisions are read afresh on every page, so a decision shows at
// once; new signals show within the minute, or at once with "Quét lại".

// Bounds of what one scan reads; a scan that reaches one says so on the page.
const (
	scanFastPerfect   = 2000  // attempts
	scanSharedNetwork = 50000 // attempts from networks many accounts used
	scanNeighbours    = 5000  // pairs of attempts with near-identical timelines
	scanRegistrations = 50000 // registrations from busy networks
	scanTTL           = time.Minute
)

// integrityScan is one round's signals at one moment.
type integrityScan struct {
	at      time.Time
	rules   integrity.Rules
	signals []integrity.Signal
	// bounded lists the kinds whose read reached its bound: more people may show them.
	bounded []integrity.Kind
}

// scanCache holds the latest scan of each round; one scan of a round runs at a time, and
// requests that waited for it take its result.
type scanCache struct {
	mu     sync.Mutex
	rounds map[string]*roundScan
}

type roundScan struct {
	mu   sync.Mutex
	scan *integrityScan
}

func (sc *scanCache) round(key string) *roundScan {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.rounds == nil {
		sc.rounds = map[string]*roundScan{}
	}
	rs := sc.rounds[key]
	if rs == nil {
		rs = &roundScan{}
		sc.rounds[key] = rs
	}
	return rs
}

// integrityScanOf returns the round's signals: the cached scan while under a minute old,
// else (or when fresh is asked) a new one, unless one finished while this request waited.
func (a *App) integrityScanOf(ctx context.Context, r *contestv1alpha1.ContestRound, fresh bool) (*integrityScan, error) {
	rs := a.scans.round(r.RoundKey())
	asked := time.Now()
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if s := rs.scan; s != nil && (s.at.After(asked) || !fresh && time.Since(s.at) < scanTTL) {
		return s, nil
	}
	s, err := a.scanRound(ctx, r)
	if err != nil {
		return nil, err
	}
	rs.scan = s
	return s, nil
}

// integrityRules are the round's thresholds (spec.integrity, with the CRD's defaults) and
// the ones every round shares.
func integrityRules(r *contestv1alpha1.ContestRound) integrity.Rules {
	rules := integrity.DefaultRules()
	in := r.Spec.Integrity
	rules.FastPerfect, rules.DeviceAccounts, rules.NetworkAccounts, rules.Window =
		in.FastPerfect(), in.DeviceAccounts(), in.NetworkAccounts(), in.SharedWindow()
	return rules
}

func (a *App) scanRound(ctx context.Context, r *contestv1alpha1.ContestRound) (*integrityScan, error) {
	pool, round := a.cfg.Pool, r.RoundKey()
	s := &integrityScan{at: time.Now(), rules: integrityRules(r)}
	rules := s.rules
	bound := func(k integrity.Kind, reached bool) {
		if reached && !slices.Contains(s.bounded, k) {
			s.bounded = append(s.bounded, k)
		}
	}

	fast, err := store.FastPerfectAttempts(ctx, pool, round, rules.FastPerfect, scanFastPerfect)
	if err != nil {
		return nil, err
	}
	bound(integrity.KindFastPerfect, len(fast) >= scanFastPerfect)
	s.signals = append(s.signals, integrity.FastPerfects(fast, rules)...)

	shared, err := store.SharedNetworkAttempts(ctx, pool, round, min(rules.DeviceAccounts, rules.NetworkAccounts), scanSharedNetwork)
	if err != nil {
		return nil, err
	}
	bound(integrity.KindSharedDevice, len(shared) >= scanSharedNetwork)
	bound(integrity.KindSharedNetwork, len(shared) >= scanSharedNetwork)
	s.signals = append(s.signals, integrity.SharedDevices(shared, rules)...)
	s.signals = append(s.signals, integrity.SharedNetworks(shared, rules)...)

	neighbours, more, err := store.NeighbourAttempts(ctx, pool, round, rules.Timeline, scanNeighbours)
	if err != nil {
		return nil, err
	}
	bound(integrity.KindSameAnswers, more)
	var key integrity.Key
	if b, err := a.attempts.Bank(ctx, r.Spec.Exam.Bank.Name, int(r.Spec.Exam.Bank.Version)); err == nil {
		key = integrity.Key{}
		for _, q := range b.Questions {
			key[q.ID] = int8(q.CorrectIndex())
		}
	}
	s.signals = append(s.signals, integrity.SameAnswers(neighbours, rules, key)...)

	regs, err := store.BusyNetworkRegistrations(ctx, pool, a.cfg.ContestID, rules.BurstRegistrations, scanRegistrations)
	if err != nil {
		return nil, err
	}
	bound(integrity.KindRegistrationBurst, len(regs) >= scanRegistrations)
	s.signals = append(s.signals, integrity.RegistrationBursts(regs, rules)...)
	integrity.Sort(s.signals)
	return s, nil
}

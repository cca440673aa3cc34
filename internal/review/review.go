// Package review computes a round's integrity signals for the organizers' review queue:
// it reads from the store what each signal needs (narrowed there, so a round of a million
// attempts is never loaded whole) and lets internal/integrity decide. Like the ranking job
// it reads the attempt table directly; the web app calls it and keeps the result a minute.
package review

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/integrity"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Bounds of what one scan reads; a scan that reaches one says so (Scan.Bounded).
const (
	MaxFastPerfect   = 2000  // attempts
	MaxSharedNetwork = 50000 // attempts from networks many accounts used
	MaxNeighbours    = 20000 // pairs of attempts with near-identical timelines, the closest first
	MaxRegistrations = 50000 // registrations from busy networks
)

// Scan is one round's signals at one moment.
type Scan struct {
	At      time.Time
	Rules   integrity.Rules
	Signals []integrity.Signal
	// Bounded lists the kinds whose read reached its bound: more people may show them.
	Bounded []integrity.Kind
}

// Rules are the round's thresholds (spec.integrity, with the CRD's defaults) and the ones
// every round shares.
func Rules(r *contestv1alpha1.ContestRound) integrity.Rules {
	rules := integrity.DefaultRules()
	in := r.Spec.Integrity
	rules.FastPerfect, rules.DeviceAccounts, rules.NetworkAccounts, rules.Window =
		in.FastPerfect(), in.DeviceAccounts(), in.NetworkAccounts(), in.SharedWindow()
	return rules
}

// Round computes the signals of a round of the contest. b is the round's bank version,
// for counting identical wrong answers; nil leaves that count at zero.
func Round(ctx context.Context, pool *pgxpool.Pool, contestID string, r *contestv1alpha1.ContestRound, b *bank.Bank) (*Scan, error) {
	round := r.RoundKey()
	s := &Scan{At: time.Now(), Rules: Rules(r)}
	rules := s.Rules
	bound := func(reached bool, kinds ...integrity.Kind) {
		for _, k := range kinds {
			if reached && !slices.Contains(s.Bounded, k) {
				s.Bounded = append(s.Bounded, k)
			}
		}
	}

	fast, err := store.FastPerfectAttempts(ctx, pool, round, rules.FastPerfect, MaxFastPerfect)
	if err != nil {
		return nil, err
	}
	bound(len(fast) >= MaxFastPerfect, integrity.KindFastPerfect)
	s.Signals = append(s.Signals, integrity.FastPerfects(fast, rules)...)

	shared, err := store.SharedNetworkAttempts(ctx, pool, round, rules.DeviceAccounts, rules.NetworkAccounts, rules.Window, MaxSharedNetwork)
	if err != nil {
		return nil, err
	}
	bound(len(shared) >= MaxSharedNetwork, integrity.KindSharedDevice, integrity.KindSharedNetwork)
	s.Signals = append(s.Signals, integrity.SharedDevices(shared, rules)...)
	s.Signals = append(s.Signals, integrity.SharedNetworks(shared, rules)...)

	neighbours, more, err := store.NeighbourAttempts(ctx, pool, round, rules.Timeline, MaxNeighbours)
	if err != nil {
		return nil, err
	}
	same := integrity.SameAnswers(neighbours, rules, keyOf(b))
	bound(more || (rules.MaxPairs > 0 && len(same) >= 2*rules.MaxPairs), integrity.KindSameAnswers)
	s.Signals = append(s.Signals, same...)

	regs, err := store.BusyNetworkRegistrations(ctx, pool, contestID, rules.BurstRegistrations, rules.BurstWindow, MaxRegistrations)
	if err != nil {
		return nil, err
	}
	bound(len(regs) >= MaxRegistrations, integrity.KindRegistrationBurst)
	s.Signals = append(s.Signals, integrity.RegistrationBursts(regs, rules)...)
	integrity.Sort(s.Signals)
	return s, nil
}

// keyOf is the bank's correct options by question.
func keyOf(b *bank.Bank) integrity.Key {
	if b == nil {
		return nil
	}
	key := make(integrity.Key, len(b.Questions))
	for _, q := range b.Questions {
		key[q.ID] = int8(q.CorrectIndex())
	}
	return key
}

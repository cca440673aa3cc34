// Package review computes a round's integrity signals for the organizers' review queue:
// it reads from the store what each signal needs (narrowed there, so a round of a million
// attempts is never loaded whole) and lets internal/integrity decide. Like the ranking job
// it reads the attempt table directly; the web app runs it in the background and stores the
// result (webapp/integrity_scan.go).
package review

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
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
//
// The reads run in one read-only transaction, so they see one snapshot, with the settings
// a few large reads want: no JIT compilation (it cost seconds of planning on a 200,000
// attempt round, more than it saved) and more memory for their sorts and hash joins, so
// that they neither spill to disk nor fall back to merge joins (docs/BENCHMARKS.md).
func Round(ctx context.Context, pool *pgxpool.Pool, contestID string, r *contestv1alpha1.ContestRound, b *bank.Bank) (*Scan, error) {
	var s *Scan
	err := inScanTx(ctx, pool, func(tx pgx.Tx) error {
		var err error
		s, err = scan(ctx, tx, contestID, r, b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("scan round %s: %w", r.RoundKey(), err)
	}
	return s, nil
}

// inScanTx runs f in a read-only transaction with the scan's settings.
// A deadline on ctx becomes the statements' timeout, in place of the connection's (the
// organizers' pool gives its connections a short one, meant for pages).
func inScanTx(ctx context.Context, pool *pgxpool.Pool, f func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		sets := []string{"SET LOCAL jit = off", "SET LOCAL work_mem = '" + scanWorkMem + "'"}
		if d, ok := ctx.Deadline(); ok {
			sets = append(sets, fmt.Sprintf("SET LOCAL statement_timeout = %d", max(time.Until(d).Milliseconds(), 1)))
		}
		for _, set := range sets {
			if _, err := tx.Exec(ctx, set); err != nil {
				return fmt.Errorf("prepare the scan: %w", err)
			}
		}
		return f(tx)
	})
}

// scanWorkMem is the memory each sort or hash of the scan may take (PostgreSQL's work_mem,
// for its transaction only).
const scanWorkMem = "32MB"

func scan(ctx context.Context, q store.Querier, contestID string, r *contestv1alpha1.ContestRound, b *bank.Bank) (*Scan, error) {
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

	fast, err := store.FastPerfectAttempts(ctx, q, round, rules.FastPerfect, MaxFastPerfect)
	if err != nil {
		return nil, err
	}
	bound(len(fast) >= MaxFastPerfect, integrity.KindFastPerfect)
	s.Signals = append(s.Signals, integrity.FastPerfects(fast, rules)...)

	shared, err := store.SharedNetworkAttempts(ctx, q, round, rules.DeviceAccounts, rules.NetworkAccounts, rules.Window, MaxSharedNetwork)
	if err != nil {
		return nil, err
	}
	bound(len(shared) >= MaxSharedNetwork, integrity.KindSharedDevice, integrity.KindSharedNetwork)
	s.Signals = append(s.Signals, integrity.SharedDevices(shared, rules)...)
	s.Signals = append(s.Signals, integrity.SharedNetworks(shared, rules)...)

	neighbours, more, err := store.NeighbourAttempts(ctx, q, round, rules.Timeline, MaxNeighbours)
	if err != nil {
		return nil, err
	}
	same := integrity.SameAnswers(neighbours, rules, keyOf(b))
	bound(more || (rules.MaxPairs > 0 && len(same) >= 2*rules.MaxPairs), integrity.KindSameAnswers)
	s.Signals = append(s.Signals, same...)

	regs, err := store.BusyNetworkRegistrations(ctx, q, contestID, rules.BurstRegistrations, rules.BurstWindow, MaxRegistrations)
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

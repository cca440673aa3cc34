package webapp

import (
	"context"
	"sync"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/review"
)

// The review queue's signals for one round (internal/review computes them) are kept a
// minute per replica: a scan reads a round's attempts, which is fine for an editor's page
// and not for every reload. Decisions are read afresh on every page, so a decision shows
// at once; new signals show within the minute, or at once with "Quét lại".
const scanTTL = time.Minute

// scanCache holds the latest scan of each round; one scan of a round runs at a time per
// replica, and requests that waited for it take its result: however often an editor (or a
// stolen editor account) asks for a fresh scan, one round costs the database one scan at
// a time per replica, each bounded (internal/review).
type scanCache struct {
	mu     sync.Mutex
	rounds map[string]*roundScan
}

type roundScan struct {
	mu   sync.Mutex
	scan *review.Scan
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
func (a *App) integrityScanOf(ctx context.Context, r *contestv1alpha1.ContestRound, fresh bool) (*review.Scan, error) {
	rs := a.scans.round(r.RoundKey())
	asked := time.Now()
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if s := rs.scan; s != nil && (s.At.After(asked) || !fresh && time.Since(s.At) < scanTTL) {
		return s, nil
	}
	// Without the bank the scan still runs; it then cannot count identical wrong answers.
	b, _ := a.attempts.Bank(ctx, r.Spec.Exam.Bank.Name, int(r.Spec.Exam.Bank.Version))
	s, err := review.Round(ctx, a.cfg.Pool, a.cfg.ContestID, r, b)
	if err != nil {
		return nil, err
	}
	rs.scan = s
	return s, nil
}

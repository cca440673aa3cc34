package webapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Round statistics at scale (docs/decisions.md, "Organizer statistics"): counting a round
// of a million attempts takes seconds of a database core, so nobody counts per page view.
// The count is a snapshot in round_stats shared by every replica: readers take it as it
// is, and when it is older than StatsMaxAge one replica (the first to claim it) counts
// again in the background, on the organizers' connections or the read replica, never on
// the contestants'. Only a round never counted makes its first reader wait.

// statsTopLines is how much of the long lists (typed organizations, units) a snapshot
// keeps: the console shows their heads, the report counts them whole.
const statsTopLines = 50

// roundStats serves the snapshots.
type roundStats struct {
	read    *pgxpool.Pool // where snapshots are read and saved: the primary
	count   *pgxpool.Pool // where counting runs: the read replica, else the organizers' pool
	maxAge  time.Duration
	spacing float64       // ConsoleDB.StatsSpacing
	timeout time.Duration // one count's statements
	log     *slog.Logger
	counted *prometheus.HistogramVec
	flight  singleflight.Group
}

// statsLease is how long a claim to count holds: longer than a count may take (its
// statement timeout), so a dead replica's claim lapses and another counts.
func (s *roundStats) lease() time.Duration { return s.timeout + 30*time.Second }

// snapshots returns the snapshots of the rounds. A missing one is counted first when wait
// is set (the console), else only asked for (the landing page); with StatsMaxAge < 0 every
// view counts. A stale one is returned as it is and counted again in the background. q is
// where the caller reads: its own pool.
func (s *roundStats) snapshots(ctx context.Context, q store.Querier, rounds []contestv1alpha1.ContestRound, wait bool) (map[string]store.StoredStats, error) {
	keys := make([]string, len(rounds))
	for i := range rounds {
		keys[i] = rounds[i].RoundKey()
	}
	got, err := store.ReadRoundStats(ctx, q, keys)
	if err != nil {
		return nil, err
	}
	for i := range rounds {
		key := keys[i]
		st, ok := got[key]
		switch {
		case s.maxAge < 0:
			// Counted at every view (a small contest, tests); the landing page and the
			// widget too, at most once per their cache's 30 s per replica.
			c, err := s.countFresh(ctx, &rounds[i])
			if err != nil {
				return nil, err
			}
			got[key] = store.StoredStats{Stats: c}
		case !ok && wait:
			if st, err = s.countNow(ctx, &rounds[i]); err != nil {
				return nil, err
			}
			got[key] = st
		case !ok || s.stale(&rounds[i], st):
			s.countLater(&rounds[i])
		}
	}
	return got, nil
}

// stale says whether a snapshot should be counted again now: it is out of date and the
// spacing allows it (nextCount). ClaimRoundStats applies the same rule in the database.
func (s *roundStats) stale(r *contestv1alpha1.ContestRound, st store.StoredStats) bool {
	return s.outdated(r, st) && s.spacingLeft(st) <= 0
}

// outdated says whether a snapshot no longer stands for the round: invalidated, or older
// than maxAge. A count made after the round drained, with nothing left in progress, is
// final until something invalidates it.
func (s *roundStats) outdated(r *contestv1alpha1.ContestRound, st store.StoredStats) bool {
	if st.Invalidated {
		return true
	}
	final := st.Stats.ComputedAt.After(r.Window().DrainedAt()) && st.Stats.Activity.InProgress == 0
	return !final && st.Age > max(s.maxAge, 0)
}

// spacingLeft is how long the spacing still holds the next count back: a count takes a
// database core for its duration, so the next begins no sooner than spacing times that
// after it began (store.StatsSpacingWait), whatever the snapshot's age or generation.
func (s *roundStats) spacingLeft(st store.StoredStats) time.Duration {
	return store.StatsSpacingWait(st.Stats.Took, s.spacing) - st.Age
}

// nextCount is when an out-of-date snapshot held back by the spacing will be counted
// again, for the console to say; zero when it is up to date or counted already.
func (s *roundStats) nextCount(r *contestv1alpha1.ContestRound, st store.StoredStats) time.Time {
	left := s.spacingLeft(st)
	if left <= 0 || !s.outdated(r, st) {
		return time.Time{}
	}
	return st.Stats.ComputedAt.Add(st.Age + left)
}

// countLater counts a round in the background, once per replica at a time.
func (s *roundStats) countLater(r *contestv1alpha1.ContestRound) {
	key := r.RoundKey()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.lease())
		defer cancel()
		_, _, _ = s.flight.Do(key, func() (any, error) {
			_, err := s.claimAndCount(ctx, r)
			if err != nil {
				s.log.Warn("count round statistics", "round", key, "err", err)
			}
			return nil, err
		})
	}()
}

// countFresh counts a round for a viewer who wants the figures of now (StatsMaxAge < 0):
// viewers on this replica at the same moment share one count, saved for the others.
func (s *roundStats) countFresh(ctx context.Context, r *contestv1alpha1.ContestRound) (*store.RoundStats, error) {
	key := r.RoundKey()
	v, err, _ := s.flight.Do("fresh "+key, func() (any, error) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.lease())
		defer cancel()
		start := time.Now()
		st, err := store.ComputeRoundStats(cctx, s.count, key, store.StatsOptions{Zone: contestv1alpha1.TimeZoneName, StatementTimeout: s.timeout})
		if err != nil {
			s.observe("error", time.Since(start))
			return nil, err
		}
		s.observe("ok", st.Took)
		st.Trim(statsTopLines)
		return st, store.SaveRoundStats(cctx, s.read, st)
	})
	if err != nil {
		return nil, err
	}
	return v.(*store.RoundStats), nil
}

// countNow counts a round that has no snapshot yet and waits for it: this replica counts
// when it wins the claim, else it waits for the replica that did.
func (s *roundStats) countNow(ctx context.Context, r *contestv1alpha1.ContestRound) (store.StoredStats, error) {
	key := r.RoundKey()
	v, err, _ := s.flight.Do(key, func() (any, error) {
		// Counted for whoever waits on this replica: not cancelled when the first of them
		// gives up.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.lease())
		defer cancel()
		return s.claimAndCount(cctx, r)
	})
	if err != nil {
		return store.StoredStats{}, err
	}
	if st, ok := v.(*store.RoundStats); ok && st != nil {
		return store.StoredStats{Stats: st}, nil
	}
	// Another replica holds the claim: wait for its snapshot.
	for tick := time.NewTicker(250 * time.Millisecond); ; {
		select {
		case <-ctx.Done():
			tick.Stop()
			return store.StoredStats{}, fmt.Errorf("wait for the statistics of %s: %w", key, ctx.Err())
		case <-tick.C:
		}
		got, err := store.ReadRoundStats(ctx, s.read, []string{key})
		if err != nil {
			tick.Stop()
			return store.StoredStats{}, err
		}
		if st, ok := got[key]; ok {
			tick.Stop()
			return st, nil
		}
	}
}

// claimAndCount counts a round and saves the snapshot if this replica wins the claim; it
// returns nil stats when another replica holds it (or the snapshot turned out fresh).
func (s *roundStats) claimAndCount(ctx context.Context, r *contestv1alpha1.ContestRound) (*store.RoundStats, error) {
	key := r.RoundKey()
	won, err := store.ClaimRoundStats(ctx, s.read, key, s.maxAge, s.spacing, s.lease())
	if err != nil || !won {
		return nil, err
	}
	start := time.Now()
	st, err := store.ComputeRoundStats(ctx, s.count, key, store.StatsOptions{Zone: contestv1alpha1.TimeZoneName, StatementTimeout: s.timeout})
	if err != nil {
		took := time.Since(start)
		s.observe("error", took)
		if rerr := store.ReleaseRoundStats(context.WithoutCancel(ctx), s.read, key, store.StatsSpacingWait(took, s.spacing)); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return nil, err
	}
	s.observe("ok", st.Took)
	st.Trim(statsTopLines)
	if err := store.SaveRoundStats(ctx, s.read, st); err != nil {
		return nil, err
	}
	s.log.Info("round statistics counted", "round", key, "took_ms", st.Took.Milliseconds(),
		"participants", st.Activity.Participants, "attempts", st.Activity.Attempts)
	return st, nil
}

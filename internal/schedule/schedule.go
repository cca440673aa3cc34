// Package schedule computes where a round is in time and when that changes next. It is
// pure: the operator calls it on every reconcile with the current time (level-triggered),
// so a late, restarted or duplicated reconcile always reaches the same answer.
package schedule

import "time"

// Phase is the part of a round's life that time alone decides.
type Phase string

const (
	Scheduled Phase = "Scheduled" // before opensAt
	Open      Phase = "Open"      // opensAt ≤ now < closesAt, not suspended
	Closed    Phase = "Closed"    // at or after closesAt, or suspended
)

// SettleDelay is how long after closesAt a round counts as drained. No attempt outlives
// the close: its deadline is min(start + time limit, closesAt), enforced by the database
// clock. But a save or submit whose transaction began just before the deadline commits a
// moment after it, and the replicas serving it must still be there; so the web app keeps
// its open capacity, and ranking and the reveal of correct answers wait, this much longer.
// It is a fixed, short delay: ranking does not wait one time limit after closing.
const SettleDelay = 30 * time.Second

// Window is a round's declared schedule.
type Window struct {
	OpensAt  time.Time
	ClosesAt time.Time
	// Prewarm is how long before opening the web app is scaled up.
	Prewarm   time.Duration
	Suspended bool
}

// PrewarmAt is when the web app starts to want its open capacity.
func (w Window) PrewarmAt() time.Time { return w.OpensAt.Add(-w.Prewarm) }

// DrainedAt is when the last attempt of the round has certainly ended and its last write
// committed: closing plus SettleDelay. Scaling down, ranking and the reveal of correct
// answers wait for it.
func (w Window) DrainedAt() time.Time { return w.ClosesAt.Add(SettleDelay) }

// State is what holds at one instant.
type State struct {
	Phase Phase
	// Suspended is true when the window is open but spec.suspend closes the round.
	Suspended bool
	// WantsOpenCapacity is true from prewarm until the round is drained.
	WantsOpenCapacity bool
	// Drained is true once every attempt of the round has ended.
	Drained bool
	// Next is the next instant at which any of the above changes; zero when nothing will.
	Next time.Time
}

// At says where the round is at now. Boundaries belong to what follows them: at exactly
// opensAt the round is open, at exactly closesAt it is closed.
func At(w Window, now time.Time) State {
	s := State{
		WantsOpenCapacity: !now.Before(w.PrewarmAt()) && now.Before(w.DrainedAt()),
		Drained:           !now.Before(w.DrainedAt()),
	}
	switch {
	case now.Before(w.OpensAt):
		s.Phase = Scheduled
	case now.Before(w.ClosesAt) && w.Suspended:
		s.Phase, s.Suspended = Closed, true
	case now.Before(w.ClosesAt):
		s.Phase = Open
	default:
		s.Phase = Closed
	}
	for _, b := range []time.Time{w.PrewarmAt(), w.OpensAt, w.ClosesAt, w.DrainedAt()} {
		if b.After(now) && (s.Next.IsZero() || b.Before(s.Next)) {
			s.Next = b
		}
	}
	return s
}

package integrity

import (
	"cmp"
	"slices"
)

// Decision is what organizers decided about a person in the review queue.
type Decision string

const (
	// Excluded: "loại khỏi xét giải"; the person's eligibility flag is set with the reason.
	Excluded Decision = "excluded"
	// Dismissed: "không vi phạm"; the person leaves the queue until new evidence.
	Dismissed Decision = "dismissed"
)

// ParseDecision reads a decision by its name.
func ParseDecision(s string) (Decision, bool) {
	switch d := Decision(s); d {
	case Excluded, Dismissed:
		return d, true
	}
	return "", false
}

// Reviewed is what organizers decided about one person so far: their latest decision and
// the keys of every piece of evidence a decision covered.
type Reviewed struct {
	Latest  Decision
	Covered map[string]bool
}

// Entry is one person in the review queue with their evidence.
type Entry struct {
	ContestantID int64
	Signals      []Signal
	// Kinds are the kinds of their signals, in Kinds order.
	Kinds []Kind
	// Reopened: they were dismissed before, and some of this evidence is new.
	Reopened bool
	// Weight orders the queue (see Pending).
	Weight int
}

// weights: what an organizer should look at first. Fast perfect attempts and identical
// answers say something about the person; a shared device a little; a shared network or a
// burst of registrations mostly says that people sit together.
var weights = map[Kind]int{KindFastPerfect: 4, KindSameAnswers: 4, KindSharedDevice: 2, KindSharedNetwork: 1, KindRegistrationBurst: 1}

// Pending returns the people to review: those with a signal whose key no decision about
// them covered, except people already excluded from prizes (excluded says who). Each entry
// holds all the person's signals, old and new, so the organizer sees the whole picture.
// Order: heaviest evidence first (the sum of the weights of the kinds they show), then
// more signals, then by account.
func Pending(signals []Signal, reviewed map[int64]Reviewed, excluded func(int64) bool) []Entry {
	by := map[int64][]Signal{}
	for _, s := range signals {
		by[s.ContestantID] = append(by[s.ContestantID], s)
	}
	var out []Entry
	for id, ss := range by {
		if excluded != nil && excluded(id) {
			continue
		}
		r := reviewed[id]
		fresh := false
		for _, s := range ss {
			if !r.Covered[s.Key] {
				fresh = true
				break
			}
		}
		if !fresh {
			continue
		}
		Sort(ss)
		e := Entry{ContestantID: id, Signals: ss, Reopened: r.Latest == Dismissed}
		for _, k := range Kinds() {
			if slices.ContainsFunc(ss, func(s Signal) bool { return s.Kind == k }) {
				e.Kinds = append(e.Kinds, k)
				e.Weight += weights[k]
			}
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b.Signals), len(a.Signals)); c != 0 {
			return c
		}
		return cmp.Compare(a.ContestantID, b.ContestantID)
	})
	return out
}

// Keys returns the keys of signals, for a decision to cover.
func Keys(signals []Signal) []string {
	out := make([]string, len(signals))
	for i, s := range signals {
		out[i] = s.Key
	}
	return out
}

// Of returns the signals of one person.
func Of(signals []Signal, contestantID int64) []Signal {
	var out []Signal
	for _, s := range signals {
		if s.ContestantID == contestantID {
			out = append(out, s)
		}
	}
	Sort(out)
	return out
}

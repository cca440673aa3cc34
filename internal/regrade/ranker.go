package regrade

import (
	"fmt"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/ranking"
)

// NoPrediction stands for a prediction never given, as in the ranking job: farther from any
// possible actual count than every valid answer, so it ranks last on that key.
const NoPrediction = exam.MaxPrediction + 1

// Ranker ranks a round in memory twice, with the scores before and after a correction, by
// the ranking's own rules, to say how the prize list would change. It holds a compact
// record per person and ranking (as the ranking job does), so it stops at a number of
// people: beyond it, Over says the comparison was not made.
type Ranker struct {
	before, after *ranking.Builder
	limit         int
	over          bool
}

// NewRanker ranks by rules, for at most limit people.
func NewRanker(rules ranking.Rules, limit int) (*Ranker, error) {
	before, err := ranking.NewBuilder(rules)
	if err != nil {
		return nil, err
	}
	after, err := ranking.NewBuilder(rules)
	if err != nil {
		return nil, err
	}
	return &Ranker{before: before, after: after, limit: limit}, nil
}

// Over says the round has more people than the ranker holds: no comparison is made.
func (r *Ranker) Over() bool { return r.over }

// Add takes one finished attempt with its score after the correction.
func (r *Ranker) Add(a Attempt, newCorrect int) error {
	if r.over {
		return nil
	}
	ra := ranking.Attempt{PersonID: a.PersonID, AttemptID: a.ID, Correct: a.Correct, Total: a.Total,
		Prediction: NoPrediction, TimeUsed: a.TimeUsed, SubmittedAt: a.SubmittedAt}
	if a.Prediction != nil {
		ra.Prediction = *a.Prediction
	}
	if err := r.before.Add(ra); err != nil {
		return err
	}
	ra.Correct = newCorrect
	if err := r.after.Add(ra); err != nil {
		return err
	}
	if r.after.Participants() > r.limit {
		r.over, r.before, r.after = true, nil, nil
	}
	return nil
}

// Results ranks the round with the scores before and after.
func (r *Ranker) Results(people ranking.People) (before, after ranking.Result, err error) {
	if r.over {
		return before, after, fmt.Errorf("more than %d people: not ranked in memory", r.limit)
	}
	if before, err = r.before.Rank(people); err != nil {
		return before, after, err
	}
	after, err = r.after.Rank(people)
	return before, after, err
}

// Standing is where a person stands in a ranking's prize list.
type Standing struct {
	Rank int
	// Prize is the prize the rules give; Pending marks a person in a tie at a prize
	// boundary, whose place the committee decides.
	Prize   string
	Pending bool
}

// Holds says whether the standing holds a prize or a pending place.
func (s Standing) Holds() bool { return s.Prize != "" || s.Pending }

// PrizeChange is one person whose prize (or pending place) differs between two rankings.
type PrizeChange struct {
	PersonID      int64
	Before, After Standing
}

// PrizeDiff is how a prize list changes from one ranking to another.
type PrizeDiff struct {
	// Changes lists the people whose prize changes: those who hold one after, in the new
	// ranking's order, then those who lose theirs, in the old one's.
	Changes []PrizeChange
	// Actual is the true answer to the prediction question (people with every question
	// right), before and after: it moves everyone's prediction distance.
	ActualBefore, ActualAfter int64
	// Ties are the ties at a prize boundary, before and after.
	TiesBefore, TiesAfter int
}

// Diff compares the prize holders of two rankings of one round.
func Diff(before, after ranking.Result) PrizeDiff {
	d := PrizeDiff{ActualBefore: before.Actual, ActualAfter: after.Actual, TiesBefore: len(before.BoundaryTies), TiesAfter: len(after.BoundaryTies)}
	was, now := holders(before), holders(after)
	for _, e := range after.Entries {
		if s, old := now[e.PersonID], was[e.PersonID]; s.Holds() && (old.Prize != s.Prize || old.Pending != s.Pending) {
			d.Changes = append(d.Changes, PrizeChange{PersonID: e.PersonID, Before: old, After: s})
		}
	}
	for _, e := range before.Entries {
		if s := was[e.PersonID]; s.Holds() && !now[e.PersonID].Holds() {
			d.Changes = append(d.Changes, PrizeChange{PersonID: e.PersonID, Before: s})
		}
	}
	// The rank of those who hold nothing on one side, for the organizers to read.
	rankIn(before, d.Changes, func(c *PrizeChange) *Standing { return &c.Before })
	rankIn(after, d.Changes, func(c *PrizeChange) *Standing { return &c.After })
	return d
}

// holders maps the people with a prize or a pending place to their standing.
func holders(r ranking.Result) map[int64]Standing {
	m := map[int64]Standing{}
	for _, e := range r.Entries {
		if e.Prize != "" || e.TieAtBoundary {
			m[e.PersonID] = Standing{Rank: e.Rank, Prize: e.Prize, Pending: e.Prize == "" && e.TieAtBoundary}
		}
	}
	return m
}

// rankIn fills in the rank in r of the changes' standings that have none (0 stays for a
// person r does not list), in one pass over r.
func rankIn(r ranking.Result, changes []PrizeChange, side func(*PrizeChange) *Standing) {
	want := map[int64]*Standing{}
	for i := range changes {
		if s := side(&changes[i]); s.Rank == 0 {
			want[changes[i].PersonID] = s
		}
	}
	for _, e := range r.Entries {
		if s, ok := want[e.PersonID]; ok {
			s.Rank = e.Rank
		}
	}
}

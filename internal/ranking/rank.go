package ranking

import (
	"errors"
	"fmt"
	"time"
)

// Rank ranks the attempts added so far and awards the prizes. people must know every
// participant: an unknown person is an error, since guessing their eligibility could
// decide a prize. Rank does not change the Builder; more attempts may be added and Rank
// called again.
func (b *Builder) Rank(people People) (Result, error) {
	if people == nil {
		return Result{}, errors.New("ranking: no people lookup given: eligibility cannot be decided")
	}
	var actual int64
	for i := range b.records {
		if b.records[i].perfect() {
			actual++
		}
	}
	perm := order(b.rules.keys, actual, b.records)
	elig := newEligibility(b.rules)
	entries := make([]Entry, len(perm))
	for n, i := range perm {
		r := &b.records[i]
		p, ok := people(r.person)
		if !ok {
			return Result{}, fmt.Errorf("ranking: person %d has attempts but is not known to the people lookup", r.person)
		}
		if p.ID != r.person {
			return Result{}, fmt.Errorf("ranking: people lookup for id %d returned person %d", r.person, p.ID)
		}
		rank := n + 1
		if n > 0 && compareKeys(b.rules.keys, actual, &b.records[perm[n-1]], r) == 0 {
			rank = entries[n-1].Rank
		}
		eligible, reason := elig.check(p)
		entries[n] = Entry{
			PersonID:         r.person,
			AttemptID:        r.attempt,
			Rank:             rank,
			Correct:          int(r.correct),
			Total:            int(r.total),
			Prediction:       r.prediction,
			Distance:         distance(r.prediction, actual),
			TimeUsed:         time.Duration(r.timeUsed),
			SubmittedAt:      time.Unix(0, r.submitted).UTC(),
			Eligible:         eligible,
			IneligibleReason: reason,
		}
	}
	winners, ties := awardPrizes(entries, b.rules.prizes)
	return Result{
		TieBreak:     append([]Key(nil), b.rules.tieBreak...),
		Actual:       actual,
		Participants: len(b.records),
		Attempts:     b.attempts,
		Entries:      entries,
		Winners:      winners,
		BoundaryTies: ties,
	}, nil
}

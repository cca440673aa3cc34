package regrade

import (
	"fmt"
	"time"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
)

// Correction is one recorded key correction of a round.
type Correction struct {
	ID         int64
	QuestionID string
	// Old is the key in force before (the bank's, or an earlier correction's); New is the
	// key from now on.
	Old, New exam.Key
	Reason   string
	By       string
	At       time.Time
	// AttemptsChanged and PeopleChanged are what applying it changed: attempts whose score
	// changed, people whose best result changed.
	AttemptsChanged, PeopleChanged int
}

// InForce returns the corrections in force after history (oldest first): per question,
// the latest correction's key.
func InForce(history []Correction) exam.Corrections {
	c := make(exam.Corrections, len(history))
	for _, h := range history {
		c[h.QuestionID] = h.New
	}
	return c
}

// Attempt is one finished attempt of a round, as rescoring reads it.
type Attempt struct {
	ID       int64
	PersonID int64
	// Correct is the score as stored; Total the questions of the paper.
	Correct int
	Total   int
	// Paper and Answers are given when the paper holds a corrected question; the store
	// leaves the others out, since their score cannot change.
	Paper   exam.Paper
	Answers exam.Answers
	// Prediction is nil when the person never answered the prediction question.
	Prediction  *int64
	TimeUsed    time.Duration
	SubmittedAt time.Time
}

// Change is one attempt whose score changes.
type Change struct {
	AttemptID int64
	PersonID  int64
	Old, New  int
}

// Summary is what rescoring a round changes.
type Summary struct {
	// Attempts and People are the finished attempts and the people looked at.
	Attempts int
	People   int
	// Changes are the attempts whose score changes, in the order they came.
	Changes []Change
	// PeopleChanged counts the people whose best result (most correct over their
	// attempts, which their recognized attempt has) changes.
	PeopleChanged int
}

// Rescorer scores a round's finished attempts from scratch under a set of corrections and
// tallies what changes. Attempts must come in ascending person order (the store sends them
// so, from an index), so a person's best result is known without holding the round in
// memory.
type Rescorer struct {
	bank *bank.Bank
	corr exam.Corrections
	sum  Summary
	// The person being tallied and their best score before and after.
	person        int64
	started       bool
	before, after int
}

// NewRescorer scores with bank b (the round's version) and the corrections in force.
func NewRescorer(b *bank.Bank, corr exam.Corrections) *Rescorer {
	return &Rescorer{bank: b, corr: corr}
}

// Add scores one attempt and returns its score under the corrections.
func (r *Rescorer) Add(a Attempt) (int, error) {
	score := a.Correct
	if len(a.Paper.Items) > 0 {
		res, err := exam.ScoreWith(a.Paper, r.bank, a.Answers, r.corr)
		if err != nil {
			return 0, fmt.Errorf("rescore attempt %d: %w", a.ID, err)
		}
		if res.Total != a.Total {
			return 0, fmt.Errorf("rescore attempt %d: its paper has %d questions, the attempt says %d", a.ID, res.Total, a.Total)
		}
		score = res.Correct
	}
	if !r.started || a.PersonID != r.person {
		if r.started && a.PersonID < r.person {
			return 0, fmt.Errorf("rescore attempt %d: person %d comes after person %d: attempts must come in person order", a.ID, a.PersonID, r.person)
		}
		r.flush()
		r.person, r.started = a.PersonID, true
		r.before, r.after = a.Correct, score
		r.sum.People++
	} else {
		r.before, r.after = max(r.before, a.Correct), max(r.after, score)
	}
	r.sum.Attempts++
	if score != a.Correct {
		r.sum.Changes = append(r.sum.Changes, Change{AttemptID: a.ID, PersonID: a.PersonID, Old: a.Correct, New: score})
	}
	return score, nil
}

func (r *Rescorer) flush() {
	if r.started && r.before != r.after {
		r.sum.PeopleChanged++
	}
}

// Summary is what the attempts added so far change. Call it once, after the last Add.
func (r *Rescorer) Summary() Summary {
	r.flush()
	r.started = false
	return r.sum
}

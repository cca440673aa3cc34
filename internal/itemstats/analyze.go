package itemstats

import (
	"fmt"
	"math"
	"slices"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
)

// MinSample is the fewest attempts of a question before it can be flagged. With n attempts
// the correlation of a question with none of its own moves by about ±2/√n from chance, so
// below 50 (±0.28) a sound question would be flagged about as often as a wrong one.
const MinSample = 50

// Analysis is the item analysis of one round.
type Analysis struct {
	Bank    string
	Version int
	// Attempts is how many attempts were counted (when the tally was told).
	Attempts int64
	// Items are the questions drawn at least once: dubious ones first, then in bank order.
	Items []Item
}

// Dubious counts the flagged questions.
func (a *Analysis) Dubious() int {
	n := 0
	for i := range a.Items {
		if a.Items[i].Dubious() {
			n++
		}
	}
	return n
}

// Item is one question's figures.
type Item struct {
	// Index is the question's position in the bank; Question the question itself.
	Index    int
	Question *bank.Question
	// Key is the bank's index of the option counted as right: the key in force for the
	// round, which is a correction's when Corrected. When AnyAccepted it is -1: a
	// correction accepts whichever option was chosen. BankKey is the bank's own key.
	Key, BankKey int
	// Corrected: the round scores the question with a key correction, not the bank's key.
	Corrected   bool
	AnyAccepted bool
	// Drawn counts the attempts given the question; Correct those that chose the key (any
	// option, when AnyAccepted).
	Drawn, Correct int64
	// Facility is Correct / Drawn.
	Facility float64
	// Discrimination is the point-biserial correlation with the rest of the score; it is
	// meaningful only when HasDiscrimination.
	Discrimination    float64
	HasDiscrimination bool
	// Chosen counts the attempts that chose each option, in bank order; Blank those that
	// answered nothing.
	Chosen []int64
	Blank  int64
	// TooFew: fewer than MinSample attempts, so the question is not judged.
	TooFew bool
	// Flags say why the question is dubious; none when it is not.
	Flags []Flag
}

// Dubious says whether the question should be read again.
func (it *Item) Dubious() bool { return len(it.Flags) > 0 }

// FlagKind is a reason to doubt a question.
type FlagKind string

const (
	// FlagDistractor: a wrong option was chosen more often than the key (Flag.Option).
	FlagDistractor FlagKind = "distractor"
	// FlagNegative: people who did well on the rest got this question wrong more often.
	FlagNegative FlagKind = "negative"
)

// Flag is one reason to doubt a question.
type Flag struct {
	Kind FlagKind
	// Option is the wrong option chosen more often than the key (FlagDistractor): the most
	// chosen one, the first in bank order among equals.
	Option int
}

// Analyze computes every drawn question's figures from the tally, with each question's
// key in force: the round's correction (SetCorrections), else the bank's.
func (t *Tally) Analyze() (*Analysis, error) {
	a := &Analysis{Bank: t.bank.Name, Version: t.bank.Version, Attempts: t.attempts}
	for q := range t.sums {
		it, drawn, err := t.item(q)
		if err != nil {
			return nil, err
		}
		if drawn {
			a.Items = append(a.Items, it)
		}
	}
	slices.SortStableFunc(a.Items, func(x, y Item) int {
		switch {
		case x.Dubious() && !y.Dubious():
			return -1
		case !x.Dubious() && y.Dubious():
			return 1
		}
		return x.Index - y.Index
	})
	return a, nil
}

func (t *Tally) item(q int) (Item, bool, error) {
	bq := &t.bank.Questions[q]
	sums := t.sums[q][:len(bq.Options)+1]
	key, corrected := t.corr[bq.ID]
	if !corrected {
		key = exam.KeyOf(bq)
	}
	it := Item{Index: q, Question: bq, Key: key.Option, BankKey: bq.CorrectIndex(), Corrected: corrected, AnyAccepted: key.Any,
		Chosen: make([]int64, len(bq.Options))}
	if key.Any {
		it.Key = -1
	}
	var all Sums
	for _, s := range sums {
		all.add(s)
	}
	if all.Attempts == 0 {
		return it, false, nil
	}
	if exam.CheckKey(bq, key) != nil {
		what := "does not have exactly one correct option"
		if corrected {
			what = fmt.Sprintf("has a key correction to %s, which is not one of its options", key)
		}
		return it, false, fmt.Errorf("question %q of bank %s version %d %s", bq.ID, t.bank.Name, t.bank.Version, what)
	}
	it.Blank = sums[0].Attempts
	for o := range it.Chosen {
		it.Chosen[o] = sums[o+1].Attempts
	}
	// right adds up the attempts scored right: those that chose the key, or, when any
	// option is accepted, all that answered (as exam.ScoreWith scores them).
	var right Sums
	for o := range it.Chosen {
		if key.Accepts(o) {
			right.add(sums[o+1])
		}
	}
	it.Drawn, it.Correct = all.Attempts, right.Attempts
	it.Facility = float64(it.Correct) / float64(it.Drawn)
	it.Discrimination, it.HasDiscrimination = pointBiserial(all, right)
	it.TooFew = it.Drawn < MinSample
	if it.TooFew || key.Any {
		// A question whose correction accepts any answer has been dealt with: every answer
		// scores, so no option can be a better key and its correlation says nothing about
		// the question.
		return it, true, nil
	}
	best := -1
	for o, n := range it.Chosen {
		if o != it.Key && n > it.Correct && (best < 0 || n > it.Chosen[best]) {
			best = o
		}
	}
	if best >= 0 {
		it.Flags = append(it.Flags, Flag{Kind: FlagDistractor, Option: best})
	}
	if it.HasDiscrimination && it.Discrimination < 0 {
		it.Flags = append(it.Flags, Flag{Kind: FlagNegative})
	}
	return it, true, nil
}

// pointBiserial is the correlation between x (1 for the attempts in key, 0 for the others
// of all) and y, the rest of the score: the score minus x. From the sums of the score s:
//
//	Σx = n₁, Σxy = Σ_key s − n₁, Σy = Σ_all s − n₁, Σy² = Σ_all s² − 2·Σ_key s + n₁
//
// and r = (n·Σxy − Σx·Σy) / √((n·Σx − (Σx)²)·(n·Σy² − (Σy)²)), as x² = x.
func pointBiserial(all, key Sums) (float64, bool) {
	n, n1 := float64(all.Attempts), float64(key.Attempts)
	sxy := float64(key.Score - key.Attempts)
	sy := float64(all.Score - key.Attempts)
	syy := float64(all.ScoreSq - 2*key.Score + key.Attempts)
	varX := n*n1 - n1*n1
	varY := n*syy - sy*sy
	if varX <= 0 || varY <= 0 {
		return 0, false
	}
	r := (n*sxy - n1*sy) / math.Sqrt(varX*varY)
	// Rounding may carry a perfect correlation a hair past ±1.
	return max(-1, min(1, r)), true
}

package itemstats_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
)

// naiveItem computes one question's figures the plain way: the list of (right, rest of the
// score) pairs of the attempts that drew it, Pearson's r with means subtracted first.
type naiveItem struct {
	drawn, correct, blank int64
	chosen                []int64
	r                     float64
	defined               bool
	flags                 []itemstats.Flag
}

func naive(b *bank.Bank, c exam.Corrections, sheets []sheet) map[int]naiveItem {
	type pair struct{ x, y float64 }
	pairs := map[int][]pair{}
	out := map[int]naiveItem{}
	for _, s := range sheets {
		sc := scoreWith(b, c, s)
		for _, a := range s {
			key := keyOf(b, c, a.q)
			it, ok := out[a.q]
			if !ok {
				it.chosen = make([]int64, len(b.Questions[a.q].Options))
			}
			it.drawn++
			x := 0.0
			switch {
			case a.option == itemstats.Blank:
				it.blank++
			default:
				it.chosen[a.option]++
			}
			if a.option != itemstats.Blank && key.Accepts(a.option) {
				it.correct++
				x = 1
			}
			out[a.q] = it
			pairs[a.q] = append(pairs[a.q], pair{x, float64(sc) - x})
		}
	}
	for q, it := range out {
		ps := pairs[q]
		var mx, my float64
		for _, p := range ps {
			mx += p.x
			my += p.y
		}
		mx /= float64(len(ps))
		my /= float64(len(ps))
		var sxy, sxx, syy float64
		for _, p := range ps {
			sxy += (p.x - mx) * (p.y - my)
			sxx += (p.x - mx) * (p.x - mx)
			syy += (p.y - my) * (p.y - my)
		}
		if sxx > 1e-9 && syy > 1e-9 {
			it.r, it.defined = sxy/math.Sqrt(sxx*syy), true
		}
		if key := keyOf(b, c, q); it.drawn >= itemstats.MinSample && !key.Any {
			best := -1
			for o, n := range it.chosen {
				if o != key.Option && n > it.correct && (best < 0 || n > it.chosen[best]) {
					best = o
				}
			}
			if best >= 0 {
				it.flags = append(it.flags, itemstats.Flag{Kind: itemstats.FlagDistractor, Option: best})
			}
			// The means subtracted in floating point leave an exact zero a hair off it;
			// the tally's integer sums do not.
			if it.defined && it.r < -1e-9 {
				it.flags = append(it.flags, itemstats.Flag{Kind: itemstats.FlagNegative})
			}
		}
		out[q] = it
	}
	return out
}

// randomRound makes a bank and attempts where able people choose the key more often, with
// some questions keyed wrong (able people choose another option) and blanks.
func randomRound(rnd *rand.Rand) (*bank.Bank, []sheet) {
	nq := 1 + rnd.IntN(30)
	keys, options := make([]int, nq), make([]int, nq)
	for i := range nq {
		options[i] = bank.MinOptions + rnd.IntN(bank.MaxOptions-bank.MinOptions+1)
		keys[i] = rnd.IntN(options[i])
	}
	b := testBank(keys, options...)
	truth := slices.Clone(keys)
	for i := range truth {
		if rnd.IntN(5) == 0 {
			truth[i] = (truth[i] + 1) % options[i]
		}
	}
	per := 1 + rnd.IntN(min(15, nq))
	sheets := make([]sheet, rnd.IntN(400))
	for i := range sheets {
		ability := rnd.Float64()
		for _, q := range rnd.Perm(nq)[:per] {
			o := rnd.IntN(options[q])
			switch {
			case rnd.IntN(20) == 0:
				o = itemstats.Blank
			case rnd.Float64() < ability:
				o = truth[q]
			}
			sheets[i] = append(sheets[i], answer{q, o})
		}
	}
	return b, sheets
}

// randomCorrections corrects some questions of b: to the option the able choose, to
// another, or to accept any answer.
func randomCorrections(rnd *rand.Rand, b *bank.Bank) exam.Corrections {
	c := exam.Corrections{}
	for _, q := range b.Questions {
		switch rnd.IntN(8) {
		case 0:
			c[q.ID] = exam.AnyKey
		case 1:
			c[q.ID] = exam.Key{Option: rnd.IntN(len(q.Options))}
		}
	}
	return c
}

// The tally, fed one answer at a time or by sums per (question, option) as the database
// gives them, agrees with the plain computation on random rounds.
func TestAgainstNaive(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2024, 8))
	flagged := 0
	for round := range 300 {
		b, sheets := randomRound(rnd)
		// Half the rounds have key corrections: the scores are then the corrected ones.
		var corr exam.Corrections
		if round%2 == 1 {
			corr = randomCorrections(rnd, b)
		}
		want := naive(b, corr, sheets)
		byAnswer := tallyWith(t, b, corr, sheets)

		sums := itemstats.NewTally(b)
		sums.SetCorrections(corr)
		cells := map[[2]int]itemstats.Sums{}
		for _, s := range sheets {
			sc := int64(scoreWith(b, corr, s))
			for _, a := range s {
				c := cells[[2]int{a.q, a.option}]
				c.Attempts++
				c.Score += sc
				c.ScoreSq += sc * sc
				cells[[2]int{a.q, a.option}] = c
			}
		}
		for k, c := range cells {
			if err := sums.AddSums(b.Questions[k[0]].ID, k[1], c); err != nil {
				t.Fatal(err)
			}
		}
		bySums, err := sums.Analyze()
		if err != nil {
			t.Fatal(err)
		}

		// Stored responses leave out attempts that answered nothing.
		stored := itemstats.NewTally(b)
		stored.SetCorrections(corr)
		var answered []sheet
		for _, s := range sheets {
			var r exam.Result
			for _, a := range s {
				r.PerItem = append(r.PerItem, exam.ItemResult{Question: a.q, Option: a.option})
			}
			counted, err := stored.AddResponses(itemstats.Responses(r), scoreWith(b, corr, s))
			if err != nil {
				t.Fatal(err)
			}
			if counted != slices.ContainsFunc(s, func(a answer) bool { return a.option != itemstats.Blank }) {
				t.Fatalf("round %d: attempt %v counted %v", round, s, counted)
			}
			if counted {
				answered = append(answered, s)
			}
		}
		byResponses, err := stored.Analyze()
		if err != nil {
			t.Fatal(err)
		}
		if byResponses.Attempts != int64(len(answered)) {
			t.Fatalf("round %d: %d attempts counted from responses, want %d", round, byResponses.Attempts, len(answered))
		}
		if err := compare(naive(b, corr, answered), byResponses); err != nil {
			t.Fatalf("round %d, from responses: %v", round, err)
		}
		for _, a := range []*itemstats.Analysis{byAnswer, bySums} {
			if err := compare(want, a); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			for _, it := range a.Items {
				if it.Dubious() {
					flagged++
				}
			}
		}
	}
	if flagged == 0 {
		t.Error("no random round had a dubious question: the comparison does not cover flags")
	}
}

// compare says how an analysis differs from the plain computation, if it does.
func compare(want map[int]naiveItem, a *itemstats.Analysis) error {
	if len(a.Items) != len(want) {
		return fmt.Errorf("%d items, want %d", len(a.Items), len(want))
	}
	for i, it := range a.Items {
		w := want[it.Index]
		if it.Drawn != w.drawn || it.Correct != w.correct || it.Blank != w.blank || !slices.Equal(it.Chosen, w.chosen) ||
			it.HasDiscrimination != w.defined || (w.defined && math.Abs(it.Discrimination-w.r) > 1e-9) ||
			!slices.Equal(it.Flags, w.flags) || math.Abs(it.Facility-float64(w.correct)/float64(w.drawn)) > 1e-12 {
			return fmt.Errorf("question %d: %+v, want %+v", it.Index, it, w)
		}
		if i > 0 && (a.Items[i-1].Dubious() == it.Dubious() && a.Items[i-1].Index > it.Index || !a.Items[i-1].Dubious() && it.Dubious()) {
			return fmt.Errorf("items out of order at %d", i)
		}
	}
	return nil
}

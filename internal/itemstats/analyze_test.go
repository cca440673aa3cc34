package itemstats_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
)

// testBank has questions q0, q1, … whose keys are keys[i], each with options[i] options
// (4 when options is shorter).
func testBank(keys []int, options ...int) *bank.Bank {
	b := &bank.Bank{Name: "thu", Version: 1, Topics: []bank.Topic{{Code: "t", Title: "Chủ đề"}}}
	for i, k := range keys {
		n := 4
		if i < len(options) {
			n = options[i]
		}
		q := bank.Question{ID: fmt.Sprintf("q%d", i), Topic: "t", Text: fmt.Sprintf("Câu %d?", i)}
		for o := range n {
			q.Options = append(q.Options, bank.Option{Text: fmt.Sprintf("Phương án %d", o), Correct: o == k})
		}
		b.Questions = append(b.Questions, q)
	}
	return b
}

// answer is one attempt's answer to one question: question index, bank option or Blank.
type answer struct{ q, option int }

// sheet is one attempt: its answers; its score is the number of keys chosen.
type sheet []answer

func score(b *bank.Bank, s sheet) int { return scoreWith(b, nil, s) }

// keyOf is the key a question is scored with under the corrections c.
func keyOf(b *bank.Bank, c exam.Corrections, q int) exam.Key {
	if k, ok := c[b.Questions[q].ID]; ok {
		return k
	}
	return exam.KeyOf(&b.Questions[q])
}

// scoreWith is the score under the key corrections c, as a correction rescores the round.
func scoreWith(b *bank.Bank, c exam.Corrections, s sheet) int {
	n := 0
	for _, a := range s {
		if a.option != itemstats.Blank && keyOf(b, c, a.q).Accepts(a.option) {
			n++
		}
	}
	return n
}

func tally(t *testing.T, b *bank.Bank, sheets []sheet) *itemstats.Analysis {
	t.Helper()
	return tallyWith(t, b, nil, sheets)
}

// tallyWith analyses sheets scored under the corrections c.
func tallyWith(t *testing.T, b *bank.Bank, c exam.Corrections, sheets []sheet) *itemstats.Analysis {
	t.Helper()
	tl := itemstats.NewTally(b)
	tl.SetCorrections(c)
	for _, s := range sheets {
		sc := scoreWith(b, c, s)
		for _, a := range s {
			if err := tl.Add(a.q, a.option, sc); err != nil {
				t.Fatal(err)
			}
		}
	}
	tl.AddAttempts(int64(len(sheets)))
	a, err := tl.Analyze()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// times repeats sheets n times: correlations and shares do not change, counts grow.
func times(n int, sheets ...sheet) []sheet {
	var out []sheet
	for range n {
		out = append(out, sheets...)
	}
	return out
}

func item(a *itemstats.Analysis, q int) *itemstats.Item {
	for i := range a.Items {
		if a.Items[i].Index == q {
			return &a.Items[i]
		}
	}
	return nil
}

// Four attempts on three questions (keys 0, 1, 2), worked out by hand:
//
//	attempt  q0  q1  q2     score   rest of score for q0 q1 q2
//	1        ✓   ✓   ✓      3       2 2 2
//	2        ✓   ✓   ✗(B)   2       1 1 2
//	3        ✗C  ✓   ✗(D)   1       1 0 1
//	4        ✗B  ✗A  blank  0       0 0 0
//
// q0: x = 1 1 0 0, rest 2 1 1 0: deviations ±½ and 1 0 0 −1, Σ = 1, Σx'² = 1, Σy'² = 2,
// r = 1/√2. q1: x = 1 1 1 0, rest 2 1 0 0: Σx'y' = ¾, Σx'² = ¾, Σy'² = 11/4, r = √(3/11).
// q2: x = 1 0 0 0, rest 2 2 1 0: Σx'y' = ¾, Σx'² = ¾, Σy'² = 11/4, r = √(3/11).
var worked = []sheet{
	{{0, 0}, {1, 1}, {2, 2}},
	{{0, 0}, {1, 1}, {2, 1}},
	{{0, 2}, {1, 1}, {2, 3}},
	{{0, 1}, {1, 0}, {2, itemstats.Blank}},
}

func TestWorkedExample(t *testing.T) {
	b := testBank([]int{0, 1, 2})
	for _, tc := range []struct {
		name   string
		sheets []sheet
		tooFew bool
	}{
		{"four attempts: figures but no judgement", worked, true},
		{"the same 13 times (52 attempts): same figures, judged", times(13, worked...), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tally(t, b, tc.sheets)
			k := int64(len(tc.sheets) / 4)
			want := []struct {
				drawn, correct int64
				facility, r    float64
				chosen         []int64
				blank          int64
			}{
				{4 * k, 2 * k, 0.5, 1 / math.Sqrt2, []int64{2 * k, k, k, 0}, 0},
				{4 * k, 3 * k, 0.75, math.Sqrt(3.0 / 11), []int64{k, 3 * k, 0, 0}, 0},
				{4 * k, k, 0.25, math.Sqrt(3.0 / 11), []int64{0, k, k, k}, k},
			}
			if len(a.Items) != 3 || a.Attempts != 4*k {
				t.Fatalf("%d items, %d attempts", len(a.Items), a.Attempts)
			}
			for q, w := range want {
				it := item(a, q)
				if it.Drawn != w.drawn || it.Correct != w.correct || !close(it.Facility, w.facility) ||
					!it.HasDiscrimination || !close(it.Discrimination, w.r) || !slices.Equal(it.Chosen, w.chosen) || it.Blank != w.blank {
					t.Errorf("q%d: %+v, want %+v", q, *it, w)
				}
				if it.TooFew != tc.tooFew || it.Dubious() {
					t.Errorf("q%d: too few %v (want %v), flags %v", q, it.TooFew, tc.tooFew, it.Flags)
				}
			}
		})
	}
}

// Flags, each case built so that one question is or is not dubious for one reason.
func TestFlags(t *testing.T) {
	b := testBank([]int{0, 1, 2})
	// right on q1 and q2 makes a high rest of the score; wrong on both a low one.
	strong := func(q0 int) sheet { return sheet{{0, q0}, {1, 1}, {2, 2}} }
	weak := func(q0 int) sheet { return sheet{{0, q0}, {1, 0}, {2, 0}} }
	for _, tc := range []struct {
		name        string
		sheets      []sheet
		want        []itemstats.Flag
		tooFew      bool
		defined     bool
		negative    bool
		wantMissing bool
	}{
		{name: "a sound question", sheets: times(25, strong(0), weak(1)), defined: true},
		{name: "a distractor chosen more than the key",
			sheets: slices.Concat(times(20, strong(0)), times(30, weak(3))), want: []itemstats.Flag{{Kind: itemstats.FlagDistractor, Option: 3}}, defined: true},
		{name: "two distractors above the key: the most chosen is named",
			sheets: slices.Concat(times(10, strong(0)), times(20, weak(1)), times(25, weak(2))), want: []itemstats.Flag{{Kind: itemstats.FlagDistractor, Option: 2}}, defined: true},
		{name: "equal distractors above the key: the first in bank order",
			sheets: slices.Concat(times(10, strong(0)), times(20, weak(2)), times(20, weak(1))), want: []itemstats.Flag{{Kind: itemstats.FlagDistractor, Option: 1}}, defined: true},
		{name: "a distractor as often as the key is not flagged", sheets: times(25, strong(0), weak(3)), defined: true},
		{name: "blanks are not a distractor", sheets: slices.Concat(times(20, strong(0)), times(30, weak(itemstats.Blank))), defined: true},
		{name: "the strong get it wrong: negative discrimination",
			sheets: times(25, strong(1), weak(0)), want: []itemstats.Flag{{Kind: itemstats.FlagNegative}}, defined: true, negative: true},
		{name: "both reasons",
			sheets: slices.Concat(times(30, strong(1)), times(20, weak(0))), want: []itemstats.Flag{{Kind: itemstats.FlagDistractor, Option: 1}, {Kind: itemstats.FlagNegative}}, defined: true, negative: true},
		{name: "negative but 49 attempts: not judged", sheets: slices.Concat(times(24, strong(1), weak(0)), []sheet{weak(0)}), tooFew: true, defined: true, negative: true},
		{name: "negative at exactly 50 attempts: judged", sheets: times(25, strong(1), weak(0)), want: []itemstats.Flag{{Kind: itemstats.FlagNegative}}, defined: true, negative: true},
		{name: "everyone right: no discrimination, not flagged", sheets: times(25, strong(0), weak(0))},
		{name: "no one right: no discrimination, the distractor flagged", sheets: times(25, strong(1), weak(1)), want: []itemstats.Flag{{Kind: itemstats.FlagDistractor, Option: 1}}},
		{name: "the same rest for everyone: no discrimination", sheets: times(25, weak(0), weak(1)), defined: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := item(tally(t, b, tc.sheets), 0)
			if !slices.Equal(it.Flags, tc.want) || it.TooFew != tc.tooFew || it.HasDiscrimination != tc.defined ||
				(tc.defined && (it.Discrimination < 0) != tc.negative) {
				t.Errorf("flags %v too few %v, discrimination %v (%.3f); want %v too few %v defined %v negative %v",
					it.Flags, it.TooFew, it.HasDiscrimination, it.Discrimination, tc.want, tc.tooFew, tc.defined, tc.negative)
			}
			if it.Dubious() != (len(tc.want) > 0) {
				t.Errorf("dubious %v with flags %v", it.Dubious(), it.Flags)
			}
		})
	}
}

// A question keyed wrong in the bank is flagged; once the round corrects its key (and its
// attempts are scored again), the figures and flags follow the corrected key; a correction
// accepting any answer counts every answer right and judges nothing.
func TestCorrectedKey(t *testing.T) {
	b := testBank([]int{0, 1, 2}) // q0's bank key A is wrong: the able choose D
	strong := sheet{{0, 3}, {1, 1}, {2, 2}}
	weak := sheet{{0, 0}, {1, 0}, {2, 0}}
	blank := sheet{{0, itemstats.Blank}, {1, 1}, {2, 0}}
	sheets := slices.Concat(times(30, strong), times(20, weak), times(10, blank))

	wrong := item(tallyWith(t, b, nil, sheets), 0)
	if wrong.Corrected || wrong.Key != 0 || wrong.Correct != 20 || !slices.Equal(wrong.Flags,
		[]itemstats.Flag{{Kind: itemstats.FlagDistractor, Option: 3}, {Kind: itemstats.FlagNegative}}) {
		t.Fatalf("keyed wrong: %+v, want key A, 20 right, flagged for D and negative", *wrong)
	}

	right := item(tallyWith(t, b, exam.Corrections{"q0": {Option: 3}}, sheets), 0)
	if !right.Corrected || right.Key != 3 || right.BankKey != 0 || right.Correct != 30 || !close(right.Facility, 0.5) ||
		!right.HasDiscrimination || right.Discrimination <= 0 || right.Dubious() {
		t.Errorf("corrected to D: %+v, want key D (bank A), 30 right, facility 0.5, positive, not dubious", *right)
	}
	// The same figures as a bank whose key was D from the start.
	if fresh := item(tally(t, testBank([]int{3, 1, 2}), sheets), 0); fresh.Correct != right.Correct ||
		!close(fresh.Discrimination, right.Discrimination) || !slices.Equal(fresh.Flags, right.Flags) {
		t.Errorf("corrected %+v differs from a bank keyed D %+v", *right, *fresh)
	}

	anyKey := item(tallyWith(t, b, exam.Corrections{"q0": exam.AnyKey}, sheets), 0)
	if !anyKey.Corrected || !anyKey.AnyAccepted || anyKey.Key != -1 || anyKey.Correct != 50 || !close(anyKey.Facility, 50.0/60) ||
		anyKey.Dubious() {
		t.Errorf("corrected to any: %+v, want any, 50 right (blanks wrong), not dubious", *anyKey)
	}

	bad := itemstats.NewTally(b)
	bad.SetCorrections(exam.Corrections{"q0": {Option: 5}})
	if err := bad.Add(0, 0, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Analyze(); err == nil {
		t.Error("a correction to an option the question lacks was analysed")
	}
}

// Dubious questions come first, then bank order; questions never drawn (q1) are not listed.
func TestOrder(t *testing.T) {
	b := testBank([]int{0, 0, 0, 0, 0})
	// q4 is answered right by the weak only: negative discrimination.
	strong := sheet{{0, 0}, {2, 0}, {3, 0}, {4, 1}}
	weak := sheet{{0, 1}, {2, 1}, {3, 1}, {4, 0}}
	a := tally(t, b, times(30, strong, weak))
	var got []int
	for _, it := range a.Items {
		got = append(got, it.Index)
	}
	if want := []int{4, 0, 2, 3}; !slices.Equal(got, want) || a.Dubious() != 1 {
		t.Errorf("order %v (dubious %d), want %v with 1 dubious", got, a.Dubious(), want)
	}
}

func TestRefusals(t *testing.T) {
	b := testBank([]int{0, 1}, 2, 3)
	tl := itemstats.NewTally(b)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"question index out of range", tl.Add(2, 0, 1)},
		{"negative index", tl.Add(-1, 0, 1)},
		{"option the question lacks", tl.Add(0, 2, 1)},
		{"option below blank", tl.Add(1, -2, 1)},
		{"unknown question ID", tl.AddSums("q9", 0, itemstats.Sums{Attempts: 1})},
		{"option the question lacks, by ID", tl.AddSums("q1", 3, itemstats.Sums{Attempts: 1})},
		{"negative sums", tl.AddSums("q1", 0, itemstats.Sums{Attempts: -1})},
	} {
		if tc.err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	a, err := tl.Analyze()
	if err != nil || len(a.Items) != 0 {
		t.Errorf("refused answers were counted: %+v, %v", a, err)
	}
	broken := testBank([]int{0})
	broken.Questions[0].Options[1].Correct = true
	bt := itemstats.NewTally(broken)
	if err := bt.Add(0, 0, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := bt.Analyze(); err == nil {
		t.Error("a question with two keys was analysed")
	}
}

func close(x, y float64) bool { return math.Abs(x-y) < 1e-12 }

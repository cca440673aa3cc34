package regrade

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/ranking"
)

var opens = time.Date(2024, 8, 17, 0, 0, 0, 0, time.UTC)

// randomBank is one topic of a few questions with 2 to 5 options, keys anywhere.
func randomBank(rng *rand.Rand) *bank.Bank {
	b := &bank.Bank{Name: "test", Version: 1, Topics: []bank.Topic{{Code: "t", Title: "Chủ đề"}}}
	for q := range 2 + rng.IntN(6) {
		opts := make([]bank.Option, 2+rng.IntN(4))
		key := rng.IntN(len(opts))
		for o := range opts {
			opts[o] = bank.Option{Text: fmt.Sprintf("phương án %d", o), Correct: o == key}
		}
		b.Questions = append(b.Questions, bank.Question{ID: fmt.Sprintf("q%d", q), Topic: "t", Text: fmt.Sprintf("câu %d", q), Options: opts})
	}
	return b
}

// simAttempt is an attempt of the simulated round: drawn, answered, finished at a step.
type simAttempt struct {
	Attempt
	finish int // the step at which it is submitted (or closed); > steps: never
	done   bool
}

// randomRound draws people with 1–3 attempts each, in random order of ids.
func randomRound(rng *rand.Rand, b *bank.Bank, steps int) []*simAttempt {
	per := 1 + rng.IntN(len(b.Questions))
	var out []*simAttempt
	ids := rng.Perm(200)
	next := 0
	for p := range rng.IntN(25) {
		for range 1 + rng.IntN(3) {
			paper, err := exam.Draw(b, []exam.Quota{{Topic: "t", Questions: per}}, rng)
			if err != nil {
				panic(err)
			}
			answers := exam.Answers{}
			for i, it := range paper.Items {
				switch rng.IntN(5) {
				case 0: // unanswered
				default:
					answers[i] = string(rune('A' + rng.IntN(len(it.Order))))
				}
			}
			a := &simAttempt{Attempt: Attempt{ID: int64(ids[next] + 1), PersonID: int64(p*3 + 1), Total: per, Paper: paper, Answers: answers,
				TimeUsed: time.Duration(1+rng.IntN(3)) * time.Second, SubmittedAt: opens.Add(time.Duration(rng.IntN(4)) * time.Second)},
				finish: rng.IntN(steps + 2)}
			if rng.IntN(4) > 0 {
				pred := int64(rng.IntN(5))
				a.Prediction = &pred
			}
			next++
			out = append(out, a)
		}
	}
	// The store sends attempts in person order.
	slices.SortStableFunc(out, func(x, y *simAttempt) int { return int(x.PersonID - y.PersonID) })
	return out
}

func randomCorrection(rng *rand.Rand, b *bank.Bank, history []Correction) Correction {
	var q *bank.Question
	if len(history) > 0 && rng.IntN(3) == 0 { // correct a corrected question again
		id := history[rng.IntN(len(history))].QuestionID
		for i := range b.Questions {
			if b.Questions[i].ID == id {
				q = &b.Questions[i]
			}
		}
	} else {
		q = &b.Questions[rng.IntN(len(b.Questions))]
	}
	k := exam.Key{Option: rng.IntN(len(q.Options))}
	if rng.IntN(4) == 0 {
		k = exam.AnyKey
	}
	return Correction{ID: int64(len(history) + 1), QuestionID: q.ID, New: k}
}

// latest is the corrections in force read the plain way: walk the history backwards and
// keep the first correction of each question met.
func latest(history []Correction) exam.Corrections {
	c := exam.Corrections{}
	for i := len(history) - 1; i >= 0; i-- {
		if _, ok := c[history[i].QuestionID]; !ok {
			c[history[i].QuestionID] = history[i].New
		}
	}
	return c
}

func fromScratch(t *testing.T, b *bank.Bank, a *simAttempt, c exam.Corrections) int {
	t.Helper()
	r, err := exam.ScoreWith(a.Paper, b, a.Answers, c)
	if err != nil {
		t.Fatal(err)
	}
	return r.Correct
}

// holds names a paper's questions that corrections name: the store sends the paper only then.
func holds(p exam.Paper, c exam.Corrections) bool {
	for _, it := range p.Items {
		if _, ok := c[it.QuestionID]; ok {
			return true
		}
	}
	return false
}

func freshRanking(t *testing.T, rules ranking.Rules, people ranking.People, attempts []*simAttempt, scores map[int64]int, rng *rand.Rand) ranking.Result {
	t.Helper()
	b, err := ranking.NewBuilder(rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range rng.Perm(len(attempts)) { // arrival order decides nothing
		a := attempts[i]
		if !a.done {
			continue
		}
		pred := int64(NoPrediction)
		if a.Prediction != nil {
			pred = *a.Prediction
		}
		if err := b.Add(ranking.Attempt{PersonID: a.PersonID, AttemptID: a.ID, Correct: scores[a.ID], Total: a.Total,
			Prediction: pred, TimeUsed: a.TimeUsed, SubmittedAt: a.SubmittedAt}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := b.Rank(people)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Corrections are applied one after another to a round where people keep submitting, as
// in the store: each applied correction rescores only the papers that hold a corrected
// question, from the scores left by the one before. After every step, every score equals
// scoring from scratch with the corrections in force; what the rescorer says changed is
// exactly what changed; and the rankings it builds equal fresh rankings of the scores
// before and after.
func TestRescoringEqualsScoringFromScratch(t *testing.T) {
	iterations := 3000
	if testing.Short() {
		iterations = 300
	}
	rng := rand.New(rand.NewPCG(2937, 13))
	var changed, peopleChanged, prizeChanged, anyKeys, repeated, lateSubmits, actualMoved int
	for range iterations {
		b := randomBank(rng)
		steps := 1 + rng.IntN(4)
		round := randomRound(rng, b, steps)
		rules := ranking.Rules{Prizes: []ranking.Prize{{Name: "Nhất", Count: 1}, {Name: "Nhì", Count: 1 + rng.IntN(2)}, {Name: "KK", Count: 1 + rng.IntN(3)}}}
		people := func(id int64) (ranking.Person, bool) { return ranking.Person{ID: id, Ineligible: id%7 == 0}, true }
		stored := map[int64]int{}
		var history []Correction
		for step := 0; ; step++ {
			inForce := latest(history)
			for _, a := range round {
				if a.finish == step {
					a.done, stored[a.ID] = true, fromScratch(t, b, a, inForce) // submitted with the key in force
					lateSubmits += b2i(len(history) > 0 && holds(a.Paper, inForce))
				}
			}
			if step == steps {
				break
			}
			c := randomCorrection(rng, b, history)
			if _, ok := inForce[c.QuestionID]; ok {
				repeated++
			}
			anyKeys += b2i(c.New.Any)
			history = append(history, c)
			inForce = latest(history)

			r := NewRescorer(b, InForce(history))
			ranker, err := NewRanker(rules, 1000)
			if err != nil {
				t.Fatal(err)
			}
			before := map[int64]int{}
			for _, a := range round {
				if !a.done {
					continue
				}
				before[a.ID] = stored[a.ID]
				in := a.Attempt
				in.Correct = stored[a.ID]
				if !holds(a.Paper, inForce) {
					in.Paper, in.Answers = exam.Paper{}, nil
				}
				n, err := r.Add(in)
				if err != nil {
					t.Fatal(err)
				}
				if err := ranker.Add(in, n); err != nil {
					t.Fatal(err)
				}
			}
			sum := r.Summary()
			for _, ch := range sum.Changes {
				if ch.Old != stored[ch.AttemptID] || ch.Old == ch.New {
					t.Fatalf("change %+v, stored %d", ch, stored[ch.AttemptID])
				}
				stored[ch.AttemptID] = ch.New
			}
			changed += b2i(len(sum.Changes) > 0)
			bestBefore, bestAfter := map[int64]int{}, map[int64]int{}
			for _, a := range round {
				if !a.done {
					continue
				}
				if want := fromScratch(t, b, a, inForce); stored[a.ID] != want {
					t.Fatalf("step %d: attempt %d scores %d after rescoring, %d from scratch (corrections %v)", step, a.ID, stored[a.ID], want, history)
				}
				bestBefore[a.PersonID] = max(bestBefore[a.PersonID], before[a.ID]+1)
				bestAfter[a.PersonID] = max(bestAfter[a.PersonID], stored[a.ID]+1)
			}
			moved := 0
			for p, s := range bestBefore {
				moved += b2i(bestAfter[p] != s)
			}
			if sum.PeopleChanged != moved || sum.People != len(bestBefore) {
				t.Fatalf("people changed %d of %d, want %d of %d", sum.PeopleChanged, sum.People, moved, len(bestBefore))
			}
			peopleChanged += b2i(moved > 0)

			gotBefore, gotAfter, err := ranker.Results(people)
			if err != nil {
				t.Fatal(err)
			}
			wantBefore, wantAfter := freshRanking(t, rules, people, round, before, rng), freshRanking(t, rules, people, round, stored, rng)
			if !reflect.DeepEqual(gotBefore, wantBefore) || !reflect.DeepEqual(gotAfter, wantAfter) {
				t.Fatalf("rankings differ from fresh rankings\n got  %+v\n want %+v\n got  %+v\n want %+v", gotBefore, wantBefore, gotAfter, wantAfter)
			}
			checkDiff(t, Diff(gotBefore, gotAfter), wantBefore, wantAfter)
			prizeChanged += b2i(len(Diff(gotBefore, gotAfter).Changes) > 0)
			actualMoved += b2i(gotBefore.Actual != gotAfter.Actual)
		}
	}
	t.Logf("%d rounds: %d steps changed scores, %d changed best results, %d changed prizes, %d moved the actual count; %d any-answer keys, %d repeated questions, %d submits under a correction",
		iterations, changed, peopleChanged, prizeChanged, actualMoved, anyKeys, repeated, lateSubmits)
	for name, n := range map[string]int{"changed scores": changed, "changed best results": peopleChanged, "changed prizes": prizeChanged,
		"moved the actual count": actualMoved, "any-answer keys": anyKeys, "repeated questions": repeated, "submits under a correction": lateSubmits} {
		if n == 0 {
			t.Errorf("the generator produced no step with %s", name)
		}
	}
}

// checkDiff compares a prize diff with the holders of both rankings, read the plain way.
func checkDiff(t *testing.T, d PrizeDiff, before, after ranking.Result) {
	t.Helper()
	type hold struct {
		prize   string
		pending bool
	}
	read := func(r ranking.Result) map[int64]hold {
		m := map[int64]hold{}
		for _, e := range r.Entries {
			if e.Prize != "" || e.TieAtBoundary {
				m[e.PersonID] = hold{e.Prize, e.Prize == "" && e.TieAtBoundary}
			}
		}
		return m
	}
	was, now := read(before), read(after)
	want := map[int64]bool{}
	for id, h := range was {
		if now[id] != h {
			want[id] = true
		}
	}
	for id, h := range now {
		if was[id] != h {
			want[id] = true
		}
	}
	got := map[int64]bool{}
	for _, c := range d.Changes {
		if got[c.PersonID] {
			t.Fatalf("person %d listed twice in %+v", c.PersonID, d.Changes)
		}
		got[c.PersonID] = true
		if (hold{c.Before.Prize, c.Before.Pending}) != was[c.PersonID] || (hold{c.After.Prize, c.After.Pending}) != now[c.PersonID] {
			t.Fatalf("change %+v, holders before %v after %v", c, was[c.PersonID], now[c.PersonID])
		}
		if c.Before.Rank == 0 || c.After.Rank == 0 {
			t.Fatalf("change %+v without a rank", c)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("diff lists %v, want %v", got, want)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

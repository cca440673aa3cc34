package store_test

import (
	"context"
	"errors"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// plainItem is one question's figures computed in the test, from the attempts as generated.
type plainItem struct {
	chosen      []int64
	blank       int64
	xs, ys      []float64
	correct     int64
	r           float64
	correlation bool
}

// plainFigures works out each question's figures from whole attempts: exam.Score says
// which letter counts and which is the key, the paper's order which bank option a letter is.
func plainFigures(t *testing.T, b *bank.Bank, attempts []seededAttempt) map[string]*plainItem {
	t.Helper()
	return plainFiguresWith(t, b, nil, attempts)
}

// plainFiguresWith is plainFigures under the round's key corrections c (exam.ScoreWith).
func plainFiguresWith(t *testing.T, b *bank.Bank, c exam.Corrections, attempts []seededAttempt) map[string]*plainItem {
	t.Helper()
	out := map[string]*plainItem{}
	for _, a := range attempts {
		if len(a.Answers) == 0 {
			continue
		}
		res, err := exam.ScoreWith(a.Paper, b, a.Answers, c)
		if err != nil {
			t.Fatal(err)
		}
		if res.Correct != a.Correct {
			t.Fatalf("stored score %d, exam.ScoreWith %d", a.Correct, res.Correct)
		}
		for k, it := range a.Paper.Items {
			q, err := a.Paper.Question(b, k)
			if err != nil {
				t.Fatal(err)
			}
			p := out[q.ID]
			if p == nil {
				p = &plainItem{chosen: make([]int64, len(q.Options))}
				out[q.ID] = p
			}
			x := 0.0
			if r := res.PerItem[k]; r.Chosen == "" {
				p.blank++
			} else {
				p.chosen[it.Order[r.Chosen[0]-'A']-'0']++
				if r.IsCorrect {
					x = 1
					p.correct++
				}
			}
			p.xs, p.ys = append(p.xs, x), append(p.ys, float64(a.Correct)-x)
		}
	}
	for _, p := range out {
		n := float64(len(p.xs))
		var mx, my, sxy, sxx, syy float64
		for i := range p.xs {
			mx, my = mx+p.xs[i]/n, my+p.ys[i]/n
		}
		for i := range p.xs {
			sxy += (p.xs[i] - mx) * (p.ys[i] - my)
			sxx += (p.xs[i] - mx) * (p.xs[i] - mx)
			syy += (p.ys[i] - my) * (p.ys[i] - my)
		}
		if sxx > 1e-9 && syy > 1e-9 {
			p.r, p.correlation = sxy/math.Sqrt(sxx*syy), true
		}
	}
	return out
}

// The database's sums give the figures computed from the attempts one by one: finished
// attempts of the round (submitted and closed at the deadline) with an answer, not those
// in progress, of another round, without any answer; a letter an item does not have counts
// as blank.
func TestItemTallyAgreesWithTheAttempts(t *testing.T) {
	pool := pgtest.Migrated(t)
	ctx := context.Background()
	b := itemBank(8)
	var seen []seededAttempt
	// A third of the attempts finished before responses were stored: both ways of reading
	// them count.
	seedItemAttempts(t, pool, itemSeed{Round: "contest/dot-1", People: 400, PerHead: 3, Bank: b, Seed: 11,
		WrongKey: map[int]bool{2: true, 17: true}, Legacy: func(i int) bool { return i%3 == 0 },
		Observe: func(a seededAttempt) { seen = append(seen, a) }})
	// Not counted: another round's attempts, and attempts in progress.
	seedItemAttempts(t, pool, itemSeed{Round: "contest/dot-2", People: 50, PerHead: 1, Bank: b, Seed: 12})
	if _, err := pool.Exec(ctx, `UPDATE attempt SET status = 'in_progress', submitted_at = NULL, correct = NULL
		WHERE id IN (SELECT id FROM attempt WHERE round = 'contest/dot-1' AND attempt_no = 3 ORDER BY id LIMIT 40)
		RETURNING id`); err != nil {
		t.Fatal(err)
	}
	var counted []seededAttempt
	rows, err := pool.Query(ctx, `SELECT id, status, paper, answers, correct, responses IS NULL FROM attempt
		WHERE round = 'contest/dot-1' AND status <> 'in_progress' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a seededAttempt
		var correct int16
		if err := rows.Scan(&a.ID, &a.Status, &a.Paper, &a.Answers, &correct, &a.Legacy); err != nil {
			t.Fatal(err)
		}
		a.Correct = int(correct)
		counted = append(counted, a)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	// Letters the items do not have (only a tampered row could hold them) count as blank.
	for i := range counted {
		if a := &counted[i]; a.Status == "submitted" && a.Legacy {
			a.Answers[0], a.Answers[1] = "Z", "AB"
			res, err := exam.Score(a.Paper, b, a.Answers)
			if err != nil {
				t.Fatal(err)
			}
			a.Correct = res.Correct
			if _, err := pool.Exec(ctx, `UPDATE attempt SET answers = answers || '{"0": "Z", "1": "AB"}', correct = $2 WHERE id = $1`,
				a.ID, a.Correct); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	// An attempt closed at its deadline without any answer says nothing about any question,
	// with its responses stored (all blank) or not.
	var legacy, stored *seededAttempt
	for i := range counted {
		if counted[i].Legacy {
			legacy = &counted[i]
		} else {
			stored = &counted[i]
		}
	}
	for _, a := range []*seededAttempt{legacy, stored} {
		a.Status, a.Answers, a.Correct = "expired", exam.Answers{}, 0
		var responses []byte
		if !a.Legacy {
			res, err := exam.Score(a.Paper, b, nil)
			if err != nil {
				t.Fatal(err)
			}
			responses = itemstats.Responses(res)
		}
		if _, err := pool.Exec(ctx, `UPDATE attempt SET status = 'expired', submitted_at = deadline, answers = '{}', correct = 0,
			responses = $2 WHERE id = $1`, a.ID, responses); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 1200 || len(counted) != 1160 {
		t.Fatalf("seeded %d attempts, %d finished", len(seen), len(counted))
	}
	empty := 0
	for _, a := range counted {
		if len(a.Answers) == 0 {
			empty++
		}
	}

	want := plainFigures(t, b, counted)
	name, version, err := store.RoundBank(ctx, pool, "contest/dot-1")
	if err != nil || name != b.Name || version != b.Version {
		t.Fatalf("round bank %s %d, %v", name, version, err)
	}
	tally, err := store.ItemTally(ctx, pool, "contest/dot-1", b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tally.Analyze()
	if err != nil {
		t.Fatal(err)
	}
	if got.Attempts != int64(len(counted)-empty) || len(got.Items) != len(want) {
		t.Fatalf("%d attempts and %d items, want %d (%d without answers left out) and %d", got.Attempts, len(got.Items),
			len(counted)-empty, empty, len(want))
	}
	dubious := map[string]bool{}
	for _, it := range got.Items {
		w := want[it.Question.ID]
		if it.Drawn != int64(len(w.xs)) || it.Correct != w.correct || it.Blank != w.blank || !slices.Equal(it.Chosen, w.chosen) ||
			it.HasDiscrimination != w.correlation || math.Abs(it.Discrimination-w.r) > 1e-9 {
			t.Errorf("%s: drawn %d correct %d blank %d chosen %v r %.6f (%v); want %d %d %d %v %.6f (%v)", it.Question.ID,
				it.Drawn, it.Correct, it.Blank, it.Chosen, it.Discrimination, it.HasDiscrimination,
				len(w.xs), w.correct, w.blank, w.chosen, w.r, w.correlation)
		}
		dubious[it.Question.ID] = it.Dubious()
	}
	// The two questions keyed wrong are the ones flagged.
	for _, q := range []int{2, 17} {
		if !dubious[b.Questions[q].ID] {
			t.Errorf("question %s, keyed wrong, is not flagged", b.Questions[q].ID)
		}
	}
	if got.Dubious() != 2 {
		t.Errorf("%d dubious questions, want the 2 keyed wrong", got.Dubious())
	}

	if _, _, err := store.RoundBank(ctx, pool, "contest/dot-9"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a round without attempts: %v", err)
	}
	if tl, err := store.ItemTally(ctx, pool, "contest/dot-9", b); err != nil {
		t.Error(err)
	} else if a, _ := tl.Analyze(); a.Attempts != 0 || len(a.Items) != 0 {
		t.Errorf("a round without attempts: %+v", a)
	}
}

// finishedAttempts reads a round's finished attempts back as stored.
func finishedAttempts(t *testing.T, pool *pgxpool.Pool, round string) []seededAttempt {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT id, status, paper, answers, correct, responses IS NULL FROM attempt
		WHERE round = $1 AND status <> 'in_progress' ORDER BY id`, round)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []seededAttempt
	for rows.Next() {
		var a seededAttempt
		var correct int16
		if err := rows.Scan(&a.ID, &a.Status, &a.Paper, &a.Answers, &correct, &a.Legacy); err != nil {
			t.Fatal(err)
		}
		a.Correct = int(correct)
		out = append(out, a)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	return out
}

// A question keyed wrong in the bank is flagged; once the round's key is corrected (the
// attempts scored again, as the console applies it), the analysis follows the corrected key
// and the corrected scores, from stored responses and from JSON alike, with no rewrite of
// the responses; a correction to "any answer" counts every answer right and judges nothing.
func TestItemTallyFollowsKeyCorrections(t *testing.T) {
	pool := pgtest.Migrated(t)
	ctx := context.Background()
	const round = "contest/dot-1"
	b := itemBank(8)
	wrong := b.Questions[2]
	seedItemAttempts(t, pool, itemSeed{Round: round, People: 400, PerHead: 1, Bank: b, Seed: 21,
		WrongKey: map[int]bool{2: true}, Legacy: func(i int) bool { return i%4 == 0 }})
	var responsesBefore string
	if err := pool.QueryRow(ctx, `SELECT md5(string_agg(coalesce(responses, '\x'), '' ORDER BY id)) FROM attempt WHERE round = $1`,
		round).Scan(&responsesBefore); err != nil {
		t.Fatal(err)
	}
	analyze := func(c exam.Corrections) (*itemstats.Analysis, map[string]*itemstats.Item) {
		t.Helper()
		tally, err := store.ItemTally(ctx, pool, round, b)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(tally.Corrections(), c) {
			t.Fatalf("corrections in force %v, want %v", tally.Corrections(), c)
		}
		a, err := tally.Analyze()
		if err != nil {
			t.Fatal(err)
		}
		want := plainFiguresWith(t, b, c, finishedAttempts(t, pool, round))
		byID := map[string]*itemstats.Item{}
		for i := range a.Items {
			it := &a.Items[i]
			byID[it.Question.ID] = it
			w := want[it.Question.ID]
			if it.Drawn != int64(len(w.xs)) || it.Correct != w.correct || it.Blank != w.blank || !slices.Equal(it.Chosen, w.chosen) ||
				it.HasDiscrimination != w.correlation || math.Abs(it.Discrimination-w.r) > 1e-9 {
				t.Errorf("%s with %v: drawn %d correct %d r %.6f; want %d %d %.6f", it.Question.ID, c,
					it.Drawn, it.Correct, it.Discrimination, len(w.xs), w.correct, w.r)
			}
		}
		return a, byID
	}
	svc := attempt.New(store.NewAttempts(pool), func(context.Context, string, int) (*bank.Bank, error) { return b, nil })
	correct := func(key exam.Key) {
		t.Helper()
		err := store.InTx(ctx, pool, func(tx store.Querier) error {
			rs := store.NewRoundScores(tx)
			history, err := rs.Corrections(ctx, round)
			if err != nil {
				return err
			}
			var seen int64
			if len(history) > 0 {
				seen = history[len(history)-1].ID
			}
			_, err = svc.ApplyCorrection(ctx, rs, attempt.KeyCorrection{Round: round, BankName: b.Name, BankVersion: b.Version,
				QuestionID: wrong.ID, Key: key, Reason: "Đáp án trong ngân hàng bị nhập nhầm", By: "dieu.hanh", Seen: seen})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	a, items := analyze(exam.Corrections{})
	before := items[wrong.ID]
	if before == nil || before.TooFew || !before.Dubious() || before.Corrected || before.Key != wrong.CorrectIndex() {
		t.Fatalf("keyed wrong: %+v, want judged, dubious, the bank's key", before)
	}
	dubiousBefore := a.Dubious()

	truth := exam.Key{Option: (wrong.CorrectIndex() + 1) % len(wrong.Options)}
	correct(truth)
	a, items = analyze(exam.Corrections{wrong.ID: truth})
	after := items[wrong.ID]
	if !after.Corrected || after.Key != truth.Option || after.BankKey != wrong.CorrectIndex() || after.Dubious() ||
		after.Correct != after.Chosen[truth.Option] || after.Facility <= before.Facility || after.Discrimination <= 0 {
		t.Errorf("corrected to %s: %+v, want the corrected key, not dubious, facility above %.3f and a positive discrimination",
			truth, after, before.Facility)
	}
	if a.Dubious() != dubiousBefore-1 {
		t.Errorf("%d dubious after the correction, want %d", a.Dubious(), dubiousBefore-1)
	}

	correct(exam.AnyKey)
	_, items = analyze(exam.Corrections{wrong.ID: exam.AnyKey})
	if it := items[wrong.ID]; !it.Corrected || !it.AnyAccepted || it.Dubious() || it.Correct != it.Drawn-it.Blank {
		t.Errorf("corrected to any: %+v, want every answer right, not dubious", it)
	}

	var responsesAfter string
	if err := pool.QueryRow(ctx, `SELECT md5(string_agg(coalesce(responses, '\x'), '' ORDER BY id)) FROM attempt WHERE round = $1`,
		round).Scan(&responsesAfter); err != nil {
		t.Fatal(err)
	}
	if responsesAfter != responsesBefore {
		t.Error("a key correction rewrote the stored responses")
	}
}

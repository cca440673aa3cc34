package attempt_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/regrade"
	"github.com/dxcontest/contest-platform/internal/store"
)

// person registers one more contestant of the fixture's contest.
func (f *fixture) person(t *testing.T, n int) int64 {
	t.Helper()
	id, err := store.CreateContestant(context.Background(), f.pool, store.Contestant{
		ContestID: "cds", NationalID: fmt.Sprintf("0600900%05d", n), Phone: fmt.Sprintf("09123%05d", n), FullName: "Trần Thị Bình",
		BirthDate: time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), Gender: "female", ParticipantGroup: "official",
		Organization: "UBND", LocalityCode: "593", PasswordHash: "x",
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// shown is the letter item i of the paper shows bank option k as.
func shown(p exam.Paper, i, k int) string {
	return string(rune('A' + strings.IndexByte(p.Items[i].Order, byte('0'+k))))
}

// apply applies a correction as the console does: in a transaction, with rs bound to it.
func (f *fixture) apply(t *testing.T, req attempt.KeyCorrection) (attempt.Corrected, error) {
	t.Helper()
	var out attempt.Corrected
	err := store.InTx(context.Background(), f.pool, func(tx store.Querier) error {
		var err error
		out, err = f.svc.ApplyCorrection(context.Background(), store.NewRoundScores(tx), req)
		return err
	})
	return out, err
}

// checkFromScratch says every finished attempt of the round scores what scoring it from
// scratch with the corrections in force gives.
func (f *fixture) checkFromScratch(t *testing.T, round string) {
	t.Helper()
	ctx := context.Background()
	history, err := f.svc.Corrections(ctx, round)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.pool.Query(ctx, `SELECT id, contestant_id FROM attempt WHERE round = $1 AND status <> 'in_progress'`, round)
	if err != nil {
		t.Fatal(err)
	}
	var ids [][2]int64
	for rows.Next() {
		var id, c int64
		if err := rows.Scan(&id, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, [2]int64{id, c})
	}
	rows.Close()
	if len(ids) == 0 {
		t.Fatal("no finished attempt to check")
	}
	for _, id := range ids {
		a, err := f.svc.Get(ctx, id[0], id[1])
		if err != nil {
			t.Fatal(err)
		}
		want, err := exam.ScoreWith(a.Paper, f.bank, a.Answers, regrade.InForce(history))
		if err != nil {
			t.Fatal(err)
		}
		if *a.Correct != want.Correct {
			t.Errorf("attempt %d (%s) scores %d, %d from scratch with %d corrections", a.ID, a.Status, *a.Correct, want.Correct, len(history))
		}
	}
}

func (f *fixture) correction(qid string, key exam.Key, seen int64) attempt.KeyCorrection {
	return attempt.KeyCorrection{Round: "default/dot-1", BankName: "mau", BankVersion: 1, QuestionID: qid, Key: key,
		Reason: "Đáp án trong ngân hàng câu hỏi bị nhập nhầm", By: "dieu.hanh", Seen: seen}
}

// A correction rescores the submitted attempts (and records each change), the attempts
// still in progress are scored with it when submitted or closed later, and a second
// correction of the same question replaces the first's effect.
func TestKeyCorrectionRescoresTheRound(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	rules := f.rules(opens, closes, 30*time.Minute)
	ann, binh, chi := f.contestant, f.person(t, 2), f.person(t, 3)

	a1, err := f.svc.Start(ctx, rules, ann)
	if err != nil {
		t.Fatal(err)
	}
	q := a1.Paper.Items[0].QuestionID
	key := f.bank.Questions[a1.Paper.Items[0].At].CorrectIndex()
	other := (key + 1) % len(f.bank.Questions[a1.Paper.Items[0].At].Options)
	// An chose the bank's key for the question; the committee says the other option is right.
	if _, _, err := f.svc.Submit(ctx, a1.ID, ann, exam.Answers{0: shown(a1.Paper, 0, key)}, 5); err != nil {
		t.Fatal(err)
	}
	// Bình's attempt is still in progress, with the other option saved; Chi's is abandoned.
	a2, err := f.svc.Start(ctx, rules, binh)
	if err != nil {
		t.Fatal(err)
	}
	i2 := itemOf(a2.Paper, q)
	answers2 := exam.Answers{}
	if i2 >= 0 {
		answers2[i2] = shown(a2.Paper, i2, other)
	}
	if _, err := f.svc.Save(ctx, a2.ID, binh, answers2, nil); err != nil {
		t.Fatal(err)
	}
	short := rules
	short.TimeLimit = 300 * time.Millisecond
	a3, err := f.svc.Start(ctx, short, chi)
	if err != nil {
		t.Fatal(err)
	}
	if i := itemOf(a3.Paper, q); i >= 0 {
		if _, err := f.svc.Save(ctx, a3.ID, chi, exam.Answers{i: shown(a3.Paper, i, other)}, nil); err != nil {
			t.Fatal(err)
		}
	}

	out, err := f.apply(t, f.correction(q, exam.Key{Option: other}, 0))
	if err != nil {
		t.Fatal(err)
	}
	if out.Correction.ID == 0 || out.Correction.Old != (exam.Key{Option: key}) || len(out.Summary.Changes) != 1 || out.Summary.PeopleChanged != 1 {
		t.Fatalf("applied: %+v", out)
	}
	if ch := out.Summary.Changes[0]; ch.AttemptID != a1.ID || ch.Old != 1 || ch.New != 0 {
		t.Errorf("change %+v", ch)
	}
	adj, err := f.svc.Adjustments(ctx, a1.ID)
	if err != nil || len(adj) != 1 || adj[0].QuestionID != q || adj[0].Old != 1 || adj[0].New != 0 {
		t.Errorf("adjustments of An's attempt: %+v %v", adj, err)
	}
	// Submitted and closed after the correction: scored with it.
	got2, _, err := f.svc.Submit(ctx, a2.ID, binh, nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	if i2 >= 0 && *got2.Correct != 1 {
		t.Errorf("Bình chose the corrected key and scores %d", *got2.Correct)
	}
	time.Sleep(400 * time.Millisecond)
	if n, err := f.svc.ExpireOverdue(ctx, 100); err != nil || n != 1 {
		t.Fatalf("closing Chi's attempt: %d %v", n, err)
	}
	f.checkFromScratch(t, "default/dot-1")

	// A correction of the same question replaces the first: any answer is right now. It
	// is computed from the answers, not from the scores the first one left.
	if _, err := f.apply(t, f.correction(q, exam.AnyKey, 0)); !isRefused(err, attempt.CodeCorrectionStale) {
		t.Fatalf("a correction made on an outdated view: %v", err)
	}
	out2, err := f.apply(t, f.correction(q, exam.AnyKey, out.Correction.ID))
	if err != nil {
		t.Fatal(err)
	}
	if out2.Correction.Old != (exam.Key{Option: other}) {
		t.Errorf("the second correction replaces %v", out2.Correction.Old)
	}
	f.checkFromScratch(t, "default/dot-1")
	history, _ := f.svc.Corrections(ctx, "default/dot-1")
	if len(history) != 2 || history[1].New != exam.AnyKey || history[1].Reason == "" || history[1].By != "dieu.hanh" || history[1].At.IsZero() {
		t.Errorf("history %+v", history)
	}
	// Back to the bank's key: a correction like any other, and the scores follow.
	if _, err := f.apply(t, f.correction(q, exam.Key{Option: key}, out2.Correction.ID)); err != nil {
		t.Fatal(err)
	}
	f.checkFromScratch(t, "default/dot-1")
	if a, _ := f.svc.Get(ctx, a1.ID, ann); *a.Correct != 1 {
		t.Errorf("An's attempt after the key is restored: %d", *a.Correct)
	}
	// The records cannot be edited.
	if _, err := f.pool.Exec(ctx, `UPDATE key_correction SET reason = 'x'`); err == nil || !strings.Contains(err.Error(), "never changed") {
		t.Errorf("editing a correction: %v", err)
	}
	if _, err := f.pool.Exec(ctx, `DELETE FROM score_change`); err == nil {
		t.Error("deleting score changes worked")
	}
}

func itemOf(p exam.Paper, qid string) int {
	for i, it := range p.Items {
		if it.QuestionID == qid {
			return i
		}
	}
	return -1
}

func isRefused(err error, code string) bool {
	var ce *attempt.CorrectionError
	return errors.As(err, &ce) && ce.Code == code
}

func TestKeyCorrectionRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q := f.bank.Questions[0]
	for name, tt := range map[string]struct {
		req  attempt.KeyCorrection
		code string
	}{
		"unknown question": {f.correction("khong-co", exam.AnyKey, 0), attempt.CodeCorrectionUnknownQuestion},
		"no such option":   {f.correction(q.ID, exam.Key{Option: len(q.Options)}, 0), attempt.CodeCorrectionBadKey},
		"the key in force": {f.correction(q.ID, exam.Key{Option: q.CorrectIndex()}, 0), attempt.CodeCorrectionUnchanged},
		"no reason":        {func() attempt.KeyCorrection { r := f.correction(q.ID, exam.AnyKey, 0); r.Reason = "  "; return r }(), attempt.CodeCorrectionNoReason},
	} {
		if _, err := f.apply(t, tt.req); !isRefused(err, tt.code) {
			t.Errorf("%s: %v, want %s", name, err, tt.code)
		}
		if _, err := f.svc.PreviewCorrection(ctx, store.NewRoundScores(f.pool), tt.req, nil); !isRefused(err, tt.code) && tt.code != attempt.CodeCorrectionStale {
			t.Errorf("%s (preview): %v, want %s", name, err, tt.code)
		}
	}
	// Holding a round outside a transaction would hold nothing.
	if _, err := f.svc.ApplyCorrection(ctx, store.NewRoundScores(f.pool), f.correction(q.ID, exam.AnyKey, 0)); err == nil || !strings.Contains(err.Error(), "not in a transaction") {
		t.Errorf("apply on the pool: %v", err)
	}
	var n int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM key_correction`).Scan(&n); err != nil || n != 0 {
		t.Errorf("refused corrections left %d rows (%v)", n, err)
	}
}

// waitForLockWait waits until some session waits for an advisory lock (and says so when
// none does within a few seconds, then lets the test go on to show what that leads to).
func (f *fixture) waitForLockWait(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		var waiting bool
		if err := f.pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted)`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			return
		}
		if time.Now().After(deadline) {
			t.Error("nobody waits for the round's lock")
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A submit in flight when a correction starts commits first, with the key it read, and the
// correction then rescores it; a submit that starts while a correction is being applied
// waits for it and is scored with it. Either way the attempt ends with the corrected score.
func TestKeyCorrectionWithASubmitInFlight(t *testing.T) {
	for _, first := range []string{"submit", "correction"} {
		t.Run(first+" first", func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			opens, closes := openWindow()
			a, err := f.svc.Start(ctx, f.rules(opens, closes, 30*time.Minute), f.contestant)
			if err != nil {
				t.Fatal(err)
			}
			q := a.Paper.Items[0].QuestionID
			key := f.bank.Questions[a.Paper.Items[0].At].CorrectIndex()
			answers := exam.Answers{0: shown(a.Paper, 0, key)} // right by the bank, wrong once corrected
			correction := f.correction(q, exam.Key{Option: (key + 1) % len(f.bank.Questions[a.Paper.Items[0].At].Options)}, 0)

			applied := make(chan error, 1)
			switch first {
			case "submit":
				// The submit holds its attempt (and the round's lock shared) and has read the
				// key in force; the correction waits for it.
				l, err := store.NewAttempts(f.pool).Lock(ctx, a.ID, f.contestant)
				if err != nil {
					t.Fatal(err)
				}
				defer l.Release()
				if len(l.Corrections()) != 0 {
					t.Fatal("corrections in force before any")
				}
				go func() { _, err := f.apply(t, correction); applied <- err }()
				f.waitForLockWait(t)
				if _, err := l.Submit(ctx, answers, 5, attempt.Score{Correct: 1}); err != nil {
					t.Fatal(err)
				}
				l.Release()
				if err := <-applied; err != nil {
					t.Fatal(err)
				}
			case "correction":
				// The correction holds the round; the submit waits and then reads it.
				tx, err := f.pool.Begin(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback(ctx)
				if _, err := f.svc.ApplyCorrection(ctx, store.NewRoundScores(tx), correction); err != nil {
					t.Fatal(err)
				}
				submitted := make(chan error, 1)
				go func() { _, _, err := f.svc.Submit(ctx, a.ID, f.contestant, answers, 5); submitted <- err }()
				f.waitForLockWait(t)
				if err := tx.Commit(ctx); err != nil {
					t.Fatal(err)
				}
				if err := <-submitted; err != nil {
					t.Fatal(err)
				}
			}
			got, err := f.svc.Get(ctx, a.ID, f.contestant)
			if err != nil {
				t.Fatal(err)
			}
			if *got.Correct != 0 {
				t.Errorf("the attempt scores %d, want 0 under the corrected key", *got.Correct)
			}
			f.checkFromScratch(t, "default/dot-1")
		})
	}
}

// Many people submit while corrections are applied one after another: at the end every
// score is what scoring from scratch with the corrections in force gives.
func TestKeyCorrectionsUnderConcurrentSubmits(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	rules := f.rules(opens, closes, 30*time.Minute)
	const people = 24
	type started struct {
		a       attempt.Attempt
		person  int64
		answers exam.Answers
	}
	var all []started
	for n := range people {
		id := f.contestant
		if n > 0 {
			id = f.person(t, 100+n)
		}
		a, err := f.svc.Start(ctx, rules, id)
		if err != nil {
			t.Fatal(err)
		}
		answers := exam.Answers{}
		for i, it := range a.Paper.Items {
			answers[i] = string(rune('A' + (n+i)%len(it.Order)))
		}
		all = append(all, started{a, id, answers})
	}
	var wg sync.WaitGroup
	errs := make(chan error, people+1)
	for _, s := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(s.person%7) * 5 * time.Millisecond)
			if _, _, err := f.svc.Submit(ctx, s.a.ID, s.person, s.answers, 5); err != nil {
				errs <- err
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		var seen int64
		for k := range 4 {
			it := all[k].a.Paper.Items[k]
			q := f.bank.Questions[it.At]
			key := exam.Key{Option: (q.CorrectIndex() + 1 + k) % len(q.Options)}
			if k == 3 {
				key = exam.AnyKey
			}
			if key == exam.KeyOf(&q) {
				continue
			}
			out, err := f.apply(t, f.correction(q.ID, key, seen))
			if err != nil {
				errs <- err
				return
			}
			seen = out.Correction.ID
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	f.checkFromScratch(t, "default/dot-1")
}

package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// fixture is a migrated database with the sample bank, one locality and one contestant.
type fixture struct {
	pool       *pgxpool.Pool
	bank       *bank.Bank
	contestant int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	b, err := bank.Sample()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'c', '{}')`,
		`INSERT INTO locality (contest_id, code, name) VALUES ('cds', '593', 'Thành phố Phan Thiết')`,
	} {
		if _, err := pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	id, err := store.CreateContestant(ctx, pool, store.Contestant{
		ContestID: "cds", NationalID: "060090001234", Phone: "0912345678", FullName: "Nguyễn Văn An",
		BirthDate: time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), Gender: "male", ParticipantGroup: "official",
		Organization: "UBND", LocalityCode: "593", PasswordHash: "x",
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{pool: pool, bank: b, contestant: id}
}

func (f *fixture) score(a *store.Attempt) (int, error) {
	r, err := exam.Score(a.Paper, f.bank, a.Answers)
	return r.Correct, err
}

func (f *fixture) request(t *testing.T, opens, closes time.Time, limit time.Duration) store.StartRequest {
	t.Helper()
	var quotas []exam.Quota
	for _, tp := range bank.PlanTopics() {
		quotas = append(quotas, exam.Quota{Topic: tp.Code, Questions: 3})
	}
	p, err := exam.Draw(f.bank, quotas, exam.NewRand())
	if err != nil {
		t.Fatal(err)
	}
	return store.StartRequest{Round: "default/dot-1", ContestantID: f.contestant, MaxAttempts: 3, TimeLimit: limit,
		OpensAt: opens, ClosesAt: closes, BankName: "mau", BankVersion: 1, Paper: p}
}

func openWindow() (time.Time, time.Time) {
	return time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
}

func reason(err error) string {
	var r *store.RefusedError
	if errors.As(err, &r) {
		return r.Reason
	}
	return ""
}

func TestStartAttemptWindow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		opens  time.Time
		closes time.Time
		want   string
	}{
		{"before opening", time.Now().Add(time.Hour), time.Now().Add(2 * time.Hour), store.RefusedNotOpen},
		{"after closing", time.Now().Add(-2 * time.Hour), time.Now().Add(-time.Hour), store.RefusedClosed},
		{"inside", time.Now().Add(-time.Hour), time.Now().Add(time.Hour), ""},
	}
	for _, tt := range tests {
		_, err := store.StartAttempt(ctx, f.pool, f.request(t, tt.opens, tt.closes, 30*time.Minute), f.score)
		if reason(err) != tt.want || (tt.want == "" && err != nil) {
			t.Errorf("%s: err %v, want reason %q", tt.name, err, tt.want)
		}
	}
}

func TestFiftyConcurrentStartsMakeOneAttempt(t *testing.T) {
	f := newFixture(t)
	opens, closes := openWindow()
	var wg sync.WaitGroup
	var mu sync.Mutex
	started, inProgress := 0, 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := store.StartAttempt(context.Background(), f.pool, f.request(t, opens, closes, 30*time.Minute), f.score)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				started++
			case reason(err) == store.RefusedInProgress:
				inProgress++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	var rows int
	if err := f.pool.QueryRow(context.Background(), `SELECT count(*) FROM attempt`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if started != 1 || inProgress != 49 || rows != 1 {
		t.Fatalf("started %d, refused as in progress %d, rows %d: want 1, 49, 1", started, inProgress, rows)
	}
}

// Fifty clients of one person racing start-and-submit loops end with exactly maxAttempts.
func TestAttemptCapUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	opens, closes := openWindow()
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				a, err := store.StartAttempt(ctx, f.pool, f.request(t, opens, closes, 30*time.Minute), f.score)
				if err == nil {
					if _, _, err := store.SubmitAttempt(ctx, f.pool, a.ID, f.contestant, exam.Answers{0: "A"}, 5, f.score); err != nil {
						t.Errorf("submit: %v", err)
					}
					continue
				}
				switch reason(err) {
				case store.RefusedInProgress:
					continue
				case store.RefusedNoneLeft:
					return
				default:
					t.Errorf("start: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	var rows, maxNo int
	if err := f.pool.QueryRow(ctx, `SELECT count(*), max(attempt_no) FROM attempt`).Scan(&rows, &maxNo); err != nil {
		t.Fatal(err)
	}
	if rows != 3 || maxNo != 3 {
		t.Fatalf("%d attempts (max number %d), want exactly 3", rows, maxNo)
	}
	_, err := store.StartAttempt(ctx, f.pool, f.request(t, opens, closes, 30*time.Minute), f.score)
	if reason(err) != store.RefusedNoneLeft {
		t.Fatalf("fourth start: %v", err)
	}
}

func TestSaveAnswersChecksThePaper(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	a, err := store.StartAttempt(ctx, f.pool, f.request(t, opens, closes, 30*time.Minute), f.score)
	if err != nil {
		t.Fatal(err)
	}
	pred := int64(42)
	if _, err := store.SaveAnswers(ctx, f.pool, a.ID, f.contestant, exam.Answers{0: "B", 14: "D"}, &pred); err != nil {
		t.Fatalf("valid answers refused: %v", err)
	}
	for _, bad := range []exam.Answers{{15: "A"}, {0: "E"}, {0: "a"}, {0: "AB"}, {-1: "A"}} {
		if _, err := store.SaveAnswers(ctx, f.pool, a.ID, f.contestant, bad, nil); reason(err) != store.RefusedInvalidInput {
			t.Errorf("answers %v: err %v, want invalid", bad, err)
		}
	}
	if _, err := store.SaveAnswers(ctx, f.pool, a.ID, f.contestant+1, exam.Answers{0: "A"}, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another person's attempt: %v", err)
	}
	got, err := store.GetAttempt(ctx, f.pool, a.ID, f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	if got.Answers[0] != "B" || got.Answers[14] != "D" || len(got.Answers) != 2 || got.Prediction == nil || *got.Prediction != 42 {
		t.Fatalf("saved answers %v prediction %v", got.Answers, got.Prediction)
	}
}

func TestSubmitIsIdempotentAndScored(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	a, err := store.StartAttempt(ctx, f.pool, f.request(t, opens, closes, 30*time.Minute), f.score)
	if err != nil {
		t.Fatal(err)
	}
	// Answer every question right, from the server's own key.
	right := exam.Answers{}
	res, err := exam.Score(a.Paper, f.bank, exam.Answers{})
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range res.PerItem {
		right[i] = it.CorrectOption
	}
	first, outcome, err := store.SubmitAttempt(ctx, f.pool, a.ID, f.contestant, right, 7, f.score)
	if err != nil || outcome != store.Submitted || *first.Correct != 15 || first.TimeUsed() <= 0 {
		t.Fatalf("submit: %v outcome %v correct %v used %v", err, outcome, first.Correct, first.TimeUsed())
	}
	again, outcome, err := store.SubmitAttempt(ctx, f.pool, a.ID, f.contestant, exam.Answers{0: "A"}, 99, f.score)
	if err != nil || outcome != store.AlreadyFinished || *again.Correct != 15 || *again.Prediction != 7 || !again.SubmittedAt.Equal(*first.SubmittedAt) {
		t.Fatalf("repeat: %v outcome %v %+v", err, outcome, again)
	}
}

func TestSubmitAfterDeadlineClosesWithSavedAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	a, err := store.StartAttempt(ctx, f.pool, f.request(t, opens, closes, 300*time.Millisecond), f.score)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := exam.Score(a.Paper, f.bank, exam.Answers{})
	if _, err := store.SaveAnswers(ctx, f.pool, a.ID, f.contestant, exam.Answers{0: res.PerItem[0].CorrectOption}, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	all := exam.Answers{}
	for i, it := range res.PerItem {
		all[i] = it.CorrectOption
	}
	got, _, err := store.SubmitAttempt(ctx, f.pool, a.ID, f.contestant, all, 3, f.score)
	if reason(err) != store.RefusedDeadline {
		t.Fatalf("late submit: %v", err)
	}
	if got.Status != store.StatusExpired || *got.Correct != 1 || !got.SubmittedAt.Equal(got.Deadline) {
		t.Fatalf("late submit stored %+v: want expired at the deadline with the 1 saved answer", got)
	}
	if _, err := store.SaveAnswers(ctx, f.pool, a.ID, f.contestant, exam.Answers{1: "A"}, nil); reason(err) != store.RefusedFinished {
		t.Fatalf("save after close: %v", err)
	}
}

func TestAbandonedAttemptsAreClosed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	if _, err := store.StartAttempt(ctx, f.pool, f.request(t, opens, closes, 200*time.Millisecond), f.score); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	// Starting again closes the abandoned attempt first.
	second, err := store.StartAttempt(ctx, f.pool, f.request(t, opens, closes, 200*time.Millisecond), f.score)
	if err != nil || second.No != 2 {
		t.Fatalf("start after abandoning: %v (no %d)", err, second.No)
	}
	time.Sleep(300 * time.Millisecond)
	// The sweeper closes the second.
	n, err := store.ExpireOverdue(ctx, f.pool, 100, f.score)
	if err != nil || n != 1 {
		t.Fatalf("ExpireOverdue = %d, %v; want 1", n, err)
	}
	list, err := store.ListAttempts(ctx, f.pool, f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.Status != store.StatusExpired || a.Correct == nil || *a.Correct != 0 {
			t.Errorf("attempt %d: %s correct %v", a.No, a.Status, a.Correct)
		}
	}
}

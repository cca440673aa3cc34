package attempt_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// fixture is a migrated database with the sample bank, one locality and one contestant,
// and the attempt service on it.
type fixture struct {
	pool       *pgxpool.Pool
	bank       *bank.Bank
	contestant int64
	svc        *attempt.Service
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
	svc := attempt.New(store.NewAttempts(pool), func(context.Context, string, int) (*bank.Bank, error) { return b, nil })
	return &fixture{pool: pool, bank: b, contestant: id, svc: svc}
}

func (f *fixture) rules(opens, closes time.Time, limit time.Duration) attempt.Rules {
	var quotas []exam.Quota
	for _, tp := range bank.PlanTopics() {
		quotas = append(quotas, exam.Quota{Topic: tp.Code, Questions: 3})
	}
	return attempt.Rules{Round: "default/dot-1", MaxAttempts: 3, TimeLimit: limit,
		OpensAt: opens, ClosesAt: closes, BankName: "mau", BankVersion: 1, Quotas: quotas}
}

func openWindow() (time.Time, time.Time) {
	return time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
}

func reason(err error) string {
	var r *attempt.RefusedError
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
		{"before opening", time.Now().Add(time.Hour), time.Now().Add(2 * time.Hour), attempt.RefusedNotOpen},
		{"after closing", time.Now().Add(-2 * time.Hour), time.Now().Add(-time.Hour), attempt.RefusedClosed},
		{"inside", time.Now().Add(-time.Hour), time.Now().Add(time.Hour), ""},
	}
	for _, tt := range tests {
		_, err := f.svc.Start(ctx, f.rules(tt.opens, tt.closes, 30*time.Minute), f.contestant)
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
			_, err := f.svc.Start(context.Background(), f.rules(opens, closes, 30*time.Minute), f.contestant)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				started++
			case reason(err) == attempt.RefusedInProgress:
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
				a, err := f.svc.Start(ctx, f.rules(opens, closes, 30*time.Minute), f.contestant)
				if err == nil {
					if _, _, err := f.svc.Submit(ctx, a.ID, f.contestant, exam.Answers{0: "A"}, 5); err != nil {
						t.Errorf("submit: %v", err)
					}
					continue
				}
				switch reason(err) {
				case attempt.RefusedInProgress:
					continue
				case attempt.RefusedNoneLeft:
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
	_, err := f.svc.Start(ctx, f.rules(opens, closes, 30*time.Minute), f.contestant)
	if reason(err) != attempt.RefusedNoneLeft {
		t.Fatalf("fourth start: %v", err)
	}
}

func TestSaveAnswersChecksThePaper(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	a, err := f.svc.Start(ctx, f.rules(opens, closes, 30*time.Minute), f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	pred := int64(42)
	if _, err := f.svc.Save(ctx, a.ID, f.contestant, exam.Answers{0: "B", 14: "D"}, &pred); err != nil {
		t.Fatalf("valid answers refused: %v", err)
	}
	for _, bad := range []exam.Answers{{15: "A"}, {0: "E"}, {0: "a"}, {0: "AB"}, {-1: "A"}} {
		if _, err := f.svc.Save(ctx, a.ID, f.contestant, bad, nil); reason(err) != attempt.RefusedInvalidInput {
			t.Errorf("answers %v: err %v, want invalid", bad, err)
		}
	}
	if _, err := f.svc.Save(ctx, a.ID, f.contestant+1, exam.Answers{0: "A"}, nil); !errors.Is(err, attempt.ErrNotFound) {
		t.Errorf("another person's attempt: %v", err)
	}
	got, err := f.svc.Get(ctx, a.ID, f.contestant)
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
	a, err := f.svc.Start(ctx, f.rules(opens, closes, 30*time.Minute), f.contestant)
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
	first, outcome, err := f.svc.Submit(ctx, a.ID, f.contestant, right, 7)
	if err != nil || outcome != attempt.Submitted || *first.Correct != 15 || first.TimeUsed() <= 0 {
		t.Fatalf("submit: %v outcome %v correct %v used %v", err, outcome, first.Correct, first.TimeUsed())
	}
	again, outcome, err := f.svc.Submit(ctx, a.ID, f.contestant, exam.Answers{0: "A"}, 99)
	if err != nil || outcome != attempt.AlreadyFinished || *again.Correct != 15 || *again.Prediction != 7 || !again.SubmittedAt.Equal(*first.SubmittedAt) {
		t.Fatalf("repeat: %v outcome %v %+v", err, outcome, again)
	}
}

func TestSubmitAfterDeadlineClosesWithSavedAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	a, err := f.svc.Start(ctx, f.rules(opens, closes, 300*time.Millisecond), f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := exam.Score(a.Paper, f.bank, exam.Answers{})
	if _, err := f.svc.Save(ctx, a.ID, f.contestant, exam.Answers{0: res.PerItem[0].CorrectOption}, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	all := exam.Answers{}
	for i, it := range res.PerItem {
		all[i] = it.CorrectOption
	}
	got, _, err := f.svc.Submit(ctx, a.ID, f.contestant, all, 3)
	if reason(err) != attempt.RefusedDeadline {
		t.Fatalf("late submit: %v", err)
	}
	if got.Status != attempt.StatusExpired || *got.Correct != 1 || !got.SubmittedAt.Equal(got.Deadline) {
		t.Fatalf("late submit stored %+v: want expired at the deadline with the 1 saved answer", got)
	}
	if _, err := f.svc.Save(ctx, a.ID, f.contestant, exam.Answers{1: "A"}, nil); reason(err) != attempt.RefusedFinished {
		t.Fatalf("save after close: %v", err)
	}
}

func TestAbandonedAttemptsAreClosed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	if _, err := f.svc.Start(ctx, f.rules(opens, closes, 200*time.Millisecond), f.contestant); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	// Starting again closes the abandoned attempt first.
	second, err := f.svc.Start(ctx, f.rules(opens, closes, 200*time.Millisecond), f.contestant)
	if err != nil || second.No != 2 {
		t.Fatalf("start after abandoning: %v (no %d)", err, second.No)
	}
	time.Sleep(300 * time.Millisecond)
	// The sweeper closes the second.
	n, err := f.svc.ExpireOverdue(ctx, 100)
	if err != nil || n != 1 {
		t.Fatalf("ExpireOverdue = %d, %v; want 1", n, err)
	}
	list, err := f.svc.List(ctx, f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.Status != attempt.StatusExpired || a.Correct == nil || *a.Correct != 0 {
			t.Errorf("attempt %d: %s correct %v", a.No, a.Status, a.Correct)
		}
	}
}

// Another replica, which never drew nor showed this paper (its memory holds no shape of
// it), checks answers by the same rule before writing them.
func TestSaveOnAnotherReplicaChecksThePaper(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	a, err := f.svc.Start(ctx, f.rules(opens, closes, 30*time.Minute), f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	other := attempt.New(store.NewAttempts(f.pool), func(context.Context, string, int) (*bank.Bank, error) { return f.bank, nil })
	if _, err := other.Save(ctx, a.ID, f.contestant, exam.Answers{15: "A"}, nil); reason(err) != attempt.RefusedInvalidInput {
		t.Fatalf("an answer to a 16th question on another replica: %v", err)
	}
	if _, err := other.Save(ctx, a.ID, f.contestant+1, exam.Answers{0: "A"}, nil); !errors.Is(err, attempt.ErrNotFound) {
		t.Fatalf("another person's attempt on another replica: %v", err)
	}
	if _, err := other.Save(ctx, a.ID, f.contestant, exam.Answers{0: "A"}, nil); err != nil {
		t.Fatalf("a valid answer on another replica: %v", err)
	}
	if got, _ := f.svc.Get(ctx, a.ID, f.contestant); got.Answers[0] != "A" || len(got.Answers) != 1 {
		t.Fatalf("stored answers %v", got.Answers)
	}
}

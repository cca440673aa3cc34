package attempt_test

import (
	"context"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/store"
)

// A key correction changes who answered everything right after the fact: it marks the
// round's shared statistics out of date in its transaction, so the next view counts the
// perfect attempts again instead of showing the old figure until the snapshot ages.
func TestKeyCorrectionInvalidatesRoundStats(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	a, err := f.svc.Start(ctx, f.rules(opens, closes, 30*time.Minute), f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	answers := exam.Answers{}
	for i, it := range a.Paper.Items {
		answers[i] = shown(a.Paper, i, f.bank.Questions[it.At].CorrectIndex())
	}
	if got, _, err := f.svc.Submit(ctx, a.ID, f.contestant, answers, 5); err != nil || *got.Correct != a.Paper.Len() {
		t.Fatalf("a perfect attempt: %v", err)
	}
	round := "default/dot-1"
	count := func() *store.RoundStats {
		t.Helper()
		s, err := store.ComputeRoundStats(ctx, f.pool, round, store.StatsOptions{Zone: "Asia/Ho_Chi_Minh"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := count()
	if before.Activity.Perfect != 1 {
		t.Fatalf("perfect before the correction: %d", before.Activity.Perfect)
	}
	if err := store.SaveRoundStats(ctx, f.pool, before); err != nil {
		t.Fatal(err)
	}

	q := a.Paper.Items[0]
	other := (f.bank.Questions[q.At].CorrectIndex() + 1) % len(f.bank.Questions[q.At].Options)
	if _, err := f.apply(t, f.correction(q.QuestionID, exam.Key{Option: other}, 0)); err != nil {
		t.Fatal(err)
	}
	got, err := store.ReadRoundStats(ctx, f.pool, []string{round})
	if err != nil {
		t.Fatal(err)
	}
	if !got[round].Invalidated {
		t.Error("the snapshot counted before the correction is not marked out of date")
	}
	if after := count(); after.Activity.Perfect != 0 {
		t.Errorf("perfect after the correction: %d", after.Activity.Perfect)
	}
}

package attempt_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
)

// However an attempt ends — submitted, closed by a late submit, closed by the sweeper —
// its answers are stored for the item analysis as exam.Score reads them, with its score;
// an attempt still running has none.
func TestFinishedAttemptsKeepTheirResponses(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opens, closes := openWindow()
	stored := func(id int64) ([]byte, int) {
		t.Helper()
		var responses []byte
		var correct *int16
		if err := f.pool.QueryRow(ctx, `SELECT responses, correct FROM attempt WHERE id = $1`, id).Scan(&responses, &correct); err != nil {
			t.Fatal(err)
		}
		if correct == nil {
			return responses, -1
		}
		return responses, int(*correct)
	}
	check := func(how string, a attempt.Attempt, answers exam.Answers) {
		t.Helper()
		res, err := exam.Score(a.Paper, f.bank, answers)
		if err != nil {
			t.Fatal(err)
		}
		got, correct := stored(a.ID)
		if want := itemstats.Responses(res); !bytes.Equal(got, want) || correct != res.Correct {
			t.Errorf("%s: responses % x with score %d, want % x with %d", how, got, correct, want, res.Correct)
		}
	}

	// Submitted: the saved answers merged with the submitted ones, one of them wrong.
	a, err := f.svc.Start(ctx, f.rules(opens, closes, 30*time.Minute), f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := stored(a.ID); got != nil {
		t.Errorf("an attempt in progress has responses % x", got)
	}
	key, _ := exam.Score(a.Paper, f.bank, nil)
	wrong := "A"
	if key.PerItem[2].CorrectOption == "A" {
		wrong = "B"
	}
	if _, err := f.svc.Save(ctx, a.ID, f.contestant, exam.Answers{0: key.PerItem[0].CorrectOption}, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Submit(ctx, a.ID, f.contestant, exam.Answers{1: key.PerItem[1].CorrectOption, 2: wrong}, 5); err != nil {
		t.Fatal(err)
	}
	check("submitted", a, exam.Answers{0: key.PerItem[0].CorrectOption, 1: key.PerItem[1].CorrectOption, 2: wrong})

	// A submit after the deadline closes the attempt with what was saved.
	b, err := f.svc.Start(ctx, f.rules(opens, closes, 300*time.Millisecond), f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Save(ctx, b.ID, f.contestant, exam.Answers{4: "C"}, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	if _, _, err := f.svc.Submit(ctx, b.ID, f.contestant, exam.Answers{5: "A"}, 1); reason(err) != attempt.RefusedDeadline {
		t.Fatalf("late submit: %v", err)
	}
	check("closed by a late submit", b, exam.Answers{4: "C"})

	// The sweeper closes an abandoned attempt.
	c, err := f.svc.Start(ctx, f.rules(opens, closes, 200*time.Millisecond), f.contestant)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Save(ctx, c.ID, f.contestant, exam.Answers{7: "D", 8: "B"}, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n, err := f.svc.ExpireOverdue(ctx, 10); err != nil || n != 1 {
		t.Fatalf("sweeper closed %d: %v", n, err)
	}
	check("closed by the sweeper", c, exam.Answers{7: "D", 8: "B"})
}

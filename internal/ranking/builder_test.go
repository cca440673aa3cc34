package ranking

import (
	"strings"
	"testing"
	"time"
)

func TestBestAttempt(t *testing.T) {
	tests := []struct {
		name     string
		attempts []Attempt // three attempts of person 1
		want     int64     // recognized attempt id
	}{
		{"more correct later beats fewer earlier", []Attempt{
			att(1, 1, 12, 5, 60, 100), att(1, 2, 14, 5, 300, 200), att(1, 3, 13, 5, 30, 300)}, 2},
		{"equal correct: earliest submission wins, even if slower", []Attempt{
			att(1, 1, 10, 5, 60, 500), att(1, 2, 14, 5, 600, 200), att(1, 3, 14, 5, 30, 300)}, 2},
		{"equal correct and submission: less time used wins", []Attempt{
			att(1, 1, 14, 5, 90, 200), att(1, 2, 14, 5, 60, 200), att(1, 3, 14, 5, 70, 200)}, 2},
		{"all equal: smaller attempt id wins", []Attempt{
			att(1, 9, 14, 5, 60, 200), att(1, 7, 14, 5, 60, 200), att(1, 8, 14, 5, 60, 200)}, 7},
		{"prediction plays no part in choosing the attempt", []Attempt{
			att(1, 1, 14, 1000, 60, 200), att(1, 2, 14, 0, 60, 201), att(1, 3, 13, 0, 60, 100)}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every arrival order must give the same answer.
			for _, p := range [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
				r := rankAll(t, Rules{}, nil, tt.attempts[p[0]], tt.attempts[p[1]], tt.attempts[p[2]])
				if r.Participants != 1 || r.Attempts != 3 {
					t.Fatalf("participants %d attempts %d, want 1 and 3", r.Participants, r.Attempts)
				}
				if got := r.Entries[0].AttemptID; got != tt.want {
					t.Errorf("order %v: recognized attempt %d, want %d", p, got, tt.want)
				}
			}
		})
	}
}

func TestEntryCarriesRecognizedAttempt(t *testing.T) {
	r := rankAll(t, Rules{}, nil, att(1, 1, 12, 40, 61, 100), att(1, 2, 15, 3, 75, 200), att(2, 3, 15, 9, 80, 50))
	e := r.Entries[0]
	want := Entry{PersonID: 1, AttemptID: 2, Rank: 1, Correct: 15, Total: 15, Prediction: 3, Distance: 1,
		TimeUsed: 75 * time.Second, SubmittedAt: opens.Add(200 * time.Second).UTC(), Eligible: true}
	if e != want {
		t.Fatalf("entry\n got  %+v\n want %+v", e, want)
	}
	if !e.SubmittedAt.Equal(opens.Add(200*time.Second)) || e.SubmittedAt.Location() != time.UTC {
		t.Fatalf("SubmittedAt %v is not the same instant in UTC", e.SubmittedAt)
	}
}

func TestAddRefusesImpossibleAttempts(t *testing.T) {
	ok := att(1, 1, 10, 5, 60, 60)
	tests := []struct {
		name   string
		change func(*Attempt)
		want   string
	}{
		{"negative total", func(a *Attempt) { a.Total = -1 }, "has -1 questions"},
		{"correct above total", func(a *Attempt) { a.Correct = 16 }, "16 correct of 15"},
		{"negative correct", func(a *Attempt) { a.Correct = -1 }, "-1 correct"},
		{"negative prediction", func(a *Attempt) { a.Prediction = -3 }, "cannot be negative"},
		{"negative time used", func(a *Attempt) { a.TimeUsed = -time.Second }, "negative time"},
		{"zero submission time", func(a *Attempt) { a.SubmittedAt = time.Time{} }, "missing or out of range"},
		{"submission time out of range", func(a *Attempt) { a.SubmittedAt = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := NewBuilder(Rules{})
			a := ok
			tt.change(&a)
			err := b.Add(a)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Add = %v, want an error containing %q", err, tt.want)
			}
			if b.Attempts() != 0 || b.Participants() != 0 {
				t.Fatalf("refused attempt was counted: %d attempts, %d participants", b.Attempts(), b.Participants())
			}
		})
	}
	b, _ := NewBuilder(Rules{})
	zero := Attempt{PersonID: 1, AttemptID: 1, SubmittedAt: opens}
	if err := b.Add(zero); err != nil {
		t.Fatalf("an attempt with no questions is odd but valid (never perfect): %v", err)
	}
}

func TestRankNeedsEveryPerson(t *testing.T) {
	b, _ := NewBuilder(Rules{})
	b.Add(att(1, 1, 10, 5, 60, 60))
	b.Add(att(2, 2, 10, 5, 60, 60))
	if _, err := b.Rank(nil); err == nil {
		t.Error("Rank(nil) should fail")
	}
	_, err := b.Rank(FromMap(map[int64]Person{1: {ID: 1}}))
	if err == nil || !strings.Contains(err.Error(), "person 2") {
		t.Errorf("Rank with person 2 unknown = %v, want an error naming person 2", err)
	}
	_, err = b.Rank(FromMap(map[int64]Person{1: {ID: 1}, 2: {ID: 1}}))
	if err == nil || !strings.Contains(err.Error(), "returned person 1") {
		t.Errorf("Rank with a wrong lookup = %v, want an error", err)
	}
}

func TestRankIsRepeatable(t *testing.T) {
	b, _ := NewBuilder(Rules{Prizes: planPrizes()})
	b.Grow(4)
	for _, a := range []Attempt{att(3, 1, 15, 2, 60, 60), att(1, 2, 15, 2, 60, 60), att(2, 3, 14, 2, 60, 60)} {
		b.Add(a)
	}
	r1, _ := b.Rank(plainPeople)
	r2, _ := b.Rank(plainPeople)
	sameLines(t, "second Rank", lines(r2.Entries), lines(r1.Entries))
	b.Add(att(4, 4, 15, 3, 10, 10))
	r3, _ := b.Rank(plainPeople)
	if r3.Actual != 3 || r3.Entries[0].PersonID != 4 {
		t.Fatalf("after another Add: actual %d, first %d; want 3 and person 4", r3.Actual, r3.Entries[0].PersonID)
	}
}

package ranking

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// ict is Vietnam's zone; input times carry it to show that output times are the same instants.
var ict = time.FixedZone("ICT", 7*3600)

// opens is when the test round opens.
var opens = time.Date(2024, 8, 17, 0, 0, 0, 0, ict)

// att is an attempt of 15 questions; used and at are seconds (time used, and submission
// after opening).
func att(person, attempt int64, correct int, prediction int64, used, at int) Attempt {
	return Attempt{
		PersonID:    person,
		AttemptID:   attempt,
		Correct:     correct,
		Total:       15,
		Prediction:  prediction,
		TimeUsed:    time.Duration(used) * time.Second,
		SubmittedAt: opens.Add(time.Duration(at) * time.Second),
	}
}

// plainPeople knows every id as an eligible person with no organization.
func plainPeople(id int64) (Person, bool) { return Person{ID: id}, true }

// rankAll ranks attempts under rules and fails the test on any error.
func rankAll(t testing.TB, rules Rules, people People, attempts ...Attempt) Result {
	t.Helper()
	b, err := NewBuilder(rules)
	if err != nil {
		t.Fatalf("NewBuilder: %v", err)
	}
	for _, a := range attempts {
		if err := b.Add(a); err != nil {
			t.Fatalf("Add(%+v): %v", a, err)
		}
	}
	if people == nil {
		people = plainPeople
	}
	r, err := b.Rank(people)
	if err != nil {
		t.Fatalf("Rank: %v", err)
	}
	return r
}

// lines renders entries as "person#rank prize", prize being the name, "?" for a boundary
// tie, "x" for ineligible and "-" for none: short enough to read a whole ranking in a table.
func lines(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		p := "-"
		switch {
		case !e.Eligible:
			p = "x"
		case e.TieAtBoundary:
			p = "?"
		case e.Prize != "":
			p = e.Prize
		}
		out[i] = fmt.Sprintf("%d#%d %s", e.PersonID, e.Rank, p)
	}
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// prizes is the plan's default prize structure, with short names.
func planPrizes() []Prize {
	return []Prize{{Name: "Nhất", Count: 1}, {Name: "Nhì", Count: 2}, {Name: "Ba", Count: 3}, {Name: "KK", Count: 5}}
}

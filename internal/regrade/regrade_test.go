package regrade

import (
	"strings"
	"testing"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/ranking"
)

func TestInForceKeepsTheLatestPerQuestion(t *testing.T) {
	got := InForce([]Correction{
		{ID: 1, QuestionID: "a", New: exam.Key{Option: 1}},
		{ID: 2, QuestionID: "b", New: exam.AnyKey},
		{ID: 3, QuestionID: "a", New: exam.Key{Option: 2}},
	})
	if len(got) != 2 || got["a"] != (exam.Key{Option: 2}) || got["b"] != exam.AnyKey {
		t.Errorf("InForce = %v", got)
	}
}

// Attempts out of person order would count one person twice: refused.
func TestRescorerWantsPersonOrder(t *testing.T) {
	r := NewRescorer(nil, nil)
	for _, a := range []Attempt{{ID: 1, PersonID: 2, Total: 3}, {ID: 2, PersonID: 2, Total: 3}, {ID: 3, PersonID: 5, Total: 3}} {
		if _, err := r.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Add(Attempt{ID: 4, PersonID: 3, Total: 3}); err == nil || !strings.Contains(err.Error(), "person order") {
		t.Errorf("out of order: %v", err)
	}
}

// Past its limit of people the ranker lets go of its records and says so.
func TestRankerLimit(t *testing.T) {
	r, err := NewRanker(ranking.Rules{Prizes: []ranking.Prize{{Name: "Nhất", Count: 1}}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for id := int64(1); id <= 3; id++ {
		if err := r.Add(Attempt{ID: id, PersonID: id, Correct: 1, Total: 3, SubmittedAt: opens}, 2); err != nil {
			t.Fatal(err)
		}
		if r.Over() != (id == 3) {
			t.Errorf("after %d people: over %v", id, r.Over())
		}
	}
	if _, _, err := r.Results(func(id int64) (ranking.Person, bool) { return ranking.Person{ID: id}, true }); err == nil {
		t.Error("a ranker over its limit ranked")
	}
}

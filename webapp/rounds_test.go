package webapp

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// listSource returns whatever list it holds, as a source does between changes.
type listSource struct {
	list []contestv1alpha1.ContestRound
}

func (s *listSource) Rounds(context.Context) ([]contestv1alpha1.ContestRound, error) {
	return s.list, nil
}

func TestContestRoundsPickedOncePerList(t *testing.T) {
	at := func(name, contest string, opens time.Duration) contestv1alpha1.ContestRound {
		var r contestv1alpha1.ContestRound
		r.Name, r.Spec.Contest.ID = name, contest
		r.Spec.OpensAt = metav1.NewTime(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).Add(opens))
		return r
	}
	src := &listSource{list: []contestv1alpha1.ContestRound{at("b", "c1", time.Hour), at("x", "other", 0), at("a", "c1", 0)}}
	a := &App{cfg: Config{Rounds: src, ContestID: "c1"}}
	ctx := context.Background()
	first, err := a.contestRounds(ctx)
	if err != nil || len(first) != 2 || first[0].Name != "a" || first[1].Name != "b" {
		t.Fatalf("the contest's rounds, earliest first: %v, %v", first, err)
	}
	if again, _ := a.contestRounds(ctx); &again[0] != &first[0] {
		t.Fatal("the same list from the source was picked and sorted again")
	}
	// A new list (the source saw a change) is picked again: same length, new content.
	src.list = []contestv1alpha1.ContestRound{at("b", "c1", time.Hour), at("z", "c1", -time.Hour), at("a", "c1", 0)}
	next, _ := a.contestRounds(ctx)
	if len(next) != 3 || next[0].Name != "z" {
		t.Fatalf("after a change: %v", next)
	}
	src.list = nil
	if none, err := a.contestRounds(ctx); err != nil || len(none) != 0 {
		t.Fatalf("no rounds: %v, %v", none, err)
	}
}

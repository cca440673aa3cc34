package rankjob

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// The Job applies the round's prize conditions: the demo's person with 2 right answers of
// 15 takes no prize when prizes ask for 10, the report learns why, and the prizes as
// ranked are stored with the ranking.
func TestRunAppliesPrizeConditions(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	ls, err := locality.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceLocalities(ctx, pool, "cds", ls); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'c', '{}')`); err != nil {
		t.Fatal(err)
	}
	opens := time.Date(2024, 8, 17, 8, 0, 0, 0, time.UTC)
	correct := []int{15, 12, 2}
	ids := make([]int64, len(correct))
	for i, n := range correct {
		id, err := store.CreateContestant(ctx, pool, store.Contestant{ContestID: "cds", NationalID: "06009000000" + string(rune('0'+i)),
			Phone: "090900000" + string(rune('0'+i)), FullName: "Nguyễn Văn An", BirthDate: opens, Gender: "male",
			ParticipantGroup: "resident", LocalityCode: "22915", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
		start := opens.Add(time.Duration(i) * time.Minute)
		if _, err := pool.Exec(ctx, `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline,
			submitted_at, bank_name, bank_version, paper, prediction, total, correct)
			VALUES ('contest/dot-1', $1, 1, 'submitted', $2, $3, $4, 'mau', 1, '{}', 1, 15, $5)`,
			id, start, start.Add(30*time.Minute), start.Add(3*time.Second), n); err != nil {
			t.Fatal(err)
		}
	}
	round := &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Namespace: "contest", Name: "dot-1"},
		Spec: contestv1alpha1.ContestRoundSpec{Contest: contestv1alpha1.ContestRef{ID: "cds"},
			Prizes: []contestv1alpha1.Prize{{Name: "Giải Nhất", Count: 1, MinCorrect: 15}, {Name: "Giải Khuyến khích", Count: 5, MinCorrect: 10}}},
	}
	res, err := Run(ctx, pool, round, noBankNeeded, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Winners) != 2 || res.Winners[0].Correct != 15 || res.Winners[1].Correct != 12 || res.Winners[1].Prize != "Giải Khuyến khích" {
		t.Errorf("winners %+v, want the 15 and the 12 only", res.Winners)
	}
	if fmt.Sprint(res.Vacant) != "[{Giải Khuyến khích 4 10}]" {
		t.Errorf("vacant places %v, want the 4 consolation places nobody else met", res.Vacant)
	}
	got := map[int64]string{}
	if err := store.StreamRanking(ctx, pool, "contest/dot-1", func(r store.RankingRow) error {
		got[r.ContestantID] = r.Prize + "/" + r.BelowCondition
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"Giải Nhất/", "Giải Khuyến khích/", "/Giải Khuyến khích"}
	for i, id := range ids {
		if got[id] != want[i] {
			t.Errorf("person with %d correct: prize/below %q, want %q", correct[i], got[id], want[i])
		}
	}
	run, err := store.ReadRankingRun(ctx, pool, "contest/dot-1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(run.Prizes), `"MinCorrect": 10`) && !strings.Contains(string(run.Prizes), `"MinCorrect":10`) {
		t.Errorf("stored prizes %s lack the conditions", run.Prizes)
	}
}

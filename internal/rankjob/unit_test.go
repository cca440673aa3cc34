package rankjob

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
	"github.com/dxcontest/contest-platform/internal/unit"
)

func noBankNeeded(context.Context, string, int) (*bank.Bank, error) {
	panic("no attempt is open: no bank should be loaded")
}

// The ranking Job reads the contest's unit list and each person's unit: people of a unit
// the round names, and of the units under it, take no prize; people of other units do,
// whatever they typed.
func TestRunExcludesByUnitCode(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	const contest = "cds"
	ls, err := locality.Sample()
	if err != nil {
		t.Fatal(err)
	}
	us, err := unit.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceLocalities(ctx, pool, contest, ls); err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceUnits(ctx, pool, contest, us); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'c', '{}')`); err != nil {
		t.Fatal(err)
	}
	people := []struct{ unit, organization string }{
		{"STTTT", "Sở Thông tin và Truyền thông"},
		{"STTTT-VP", "Văn phòng Sở Thông tin và Truyền thông"},
		{"SYT", "Sở Y tế"},
		{"", "Hội Cựu chiến binh"},
		{"X22915", "UBND phường Mũi Né"},
	}
	opens := time.Date(2024, 8, 17, 8, 0, 0, 0, time.UTC)
	ids := make([]int64, len(people))
	for i, p := range people {
		id, err := store.CreateContestant(ctx, pool, store.Contestant{ContestID: contest, NationalID: "06009000000" + string(rune('0'+i)),
			Phone: "090900000" + string(rune('0'+i)), FullName: "Nguyễn Văn An", BirthDate: opens, Gender: "male",
			ParticipantGroup: "official", Organization: p.organization, UnitCode: p.unit, LocalityCode: "22915", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
		start := opens.Add(time.Duration(i) * time.Minute)
		if _, err := pool.Exec(ctx, `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline,
			submitted_at, bank_name, bank_version, paper, prediction, total, correct)
			VALUES ('contest/dot-1', $1, 1, 'submitted', $2, $3, $4, 'mau', 1, '{}', 1, 15, 15)`,
			id, start, start.Add(30*time.Minute), start.Add(10*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	round := &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Namespace: "contest", Name: "dot-1"},
		Spec: contestv1alpha1.ContestRoundSpec{Contest: contestv1alpha1.ContestRef{ID: contest},
			Ranking: contestv1alpha1.RankingRules{IneligibleUnits: []string{"STTTT"}}},
	}
	if _, err := Run(ctx, pool, round, noBankNeeded, time.Now()); err != nil {
		t.Fatal(err)
	}
	reasons := map[int64]string{}
	if err := store.StreamRanking(ctx, pool, "contest/dot-1", func(r store.RankingRow) error {
		reasons[r.ContestantID] = r.IneligibleReason
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{`unit "STTTT" is excluded`, `unit "STTTT-VP" is under excluded unit "STTTT"`, "", "", ""}
	for i, id := range ids {
		if reasons[id] != want[i] {
			t.Errorf("person %d (%s): reason %q, want %q", i, people[i].unit, reasons[id], want[i])
		}
	}

	// A name in ineligibleOrganizations names the unit through the list (here by an alias).
	round.Spec.Ranking = contestv1alpha1.RankingRules{IneligibleOrganizations: []string{"Sở TT&TT"}}
	if _, err := Run(ctx, pool, round, noBankNeeded, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := store.StreamRanking(ctx, pool, "contest/dot-1", func(r store.RankingRow) error {
		reasons[r.ContestantID] = r.IneligibleReason
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if reasons[ids[0]] != `unit "STTTT" is excluded` || reasons[ids[1]] == "" || reasons[ids[2]] != "" {
		t.Errorf("by name: reasons %v", reasons)
	}

	// A code the list lacks stops the ranking: it would exclude nobody.
	round.Spec.Ranking = contestv1alpha1.RankingRules{IneligibleUnits: []string{"STTT"}}
	if _, err := Run(ctx, pool, round, noBankNeeded, time.Now()); err == nil || !strings.Contains(err.Error(), `ineligible unit "STTT" is not in the contest's unit list`) {
		t.Errorf("unknown code: %v", err)
	}
}

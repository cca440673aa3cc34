package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

func TestParticipationCountsFinishedAttemptsOfTheRound(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	f := reporttest.Load(t, pool)

	check := func(what string, got []store.Participation, want map[string]reporttest.Count) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d rows, want %d: %+v", what, len(got), len(want), got)
		}
		for _, g := range got {
			if w := want[g.Key]; g.Participants != w.Participants || g.Attempts != w.Attempts {
				t.Errorf("%s %q: %d people, %d attempts; want %+v", what, g.Key, g.Participants, g.Attempts, w)
			}
		}
	}
	groups, err := store.ParticipationByGroup(ctx, pool, reporttest.Round)
	if err != nil {
		t.Fatal(err)
	}
	check("group", groups, f.ByPerson(func(p reporttest.Person) string { return p.Group }))

	places, err := store.ParticipationByLocality(ctx, pool, reporttest.Round)
	if err != nil {
		t.Fatal(err)
	}
	want := f.ByPerson(func(p reporttest.Person) string { return p.Locality })
	seen := map[string]bool{}
	for i, p := range places {
		seen[p.Code] = true
		if w := want[p.Code]; p.Participants != w.Participants || p.Attempts != w.Attempts {
			t.Errorf("locality %s: %d people, %d attempts; want %+v", p.Code, p.Participants, p.Attempts, w)
		}
		if p.ParentCode != "" && !seen[p.ParentCode] {
			t.Errorf("commune %s (line %d) comes before its district %s", p.Code, i, p.ParentCode)
		}
	}
	if len(places) != 134 { // Bình Thuận 2024: 10 districts, 124 communes
		t.Errorf("%d localities, want every locality of the contest (134)", len(places))
	}

	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	days, err := store.ParticipationByDay(ctx, pool, reporttest.Round, loc.String())
	if err != nil {
		t.Fatal(err)
	}
	wantDays := f.ByDay(t, loc)
	if len(days) != len(wantDays) {
		t.Errorf("%d days, want %d: %+v", len(days), len(wantDays), days)
	}
	for _, d := range days {
		w := wantDays[d.Day.Format(time.DateOnly)]
		if d.Attempts != w.Attempts || d.NewParticipants != w.NewParticipants {
			t.Errorf("day %s: %+v, want %+v", d.Day.Format(time.DateOnly), d, w)
		}
	}
}

func TestRankingDetailsJoinThePeople(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	f := reporttest.Load(t, pool)

	var n int
	err := store.StreamRankingDetails(ctx, pool, reporttest.Round, func(rc store.RankedContestant) error {
		l := f.Lines[n]
		p := f.People[l.Person]
		n++
		if rc.Entry.Position != n || rc.Entry.ContestantID != f.IDs[l.Person] || rc.Person.ID != rc.Entry.ContestantID ||
			rc.Person.FullName != p.Name || rc.Person.NationalID != p.NationalID || rc.Person.Organization != p.Organization ||
			rc.Entry.BelowCondition != l.Below {
			t.Errorf("line %d: %+v", n, rc)
		}
		return nil
	})
	if err != nil || n != len(f.Lines) {
		t.Fatalf("streamed %d lines of %d: %v", n, len(f.Lines), err)
	}

	lines, err := store.RankingPrizeLines(ctx, pool, reporttest.Round, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, l.Person.FullName+":"+l.Entry.Prize)
	}
	wantLines := []string{"Nguyễn Văn An:Giải Nhất", "Trần Thị Bình:Giải Nhì", "Lê Văn Cường:", "Phạm Thị Dung:", "Võ Thị Phương:Giải Ba", "Đặng Văn Giang:"}
	if len(got) != len(wantLines) {
		t.Fatalf("prize lines %q, want %q", got, wantLines)
	}
	for i := range got {
		if got[i] != wantLines[i] {
			t.Errorf("prize lines %q, want %q", got, wantLines)
			break
		}
	}
	if lines[4].Person.DistrictName != "" || lines[4].Person.LocalityName != "Huyện Tuy Phong" {
		t.Errorf("a person registered under a district: %+v", lines[4].Person)
	}
}

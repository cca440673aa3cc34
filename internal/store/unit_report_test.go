package store_test

import (
	"context"
	"testing"

	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// Participation by unit counts people by the unit they chose, lists every unit (zero
// included) in the list's order with its parent, then the free texts of the others.
func TestParticipationByUnit(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	f := reporttest.Load(t, pool)
	byUnit := f.ByPerson(func(p reporttest.Person) string { return p.Unit() })
	byText := f.ByPerson(func(p reporttest.Person) string {
		if p.Unit() != "" {
			return "\x00unit"
		}
		return p.Organization
	})
	delete(byText, "\x00unit")

	got, err := store.ParticipationByUnit(ctx, pool, reporttest.Round)
	if err != nil {
		t.Fatal(err)
	}
	units := reporttest.Units()
	if len(got) != len(units)+len(byText) {
		t.Fatalf("%d lines, want %d units and %d free texts: %+v", len(got), len(units), len(byText), got)
	}
	for i, u := range units {
		g := got[i]
		if g.Code != u.Code || g.Name != u.Name || g.ParentCode != u.ParentCode || g.Type != u.Type ||
			g.Participants != byUnit[u.Code].Participants || g.Attempts != byUnit[u.Code].Attempts {
			t.Errorf("line %d: %+v, want unit %+v with %+v", i, g, u, byUnit[u.Code])
		}
	}
	if got[1].ParentName != "Sở Thông tin và Truyền thông" || got[2].Headcount == nil || *got[2].Headcount != 120 {
		t.Errorf("parent name %q, headcount %v", got[1].ParentName, got[2].Headcount)
	}
	if got[2].Participants != 1 { // Bùi Thị Hoa's attempt is still in progress: not participation
		t.Errorf("VP-UBND has %d participants, want 1", got[2].Participants)
	}
	for i, g := range got[len(units):] {
		if g.Code != "" || g.Participants != byText[g.Organization].Participants || g.Attempts != byText[g.Organization].Attempts {
			t.Errorf("free text line %d: %+v, want %+v", i, g, byText[g.Organization])
		}
		if i > 0 && g.Participants > got[len(units)+i-1].Participants {
			t.Errorf("free texts not sorted by participants")
		}
	}

	top, lines, err := store.TopUnits(ctx, pool, reporttest.Round, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Units with participants (STTTT, STTTT-VP, VP-UBND) and every distinct free text.
	if want := int64(3 + len(byText)); lines != want || len(top) != 3 {
		t.Fatalf("TopUnits: %d lines of %d, want 3 of %d: %+v", len(top), lines, want, top)
	}
	for i := 1; i < len(top); i++ {
		if top[i].Participants > top[i-1].Participants {
			t.Errorf("TopUnits not sorted: %+v", top)
		}
	}
	if none, err := store.ParticipationByUnit(ctx, pool, "default/khong-co"); err != nil || len(none) != 0 {
		t.Errorf("a round without participants: %+v, %v", none, err)
	}
}

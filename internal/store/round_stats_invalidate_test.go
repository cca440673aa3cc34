package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// Whatever changes a round's figures after the fact marks its shared snapshot out of date
// in its own transaction, so the next view counts again rather than showing the old
// figures until the snapshot ages (an hour, for a round that has drained).
func TestChangesAfterTheFactInvalidateRoundStats(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	f := reporttest.Load(t, pool)
	round := reporttest.Round
	if _, err := store.FillOrganizationKeys(ctx, pool, 100); err != nil {
		t.Fatal(err)
	}
	binh := f.IDs[1] // typed "+84 group", chose no unit
	spelling := unit.Key(reporttest.People()[1].Organization)

	// view counts and saves the snapshot as the console does, and checks it reads as fresh.
	view := func(step string) *store.RoundStats {
		t.Helper()
		s := countStats(t, pool, round)
		s.Trim(50)
		if err := store.SaveRoundStats(ctx, pool, s); err != nil {
			t.Fatal(err)
		}
		if st := readStats(t, pool, round); st.Invalidated {
			t.Fatalf("%s: a snapshot just counted reads as out of date", step)
		}
		return s
	}
	// changed checks the change marked the snapshot out of date, and counts again.
	changed := func(step string) *store.RoundStats {
		t.Helper()
		if st := readStats(t, pool, round); !st.Invalidated {
			t.Errorf("%s: the snapshot is not marked out of date", step)
		}
		after := countStats(t, pool, round)
		checkStats(t, pool, after, step)
		return after
	}
	line := func(s *store.RoundStats, code, organization string) *store.UnitParticipation {
		for _, u := range s.TopUnits(50) {
			if u.Code == code && u.Organization == organization {
				return &u
			}
		}
		return nil
	}

	// Mapping a spelling to a unit, in the organizer's transaction with its audit entry.
	before := view("before mapping")
	if line(before, "", "+84 group") == nil || line(before, "SYT", "") != nil {
		t.Fatalf("fixture: %+v", before.TopUnits(50))
	}
	if err := store.InTx(ctx, pool, func(tx store.Querier) error {
		_, err := store.MapSpelling(ctx, tx, reporttest.ContestID, spelling, "SYT")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if after := changed("mapping"); line(after, "SYT", "") == nil || line(after, "", "+84 group") != nil {
		t.Errorf("after mapping: %+v", after.TopUnits(50))
	}

	// Undoing it.
	view("before unmapping")
	if _, err := store.UnmapSpelling(ctx, pool, reporttest.ContestID, spelling, "SYT"); err != nil {
		t.Fatal(err)
	}
	if after := changed("unmapping"); line(after, "SYT", "") != nil || line(after, "", "+84 group") == nil {
		t.Errorf("after unmapping: %+v", after.TopUnits(50))
	}

	// A person's unit set (chosen, not mapped).
	view("before setting a unit")
	if err := store.SetContestantUnit(ctx, pool, reporttest.ContestID, binh, "SYT"); err != nil {
		t.Fatal(err)
	}
	if after := changed("setting a unit"); line(after, "SYT", "") == nil {
		t.Errorf("after setting a unit: %+v", after.TopUnits(50))
	}

	// The unit list uploaded again with a unit renamed: the dashboard shows names and the
	// names of parents.
	view("before replacing the units")
	us := reporttest.Units()
	us[0].Name = "Sở Thông tin và Truyền thông tỉnh Bình Thuận"
	if err := store.InTx(ctx, pool, func(tx store.Querier) error {
		_, err := store.ReplaceUnitsIn(ctx, tx, reporttest.ContestID, us)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if after := changed("replacing the units"); line(after, "STTTT-VP", "") == nil || line(after, "STTTT-VP", "").ParentName != us[0].Name {
		t.Errorf("after renaming a parent: %+v", after.TopUnits(50))
	}

	// The locality list replaced with a commune renamed.
	view("before replacing the localities")
	ls, err := locality.Sample()
	if err != nil {
		t.Fatal(err)
	}
	renamed := -1
	for i, l := range ls {
		if l.Code == reporttest.People()[0].Locality {
			ls[i].Name, renamed = "Phường Mới", i
		}
	}
	if renamed < 0 {
		t.Fatal("fixture: An's commune is not in the sample list")
	}
	if err := store.ReplaceLocalities(ctx, pool, reporttest.ContestID, ls); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range changed("replacing the localities").Localities {
		found = found || l.Code == ls[renamed].Code && l.Name == "Phường Mới"
	}
	if !found {
		t.Error("the renamed commune is not counted under its new name")
	}
}

func readStats(t *testing.T, pool *pgxpool.Pool, round string) store.StoredStats {
	t.Helper()
	got, err := store.ReadRoundStats(context.Background(), pool, []string{round})
	if err != nil {
		t.Fatal(err)
	}
	st, ok := got[round]
	if !ok {
		t.Fatalf("no snapshot of %s", round)
	}
	return st
}

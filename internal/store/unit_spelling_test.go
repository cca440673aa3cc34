package store_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// spellingsOf lists the contest's free-text spellings as key → people.
func spellingsOf(t *testing.T, l store.SpellingList) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, s := range l.Spellings {
		out[s.Key] = s.People
	}
	return out
}

// Spellings group what people typed as internal/unit compares names; mapping one gives
// all its people the unit in one statement, and undoing it takes the unit back from
// exactly them.
func TestMapSpellings(t *testing.T) {
	ctx := context.Background()
	pool := withUnits(t)
	typed := []string{"Sở TT&TT", "SỞ TT&TT", "  sở  tt&tt ", "so tttt", "Hội Cựu chiến binh", "Hội cựu chiến binh", "Hội Cựu chiến binh", ""}
	ids := make([]int64, len(typed))
	for i, text := range typed {
		ids[i] = registerIn(t, pool, i+1, "", text)
	}
	// Someone who chose the unit and, as registration writes it, has its name: never
	// listed, never taken back.
	chose := registerIn(t, pool, 50, "STTTT", "Sở TT&TT")

	all, err := store.FreeTextSpellings(ctx, pool, contest, "", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	tt, hcb := unit.Key("Sở TT&TT"), unit.Key("Hội Cựu chiến binh")
	if got, want := spellingsOf(t, all), map[string]int64{tt: 3, hcb: 3, unit.Key("so tttt"): 1}; !reflect.DeepEqual(got, want) {
		t.Fatalf("spellings %v, want %v", got, want)
	}
	if all.Total != 3 || all.People != 7 {
		t.Errorf("total %d spellings of %d people, want 3 of 7", all.Total, all.People)
	}
	// Most people first, ties by key; the text shown is one of them as typed.
	if all.Spellings[0].Key != hcb || all.Spellings[1].Key != tt || all.Spellings[2].Text != "so tttt" {
		t.Errorf("order %+v", all.Spellings)
	}
	if s := all.Spellings[1].Text; unit.Key(s) != tt {
		t.Errorf("text %q is not of its spelling", s)
	}
	// A page, and a filter by part of the spelling (no case, no diacritics).
	page, err := store.FreeTextSpellings(ctx, pool, contest, "", 1, 1)
	if err != nil || len(page.Spellings) != 1 || page.Spellings[0].Key != tt || page.Total != 3 {
		t.Errorf("second page of one: %+v %v", page, err)
	}
	found, err := store.FreeTextSpellings(ctx, pool, contest, "TT&", 10, 0)
	if err != nil || !reflect.DeepEqual(spellingsOf(t, found), map[string]int64{tt: 3}) || found.People != 3 {
		t.Errorf("filter TT&: %+v %v", found, err)
	}
	if other, _ := store.FreeTextSpellings(ctx, pool, "other-contest", "", 10, 0); len(other.Spellings) != 0 {
		t.Errorf("another contest lists %+v", other)
	}
	one, err := store.FreeTextSpelling(ctx, pool, contest, tt)
	if err != nil || one.People != 3 || unit.Key(one.Text) != tt {
		t.Errorf("one spelling: %+v %v", one, err)
	}
	if _, err := store.FreeTextSpelling(ctx, pool, contest, "khong co"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown spelling: %v", err)
	}
	if _, err := store.FreeTextSpelling(ctx, pool, contest, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the empty spelling: %v", err)
	}

	// Mapping.
	if _, err := store.MapSpelling(ctx, pool, contest, tt, "KHONG-CO"); !errors.Is(err, store.ErrUnknownUnit) {
		t.Errorf("map to an unknown unit: %v", err)
	}
	n, err := store.MapSpelling(ctx, pool, contest, tt, "STTTT")
	if err != nil || n != 3 {
		t.Fatalf("map: %d %v", n, err)
	}
	if _, err := store.MapSpelling(ctx, pool, contest, tt, "STTTT"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("map again: %v", err)
	}
	for i := range 3 {
		if c := contestantUnit(t, pool, ids[i]); c != "STTTT/mapped" {
			t.Errorf("%q: %s", typed[i], c)
		}
	}
	if c := contestantUnit(t, pool, ids[3]); c != "" {
		t.Errorf("another spelling was mapped too: %s", c)
	}
	after, _ := store.FreeTextSpellings(ctx, pool, contest, "", 10, 0)
	if _, ok := spellingsOf(t, after)[tt]; ok || after.Total != 2 {
		t.Errorf("the mapped spelling is still listed: %+v", after)
	}
	mapped, err := store.MappedSpellings(ctx, pool, contest, 10, 0)
	if err != nil || len(mapped.Spellings) != 1 || mapped.Spellings[0].Key != tt || mapped.Spellings[0].UnitCode != "STTTT" ||
		mapped.Spellings[0].People != 3 || unit.Key(mapped.Spellings[0].Text) != tt {
		t.Errorf("mapped spellings: %+v %v", mapped, err)
	}
	earlier, err := store.EarlierMappings(ctx, pool, contest, []string{tt, hcb})
	if err != nil || !reflect.DeepEqual(earlier, map[string]string{tt: "STTTT"}) {
		t.Errorf("earlier mappings: %v %v", earlier, err)
	}
	// The unit is in use through the mapping: the list cannot drop it.
	var inUse *store.UnitInUseError
	if err := store.ReplaceUnits(ctx, pool, contest, sampleUnits(t)[:2]); !errors.As(err, &inUse) {
		t.Errorf("dropping a mapped unit: %v", err)
	}

	// Undo: the three get no unit again; the one who chose it keeps it.
	if _, err := store.UnmapSpelling(ctx, pool, contest, tt, "SYT"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("undo a mapping never made: %v", err)
	}
	n, err = store.UnmapSpelling(ctx, pool, contest, tt, "STTTT")
	if err != nil || n != 3 {
		t.Fatalf("undo: %d %v", n, err)
	}
	for i := range 3 {
		if c := contestantUnit(t, pool, ids[i]); c != "" {
			t.Errorf("%q after undo: %s", typed[i], c)
		}
	}
	if c := contestantUnit(t, pool, chose); c != "STTTT" {
		t.Errorf("the person who chose the unit: %s", c)
	}
	if again, _ := store.FreeTextSpellings(ctx, pool, contest, "", 10, 0); !reflect.DeepEqual(spellingsOf(t, again), spellingsOf(t, all)) {
		t.Errorf("after undo the spellings are %v, were %v", spellingsOf(t, again), spellingsOf(t, all))
	}

	// A person's own choice, made afterwards (the helpdesk), is no longer the mapping's.
	if _, err := store.MapSpelling(ctx, pool, contest, hcb, "SYT"); err != nil {
		t.Fatal(err)
	}
	if err := store.SetContestantUnit(ctx, pool, contest, ids[4], "SYT"); err != nil {
		t.Fatal(err)
	}
	if n, err := store.UnmapSpelling(ctx, pool, contest, hcb, "SYT"); err != nil || n != 2 {
		t.Errorf("undo after a person's own choice: %d %v, want 2", n, err)
	}
	if c := contestantUnit(t, pool, ids[4]); c != "SYT" {
		t.Errorf("the person who chose afterwards: %s", c)
	}

	perUnit, free, err := store.UnitRegistrations(ctx, pool, contest)
	if err != nil || !reflect.DeepEqual(perUnit, map[string]int64{"STTTT": 1, "SYT": 1}) || free != 6 {
		t.Errorf("registrations per unit %v, free text %d, %v", perUnit, free, err)
	}
}

// contestantUnit is a person's unit code, with "/mapped" when a mapping gave it.
func contestantUnit(t *testing.T, pool *pgxpool.Pool, id int64) string {
	t.Helper()
	var code string
	var mapped bool
	if err := pool.QueryRow(context.Background(), `SELECT coalesce(unit_code, ''), unit_mapped FROM contestant WHERE id = $1`,
		id).Scan(&code, &mapped); err != nil {
		t.Fatal(err)
	}
	if mapped {
		code += "/mapped"
	}
	return code
}

// People written without a spelling (before migration 0009, or by a tool) get theirs in
// batches, and only then are listed.
func TestFillOrganizationKeys(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	reporttest.Load(t, pool) // written with plain SQL: no spelling
	people := int64(len(reporttest.People()))
	if n, err := store.PendingOrganizationKeys(ctx, pool, reporttest.ContestID); err != nil || n != people {
		t.Fatalf("pending %d %v, want %d", n, err, people)
	}
	if l, _ := store.FreeTextSpellings(ctx, pool, reporttest.ContestID, "", 10, 0); len(l.Spellings) != 0 {
		t.Fatalf("spellings before they are computed: %+v", l)
	}
	filled := 0
	for {
		n, err := store.FillOrganizationKeys(ctx, pool, 4)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if n > 4 {
			t.Fatalf("a batch of 4 filled %d", n)
		}
		filled += n
	}
	if filled != int(people) {
		t.Errorf("filled %d, want %d", filled, people)
	}
	if n, _ := store.PendingOrganizationKeys(ctx, pool, reporttest.ContestID); n != 0 {
		t.Errorf("still pending: %d", n)
	}
	rows, err := pool.Query(ctx, `SELECT organization, organization_key FROM contestant`)
	if err != nil {
		t.Fatal(err)
	}
	var org, key string
	if _, err := pgx.ForEachRow(rows, []any{&org, &key}, func() error {
		if key != unit.Key(org) {
			t.Errorf("%q has spelling %q, want %q", org, key, unit.Key(org))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	l, err := store.FreeTextSpellings(ctx, pool, reporttest.ContestID, "", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Now everyone without a unit who typed something is listed.
	var want int64
	for _, p := range reporttest.People() {
		if p.Unit() == "" && p.Organization != "" {
			want++
		}
	}
	if l.People != want {
		t.Errorf("%d people listed, want %d: %+v", l.People, want, l)
	}
}

// What replacing a list changed, for the console to say and the audit log to keep.
func TestReplaceUnitsSaysWhatChanged(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	us := sampleUnits(t)
	change, err := store.ReplaceUnitsIn(ctx, pool, contest, us)
	if err != nil || change != (store.UnitListChange{Before: 0, After: len(us), Added: len(us)}) {
		t.Fatalf("first import: %+v %v", change, err)
	}
	next := slices.Clone(us[:len(us)-2]) // the last two go
	next[0].Name += " (mới)"             // one is renamed
	next[1], next[2] = next[2], next[1]  // two only move
	next = append(next, unit.Unit{Code: "MOI", Name: "Đơn vị mới", Type: unit.TypeOther})
	change, err = store.ReplaceUnitsIn(ctx, pool, contest, next)
	if err != nil || change != (store.UnitListChange{Before: len(us), After: len(next), Added: 1, Changed: 1, Removed: 2}) {
		t.Fatalf("second import: %+v %v", change, err)
	}
	// Inside a caller's transaction that rolls back, nothing stays.
	err = store.InTx(ctx, pool, func(tx store.Querier) error {
		if _, err := store.ReplaceUnitsIn(ctx, tx, contest, us[:1]); err != nil {
			return err
		}
		return errors.New("the audit entry failed")
	})
	if err == nil || len(listUnits(t, pool, contest)) != len(next) {
		t.Errorf("a rolled-back replacement: %v, %d units", err, len(listUnits(t, pool, contest)))
	}
}

// A person counts once, on the Vietnam day their first finished attempt started: 23:50
// on the 17th is the 17th, and an attempt in progress is no participation yet.
func TestFirstDays(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	f := reporttest.Load(t, pool)
	if _, err := store.FillOrganizationKeys(ctx, pool, 100); err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	firstDay := func(p reporttest.Person) string {
		first := ""
		for _, a := range p.Attempts {
			if (a.Round != "" && a.Round != reporttest.Round) || a.Status == "in_progress" {
				continue
			}
			s, _ := time.Parse(time.RFC3339, a.Start)
			if d := s.In(loc).Format(time.DateOnly); first == "" || d < first {
				first = d
			}
		}
		return first
	}
	type line struct{ key, day string }
	wantUnits, wantSpellings, wantPlaces := map[line]int64{}, map[line]int64{}, map[line]int64{}
	for _, p := range f.People {
		d := firstDay(p)
		if d == "" {
			continue
		}
		wantPlaces[line{p.Locality, d}]++
		if p.Unit() != "" {
			wantUnits[line{p.Unit(), d}]++
		} else {
			wantSpellings[line{unit.Key(p.Organization), d}]++
		}
	}
	got := map[string]map[line]int64{store.ByUnit: {}, store.BySpelling: {}, store.ByLocality: {}}
	if err := store.FirstDays(ctx, pool, reporttest.Round, "Asia/Ho_Chi_Minh", func(c store.FirstDayCount) error {
		got[c.By][line{c.Key, c.Day.Format(time.DateOnly)}] += c.People
		if c.By == store.BySpelling && unit.Key(c.Text) != c.Key {
			t.Errorf("spelling %q shown as %q", c.Key, c.Text)
		}
		if c.By != store.BySpelling && c.Text != "" {
			t.Errorf("a %s line with a text: %+v", c.By, c)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for by, want := range map[string]map[line]int64{store.ByUnit: wantUnits, store.BySpelling: wantSpellings, store.ByLocality: wantPlaces} {
		if !reflect.DeepEqual(got[by], want) {
			t.Errorf("by %s %v, want %v", by, got[by], want)
		}
	}
	if _, ok := wantUnits[line{"STTTT-VP", "2024-08-18"}]; !ok {
		t.Error("the fixture changed: the test expects Lê Văn Cường of STTTT-VP on the 18th")
	}
}

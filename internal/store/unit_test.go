package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
	"github.com/dxcontest/contest-platform/internal/unit"
)

func sampleUnits(t *testing.T) []unit.Unit {
	t.Helper()
	us, err := unit.Sample()
	if err != nil {
		t.Fatal(err)
	}
	return us
}

func listUnits(t *testing.T, pool *pgxpool.Pool, contestID string) []unit.Unit {
	t.Helper()
	us, err := store.ListUnits(context.Background(), pool, contestID)
	if err != nil {
		t.Fatal(err)
	}
	return us
}

// withUnits imports the sample localities and units for the test contest.
func withUnits(t *testing.T) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	if err := store.ReplaceLocalities(ctx, pool, contest, sampleLocalities(t)); err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceUnits(ctx, pool, contest, sampleUnits(t)); err != nil {
		t.Fatal(err)
	}
	return pool
}

// registerIn adds a contestant of the test contest with a unit code ("" for none) and free text.
func registerIn(t *testing.T, pool *pgxpool.Pool, n int, unitCode, organization string) int64 {
	t.Helper()
	id, err := store.CreateContestant(context.Background(), pool, store.Contestant{
		ContestID: contest, NationalID: fmt.Sprintf("0480900%05d", n), Phone: fmt.Sprintf("09100%05d", n),
		FullName: "Nguyễn Văn A", Gender: "male", ParticipantGroup: "official", Organization: organization,
		UnitCode: unitCode, LocalityCode: "22915", PasswordHash: "x",
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestReplaceUnitsThenList(t *testing.T) {
	ctx := context.Background()
	pool := withUnits(t)
	us := sampleUnits(t)
	if got := listUnits(t, pool, contest); !reflect.DeepEqual(got, us) {
		t.Fatalf("listed %d units, differing from the %d imported", len(got), len(us))
	}
	if got := listUnits(t, pool, "other-contest"); len(got) != 0 {
		t.Fatalf("another contest lists %d units", len(got))
	}

	// A second list renames, moves under a new parent, reorders, adds and drops units; the
	// other contest keeps its own list.
	if err := store.ReplaceUnits(ctx, pool, "other-contest", us[:3]); err != nil {
		t.Fatal(err)
	}
	n := 40
	next := []unit.Unit{
		{Code: "MOI", Name: "Ban Chỉ đạo mới", Type: unit.TypeAgency, Headcount: &n, Aliases: []string{"BCĐ"}},
		{Code: "STTTT", Name: "Sở Thông tin và Truyền thông (đổi tên)", ParentCode: "MOI", Type: unit.TypeAgency},
		{Code: "STTTT-VP", Name: "Văn phòng Sở", ParentCode: "STTTT", Type: unit.TypeAgency},
	}
	if err := store.ReplaceUnits(ctx, pool, contest, next); err != nil {
		t.Fatal(err)
	}
	if got := listUnits(t, pool, contest); !reflect.DeepEqual(got, next) {
		t.Fatalf("after the second import: %+v", got)
	}
	if got := listUnits(t, pool, "other-contest"); !reflect.DeepEqual(got, us[:3]) {
		t.Fatalf("the other contest's list changed: %+v", got)
	}
	// The search words follow the list: the old names are gone, the new alias is found.
	if hits, _, _ := store.SearchUnits(ctx, pool, contest, "bcđ", 5); len(hits) != 1 || hits[0].Code != "MOI" {
		t.Errorf("search for the new alias: %+v", hits)
	}
	if hits, _, _ := store.SearchUnits(ctx, pool, contest, "Sở Y tế", 5); len(hits) != 0 {
		t.Errorf("a dropped unit is still found: %+v", hits)
	}

	u, err := store.UnitByCode(ctx, pool, contest, "MOI")
	if err != nil || !reflect.DeepEqual(u, next[0]) {
		t.Errorf("UnitByCode = %+v, %v", u, err)
	}
	if _, err := store.UnitByCode(ctx, pool, contest, "SYT"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UnitByCode of a dropped unit: %v", err)
	}
}

func TestReplaceUnitsKeepsCodesContestantsUse(t *testing.T) {
	ctx := context.Background()
	pool := withUnits(t)
	us := sampleUnits(t)
	registerIn(t, pool, 1, "STTTT-VP", "Văn phòng Sở Thông tin và Truyền thông")
	registerIn(t, pool, 2, "SYT", "Sở Y tế")
	registerIn(t, pool, 3, "SYT", "Sở Y tế")
	registerIn(t, pool, 4, "", "Hội Cựu chiến binh")

	next := slices.DeleteFunc(slices.Clone(us), func(u unit.Unit) bool {
		return u.Code == "SYT" || strings.HasPrefix(u.Code, "STTTT-")
	})
	err := store.ReplaceUnits(ctx, pool, contest, next)
	var inUse *store.UnitInUseError
	if !errors.As(err, &inUse) || !reflect.DeepEqual(inUse.Codes, []string{"STTTT-VP", "SYT"}) {
		t.Fatalf("err %v, want a *UnitInUseError naming STTTT-VP and SYT", err)
	}
	if !strings.Contains(err.Error(), "STTTT-VP, SYT") {
		t.Errorf("message %q does not name the codes", err)
	}
	if got := listUnits(t, pool, contest); !reflect.DeepEqual(got, us) {
		t.Fatal("a refused replacement changed the list")
	}

	// Renaming a used unit, and dropping unused ones, is fine.
	next = slices.Clone(us)
	i := slices.IndexFunc(next, func(u unit.Unit) bool { return u.Code == "SYT" })
	next[i].Name = "Sở Y tế (đổi tên)"
	next = slices.DeleteFunc(next, func(u unit.Unit) bool { return u.Code == "STTTT-BCVT" })
	if err := store.ReplaceUnits(ctx, pool, contest, next); err != nil {
		t.Fatal(err)
	}
	if got := listUnits(t, pool, contest); !reflect.DeepEqual(got, next) {
		t.Fatal("the list is not the new one")
	}
}

func TestReplaceUnitsRefusesBadInput(t *testing.T) {
	pool := pgtest.Migrated(t)
	ctx := context.Background()
	if err := store.ReplaceUnits(ctx, pool, "Bình Thuận", sampleUnits(t)); err == nil || !strings.Contains(err.Error(), "contest ID") {
		t.Errorf("bad contest ID: %v", err)
	}
	orphan := []unit.Unit{{Code: "A", Name: "Phòng", ParentCode: "Z", Type: unit.TypeAgency}}
	if err := store.ReplaceUnits(ctx, pool, contest, orphan); err == nil || !strings.Contains(err.Error(), "parent Z is not in the list") {
		t.Errorf("orphan: %v", err)
	}
	if got := listUnits(t, pool, contest); len(got) != 0 {
		t.Errorf("a refused list wrote %d units", len(got))
	}
}

func TestSearchUnits(t *testing.T) {
	ctx := context.Background()
	pool := withUnits(t)
	codes := func(hits []store.UnitHit) []string {
		var out []string
		for _, h := range hits {
			out = append(out, h.Code)
		}
		return out
	}
	tests := []struct {
		text  string
		limit int
		want  []string
		more  bool
	}{
		{"Sở TTTT", 5, []string{"STTTT"}, false},                                  // an alias
		{"so thong tin", 5, []string{"STTTT", "STTTT-VP"}, false},                 // words, any case, no diacritics
		{"Sở Thông tin và Truyền thông", 5, []string{"STTTT", "STTTT-VP"}, false}, // exact name first
		{"sở tt&tt", 5, []string{"STTTT"}, false},                                 // punctuation splits words
		{"mũi", 5, []string{"X22915"}, false},                                     // a prefix of a word
		{"ubnd xa", 3, []string{"X22957", "X22960", "X22963"}, true},              // bounded, in list order
		{"UBND xã Tân Hà", 5, []string{"X23221", "X23257", "X23245"}, false},      // two of a name: both, each with its parent
		{"H593", 5, []string{"H593"}, false},                                      // a code
		{"", 5, nil, false},
		{"  &&  ", 5, nil, false},
		{"100%", 5, nil, false}, // LIKE's wildcards are text
		{"_", 5, nil, false},
		{"không có đơn vị này", 5, nil, false},
	}
	for _, tt := range tests {
		hits, more, err := store.SearchUnits(ctx, pool, contest, tt.text, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(hits); !reflect.DeepEqual(got, tt.want) || more != tt.more {
			t.Errorf("SearchUnits(%q, %d) = %v more %v, want %v more %v", tt.text, tt.limit, got, more, tt.want, tt.more)
		}
	}
	hits, _, _ := store.SearchUnits(ctx, pool, contest, "UBND xã Tân Hà", 5)
	if len(hits) < 2 || (hits[0].ParentName == hits[1].ParentName || hits[0].ParentName == "" || hits[0].Type != unit.TypeCommune) {
		t.Errorf("two units of one name cannot be told apart: %+v", hits)
	}
	// The limit is bounded whatever the caller asks.
	hits, more, _ := store.SearchUnits(ctx, pool, contest, "ubnd", 1000)
	if len(hits) != store.MaxUnitSearchHits || !more {
		t.Errorf("limit 1000 gave %d hits, more %v", len(hits), more)
	}
	// So is the text: words past the bound are not searched.
	long := strings.Repeat("sở ", 500)
	if _, _, err := store.SearchUnits(ctx, pool, contest, long, 5); err != nil {
		t.Errorf("a long text: %v", err)
	}
}

func TestContestantUnit(t *testing.T) {
	ctx := context.Background()
	pool := withUnits(t)
	id := registerIn(t, pool, 1, "SYT", "Sở Y tế")
	c, err := store.ContestantByID(ctx, pool, contest, id)
	if err != nil || c.UnitCode != "SYT" || c.Organization != "Sở Y tế" {
		t.Fatalf("contestant %+v, %v", c, err)
	}
	if _, err := store.CreateContestant(ctx, pool, store.Contestant{ContestID: contest, NationalID: "048090099999",
		Phone: "0910099999", FullName: "B", Gender: "male", ParticipantGroup: "official", UnitCode: "NOPE",
		LocalityCode: "22915", PasswordHash: "x"}); !errors.Is(err, store.ErrUnknownUnit) {
		t.Errorf("registering with an unknown unit: %v", err)
	}

	if err := store.SetContestantUnit(ctx, pool, contest, id, "STTTT-VP"); err != nil {
		t.Fatal(err)
	}
	if c, _ := store.ContestantByID(ctx, pool, contest, id); c.UnitCode != "STTTT-VP" {
		t.Errorf("unit after setting: %q", c.UnitCode)
	}
	if err := store.SetContestantUnit(ctx, pool, contest, id, "NOPE"); !errors.Is(err, store.ErrUnknownUnit) {
		t.Errorf("setting an unknown unit: %v", err)
	}
	if err := store.SetContestantUnit(ctx, pool, "other-contest", id, "SYT"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("setting the unit of another contest's contestant: %v", err)
	}
	if err := store.SetContestantUnit(ctx, pool, contest, id, ""); err != nil {
		t.Fatal(err)
	}
	if c, _ := store.ContestantByID(ctx, pool, contest, id); c.UnitCode != "" || c.Organization != "Sở Y tế" {
		t.Errorf("after clearing: unit %q, organization %q", c.UnitCode, c.Organization)
	}
}

package store_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

const contest = "cds-binhthuan-2024"

func sampleLocalities(t testing.TB) []locality.Locality {
	t.Helper()
	ls, err := locality.Sample()
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func listLocalities(t *testing.T, pool *pgxpool.Pool, contestID string) []locality.Locality {
	t.Helper()
	ls, err := store.ListLocalities(context.Background(), pool, contestID)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestReplaceLocalitiesThenList(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	ls := sampleLocalities(t)
	if err := store.ReplaceLocalities(ctx, pool, contest, ls); err != nil {
		t.Fatal(err)
	}
	// The sample is ordered as the listing orders: each district by code, then its communes.
	if got := listLocalities(t, pool, contest); !reflect.DeepEqual(got, ls) {
		t.Fatalf("listed %d localities, differing from the %d imported", len(got), len(ls))
	}
	if got := listLocalities(t, pool, "other-contest"); len(got) != 0 {
		t.Fatalf("another contest lists %d localities", len(got))
	}

	// A second list renames, moves, adds and drops units; the other contest keeps its own.
	if err := store.ReplaceLocalities(ctx, pool, "other-contest", ls[:3]); err != nil {
		t.Fatal(err)
	}
	next := []locality.Locality{
		{Code: "593", Name: "Thành phố Phan Thiết (mới)"},
		{Code: "22915", Name: "Phường Mũi Né", ParentCode: "593"},
		{Code: "700", Name: "Huyện Mới"},
		{Code: "22918", Name: "Phường Hàm Tiến", ParentCode: "700"},
		{Code: "99999", Name: "Xã Mới", ParentCode: "700"},
	}
	if err := store.ReplaceLocalities(ctx, pool, contest, next); err != nil {
		t.Fatal(err)
	}
	if got := listLocalities(t, pool, contest); !reflect.DeepEqual(got, next) {
		t.Fatalf("after the second import: %+v", got)
	}
	if got := listLocalities(t, pool, "other-contest"); !reflect.DeepEqual(got, ls[:3]) {
		t.Fatalf("the other contest's list changed: %+v", got)
	}
}

func TestReplaceLocalitiesKeepsCodesContestantsUse(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	ls := sampleLocalities(t)
	if err := store.ReplaceLocalities(ctx, pool, contest, ls); err != nil {
		t.Fatal(err)
	}
	for i, code := range []string{"22915", "23272", "23272"} {
		if _, err := pool.Exec(ctx, `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date,
			gender, participant_group, locality_code, password_hash)
			VALUES ($1, $2, $3, 'Nguyễn Văn A', '1990-01-02', 'male', 'resident', $4, 'x')`,
			contest, "04809000000"+string(rune('0'+i)), "090000000"+string(rune('0'+i)), code); err != nil {
			t.Fatal(err)
		}
	}

	// Drop Phan Thiết's first ward and the whole Phú Quí district (602).
	next := slices.DeleteFunc(slices.Clone(ls[:len(ls)-4]), func(l locality.Locality) bool { return l.Code == "22915" })
	err := store.ReplaceLocalities(ctx, pool, contest, next)
	var inUse *store.LocalityInUseError
	if !errors.As(err, &inUse) || !reflect.DeepEqual(inUse.Codes, []string{"22915", "23272"}) {
		t.Fatalf("err %v, want a *LocalityInUseError naming 22915 and 23272", err)
	}
	if !strings.Contains(err.Error(), "22915, 23272") {
		t.Errorf("message %q does not name the codes", err)
	}
	if got := listLocalities(t, pool, contest); !reflect.DeepEqual(got, ls) {
		t.Fatal("a refused replacement changed the list")
	}

	// Renaming a used unit, and dropping unused ones, is fine.
	next = slices.Clone(ls)
	next[1].Name = "Phường Mũi Né (đổi tên)"
	next = slices.DeleteFunc(next, func(l locality.Locality) bool { return l.Code == "22918" })
	if err := store.ReplaceLocalities(ctx, pool, contest, next); err != nil {
		t.Fatal(err)
	}
	if got := listLocalities(t, pool, contest); !reflect.DeepEqual(got, next) {
		t.Fatal("the list is not the new one")
	}
}

func TestReplaceLocalitiesRefusesBadInput(t *testing.T) {
	pool := pgtest.Migrated(t)
	ctx := context.Background()
	if err := store.ReplaceLocalities(ctx, pool, "Bình Thuận", sampleLocalities(t)); err == nil || !strings.Contains(err.Error(), "contest ID") {
		t.Errorf("bad contest ID: %v", err)
	}
	orphan := []locality.Locality{{Code: "1", Name: "Xã", ParentCode: "9"}}
	if err := store.ReplaceLocalities(ctx, pool, contest, orphan); err == nil || !strings.Contains(err.Error(), "parent 9 is not in the list") {
		t.Errorf("orphan: %v", err)
	}
}

package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

func TestCertificateHolders(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	f := reporttest.Load(t, pool)
	first, tied, late := f.IDs[0], f.IDs[2], f.IDs[8] // late took part in the other round only

	h, err := store.CertificateHolderOf(ctx, pool, reporttest.Round, first)
	if err != nil {
		t.Fatal(err)
	}
	if h.Prize != "Giải Nhất" || h.TieAtBoundary || h.Published || h.FullName != "Nguyễn Văn An" ||
		h.DistrictName == "" || !h.RankedAt.Equal(time.Date(2024, 9, 1, 0, 5, 0, 0, time.UTC)) {
		t.Errorf("the winner's line before publication: %+v", h)
	}
	if h, err := store.CertificateHolderOf(ctx, pool, reporttest.Round, tied); err != nil || h.Prize != "" || !h.TieAtBoundary {
		t.Errorf("a person tied at a boundary: %+v, %v", h, err)
	}
	if _, err := store.CertificateHolderOf(ctx, pool, reporttest.Round, late); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a person the round's ranking lacks: %v, want ErrNotFound", err)
	}
	if _, err := store.CertificateHolderOf(ctx, pool, reporttest.OtherRound, first); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a round without a ranking: %v, want ErrNotFound", err)
	}

	// Nothing is listed for a person until the round is published.
	if hs, err := store.PublishedRankingsOf(ctx, pool, first); err != nil || len(hs) != 0 {
		t.Errorf("before publication: %+v, %v", hs, err)
	}
	if _, err := store.Publish(ctx, pool, reporttest.Round, "ban.to.chuc"); err != nil {
		t.Fatal(err)
	}
	hs, err := store.PublishedRankingsOf(ctx, pool, first)
	if err != nil || len(hs) != 1 || hs[0].Round != reporttest.Round || !hs[0].Published || hs[0].PublishedAt.IsZero() || hs[0].Prize != "Giải Nhất" {
		t.Errorf("after publication: %+v, %v", hs, err)
	}
	if hs, err := store.PublishedRankingsOf(ctx, pool, late); err != nil || len(hs) != 0 {
		t.Errorf("a person of another round: %+v, %v", hs, err)
	}

	// The prize holders: in listing order, without the people holding places for a tie.
	ps, err := store.PrizeHolders(ctx, pool, reporttest.Round)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.FullName+":"+p.Prize)
	}
	if want := []string{"Nguyễn Văn An:Giải Nhất", "Trần Thị Bình:Giải Nhì", "Võ Thị Phương:Giải Ba"}; len(got) != len(want) ||
		got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("prize holders %q, want %q", got, want)
	}
}

// The person's lines are found through an index, not by reading every round's ranking.
func TestCertificateHolderUsesTheIndex(t *testing.T) {
	ctx := context.Background()
	conn, err := pgtest.Migrated(t).Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	// An empty table is read whole whatever its indexes: ask for the plan of a large one.
	if _, err := conn.Exec(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	var plan string
	rows, err := conn.Query(ctx, `EXPLAIN SELECT 1 FROM ranking_entry WHERE contestant_id = 42`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan += line + "\n"
	}
	if rows.Close(); !strings.Contains(plan, "ranking_entry_contestant") {
		t.Errorf("the plan does not use ranking_entry_contestant:\n%s", plan)
	}
}

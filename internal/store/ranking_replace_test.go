package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// A new ranking of a round replaces its lines entirely (no foreign key cascades the old
// ones away since 0019: ReplaceRanking deletes them) and leaves other rounds' lines alone.
func TestReplaceRankingReplacesOnlyItsRound(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	at := time.Date(2024, 8, 20, 9, 0, 0, 0, time.UTC)
	line := func(pos int, person int64) store.RankingRow {
		return store.RankingRow{Position: pos, Rank: pos, ContestantID: person, AttemptID: person * 10, Correct: 15, Total: 15,
			TimeUsed: time.Minute, SubmittedAt: at, Eligible: true}
	}
	store1 := func(round string, rows ...store.RankingRow) {
		t.Helper()
		if err := store.ReplaceRanking(ctx, pool, store.RankingRun{Round: round, ComputedAt: at, Participants: len(rows), TieBreak: []string{"Correct"}}, rows); err != nil {
			t.Fatal(err)
		}
	}
	people := func(round string) []int64 {
		t.Helper()
		var ids []int64
		if err := store.StreamRanking(ctx, pool, round, func(r store.RankingRow) error { ids = append(ids, r.ContestantID); return nil }); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	store1("contest/dot-1", line(1, 1), line(2, 2), line(3, 3))
	store1("contest/dot-2", line(1, 7))
	store1("contest/dot-1", line(1, 3), line(2, 4)) // a re-rank after a key correction

	if got := people("contest/dot-1"); !slices.Equal(got, []int64{3, 4}) {
		t.Errorf("dot-1 after re-ranking lists %v, want [3 4]", got)
	}
	if got := people("contest/dot-2"); !slices.Equal(got, []int64{7}) {
		t.Errorf("dot-2 lists %v, want [7]", got)
	}
	// The same lines again (positions 1 and 2 already taken by this round) replace, not clash.
	store1("contest/dot-1", line(1, 3), line(2, 4))
	if got := people("contest/dot-1"); !slices.Equal(got, []int64{3, 4}) {
		t.Errorf("dot-1 ranked twice the same lists %v", got)
	}
}

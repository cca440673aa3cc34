package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

func TestConsoleQueries(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	reporttest.Load(t, pool)

	act, err := store.RoundActivities(ctx, pool, []string{reporttest.Round, reporttest.OtherRound, "default/none"})
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's round: seven people finished ten attempts, two of them perfectly;
	// two attempts are still running (one of a person with no finished attempt).
	if got, want := act[reporttest.Round], (store.RoundActivity{Participants: 7, Attempts: 10, Perfect: 2, InProgress: 2}); got != want {
		t.Errorf("round activity %+v, want %+v", got, want)
	}
	if got, want := act[reporttest.OtherRound], (store.RoundActivity{Participants: 1, Attempts: 1, Perfect: 1}); got != want {
		t.Errorf("other round's activity %+v, want %+v", got, want)
	}
	if _, ok := act["default/none"]; ok {
		t.Error("a round without attempts has activity")
	}
}

func TestPublication(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	const round = "contest/dot-1"
	if ok, err := store.IsPublished(ctx, pool, round); err != nil || ok {
		t.Fatalf("published before publishing: %v %v", ok, err)
	}
	if created, err := store.Publish(ctx, pool, round, "bto"); err != nil || !created {
		t.Fatalf("publish: %v %v", created, err)
	}
	first, err := store.PublicationOf(ctx, pool, round)
	if err != nil || first.PublishedBy != "bto" || first.PublishedAt.IsZero() {
		t.Fatalf("publication %+v %v", first, err)
	}
	// Publishing again keeps the first record.
	if created, err := store.Publish(ctx, pool, round, "other"); err != nil || created {
		t.Fatalf("publish again: %v %v", created, err)
	}
	if again, _ := store.PublicationOf(ctx, pool, round); again != first {
		t.Errorf("publishing again changed the record: %+v, was %+v", again, first)
	}
	if _, err := store.PublicationOf(ctx, pool, "contest/dot-2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("publication of an unpublished round: %v", err)
	}
	if ok, _ := store.IsPublished(ctx, pool, "contest/dot-2"); ok {
		t.Error("another round is published too")
	}
	if removed, err := store.Unpublish(ctx, pool, round); err != nil || !removed {
		t.Fatalf("unpublish: %v %v", removed, err)
	}
	if ok, _ := store.IsPublished(ctx, pool, round); ok {
		t.Error("still published after unpublishing")
	}
	if removed, err := store.Unpublish(ctx, pool, round); err != nil || removed {
		t.Fatalf("unpublish twice: %v %v", removed, err)
	}
}

// A re-rank replaces the results people saw: they stay hidden until published again.
func TestNewRankingWithdrawsPublication(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	run := store.RankingRun{Round: "contest/dot-1", ComputedAt: time.Now(), TieBreak: []string{"Correct"}}
	if err := store.ReplaceRanking(ctx, pool, run, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Publish(ctx, pool, "contest/dot-1", "ban-to-chuc"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := store.IsPublished(ctx, pool, "contest/dot-1"); !ok {
		t.Fatal("not published")
	}
	if err := store.ReplaceRanking(ctx, pool, run, nil); err != nil {
		t.Fatal(err)
	}
	if ok, _ := store.IsPublished(ctx, pool, "contest/dot-1"); ok {
		t.Fatal("a new ranking is public without being published again")
	}
}

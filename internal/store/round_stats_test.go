package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/contestdata"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

const statsZone = "Asia/Ho_Chi_Minh"

// recount is what the one-pass count must equal: the straightforward queries, one per
// table, each counting from scratch.
func recount(t *testing.T, pool *pgxpool.Pool, round string) *store.RoundStats {
	t.Helper()
	ctx := context.Background()
	want := &store.RoundStats{Round: round}
	act, err := store.RoundActivities(ctx, pool, []string{round})
	if err != nil {
		t.Fatal(err)
	}
	want.Activity = act[round]
	if want.Groups, err = store.ParticipationByGroup(ctx, pool, round); err != nil {
		t.Fatal(err)
	}
	if want.Localities, err = store.ParticipationByLocality(ctx, pool, round); err != nil {
		t.Fatal(err)
	}
	if want.Units, err = store.ParticipationByUnit(ctx, pool, round); err != nil {
		t.Fatal(err)
	}
	if want.Days, err = store.ParticipationByDay(ctx, pool, round, statsZone); err != nil {
		t.Fatal(err)
	}
	return want
}

// checkStats compares a count with the recount, list by list, and TopUnits with the
// store's own query of the same order.
func checkStats(t *testing.T, pool *pgxpool.Pool, got *store.RoundStats, step string) {
	t.Helper()
	want := recount(t, pool, got.Round)
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"activity", got.Activity, want.Activity},
		{"groups", got.Groups, want.Groups},
		{"localities", got.Localities, want.Localities},
		{"units", got.Units, want.Units},
		{"days", got.Days, want.Days},
	} {
		if !reflect.DeepEqual(c.got, c.want) && !(reflect.ValueOf(c.got).Kind() == reflect.Slice &&
			reflect.ValueOf(c.got).Len() == 0 && reflect.ValueOf(c.want).Len() == 0) {
			t.Errorf("%s: %s differ from the recount:\n got %+v\nwant %+v", step, c.name, c.got, c.want)
		}
	}
	for _, n := range []int{3, 50, 1 << 20} {
		top, lines, err := store.TopUnits(context.Background(), pool, got.Round, n)
		if err != nil {
			t.Fatal(err)
		}
		if g := got.TopUnits(n); lines != got.UnitLines || !reflect.DeepEqual(g, top) && len(g)+len(top) > 0 {
			t.Errorf("%s: top %d units %+v (%d lines), want %+v (%d lines)", step, n, g, got.UnitLines, top, lines)
		}
	}
}

func countStats(t *testing.T, pool *pgxpool.Pool, round string) *store.RoundStats {
	t.Helper()
	s, err := store.ComputeRoundStats(context.Background(), pool, round, store.StatsOptions{Zone: statsZone})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The report's fixture: hand-written people with free-text organizations that look like
// formulas, units with a division, attempts in progress, another round.
func TestRoundStatsOnTheReportFixture(t *testing.T) {
	pool := pgtest.Migrated(t)
	reporttest.Load(t, pool)
	s := countStats(t, pool, reporttest.Round)
	if s.Activity != (store.RoundActivity{Participants: 7, Attempts: 10, Perfect: 2, InProgress: 2}) {
		t.Errorf("activity %+v", s.Activity)
	}
	checkStats(t, pool, s, "fixture")
	checkStats(t, pool, countStats(t, pool, reporttest.OtherRound), "other round")
	if empty := countStats(t, pool, "default/nobody"); empty.Activity != (store.RoundActivity{}) || len(empty.Localities) != 0 {
		t.Errorf("a round without attempts: %+v", empty)
	}
}

// Generated people (groups, communes, units and typed organizations as in a real round),
// then attempts started, submitted, closed at their deadline and rescored through the
// attempt service and the store, as the web app, the sweeper and a regrade do: after each
// step the one-pass count equals the recount.
func TestRoundStatsEqualRecountAsTheRoundRuns(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	opts := contestdata.Options{People: 1500, Attempts: 2400, InProgress: 30, Seed: 7}
	sum, err := contestdata.Load(ctx, pool, opts)
	if err != nil {
		t.Fatal(err)
	}
	round := contestdata.DefaultRound
	s := countStats(t, pool, round)
	if s.Activity.Participants != sum.Participants || s.Activity.Attempts != sum.Attempts || s.Activity.InProgress != sum.InProgress {
		t.Errorf("generated data: %+v, generator says %+v", s.Activity, sum)
	}
	checkStats(t, pool, s, "generated")

	b, err := bank.Sample()
	if err != nil {
		t.Fatal(err)
	}
	svc := attempt.New(store.NewAttempts(pool), func(context.Context, string, int) (*bank.Bank, error) { return b, nil })
	var quotas []exam.Quota
	for _, tp := range bank.PlanTopics() {
		quotas = append(quotas, exam.Quota{Topic: tp.Code, Questions: 3})
	}
	rules := attempt.Rules{Round: round, MaxAttempts: 3, TimeLimit: time.Hour, OpensAt: time.Now().Add(-time.Hour),
		ClosesAt: time.Now().Add(time.Hour), BankName: b.Name, BankVersion: b.Version, Quotas: quotas}
	rnd := rand.New(rand.NewPCG(1, 2))
	// People with no attempt yet (registered late) and people coming back for another one.
	late := make([]int64, 0, 120)
	for i := range 120 {
		id, err := store.CreateContestant(ctx, pool, store.Contestant{ContestID: contestdata.DefaultContest,
			NationalID: fmt.Sprintf("0601%08d", i), Phone: fmt.Sprintf("08%08d", i), FullName: "Người đến muộn",
			BirthDate: time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), Gender: "female", ParticipantGroup: "resident",
			Organization: []string{"", "Hợp tác xã Tiến Thành", "Trường THPT Phan Bội Châu"}[i%3], LocalityCode: "22963", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		late = append(late, id)
	}
	start := func(who []int64, r attempt.Rules) []attempt.Attempt {
		var out []attempt.Attempt
		for _, id := range who {
			a, err := svc.Start(ctx, r, id)
			if err != nil {
				continue // no attempt left, or one in progress: as the web app would refuse
			}
			out = append(out, a)
		}
		return out
	}
	submit := func(as []attempt.Attempt) {
		for _, a := range as {
			answers := exam.Answers{}
			for i := range a.Paper.Len() {
				if rnd.IntN(4) > 0 {
					answers[i] = "A"
				}
			}
			if _, _, err := svc.Submit(ctx, a.ID, a.ContestantID, answers, int64(rnd.IntN(1000))); err != nil {
				t.Fatal(err)
			}
		}
	}
	returning := make([]int64, 0, 300)
	for range 300 {
		returning = append(returning, sum.FirstID+int64(rnd.IntN(opts.People)))
	}

	// 1. Starts: in progress, nobody new takes part yet.
	first := start(late, rules)
	again := start(returning, rules)
	checkStats(t, pool, countStats(t, pool, round), "after starts")
	// 2. Submits: the late people take part (each with one attempt), others add one.
	submit(first[:80])
	submit(again[:len(again)/2])
	checkStats(t, pool, countStats(t, pool, round), "after submits")
	// 3. Closed at the deadline: attempts whose time ran out, closed by the sweeper.
	short := rules
	short.TimeLimit = time.Second
	overdue := start(late[80:], short)
	time.Sleep(1100 * time.Millisecond)
	if n, err := svc.ExpireOverdue(ctx, 1000); err != nil || n < len(overdue) {
		t.Fatalf("expired %d of %d: %v", n, len(overdue), err)
	}
	checkStats(t, pool, countStats(t, pool, round), "after expiries")
	// 4. A regrade: a key correction rescores finished attempts in bulk; the perfect count
	// follows once the snapshot is counted again.
	before := countStats(t, pool, round)
	if err := store.SaveRoundStats(ctx, pool, before); err != nil {
		t.Fatal(err)
	}
	tag, err := pool.Exec(ctx, `UPDATE attempt SET correct = total WHERE round = $1 AND status <> 'in_progress' AND correct = total - 1`, round)
	if err != nil || tag.RowsAffected() == 0 {
		t.Fatalf("regrade: %v %v", tag, err)
	}
	if err := store.InvalidateRoundStats(ctx, pool, round); err != nil {
		t.Fatal(err)
	}
	stored, err := store.ReadRoundStats(ctx, pool, []string{round})
	if err != nil {
		t.Fatal(err)
	}
	if !stored[round].Invalidated {
		t.Error("the snapshot counted before the regrade is not marked out of date")
	}
	after := countStats(t, pool, round)
	if after.Activity.Perfect <= before.Activity.Perfect {
		t.Errorf("perfect %d after the regrade, %d before", after.Activity.Perfect, before.Activity.Perfect)
	}
	checkStats(t, pool, after, "after a regrade")
	// The rest of the attempts submitted: everyone started has finished.
	submit(first[80:])
	submit(again[len(again)/2:])
	checkStats(t, pool, countStats(t, pool, round), "after the last submits")
}

// The snapshot keeps what the console shows, and one replica at a time counts again.
func TestRoundStatsSnapshot(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	reporttest.Load(t, pool)
	round := reporttest.Round
	if got, err := store.ReadRoundStats(ctx, pool, []string{round}); err != nil || len(got) != 0 {
		t.Fatalf("before any count: %v %v", got, err)
	}
	claim := func(maxAge time.Duration) bool {
		t.Helper()
		ok, err := store.ClaimRoundStats(ctx, pool, round, maxAge, 0, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim(time.Minute) {
		t.Fatal("the first claim is refused")
	}
	if claim(time.Minute) {
		t.Error("a second replica claims while the first counts")
	}
	if got, _ := store.ReadRoundStats(ctx, pool, []string{round}); len(got) != 0 {
		t.Error("a claim without a count reads as a snapshot")
	}
	s := countStats(t, pool, round)
	s.Trim(3)
	if err := store.SaveRoundStats(ctx, pool, s); err != nil {
		t.Fatal(err)
	}
	got, err := store.ReadRoundStats(ctx, pool, []string{round, "default/none"})
	if err != nil {
		t.Fatal(err)
	}
	st, ok := got[round]
	if !ok || len(got) != 1 {
		t.Fatalf("read %v", got)
	}
	st.Stats.Took, s.Took = 0, 0 // stored to the millisecond
	if !reflect.DeepEqual(st.Stats, s) {
		t.Errorf("stored\n%+v\nread back\n%+v", s, st.Stats)
	}
	if len(st.Stats.Units) != 3 || st.Stats.UnitLines < 3 {
		t.Errorf("trimmed list: %d unit lines of %d", len(st.Stats.Units), st.Stats.UnitLines)
	}
	if st.Invalidated || st.Refreshing || st.Age < 0 || st.Age > time.Minute {
		t.Errorf("fresh snapshot: %+v", st)
	}
	if claim(time.Minute) {
		t.Error("a fresh snapshot is claimed for counting again")
	}
	if !claim(0) {
		t.Error("a snapshot older than the age asked for is not claimed")
	}
	if err := store.ReleaseRoundStats(ctx, pool, round, 0); err != nil {
		t.Fatal(err)
	}
	// A change committed while a count runs (its snapshot taken before): the count is out
	// of date as soon as it is saved.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`); err != nil {
		t.Fatal(err)
	}
	var gen int64
	if err := tx.QueryRow(ctx, `SELECT generation FROM round_stats WHERE round = $1`, round).Scan(&gen); err != nil {
		t.Fatal(err)
	}
	if err := store.InvalidateRoundStats(ctx, pool); err != nil { // every round
		t.Fatal(err)
	}
	stale := *s
	stale.Generation, stale.ComputedAt = gen, time.Now()
	if err := store.SaveRoundStats(ctx, pool, &stale); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.ReadRoundStats(ctx, pool, []string{round}); !got[round].Invalidated {
		t.Error("a count whose snapshot missed an invalidation reads as up to date")
	}
	if !claim(time.Hour) {
		t.Error("an invalidated snapshot is not claimed for counting again")
	}
	fresh := countStats(t, pool, round)
	if err := store.SaveRoundStats(ctx, pool, fresh); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.ReadRoundStats(ctx, pool, []string{round}); got[round].Invalidated || got[round].Refreshing {
		t.Errorf("after a new count: %+v", got[round])
	}
	// An older count saved late does not replace a newer one.
	if err := store.SaveRoundStats(ctx, pool, s); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.ReadRoundStats(ctx, pool, []string{round}); !got[round].Stats.ComputedAt.Equal(fresh.ComputedAt) {
		t.Errorf("an older count replaced the newer: %v, want %v", got[round].Stats.ComputedAt, fresh.ComputedAt)
	}
}

// Counting is spaced out: however old or invalidated the snapshot, the next count begins no
// sooner than spacing times the last one's duration after it began, so organizers who
// keep looking (or keep correcting) cost the database a bounded share of a core.
func TestRoundStatsClaimsAreSpacedOut(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	reporttest.Load(t, pool)
	round := reporttest.Round
	s := countStats(t, pool, round)
	if err := store.SaveRoundStats(ctx, pool, s); err != nil {
		t.Fatal(err)
	}
	// The last count began 50 s ago and took 2 s: with a spacing of 30 the next may begin
	// 60 s after it, i.e. in 10 s; with 20, now.
	if _, err := pool.Exec(ctx, `UPDATE round_stats SET took_ms = 2000, computed_at = now() - interval '50 seconds' WHERE round = $1`, round); err != nil {
		t.Fatal(err)
	}
	claim := func(spacing float64) bool {
		t.Helper()
		ok, err := store.ClaimRoundStats(ctx, pool, round, time.Second, spacing, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if claim(30) {
		t.Error("a snapshot older than the age asked for is claimed before the spacing allows")
	}
	if err := store.InvalidateRoundStats(ctx, pool, round); err != nil {
		t.Fatal(err)
	}
	if claim(30) {
		t.Error("an invalidated snapshot is claimed before the spacing allows")
	}
	if got := store.StatsSpacingWait(2*time.Second, 30); got != time.Minute {
		t.Errorf("StatsSpacingWait(2s, 30) = %v, want 1m", got)
	}
	if !claim(20) {
		t.Error("an invalidated snapshot is not claimed once the spacing allows")
	}
	// A count that failed cost its time too: the next waits as long as after a success.
	if err := store.ReleaseRoundStats(ctx, pool, round, time.Minute); err != nil {
		t.Fatal(err)
	}
	if claim(1) {
		t.Error("claimed again right after a failed count, which holds it back for a minute")
	}
	if err := store.ReleaseRoundStats(ctx, pool, round, 0); err != nil {
		t.Fatal(err)
	}
	// A count that took no measurable time is held back by nothing but the age.
	if _, err := pool.Exec(ctx, `UPDATE round_stats SET took_ms = 0, computed_at = now() - interval '2 seconds' WHERE round = $1`, round); err != nil {
		t.Fatal(err)
	}
	if !claim(1000) {
		t.Error("a snapshot counted in no time is held back")
	}
}

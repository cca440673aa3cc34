package store_test

// The console's counts over a round of 1,000,000 attempts by 500,000 people
// (internal/testutil/contestdata), query by query (docs/BENCHMARKS.md, "Organizer
// statistics at 1,000,000 attempts"):
//
//	hack/with-postgres.sh go test -run '^$' -bench RoundStats1M -benchtime 5x ./internal/store/

import (
	"context"
	"testing"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/benchmeter"
	"github.com/dxcontest/contest-platform/internal/testutil/contestdata"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// BenchmarkRoundStats1M: the per-table recount queries (what the dashboard ran at every
// view before), the one-pass count that replaced them, and reading the shared snapshot
// (what a view costs now). Each reports the server's CPU per operation.
func BenchmarkRoundStats1M(b *testing.B) {
	dsn, _ := contestdata.Clone(b, contestdata.Options{})
	pool := pgtest.Connect(b, dsn)
	ctx := context.Background()
	round := contestdata.DefaultRound
	all := []string{round}
	s, err := store.ComputeRoundStats(ctx, pool, round, store.StatsOptions{Zone: statsZone})
	if err != nil {
		b.Fatal(err)
	}
	s.Trim(50)
	if err := store.SaveRoundStats(ctx, pool, s); err != nil {
		b.Fatal(err)
	}
	for _, q := range []struct {
		name string
		run  func() error
	}{
		{"recount/RoundActivities", func() error { _, err := store.RoundActivities(ctx, pool, all); return err }},
		{"recount/ParticipationByGroup", func() error { _, err := store.ParticipationByGroup(ctx, pool, round); return err }},
		{"recount/ParticipationByLocality", func() error { _, err := store.ParticipationByLocality(ctx, pool, round); return err }},
		{"recount/TopUnits", func() error { _, _, err := store.TopUnits(ctx, pool, round, 50); return err }},
		{"recount/ParticipationByDay", func() error { _, err := store.ParticipationByDay(ctx, pool, round, statsZone); return err }},
		{"recount/ParticipationByUnit", func() error { _, err := store.ParticipationByUnit(ctx, pool, round); return err }},
		{"landing/Participation", func() error { _, err := store.NewAttempts(pool).Participation(ctx, all); return err }},
		{"ComputeRoundStats", func() error {
			_, err := store.ComputeRoundStats(ctx, pool, round, store.StatsOptions{Zone: statsZone})
			return err
		}},
		{"ReadRoundStats", func() error { _, err := store.ReadRoundStats(ctx, pool, all); return err }},
	} {
		b.Run(q.name, func(b *testing.B) {
			if err := q.run(); err != nil { // warm the cache
				b.Fatal(err)
			}
			cpu := benchmeter.ReadCPU()
			b.ResetTimer()
			for range b.N {
				if err := q.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			benchmeter.ReportCPU(b, cpu, benchmeter.ReadCPU(), "go-CPU-µs/op")
		})
	}
}

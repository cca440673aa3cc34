package store_test

// The item analysis of a round of 1,000,000 finished attempts (500,000 people, two each,
// 15 questions from a 500-question bank), three ways:
//
//	stored-responses     store.ItemTally: each attempt's responses (about 50 bytes) read
//	                     row by row and counted in Go; what the console and the report run
//	json-in-sql          the papers and answers (JSON) unnested and added up in the
//	                     database, per question and option: the fallback for attempts
//	                     finished before responses were stored, here for every attempt
//	json-decoded-in-go   the papers and answers sent to Go, decoded with encoding/json and
//	                     scored with exam.Score
//
//	hack/with-postgres.sh go test -run '^$' -bench ItemAnalysis -benchtime 1x -timeout 30m ./internal/store/
//
// Besides the time, each reports this process's and the server's CPU time and the peak
// live heap while it runs. The results are in docs/BENCHMARKS.md.

import (
	"context"
	"encoding/json"
	"os"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/benchmeter"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

const itemBenchRound = "contest/dot-1"

func BenchmarkItemAnalysis(b *testing.B) {
	ctx := context.Background()
	dsn := pgtest.Empty(b)
	pool := pgtest.Connect(b, dsn)
	if _, err := store.Migrate(ctx, pool); err != nil {
		b.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, os.Getenv(pgtest.EnvDSN))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { admin.Close(context.Background()) })
	var database string
	if err := pool.QueryRow(ctx, `SELECT current_database()`).Scan(&database); err != nil {
		b.Fatal(err)
	}
	bk := itemBank(100)
	// Two questions keyed wrong, which the analysis must find.
	wrong := map[int]bool{3: true, 250: true}
	seedItemAttempts(b, pool, itemSeed{Round: itemBenchRound, People: 500_000, PerHead: 2, Bank: bk, Seed: 1, WrongKey: wrong})
	// As autovacuum leaves a table once the round is over.
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}

	run := func(b *testing.B, analyze func() (*itemstats.Analysis, error)) {
		benchmeter.Quiesce(b, admin, database, pool)
		// The seeding's pages are written out before, not during, the timed part.
		if _, err := admin.Exec(ctx, `CHECKPOINT`); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		before := benchmeter.ReadCPU()
		var peak uint64
		b.ResetTimer()
		for b.Loop() {
			var a *itemstats.Analysis
			var err error
			peak = max(peak, peakHeap(func() { a, err = analyze() }))
			if err != nil {
				b.Fatal(err)
			}
			if a.Attempts < 990_000 || len(a.Items) != len(bk.Questions) || a.Dubious() != len(wrong) {
				b.Fatalf("%d attempts, %d questions, %d dubious", a.Attempts, len(a.Items), a.Dubious())
			}
			for _, it := range a.Items[:len(wrong)] {
				if !wrong[it.Index] {
					b.Fatalf("question %d flagged, keyed right", it.Index)
				}
			}
		}
		b.StopTimer()
		benchmeter.Quiesce(b, admin, database, pool)
		benchmeter.ReportCPU(b, before, benchmeter.ReadCPU(), "client-CPU-µs/op")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	}
	b.Run("stored-responses", func(b *testing.B) {
		run(b, func() (*itemstats.Analysis, error) {
			t, err := store.ItemTally(ctx, pool, itemBenchRound, bk)
			if err != nil {
				return nil, err
			}
			return t.Analyze()
		})
	})
	b.Run("json-in-sql", func(b *testing.B) {
		run(b, func() (*itemstats.Analysis, error) {
			t := itemstats.NewTally(bk)
			if err := store.ItemSumsFromJSON(ctx, pool, itemBenchRound, t); err != nil {
				return nil, err
			}
			return t.Analyze()
		})
	})
	b.Run("json-decoded-in-go", func(b *testing.B) {
		run(b, func() (*itemstats.Analysis, error) { return decodedInGo(ctx, pool, bk) })
	})
}

// decodedInGo reads every paper and its answers and scores them in Go.
func decodedInGo(ctx context.Context, pool *pgxpool.Pool, bk *bank.Bank) (*itemstats.Analysis, error) {
	t := itemstats.NewTally(bk)
	rows, err := pool.Query(ctx, `SELECT paper, answers, coalesce(correct, 0) FROM attempt
		WHERE round = $1 AND status <> 'in_progress' AND answers <> '{}'`, itemBenchRound)
	if err != nil {
		return nil, err
	}
	var paper, answers []byte
	var correct int16
	if _, err := pgx.ForEachRow(rows, []any{&paper, &answers, &correct}, func() error {
		var p exam.Paper
		var a exam.Answers
		if err := json.Unmarshal(paper, &p); err != nil {
			return err
		}
		if err := json.Unmarshal(answers, &a); err != nil {
			return err
		}
		res, err := exam.Score(p, bk, a)
		if err != nil {
			return err
		}
		for _, it := range res.PerItem {
			if err := t.Add(it.Question, it.Option, int(correct)); err != nil {
				return err
			}
		}
		t.AddAttempts(1)
		return nil
	}); err != nil {
		return nil, err
	}
	return t.Analyze()
}

// peakHeap samples the live heap while f runs.
func peakHeap(f func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	return peak.Load()
}

package rankjob

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

const (
	benchPeople   = 500_000
	benchAttempts = 1_000_000
	benchRound    = "contest/dot-1"
)

// seedBench loads 500,000 people and 1,000,000 finished attempts with COPY, deterministic.
func seedBench(b *testing.B, pool *pgxpool.Pool) {
	b.Helper()
	ctx := context.Background()
	for _, s := range []string{
		`INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'c', '{}')`,
		`INSERT INTO locality (contest_id, code, name) VALUES ('cds', '593', 'Thành phố Phan Thiết')`,
	} {
		if _, err := pool.Exec(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	birth := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "organization", "locality_code", "password_hash"},
		pgx.CopyFromSlice(benchPeople, func(i int) ([]any, error) {
			return []any{"cds", fmt.Sprintf("06009%07d", i), fmt.Sprintf("09%08d", i), "Nguyễn Văn An", birth, "male", "official",
				fmt.Sprintf("Đơn vị %d", i%500), "593", "x"}, nil
		})); err != nil {
		b.Fatal(err)
	}
	var firstID int64
	if err := pool.QueryRow(ctx, `SELECT min(id) FROM contestant`).Scan(&firstID); err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	opens := time.Date(2024, 8, 17, 0, 0, 0, 0, time.UTC)
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"attempt"},
		[]string{"round", "contestant_id", "attempt_no", "status", "started_at", "deadline", "submitted_at", "bank_name", "bank_version", "paper", "total", "correct", "prediction"},
		pgx.CopyFromSlice(benchAttempts, func(i int) ([]any, error) {
			person, no := i/2, int16(i%2+1)
			start := opens.Add(time.Duration(rnd.Int64N(int64(14 * 24 * time.Hour))))
			used := time.Duration(30+rnd.IntN(1700)) * time.Second
			correct := int16(15 - min(15, rnd.IntN(8)*rnd.IntN(3)))
			return []any{benchRound, firstID + int64(person), no, "submitted", start, start.Add(30 * time.Minute), start.Add(used),
				"mau", int32(1), []byte(`{"items":[]}`), int16(15), correct, int64(rnd.IntN(200_000))}, nil
		})); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

func benchRoundObject() *contestv1alpha1.ContestRound {
	return &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Namespace: "contest", Name: "dot-1"},
		Spec:       contestv1alpha1.ContestRoundSpec{Ranking: contestv1alpha1.RankingRules{IneligibleOrganizations: []string{"Đơn vị 7"}}},
	}
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

// BenchmarkRankEndToEnd ranks 1,000,000 attempts by 500,000 people from PostgreSQL: stream,
// rank, store the full ranking (COPY), read the winners' details.
func BenchmarkRankEndToEnd(b *testing.B) {
	pool := pgtest.Migrated(b)
	seedBench(b, pool)
	noBanks := func(context.Context, string, int) (*bank.Bank, error) { return nil, fmt.Errorf("no attempt is open") }
	runtime.GC()
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		var err error
		var sum *Result
		p := peakHeap(func() { sum, err = Run(context.Background(), pool, benchRoundObject(), noBanks, time.Now()) })
		if err != nil {
			b.Fatal(err)
		}
		if sum.Participants != benchPeople || sum.Attempts != benchAttempts || len(sum.Winners) != 11 {
			b.Fatalf("summary %d participants %d attempts %d winners", sum.Participants, sum.Attempts, len(sum.Winners))
		}
		peak = max(peak, p)
		b.Logf("phases: %s", sum.Timings)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkRankSQL is the same ranking as one SQL query (DISTINCT ON for the best attempt,
// a window rank over the tie-break keys), read to the end, for comparison.
func BenchmarkRankSQL(b *testing.B) {
	pool := pgtest.Migrated(b)
	seedBench(b, pool)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := pool.Query(context.Background(), `
			WITH best AS (
				SELECT DISTINCT ON (contestant_id) contestant_id, id, correct, total, prediction,
					submitted_at - started_at AS used, submitted_at
				FROM attempt WHERE round = $1 AND status <> 'in_progress'
				ORDER BY contestant_id, correct DESC, submitted_at, submitted_at - started_at, id),
			actual AS (SELECT count(*) FILTER (WHERE correct = total) AS n FROM best)
			SELECT b.contestant_id, b.id, b.correct, abs(coalesce(b.prediction, 1000000001) - a.n) AS distance, b.used, b.submitted_at,
				rank() OVER (ORDER BY b.correct DESC, abs(coalesce(b.prediction, 1000000001) - a.n), b.used, b.submitted_at)
			FROM best b CROSS JOIN actual a
			ORDER BY 7, b.contestant_id`, benchRound)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		if err := rows.Err(); err != nil || n != benchPeople {
			b.Fatalf("%d rows, %v", n, err)
		}
	}
}

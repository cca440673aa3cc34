package review

// What one scan of a large round costs the database and the app (docs/BENCHMARKS.md, "Review
// queue (issue 13)"):
//
//	hack/with-postgres.sh go test -run '^$' -bench ScanRound -benchtime 1x -timeout 30m ./internal/review/

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/integrity"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// BenchmarkScanRound: one round of 1,000,000 finished attempts by 500,000 people over 14
// days, started in the daytime; 70 % of them from 300 carrier networks (/24, many people
// each, any of 40 common browsers, so about 60 people a browser on each), the rest from
// 30,000 home and office networks. The data is made by PostgreSQL itself before the timer
// starts (a few minutes). A round this size has millions of pairs of attempts started and
// submitted within 30 s of each other, so the read of near-identical timelines reaches its
// bound.
func BenchmarkScanRound(b *testing.B) {
	ctx := context.Background()
	pool := pgtest.Migrated(b)
	const persons, attempts = 500_000, 1_000_000
	for _, sql := range []string{
		`INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'x', '{}')`,
		`INSERT INTO locality (contest_id, code, name) VALUES ('c', '1', 'X')`,
		fmt.Sprintf(`INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender, participant_group,
			locality_code, password_hash, created_at, registered_net)
			SELECT 'c', lpad(i::text, 12, '0'), '09' || lpad(i::text, 8, '0'), 'X', '1990-01-01', 'male', 'resident', '1', 'x',
				timestamptz '2024-08-10 08:00+07' + (random() * interval '7 days'),
				CASE WHEN random() < 0.7 THEN '100.64.' || (i %% 300) || '.0/24' ELSE '10.' || (i %% 30000 / 256) || '.' || (i %% 256) || '.0/24' END
			FROM generate_series(1, %d) i`, persons),
		fmt.Sprintf(`INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline, submitted_at,
			bank_name, bank_version, paper, answers, total, correct, client_net, device_tag, save_count)
			SELECT 'ns/r', c.id, s.n, 'submitted', s.start, s.start + interval '30 minutes',
				s.start + make_interval(secs => 180 + random() * 720), 'mau', 1,
				jsonb_build_object('items', (SELECT jsonb_agg(jsonb_build_object('id', 'q' || ((c.id * 7 + k * 13 + s.n) %% 90), 'at', 0, 'order', '0123'))
					FROM generate_series(1, 15) k)),
				(SELECT jsonb_object_agg(k::text, chr(65 + ((c.id + k) %% 4)::int)) FROM generate_series(0, 14) k),
				15, (random() * 15)::int,
				CASE WHEN random() < 0.7 THEN '100.64.' || (c.id %% 300) || '.0/24' ELSE '10.' || (c.id %% 30000 / 256) || '.' || (c.id %% 256) || '.0/24' END,
				substr(sha256(((c.id / 300 %% 40)::text)::bytea), 1, 8), (random() * 20)::int
			FROM contestant c
			CROSS JOIN LATERAL (SELECT n, date_trunc('day', timestamptz '2024-08-17 00:00+07' + (random() * interval '14 days'))
				+ interval '7 hours' + (random() * interval '14 hours') + c.id * interval '0 s' AS start
				FROM generate_series(1, 2) n) s -- c.id: one draw per person, not one for all
			LIMIT %d`, attempts),
		`ANALYZE attempt`, `ANALYZE contestant`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			b.Fatal(err)
		}
	}
	r := &contestv1alpha1.ContestRound{}
	r.Namespace, r.Name = "ns", "r"
	r.Spec.OpensAt = metav1.NewTime(time.Date(2024, 8, 17, 0, 0, 0, 0, time.UTC))
	// The whole scan, then each of its reads alone (same transaction settings), to say
	// where the time goes.
	b.Run("Round", func(b *testing.B) {
		var s *Scan
		var err error
		for b.Loop() {
			if s, err = Round(ctx, pool, "c", r, nil); err != nil {
				b.Fatal(err)
			}
		}
		people := map[int64]bool{}
		kinds := map[integrity.Kind]int{}
		for _, sig := range s.Signals {
			people[sig.ContestantID] = true
			kinds[sig.Kind]++
		}
		b.ReportMetric(float64(len(s.Signals)), "signals")
		b.ReportMetric(float64(len(people)), "people")
		b.ReportMetric(float64(len(s.Bounded)), "bounded")
		b.Logf("signals by kind %v, bounded %v", kinds, s.Bounded)
	})
	rules := Rules(r)
	for _, read := range []struct {
		name string
		f    func(pgx.Tx) (int, error)
	}{
		{"FastPerfectAttempts", func(tx pgx.Tx) (int, error) {
			got, err := store.FastPerfectAttempts(ctx, tx, "ns/r", rules.FastPerfect, MaxFastPerfect)
			return len(got), err
		}},
		{"SharedNetworkAttempts", func(tx pgx.Tx) (int, error) {
			got, err := store.SharedNetworkAttempts(ctx, tx, "ns/r", rules.DeviceAccounts, rules.NetworkAccounts, rules.Window, MaxSharedNetwork)
			return len(got), err
		}},
		{"NeighbourAttempts", func(tx pgx.Tx) (int, error) {
			got, _, err := store.NeighbourAttempts(ctx, tx, "ns/r", rules.Timeline, MaxNeighbours)
			return len(got), err
		}},
		{"BusyNetworkRegistrations", func(tx pgx.Tx) (int, error) {
			got, err := store.BusyNetworkRegistrations(ctx, tx, "c", rules.BurstRegistrations, rules.BurstWindow, MaxRegistrations)
			return len(got), err
		}},
	} {
		b.Run(read.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				if err := inScanTx(ctx, pool, func(tx pgx.Tx) (err error) { n, err = read.f(tx); return err }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "rows")
		})
	}
}

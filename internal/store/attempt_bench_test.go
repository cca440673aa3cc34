package store_test

// Benchmarks of the contestant hot path against the real PostgreSQL of `make test`
// (hack/with-postgres.sh): starting, autosaving and submitting attempts, each by many
// distinct contestants, serially and from many concurrent clients.
//
//	hack/with-postgres.sh go test -run '^$' -bench . -benchtime 3s ./internal/store/
//
// Besides ns/op each benchmark reports
//
//	ops/s     operations per second of wall time (with RunParallel: of all clients together);
//	xacts/op  transactions the server committed or rolled back in the benchmark's database
//	          per operation, from pg_stat_database (no pg_stat_statements needed): the
//	          connections' own start-up transactions are subtracted, the first use of each
//	          statement on a connection (pgx prepares it: one more short transaction) is not;
//	stmts/op  statements the client sent per operation (BEGIN and COMMIT included) and
//	trips/op  the round trips they took (a pipelined batch is one), from a pgx tracer;
//	WAL-B/op  bytes of WAL written per operation and
//	FPI/op    full-page images among them (cluster-wide, but the server is the benchmark's
//	          own): what each commit has to flush to disk;
//	client-CPU-µs/op, pg-CPU-µs/op
//	          CPU time of this process (pgx, JSON, scoring) and of the PostgreSQL server
//	          (all its processes) per operation: on 2 shared cores, where the work goes.
//
// Each timed part starts right after a CHECKPOINT (see measure).
//
// The results are written up in docs/BENCHMARKS.md.

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/benchmeter"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// benchContestants is how many contestants a benchmark database starts with; more are
// added when one run needs more fresh people than that.
const benchContestants = 20000

// benchDB is one migrated database for a top-level benchmark, shared by its sub-benchmarks.
type benchDB struct {
	dsn   string
	name  string
	setup *pgxpool.Pool // bulk setup only, never timed
	admin *pgx.Conn     // on the server's admin database, so reading statistics adds no transactions here
	bank  *bank.Bank
	// papers are drawn once and handed out in turn (drawing is benchmarked in
	// internal/exam); paperJSON are the same as stored.
	papers      []exam.Paper
	paperJSON   []string
	contestants []int64
	rounds      int
}

func newBenchDB(b *testing.B) *benchDB {
	b.Helper()
	ctx := context.Background()
	dsn := pgtest.Empty(b)
	d := &benchDB{dsn: dsn, setup: pgtest.Connect(b, dsn)}
	if _, err := store.Migrate(ctx, d.setup); err != nil {
		b.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, os.Getenv(pgtest.EnvDSN))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { admin.Close(context.Background()) })
	d.admin = admin
	if err := d.setup.QueryRow(ctx, `SELECT current_database()`).Scan(&d.name); err != nil {
		b.Fatal(err)
	}
	if d.bank, err = bank.Sample(); err != nil {
		b.Fatal(err)
	}
	for _, s := range []string{
		`INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'c', '{}')`,
		`INSERT INTO locality (contest_id, code, name) VALUES ('cds', '593', 'Thành phố Phan Thiết')`,
	} {
		if _, err := d.setup.Exec(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	var quotas []exam.Quota
	for _, tp := range bank.PlanTopics() {
		quotas = append(quotas, exam.Quota{Topic: tp.Code, Questions: 3})
	}
	for range 64 {
		p, err := exam.Draw(d.bank, quotas, exam.NewRand())
		if err != nil {
			b.Fatal(err)
		}
		js, err := json.Marshal(p)
		if err != nil {
			b.Fatal(err)
		}
		d.papers, d.paperJSON = append(d.papers, p), append(d.paperJSON, string(js))
	}
	d.ensureContestants(b, benchContestants)
	return d
}

// ensureContestants makes sure there are at least n contestants, adding them with COPY.
func (d *benchDB) ensureContestants(b *testing.B, n int) []int64 {
	b.Helper()
	if len(d.contestants) >= n {
		return d.contestants[:n]
	}
	ctx := context.Background()
	first := len(d.contestants)
	rows := make([][]any, 0, n-first)
	birth := time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC)
	for i := first; i < n; i++ {
		rows = append(rows, []any{"cds", fmt.Sprintf("%012d", i), fmt.Sprintf("09%08d", i), "Người dự thi " + strconv.Itoa(i),
			birth, "male", "official", "UBND", "593", "x"})
	}
	if _, err := d.setup.CopyFrom(ctx, pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "organization", "locality_code", "password_hash"},
		pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	r, err := d.setup.Query(ctx, `SELECT id FROM contestant ORDER BY id OFFSET $1`, first)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := pgx.CollectRows(r, pgx.RowTo[int64])
	if err != nil {
		b.Fatal(err)
	}
	d.contestants = append(d.contestants, ids...)
	if _, err := d.setup.Exec(ctx, `ANALYZE contestant`); err != nil {
		b.Fatal(err)
	}
	return d.contestants[:n]
}

// shuffled returns n different contestants in random order: people start, save and submit
// at different moments, so their rows and index entries are touched all over the table.
func (d *benchDB) shuffled(b *testing.B, n int) []int64 {
	b.Helper()
	ids := append([]int64(nil), d.ensureContestants(b, n)...)
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids
}

// newRound names a round no one has an attempt in yet: each run of a benchmark function
// gets its own, so every start there is a person's first.
func (d *benchDB) newRound(kind string) string {
	d.rounds++
	return fmt.Sprintf("bench/%s-%d", kind, d.rounds)
}

// startMany gives each of n contestants an attempt in progress in round, in one statement,
// and returns the attempts' ids in the order of the contestants.
func (d *benchDB) startMany(b *testing.B, round string, contestants []int64) []int64 {
	b.Helper()
	ctx := context.Background()
	r, err := d.setup.Query(ctx, `INSERT INTO attempt (round, contestant_id, attempt_no, started_at, deadline, bank_name, bank_version, paper, total)
		SELECT $1, c, 1, now(), now() + interval '2 hours', 'mau', 1, ($2::jsonb[])[1 + n % cardinality($2::jsonb[])], $3
		FROM unnest($4::bigint[]) WITH ORDINALITY AS u(c, n) ORDER BY n RETURNING id`,
		round, d.paperJSON, d.papers[0].Len(), contestants)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := pgx.CollectRows(r, pgx.RowTo[int64])
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.setup.Exec(ctx, `ANALYZE attempt`); err != nil {
		b.Fatal(err)
	}
	return ids
}

// service is the attempt service on pool, scoring with the sample bank held in memory.
func (d *benchDB) service(pool *pgxpool.Pool) *attempt.Service {
	return attempt.New(store.NewAttempts(pool), func(context.Context, string, int) (*bank.Bank, error) { return d.bank, nil })
}

// benchPool opens a pool of at most conns connections (0: pgxpool's default, as
// `contest web` uses: max(4, number of CPUs)).
func (d *benchDB) benchPool(b *testing.B, conns int32) (*pgxpool.Pool, *benchmeter.Counter) {
	b.Helper()
	cfg, err := pgxpool.ParseConfig(d.dsn)
	if err != nil {
		b.Fatal(err)
	}
	if conns > 0 {
		cfg.MaxConns = conns
	}
	tr := &benchmeter.Counter{}
	cfg.ConnConfig.Tracer = tr
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool, tr
}

func (d *benchDB) quiesce(b *testing.B, pools ...*pgxpool.Pool) {
	benchmeter.Quiesce(b, d.admin, d.name, pools...)
}

// serverStats are the server's counters a benchmark reports per operation.
type serverStats struct {
	xacts int64 // transactions committed or rolled back in the benchmark's database
	wal   int64 // WAL position (bytes), cluster-wide
	fpi   int64 // full-page images written to WAL, cluster-wide
}

func (d *benchDB) stats(b *testing.B) serverStats {
	b.Helper()
	var s serverStats
	if err := d.admin.QueryRow(context.Background(),
		`SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1),
			(pg_current_wal_lsn() - '0/0')::bigint, (SELECT wal_fpi FROM pg_stat_wal)`, d.name).Scan(&s.xacts, &s.wal, &s.fpi); err != nil {
		b.Fatal(err)
	}
	return s
}

// warm opens every connection of the pool before the timer starts.
func warm(b *testing.B, pool *pgxpool.Pool) {
	b.Helper()
	conns := make([]*pgxpool.Conn, 0, pool.Config().MaxConns)
	for range pool.Config().MaxConns {
		c, err := pool.Acquire(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Release()
	}
}

// measure runs op b.N times, each with its own index: in one goroutine when clients is 1,
// else from about clients goroutines at once (RunParallel), and reports the metrics listed
// at the top of the file. The setup's connections are closed first so the statistics
// count only op.
func (d *benchDB) measure(b *testing.B, pool *pgxpool.Pool, tr *benchmeter.Counter, clients int, op func(i int) error) {
	b.Helper()
	d.quiesce(b, d.setup, pool)
	// The timed part should not share the disk with writing back what the setup wrote; and
	// right after a checkpoint the first change to each page logs the whole page, as it
	// does in production for attempts started before the last checkpoint.
	if _, err := d.admin.Exec(context.Background(), `CHECKPOINT`); err != nil {
		b.Fatal(err)
	}
	before := d.stats(b)
	newConns := pool.Stat().NewConnsCount()
	warm(b, pool)
	cpuBefore := benchmeter.ReadCPU()
	stmts, trips := tr.Stmts.Load(), tr.Trips.Load()
	b.ReportAllocs()
	b.ResetTimer()
	if clients <= 1 {
		for i := range b.N {
			if err := op(i); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := op(int(next.Add(1) - 1)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.StopTimer()
	elapsed := b.Elapsed()
	stmts, trips = tr.Stmts.Load()-stmts, tr.Trips.Load()-trips
	d.quiesce(b, pool)
	cpuAfter := benchmeter.ReadCPU()
	after := d.stats(b)
	// Every new connection's start-up is one transaction on the server.
	xacts := after.xacts - before.xacts - (pool.Stat().NewConnsCount() - newConns)
	n := float64(b.N)
	b.ReportMetric(n/elapsed.Seconds(), "ops/s")
	b.ReportMetric(float64(xacts)/n, "xacts/op")
	b.ReportMetric(float64(stmts)/n, "stmts/op")
	b.ReportMetric(float64(trips)/n, "trips/op")
	b.ReportMetric(float64(after.wal-before.wal)/n, "WAL-B/op")
	b.ReportMetric(float64(after.fpi-before.fpi)/n, "FPI/op")
	benchmeter.ReportCPU(b, cpuBefore, cpuAfter, "client-CPU-µs/op")
}

// benchClients are the concurrency levels: one client, and 32 clients on the pool size
// `contest web` gets by default on this machine (pgxpool: max(4, CPUs)) and on a pool of
// 32 connections (one per client).
var benchClients = []struct {
	name    string
	clients int
	conns   int32
}{
	{"serial", 1, 0},
	{"clients=32/conns=default", 32, 0},
	{"clients=32/conns=32", 32, 32},
}

// BenchmarkStartAttempt: each operation is a person's first start in a round (one
// INSERT … SELECT), each by a different contestant.
func BenchmarkStartAttempt(b *testing.B) {
	d := newBenchDB(b)
	opens, closes := time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	for _, bc := range benchClients {
		b.Run(bc.name, func(b *testing.B) {
			pool, tr := d.benchPool(b, bc.conns)
			round := d.newRound("start")
			people := d.shuffled(b, b.N)
			attempts := store.NewAttempts(pool)
			ctx := context.Background()
			d.measure(b, pool, tr, bc.clients, func(i int) error {
				_, err := attempts.Insert(ctx, attempt.NewAttempt{Rules: attempt.Rules{Round: round, MaxAttempts: 3,
					TimeLimit: 30 * time.Minute, OpensAt: opens, ClosesAt: closes, BankName: "mau", BankVersion: 1},
					ContestantID: people[i], Paper: d.papers[i%len(d.papers)]})
				return err
			})
		})
	}
}

// BenchmarkSaveAnswers: each operation is one autosave (one changed answer, as the exam
// page's script sends it) to an attempt in progress; up to 20,000 attempts of different
// people in turn.
func BenchmarkSaveAnswers(b *testing.B) {
	d := newBenchDB(b)
	for _, bc := range benchClients {
		b.Run(bc.name, func(b *testing.B) {
			pool, tr := d.benchPool(b, bc.conns)
			round := d.newRound("save")
			people := d.shuffled(b, min(b.N, benchContestants))
			attempts := d.startMany(b, round, people)
			order := rand.Perm(len(people))
			ctx := context.Background()
			letters := []string{"A", "B"}
			saves := store.NewAttempts(pool)
			d.measure(b, pool, tr, bc.clients, func(i int) error {
				k := order[i%len(people)]
				item := (i / len(people)) % 15
				_, err := saves.Save(ctx, attempts[k], people[k], exam.Answers{item: letters[i%2]}, nil)
				return err
			})
		})
	}
}

// BenchmarkSubmitAttempt: each operation submits a different person's attempt in progress
// with all 15 answers and the prediction (one transaction: SELECT … FOR UPDATE, UPDATE).
func BenchmarkSubmitAttempt(b *testing.B) {
	d := newBenchDB(b)
	answers := exam.Answers{}
	for i := range 15 {
		answers[i] = string(rune('A' + i%2))
	}
	for _, bc := range benchClients {
		b.Run(bc.name, func(b *testing.B) {
			pool, tr := d.benchPool(b, bc.conns)
			round := d.newRound("submit")
			people := d.shuffled(b, b.N)
			attempts := d.startMany(b, round, people)
			// Submitted in another order than started: a person's attempt row is wherever
			// their start put it.
			order := rand.Perm(b.N)
			ctx := context.Background()
			svc := d.service(pool)
			d.measure(b, pool, tr, bc.clients, func(i int) error {
				k := order[i]
				_, outcome, err := svc.Submit(ctx, attempts[k], people[k], answers, 1234)
				if err == nil && outcome != attempt.Submitted {
					err = fmt.Errorf("attempt %d: outcome %d", attempts[k], outcome)
				}
				return err
			})
		})
	}
}

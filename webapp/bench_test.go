package webapp

// HTTP-level benchmarks of the contestant hot path: the app behind a real loopback HTTP
// server (httptest) on the real PostgreSQL of `make test`, with many signed-in contestants.
//
//	hack/with-postgres.sh go test -run '^$' -bench HTTP -benchtime 3s ./webapp/
//
// People are not registered through the app (argon2 is slow by design): contestants are
// copied into the database, attempts in progress inserted in one statement, and session
// cookies signed with the app's own signer, exactly as sign-in would issue them.
// Besides ns/op each benchmark reports ops/s (requests per second of wall time, all
// clients together), xacts/op (transactions the server committed or rolled back in the
// benchmark's database per request, from pg_stat_database, connection start-ups
// subtracted), stmts/op and trips/op (statements the app sent per request and the round
// trips they took, from a pgx tracer), go-CPU-µs/op and pg-CPU-µs/op (CPU time of this
// process, HTTP client included, and of the PostgreSQL server, per request).
// The results are written up in docs/BENCHMARKS.md.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/benchmeter"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// benchWeb is one migrated database with the sample bank and localities, shared by the
// sub-benchmarks of a top-level benchmark.
type benchWeb struct {
	dsn    string
	name   string
	setup  *pgxpool.Pool // bulk setup only, never timed
	admin  *pgx.Conn     // on the admin database: reading statistics adds no transaction here
	bank   *bank.Bank
	rounds *staticRounds
	round  contestv1alpha1.ContestRound
	papers []string // drawn once, JSON as stored
	people int      // contestants created so far (their national IDs and phones are numbered)
}

func newBenchWeb(b *testing.B) *benchWeb {
	b.Helper()
	ctx := context.Background()
	dsn := pgtest.Empty(b)
	w := &benchWeb{dsn: dsn, setup: pgtest.Connect(b, dsn)}
	if _, err := store.Migrate(ctx, w.setup); err != nil {
		b.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, os.Getenv(pgtest.EnvDSN))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { admin.Close(context.Background()) })
	w.admin = admin
	if err := w.setup.QueryRow(ctx, `SELECT current_database()`).Scan(&w.name); err != nil {
		b.Fatal(err)
	}
	if w.bank, err = bank.Sample(); err != nil {
		b.Fatal(err)
	}
	if _, err := store.SaveBank(ctx, w.setup, w.bank); err != nil {
		b.Fatal(err)
	}
	locs, err := locality.Sample()
	if err != nil {
		b.Fatal(err)
	}
	if err := store.ReplaceLocalities(ctx, w.setup, testContest, locs); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	w.round = testRound("dot-1", now.Add(-time.Hour), now.Add(24*time.Hour), 30*time.Minute)
	w.rounds = &staticRounds{rounds: []contestv1alpha1.ContestRound{
		w.round,
		testRound("dot-2", now.Add(48*time.Hour), now.Add(96*time.Hour), 30*time.Minute),
	}}
	for range 64 {
		p, err := exam.Draw(w.bank, quotas(&w.round), exam.NewRand())
		if err != nil {
			b.Fatal(err)
		}
		js, err := json.Marshal(p)
		if err != nil {
			b.Fatal(err)
		}
		w.papers = append(w.papers, string(js))
	}
	return w
}

// benchApp is one app (as `contest web` runs it, on a pool of conns connections; 0 is
// pgxpool's default, max(4, CPUs)) behind a loopback HTTP server.
type benchApp struct {
	app    *App
	pool   *pgxpool.Pool
	db     *benchmeter.Counter
	srv    *httptest.Server
	client *http.Client
}

func (w *benchWeb) newApp(b *testing.B, conns int32, clients int) *benchApp {
	b.Helper()
	cfg, err := pgxpool.ParseConfig(w.dsn)
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
	app, err := New(Config{
		Pool: pool, Rounds: w.rounds, ContestID: testContest,
		Attempts: attempt.New(store.NewAttempts(pool), func(ctx context.Context, name string, version int) (*bank.Bank, error) {
			return store.LoadBank(ctx, pool, name, version)
		}),
		Localities: func(ctx context.Context, contest string) ([]locality.Locality, error) {
			return store.ListLocalities(ctx, pool, contest)
		},
		SecretKey: bytes.Repeat([]byte("k"), 32),
		// Production logs one JSON line per request to stdout; the same work, discarded.
		Logger:         slog.New(slog.NewJSONHandler(io.Discard, nil)),
		ContestantRate: 1e6, ContestantBurst: 1e6,
	})
	if err != nil {
		b.Fatal(err)
	}
	// Load the bank into the app's cache now, not in the first timed request.
	if _, err := app.attempts.Bank(context.Background(), w.bank.Name, w.bank.Version); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	b.Cleanup(srv.Close)
	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConns: clients + 8, MaxIdleConnsPerHost: clients + 8, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	b.Cleanup(client.CloseIdleConnections)
	return &benchApp{app: app, pool: pool, db: tr, srv: srv, client: client}
}

// signedInPerson is a signed-in contestant with an attempt in progress.
type signedInPerson struct {
	id      int64
	attempt int64
	cookie  string // the Cookie header: the session cookie
}

// signedIn creates n contestants (COPY), gives each an attempt in progress in the open
// round (one INSERT) and signs their session cookies with the app's signer.
func (w *benchWeb) signedIn(b *testing.B, ba *benchApp, n int) []signedInPerson {
	b.Helper()
	return w.signedInWith(b, ba, n, false)
}

// signedInWith is signedIn; with submitted the attempts are already submitted.
func (w *benchWeb) signedInWith(b *testing.B, ba *benchApp, n int, submitted bool) []signedInPerson {
	b.Helper()
	ctx := context.Background()
	first := w.people
	rows := make([][]any, 0, n)
	birth := time.Date(1992, 3, 15, 0, 0, 0, 0, time.UTC)
	for i := first; i < first+n; i++ {
		rows = append(rows, []any{testContest, fmt.Sprintf("%012d", i), fmt.Sprintf("09%08d", i), "Người dự thi " + strconv.Itoa(i),
			birth, "female", "official", "UBND xã Tiến Lợi", "22963", "x"})
	}
	if _, err := w.setup.CopyFrom(ctx, pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "organization", "locality_code", "password_hash"},
		pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	w.people += n
	r, err := w.setup.Query(ctx, `SELECT id FROM contestant ORDER BY id OFFSET $1`, first)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := pgx.CollectRows(r, pgx.RowTo[int64])
	if err != nil {
		b.Fatal(err)
	}
	// Random order, as people start at different moments.
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	r, err = w.setup.Query(ctx, `INSERT INTO attempt (round, contestant_id, attempt_no, started_at, deadline, bank_name, bank_version, paper, total)
		SELECT $1, c, 1, now(), now() + interval '2 hours', $2, $3, ($4::jsonb[])[1 + n % cardinality($4::jsonb[])], 15
		FROM unnest($5::bigint[]) WITH ORDINALITY AS u(c, n) ORDER BY n RETURNING id`,
		w.round.RoundKey(), w.bank.Name, w.bank.Version, w.papers, ids)
	if err != nil {
		b.Fatal(err)
	}
	attempts, err := pgx.CollectRows(r, pgx.RowTo[int64])
	if err != nil {
		b.Fatal(err)
	}
	if submitted {
		if _, err := w.setup.Exec(ctx, `UPDATE attempt SET status = 'submitted', submitted_at = now(), prediction = 1234,
			answers = '{"0": "A", "1": "B"}', correct = 1 WHERE id = ANY($1)`, attempts); err != nil {
			b.Fatal(err)
		}
	}
	for _, s := range []string{`ANALYZE contestant`, `ANALYZE attempt`} {
		if _, err := w.setup.Exec(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	out := make([]signedInPerson, n)
	expires := time.Now().Add(12 * time.Hour)
	for i := range out {
		token := ba.app.signer.encodeSession(session{ContestantID: ids[i], ContestID: testContest, Expires: expires})
		out[i] = signedInPerson{id: ids[i], attempt: attempts[i], cookie: sessionCookie + "=" + token}
	}
	return out
}

// background adds `people` other contestants, each with perPerson submitted attempts in
// the open round (small papers: only the rows' count matters), so that the attempt table has a
// real round's size.
func (w *benchWeb) background(b *testing.B, people, perPerson int) {
	b.Helper()
	ctx := context.Background()
	first := w.people
	rows := make([][]any, 0, people)
	birth := time.Date(1992, 3, 15, 0, 0, 0, 0, time.UTC)
	for i := first; i < first+people; i++ {
		rows = append(rows, []any{testContest, fmt.Sprintf("%012d", i), fmt.Sprintf("09%08d", i), "Người dự thi " + strconv.Itoa(i),
			birth, "female", "official", "UBND xã Tiến Lợi", "22963", "x"})
	}
	var last int64
	if err := w.setup.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM contestant`).Scan(&last); err != nil {
		b.Fatal(err)
	}
	if _, err := w.setup.CopyFrom(ctx, pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "organization", "locality_code", "password_hash"},
		pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	w.people += people
	if _, err := w.setup.Exec(ctx, `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline, submitted_at,
			bank_name, bank_version, paper, answers, prediction, total, correct)
		SELECT $1, c.id, k, 'submitted', now() - interval '2 hours', now() - interval '90 minutes', now() - interval '100 minutes',
			$2, $3, '{"items": []}', '{}', 1000, 15, (c.id + k) % 16
		FROM contestant c CROSS JOIN generate_series(1, $4::int) AS k WHERE c.id > $5`,
		w.round.RoundKey(), w.bank.Name, w.bank.Version, perPerson, last); err != nil {
		b.Fatal(err)
	}
	for _, s := range []string{`VACUUM ANALYZE contestant`, `VACUUM ANALYZE attempt`} {
		if _, err := w.setup.Exec(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}

// stats are the server's counters, read from the admin database.
func (w *benchWeb) stats(b *testing.B) (xacts int64) {
	b.Helper()
	if err := w.admin.QueryRow(context.Background(),
		`SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1`, w.name).Scan(&xacts); err != nil {
		b.Fatal(err)
	}
	return xacts
}

func (w *benchWeb) quiesce(b *testing.B, pools ...*pgxpool.Pool) {
	benchmeter.Quiesce(b, w.admin, w.name, pools...)
}

// measure runs op b.N times, each with its own index, from one goroutine (clients 1) or
// about clients goroutines (RunParallel), and reports ops/s, xacts/op and stmts/op.
func (w *benchWeb) measure(b *testing.B, ba *benchApp, clients int, op func(i int) error) {
	b.Helper()
	w.quiesce(b, w.setup, ba.pool)
	// The timed part should not share the disk with writing back what the setup wrote; and
	// right after a checkpoint the first change to each page logs the whole page, as it
	// does in production for attempts started before the last checkpoint.
	if _, err := w.admin.Exec(context.Background(), `CHECKPOINT`); err != nil {
		b.Fatal(err)
	}
	before := w.stats(b)
	newConns := ba.pool.Stat().NewConnsCount()
	warmPool(b, ba.pool)
	cpuBefore := benchmeter.ReadCPU()
	stmts, trips := ba.db.Stmts.Load(), ba.db.Trips.Load()
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
	stmts, trips = ba.db.Stmts.Load()-stmts, ba.db.Trips.Load()-trips
	ba.client.CloseIdleConnections()
	w.quiesce(b, ba.pool)
	cpuAfter := benchmeter.ReadCPU()
	xacts := w.stats(b) - before - (ba.pool.Stat().NewConnsCount() - newConns)
	n := float64(b.N)
	b.ReportMetric(n/elapsed.Seconds(), "ops/s")
	b.ReportMetric(float64(xacts)/n, "xacts/op")
	b.ReportMetric(float64(stmts)/n, "stmts/op")
	b.ReportMetric(float64(trips)/n, "trips/op")
	benchmeter.ReportCPU(b, cpuBefore, cpuAfter, "go-CPU-µs/op")
}

// warmPool opens every connection of the pool before the timer starts.
func warmPool(b *testing.B, pool *pgxpool.Pool) {
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

// do sends one request and reads the whole response.
func (ba *benchApp) do(method, path, cookie, body string, want int) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ba.srv.URL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Cookie", cookie)
	// A phone's browser: compressed pages (kept compressed here, as a load generator would).
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := ba.client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d", method, path, resp.StatusCode, want)
	}
	return nil
}

// submitForms are the exam form's final posts, one per person: 15 answers and the
// prediction.
func submitForms(people []signedInPerson) []string {
	bodies := make([]string, len(people))
	for i := range people {
		form := url.Values{"prediction": {"1234"}}
		for q := range 15 {
			form.Set("q"+strconv.Itoa(q), string(rune('A'+(i+q)%2)))
		}
		bodies[i] = form.Encode()
	}
	return bodies
}

var httpBenchClients = []struct {
	name    string
	clients int
	conns   int32
}{
	{"serial", 1, 0},
	{"clients=32/conns=default", 32, 0},
	{"clients=32/conns=32", 32, 32},
}

// BenchmarkHTTPSubmit: each request is a different signed-in person's final submit of an
// attempt in progress, as the exam page's form posts it (15 answers, the prediction, a
// same-origin Sec-Fetch-Site header): session cookie check, cross-origin check, form parse, the attempt service's Submit (one
// transaction), 303 to the result page.
func BenchmarkHTTPSubmit(b *testing.B) {
	w := newBenchWeb(b)
	for _, bc := range httpBenchClients {
		b.Run(bc.name, func(b *testing.B) {
			ba := w.newApp(b, bc.conns, bc.clients)
			people := w.signedIn(b, ba, b.N)
			bodies := submitForms(people)
			w.measure(b, ba, bc.clients, func(i int) error {
				p := people[i]
				return ba.do(http.MethodPost, "/attempts/"+strconv.FormatInt(p.attempt, 10)+"/submit", p.cookie, bodies[i], http.StatusSeeOther)
			})
		})
	}
}

// BenchmarkHTTPExamPage: each request renders the exam page of an attempt in progress
// (the attempt and the signed-in person read from the database, the paper rendered from
// the bank in memory, gzip), for up to 5,000 different people in turn.
func BenchmarkHTTPExamPage(b *testing.B) {
	w := newBenchWeb(b)
	for _, bc := range httpBenchClients[:2] {
		b.Run(bc.name, func(b *testing.B) {
			ba := w.newApp(b, bc.conns, bc.clients)
			people := w.signedIn(b, ba, min(b.N, 5000))
			w.measure(b, ba, bc.clients, func(i int) error {
				p := people[i%len(people)]
				return ba.do(http.MethodGet, "/attempts/"+strconv.FormatInt(p.attempt, 10), p.cookie, "", http.StatusOK)
			})
		})
	}
}

// BenchmarkHTTPResultPage: each request shows a person's result page, where every submit
// redirects, in a round of 500,000 submitted attempts by 250,000 other people (half the size
// the ranking job is benchmarked at); up to 5,000 different people in turn.
func BenchmarkHTTPResultPage(b *testing.B) {
	w := newBenchWeb(b)
	w.background(b, 250000, 2)
	for _, bc := range httpBenchClients[:2] {
		b.Run(bc.name, func(b *testing.B) {
			ba := w.newApp(b, bc.conns, bc.clients)
			people := w.signedInWith(b, ba, min(b.N, 5000), true)
			w.measure(b, ba, bc.clients, func(i int) error {
				p := people[i%len(people)]
				return ba.do(http.MethodGet, "/attempts/"+strconv.FormatInt(p.attempt, 10)+"/result", p.cookie, "", http.StatusOK)
			})
		})
	}
}

// BenchmarkHTTPSubmitThenResult: what a phone does to submit: the submit, then the result
// page the 303 points to, each operation a different person.
func BenchmarkHTTPSubmitThenResult(b *testing.B) {
	w := newBenchWeb(b)
	for _, bc := range httpBenchClients[1:] {
		b.Run(bc.name, func(b *testing.B) {
			ba := w.newApp(b, bc.conns, bc.clients)
			people := w.signedIn(b, ba, b.N)
			bodies := submitForms(people)
			w.measure(b, ba, bc.clients, func(i int) error {
				p := people[i]
				at := "/attempts/" + strconv.FormatInt(p.attempt, 10)
				if err := ba.do(http.MethodPost, at+"/submit", p.cookie, bodies[i], http.StatusSeeOther); err != nil {
					return err
				}
				return ba.do(http.MethodGet, at+"/result", p.cookie, "", http.StatusOK)
			})
		})
	}
}

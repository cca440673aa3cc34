package webapp

// What organizers' pages cost at a million attempts, and what they cost contestants
// (docs/BENCHMARKS.md, "Organizer statistics at 1,000,000 attempts"): the app behind a loopback HTTP
// server on the test PostgreSQL, over the round of internal/testutil/contestdata (500,000
// people, 1,000,000 attempts), with the pools `contest web` makes (contestants: pgxpool's
// default of max(4, CPUs); organizers: 2 connections, 10 s statement timeout).
//
//	hack/with-postgres.sh go test -run '^$' -bench 'Console1M$' -benchtime 20x ./webapp/
//	hack/with-postgres.sh go test -run '^$' -bench ConsoleReport1M -benchtime 3x ./webapp/  # 15–25 s a download
//	hack/with-postgres.sh go test -run '^$' -bench ContestantsWithOrganizers -benchtime 1x -timeout 30m ./webapp/
//	CONTEST_BENCH_STATS_AGE=15s CONTEST_BENCH_STATS_SPACING=1 CONTEST_BENCH_FLOW_SECONDS=180 ...  # see benchLoadSettings

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/benchmeter"
	"github.com/dxcontest/contest-platform/internal/testutil/contestdata"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// consoleBench is the million-attempt round behind an app.
type consoleBench struct {
	dsn     string
	setup   *pgxpool.Pool
	app     *App
	srv     *httptest.Server
	client  *http.Client
	cookie  string // an organizer's console session
	rounds  *staticRounds
	people  int
	pools   []*pgxpool.Pool
	console *pgxpool.Pool
	counted *countLog
}

// countLog keeps when the app counted a round's statistics, from its log ("round
// statistics counted"), so that a load can tell the flows that ran during a count.
type countLog struct {
	mu    sync.Mutex
	spans []span
}

type span struct{ from, to time.Time }

func (l *countLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *countLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *countLog) WithGroup(string) slog.Handler            { return l }
func (l *countLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "round statistics counted" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "took_ms" {
			l.mu.Lock()
			l.spans = append(l.spans, span{r.Time.Add(-time.Duration(a.Value.Int64()) * time.Millisecond), r.Time})
			l.mu.Unlock()
		}
		return true
	})
	return nil
}

// during says whether [from, to] overlaps a count.
func (l *countLog) during(from, to time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.spans {
		if from.Before(c.to) && c.from.Before(to) {
			return true
		}
	}
	return false
}

// benchConsoleConfig gives the app its organizers' pool, as `contest web` does.
func benchConsoleConfig(b *testing.B, cfg *Config, dsn string, st benchStats) *pgxpool.Pool {
	pc, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		b.Fatal(err)
	}
	pc.MaxConns = 2
	pc.ConnConfig.RuntimeParams["statement_timeout"] = "10000"
	pc.ConnConfig.RuntimeParams["application_name"] = "contest-console"
	console, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(console.Close)
	cfg.ConsoleDB = ConsoleDB{ConsolePool: console, StatsMaxAge: st.maxAge, StatsSpacing: st.spacing}
	return console
}

// benchStats is when the app counts the round's statistics again: --stats-max-age and
// --stats-spacing (0: contest web's default).
type benchStats struct {
	maxAge  time.Duration
	spacing float64
}

func newConsoleBench(b *testing.B, opts contestdata.Options, st benchStats) *consoleBench {
	b.Helper()
	ctx := context.Background()
	dsn, _ := contestdata.Clone(b, opts)
	cb := &consoleBench{dsn: dsn, setup: pgtest.Connect(b, dsn), counted: &countLog{}}
	now := time.Now()
	open := testRound("dot-1", now.Add(-time.Hour), now.Add(24*time.Hour), 30*time.Minute)
	if opts.Variant == "ranked" {
		open = testRound("dot-1", now.Add(-30*24*time.Hour), now.Add(-time.Hour), 30*time.Minute)
	}
	cb.rounds = &staticRounds{rounds: []contestv1alpha1.ContestRound{open,
		testRound("dot-2", now.Add(48*time.Hour), now.Add(96*time.Hour), 30*time.Minute)}}
	pool, err := pgxpool.New(ctx, dsn) // contestants: pgxpool's default size, as contest web
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	cfg := Config{
		Pool: pool, Rounds: cb.rounds, ContestID: testContest,
		Attempts: attempt.New(store.NewAttempts(pool), func(ctx context.Context, name string, version int) (*bank.Bank, error) {
			return store.LoadBank(ctx, pool, name, version)
		}),
		Localities: func(ctx context.Context, contest string) ([]locality.Locality, error) {
			return store.ListLocalities(ctx, pool, contest)
		},
		SecretKey:      bytes.Repeat([]byte("k"), 32),
		Logger:         slog.New(cb.counted),
		ContestantRate: 1e6, ContestantBurst: 1e6,
	}
	cb.console = benchConsoleConfig(b, &cfg, dsn, st)
	cb.pools = []*pgxpool.Pool{pool, cb.console}
	if cb.app, err = New(cfg); err != nil {
		b.Fatal(err)
	}
	cb.srv = httptest.NewServer(cb.app.Handler())
	b.Cleanup(cb.srv.Close)
	cb.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	b.Cleanup(cb.client.CloseIdleConnections)
	o, err := store.CreateOrganizer(ctx, cb.setup, store.Organizer{Username: "bench-organizer", Role: "viewer",
		PasswordHash: "x", Source: store.SourceCLI, CreatedBy: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	token := "bench-console-session-token-0123456789abcdef"
	if err := store.CreateConsoleSession(ctx, cb.setup, token, o, 24*time.Hour, ""); err != nil {
		b.Fatal(err)
	}
	cb.cookie = consoleCookie + "=" + token
	return cb
}

// get fetches path as a browser does (gzip) and reads the whole answer.
func (cb *consoleBench) get(path, cookie string, want int) (int, error) {
	return cb.send(http.MethodGet, path, cookie, "", "", want)
}

func (cb *consoleBench) send(method, path, cookie, body, accept string, want int) (int, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, cb.srv.URL+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Cookie", cookie)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := cb.client.Do(req)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != want {
		return int(n), fmt.Errorf("%s %s: %d, want %d", method, path, resp.StatusCode, want)
	}
	return int(n), nil
}

// timedPages requests path b.N times (after one untimed view, which counts the round when
// the snapshot is new) and reports the CPU each costs.
func (cb *consoleBench) timedPages(b *testing.B, path string, want int) {
	if _, err := cb.get(path, cb.cookie, want); err != nil {
		b.Fatal(err)
	}
	cpu := benchmeter.ReadCPU()
	var bytes int
	b.ResetTimer()
	for range b.N {
		n, err := cb.get(path, cb.cookie, want)
		if err != nil {
			b.Fatal(err)
		}
		bytes = n
	}
	b.StopTimer()
	benchmeter.ReportCPU(b, cpu, benchmeter.ReadCPU(), "go-CPU-µs/op")
	b.ReportMetric(float64(bytes), "body-B")
}

// BenchmarkConsole1M: the console's pages over a round of 1,000,000 attempts. "dashboard"
// and "round" read the shared snapshot (counted once before the timer); "dashboard,
// counting at every view" is StatsMaxAge < 0: the count itself, on the organizers' pool,
// at every view.
func BenchmarkConsole1M(b *testing.B) {
	cb := newConsoleBench(b, contestdata.Options{}, benchStats{maxAge: time.Hour})
	b.Run("dashboard", func(b *testing.B) { cb.timedPages(b, "/console?round=dot-1", http.StatusOK) })
	b.Run("round", func(b *testing.B) { cb.timedPages(b, "/console/rounds/dot-1", http.StatusOK) })
	b.Run("dashboard-counting-every-view", func(b *testing.B) {
		cb.app.stats.maxAge = -1
		defer func() { cb.app.stats.maxAge = time.Hour }()
		cb.timedPages(b, "/console?round=dot-1", http.StatusOK)
	})
}

// BenchmarkConsoleReport1M: the report of a ranked round of 1,000,000 attempts as an
// organizer downloads it from the console, whole.
func BenchmarkConsoleReport1M(b *testing.B) {
	cb := newConsoleBench(b, contestdata.Ranked(contestdata.Options{}), benchStats{maxAge: time.Hour})
	for _, path := range []string{"/console/rounds/dot-1/report.xlsx", "/console/rounds/dot-1/report-csv.zip"} {
		b.Run(path[strings.LastIndex(path, "/")+1:], func(b *testing.B) {
			cpu := benchmeter.ReadCPU()
			var size int
			for range b.N {
				n, err := cb.get(path, cb.cookie, http.StatusOK)
				if err != nil {
					b.Fatal(err)
				}
				size = n
			}
			benchmeter.ReportCPU(b, cpu, benchmeter.ReadCPU(), "go-CPU-µs/op")
			b.ReportMetric(float64(size)/(1<<20), "MiB")
		})
	}
}

// flowPeople makes n signed-in contestants with no attempt yet (COPY), for whole flows.
func (cb *consoleBench) flowPeople(b *testing.B, n int) []string {
	b.Helper()
	ctx := context.Background()
	first := cb.people
	rows := make([][]any, 0, n)
	birth := time.Date(1992, 3, 15, 0, 0, 0, 0, time.UTC)
	for i := first; i < first+n; i++ {
		rows = append(rows, []any{testContest, fmt.Sprintf("0609%08d", i), fmt.Sprintf("07%08d", i), "Người dự thi " + strconv.Itoa(i),
			birth, "female", "official", "UBND xã Tiến Lợi", "22963", "x"})
	}
	if _, err := cb.setup.CopyFrom(ctx, pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "organization", "locality_code", "password_hash"},
		pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	cb.people += n
	r, err := cb.setup.Query(ctx, `SELECT id FROM contestant WHERE national_id LIKE '0609%' ORDER BY id OFFSET $1`, first)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := pgx.CollectRows(r, pgx.RowTo[int64])
	if err != nil {
		b.Fatal(err)
	}
	cookies := make([]string, len(ids))
	expires := time.Now().Add(12 * time.Hour)
	for i, id := range ids {
		cookies[i] = sessionCookie + "=" + cb.app.signer.encodeSession(session{ContestantID: id, ContestID: testContest, Expires: expires})
	}
	return cookies
}

// flow is one contestant's whole exam, as a phone does it: start (303), the exam page,
// three autosaves, the submit (303), the result page; then "my attempts".
func (cb *consoleBench) flow(cookie string) (exam, me time.Duration, err error) {
	start := time.Now()
	req, _ := http.NewRequest(http.MethodPost, cb.srv.URL+"/rounds/dot-1/attempts", nil)
	req.Header.Set("Cookie", cookie)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := cb.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	at := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(at, "/attempts/") {
		return 0, 0, fmt.Errorf("start: %d %q", resp.StatusCode, at)
	}
	if _, err := cb.get(at, cookie, http.StatusOK); err != nil {
		return 0, 0, err
	}
	form := url.Values{}
	for q := range 15 {
		form.Set("q"+strconv.Itoa(q), string(rune('A'+q%2)))
		if q%5 == 4 {
			if _, err := cb.send(http.MethodPost, at+"/answers", cookie, form.Encode(), "application/json", http.StatusOK); err != nil {
				return 0, 0, err
			}
		}
	}
	form.Set("prediction", "1234")
	if _, err := cb.send(http.MethodPost, at+"/submit", cookie, form.Encode(), "", http.StatusSeeOther); err != nil {
		return 0, 0, err
	}
	if _, err := cb.get(at+"/result", cookie, http.StatusOK); err != nil {
		return 0, 0, err
	}
	exam = time.Since(start)
	mark := time.Now()
	if _, err := cb.get("/me", cookie, http.StatusOK); err != nil {
		return 0, 0, err
	}
	return exam, time.Since(mark), nil
}

// latencies are observed durations, for percentiles.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) pct(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := slices.Clone(l.d)
	slices.Sort(s)
	return s[min(len(s)-1, int(math.Ceil(p/100*float64(len(s))))-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// The load of BenchmarkContestantsWithOrganizers: whole exam flows arriving at a steady
// rate (open loop: a flow starts on time whether or not earlier ones finished), and
// organizers each refreshing the dashboard and the round page every few seconds; the
// snapshot is counted again as --stats-max-age and --stats-spacing allow while they look
// (one replica: this one).
const (
	flowRate        = 20 // flows per second
	organizerPeriod = 3 * time.Second
)

// benchLoadSettings are BenchmarkContestantsWithOrganizers' settings, from the
// environment: CONTEST_BENCH_STATS_AGE (a Go duration, default contest web's 1m),
// CONTEST_BENCH_STATS_SPACING (default contest web's 100; 1 counts as soon as the age
// allows, as before the spacing existed) and CONTEST_BENCH_FLOW_SECONDS (how long each
// run's flows arrive, default 60: a run longer than the spacing's wait at a million
// attempts, about 3 minutes, sees what an evening of organizers costs on average).
func benchLoadSettings(b *testing.B) (benchStats, int) {
	st := benchStats{maxAge: time.Minute, spacing: DefaultStatsSpacing}
	seconds := 60
	if v := os.Getenv("CONTEST_BENCH_STATS_AGE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			b.Fatalf("CONTEST_BENCH_STATS_AGE=%q: want a positive duration such as 1m", v)
		}
		st.maxAge = d
	}
	if v := os.Getenv("CONTEST_BENCH_STATS_SPACING"); v != "" {
		k, err := strconv.ParseFloat(v, 64)
		if err != nil || k < 1 {
			b.Fatalf("CONTEST_BENCH_STATS_SPACING=%q: want a number, at least 1", v)
		}
		st.spacing = k
	}
	if v := os.Getenv("CONTEST_BENCH_FLOW_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3600 {
			b.Fatalf("CONTEST_BENCH_FLOW_SECONDS=%q: want whole seconds, 1 to 3600", v)
		}
		seconds = n
	}
	return st, seconds
}

// BenchmarkContestantsWithOrganizers: contestants taking exams at 20 flows/s for a minute
// (benchLoadSettings) over the million-attempt round, alone and with 4 organizers
// refreshing their pages every 3 s; reports the flows' and "my attempts" percentiles (ms),
// the organizers' page times, and the counts of the statistics during the run and their
// time in all. Run with -benchtime 1x: each run is a minute of load.
func BenchmarkContestantsWithOrganizers(b *testing.B) {
	st, seconds := benchLoadSettings(b)
	cb := newConsoleBench(b, contestdata.Options{}, st)
	for _, organizers := range []int{0, 4} {
		b.Run(fmt.Sprintf("organizers=%d", organizers), func(b *testing.B) {
			for range b.N {
				cb.load(b, organizers, seconds)
			}
		})
	}
}

func (cb *consoleBench) load(b *testing.B, organizers, seconds int) {
	people := cb.flowPeople(b, flowRate*seconds)
	if _, err := cb.setup.Exec(context.Background(), `ANALYZE contestant`); err != nil {
		b.Fatal(err)
	}
	var flows, mine, pages latencies
	var when []span // of each flow, to tell those that ran during a count
	var whenMu sync.Mutex
	var failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for o := range organizers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(o) * organizerPeriod / time.Duration(max(organizers, 1)))
			for {
				for _, path := range []string{"/console?round=dot-1", "/console/rounds/dot-1"} {
					start := time.Now()
					if _, err := cb.get(path, cb.cookie, http.StatusOK); err != nil {
						failed.Add(1)
					}
					pages.add(time.Since(start))
				}
				select {
				case <-stop:
					return
				case <-time.After(organizerPeriod):
				}
			}
		}()
	}
	countsBefore, countedBefore := cb.counts(b)
	cpu := benchmeter.ReadCPU()
	tick := time.NewTicker(time.Second / flowRate)
	var flowsWG sync.WaitGroup
	began := time.Now()
	for _, cookie := range people {
		<-tick.C
		flowsWG.Add(1)
		go func() {
			defer flowsWG.Done()
			start := time.Now()
			exam, me, err := cb.flow(cookie)
			if err != nil {
				failed.Add(1)
				b.Log(err)
				return
			}
			flows.add(exam)
			whenMu.Lock()
			when = append(when, span{start, start.Add(exam)})
			whenMu.Unlock()
			mine.add(me)
		}()
	}
	tick.Stop()
	flowsWG.Wait()
	elapsed := time.Since(began)
	close(stop)
	wg.Wait()
	benchmeter.ReportCPU(b, cpu, benchmeter.ReadCPU(), "go-CPU-µs/op")
	b.ReportMetric(ms(flows.pct(50)), "flow-p50-ms")
	b.ReportMetric(ms(flows.pct(95)), "flow-p95-ms")
	b.ReportMetric(ms(flows.pct(99)), "flow-p99-ms")
	b.ReportMetric(ms(mine.pct(50)), "me-p50-ms")
	b.ReportMetric(ms(mine.pct(95)), "me-p95-ms")
	b.ReportMetric(float64(len(flows.d))/elapsed.Seconds(), "flows/s")
	b.ReportMetric(float64(failed.Load()), "failed")
	if organizers > 0 {
		b.ReportMetric(ms(pages.pct(50)), "console-p50-ms")
		b.ReportMetric(ms(pages.pct(95)), "console-p95-ms")
		b.ReportMetric(float64(len(pages.d)), "console-pages")
		// The flows that ran while no count did: what organizers cost contestants apart
		// from the counting (their pages), and the share the counting touched.
		var apart latencies
		for _, w := range when {
			if !cb.counted.during(w.from, w.to) {
				apart.add(w.to.Sub(w.from))
			}
		}
		b.ReportMetric(ms(apart.pct(95)), "flow-p95-apart-ms")
		b.ReportMetric(100*float64(len(when)-len(apart.d))/float64(max(len(when), 1)), "flows-during-counts-%")
		counts, counted := cb.counts(b)
		b.ReportMetric(float64(counts-countsBefore), "counts")
		b.ReportMetric((counted-countedBefore)*1000, "counting-ms")
	}
}

// counts is how many times the app has counted the round's statistics, and for how long
// in all (seconds), from its histogram.
func (cb *consoleBench) counts(b *testing.B) (uint64, float64) {
	var m dto.Metric
	if err := cb.app.stats.counted.WithLabelValues("ok").(prometheus.Histogram).Write(&m); err != nil {
		b.Fatal(err)
	}
	return m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()
}

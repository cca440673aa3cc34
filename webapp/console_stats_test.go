package webapp

import (
	"context"
	"fmt"
	"go/ast"
	"html"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/gosource"
)

// consolePool opens the organizers' pool on the env's database as `contest web` does:
// conns connections whose statements time out after timeout.
func (e *env) consolePool(conns int32, timeout time.Duration) *pgxpool.Pool {
	e.t.Helper()
	cfg := e.pool.Config().Copy()
	cfg.MaxConns = conns
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprintf("%dms", timeout.Milliseconds())
	cfg.ConnConfig.RuntimeParams["application_name"] = "contest-console"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(pool.Close)
	return pool
}

// holdAll takes every connection of pool until the test ends: organizers' work (counts,
// reports) holding all of the organizers' connections at once.
func holdAll(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	for range pool.Config().MaxConns {
		c, err := pool.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Release)
	}
}

// timed gets path with a client that gives up after limit: a page that hangs fails the
// test instead of stalling it.
func (b *browser) timed(path string, limit time.Duration) (response, time.Duration, error) {
	b.e.t.Helper()
	client := *b.client
	client.Timeout = limit
	req, _ := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	start := time.Now()
	resp, err := client.Do(req)
	took := time.Since(start)
	if err != nil {
		return response{}, took, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: html.UnescapeString(string(body)), raw: string(body), header: resp.Header}, took, err
}

// Organizers' work can never take the connections contestants need: with every one of the
// organizers' connections held, a contestant still starts, submits and reads "my
// attempts" at once, and an organizer's page says the system is busy within the console's
// wait instead of hanging.
func TestConsolePoolLeavesContestantsTheirConnections(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	console := e.consolePool(2, 10*time.Second)
	e.reconfigure(func(c *Config) {
		c.ConsolePool = console
		c.ConsoleWait = time.Second
	})
	person := e.register(1)
	org := e.organizer()
	holdAll(t, console)

	start := time.Now()
	person.submitAttempt(false)
	if r, took, err := person.timed("/me", 5*time.Second); err != nil || r.status != http.StatusOK {
		t.Fatalf("my attempts while the organizers' connections are all taken: %v %d after %s", err, r.status, took)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("a contestant's start, submit and page took %s while the organizers' connections were taken", took)
	}
	r, took, err := org.timed("/console", 10*time.Second)
	if err != nil {
		t.Fatalf("the dashboard hangs while its connections are taken: %v after %s", err, took)
	}
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" ||
		!strings.Contains(r.body, "Cơ sở dữ liệu đang bận nên trang này đã ngừng chờ") {
		t.Errorf("dashboard without a connection: %d (Retry-After %q) %s", r.status, r.header.Get("Retry-After"), alertOf(r.body))
	}
	if took > 5*time.Second {
		t.Errorf("the busy page took %s, the console waits 1 s", took)
	}
}

// A console statement that runs past the statement timeout ends in a 503 page saying so in
// Vietnamese (here: the snapshot table locked by someone, so the read waits), and the page
// works again once the database does.
func TestConsoleStatementTimeoutIsABusyPage(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	console := e.consolePool(2, 500*time.Millisecond)
	e.reconfigure(func(c *Config) { c.ConsolePool = console })
	org := e.organizer()
	if r := org.get("/console"); r.status != http.StatusOK {
		t.Fatalf("dashboard: %d %s", r.status, alertOf(r.body))
	}
	ctx := context.Background()
	tx, err := e.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE round_stats IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	r, took, err := org.timed("/console", 10*time.Second)
	_ = tx.Rollback(ctx)
	if err != nil {
		t.Fatalf("the dashboard hangs on a locked table: %v after %s", err, took)
	}
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "Cơ sở dữ liệu đang bận") {
		t.Errorf("dashboard past the statement timeout: %d %s", r.status, alertOf(r.body))
	}
	org.get("/lang/en?next=/console")
	if r := org.get("/console"); r.status != http.StatusOK {
		t.Errorf("dashboard once the lock is gone: %d %s", r.status, alertOf(r.body))
	}
}

// roundParticipants is the participants column of round "Đợt 1" in the console's rounds table.
func roundParticipants(t *testing.T, page string) string {
	t.Helper()
	got := byLabel(tableAfter(t, page, `id="rounds"`))["Đợt 1"]
	if len(got) < 3 {
		t.Fatalf("rounds table: %q", got)
	}
	return got[2]
}

// With figures that may be a minute old, the console shows the shared snapshot and its
// time, and counts again in the background once it is stale or invalidated (a regrade); the
// landing page and the embeddable widget read the same counts and never count themselves.
func TestConsoleStatsSnapshot(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	// Spacing 1: counts back to back at most, so the invalidation is counted at once
	// (TestConsoleStatsCountsAreSpacedOut holds it back).
	e.reconfigure(func(c *Config) { c.StatsMaxAge, c.StatsSpacing = time.Hour, 1 })
	first := e.register(1)
	first.submitAttempt(false)
	org := e.organizer()
	page := org.get("/console")
	if got := roundParticipants(t, page.body); got != "1" || !strings.Contains(page.body, "Số liệu tính lúc") {
		t.Fatalf("first view: %s participants; %s", got, alertOf(page.body))
	}
	e.register(2).submitAttempt(true)
	if got := roundParticipants(t, org.get("/console").body); got != "1" {
		t.Errorf("a fresh snapshot was counted again at a view: %s participants", got)
	}
	if err := store.InvalidateRoundStats(context.Background(), e.pool, "contest/dot-1"); err != nil {
		t.Fatal(err)
	}
	page = org.get("/console")
	if got := roundParticipants(t, page.body); got != "1" || !strings.Contains(page.body, "Đang tính lại") {
		t.Errorf("an invalidated snapshot is shown as it is, marked as being counted: %s participants", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for roundParticipants(t, org.get("/console").body) != "2" {
		if time.Now().After(deadline) {
			t.Fatal("the background count never landed")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if home := first.get("/"); !strings.Contains(home.body, "2 người đã tham gia") {
		t.Errorf("the landing page does not read the counted participants: %s", home.body)
	}
	if widget := e.browser().get("/embed/round"); !strings.Contains(widget.body, "2 người đã tham gia") {
		t.Errorf("the widget does not read the counted participants: %s", widget.body)
	}
	var claims int64
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM round_stats WHERE refreshing_until > now()`).Scan(&claims); err != nil || claims != 0 {
		t.Errorf("claims left running: %d %v", claims, err)
	}
}

// A replica makes one report at a time: a second download (a report, or the daily
// participation export) waits the console's wait, then is told to come back.
func TestConsoleReportsOneAtATime(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.reconfigure(func(c *Config) { c.ConsoleWait = 300 * time.Millisecond })
	org := e.organizer()
	if !e.app.reports.TryAcquire(1) {
		t.Fatal("no report slot")
	}
	r := org.get("/console/rounds/dot-0/report.xlsx")
	// The daily participation export is a pass over the round too: it waits its turn.
	daily := org.get("/console/rounds/dot-1/daily.xlsx")
	e.app.reports.Release(1)
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "đang tạo một báo cáo khác") || r.header.Get("Retry-After") == "" {
		t.Errorf("second report: %d %s", r.status, alertOf(r.body))
	}
	if daily.status != http.StatusServiceUnavailable || !strings.Contains(daily.body, "đang tạo một báo cáo khác") {
		t.Errorf("daily export while a report is made: %d %s", daily.status, alertOf(daily.body))
	}
	if r := org.get("/console/rounds/dot-1/daily.xlsx"); r.status != http.StatusOK {
		t.Errorf("daily export once the slot is free: %d %s", r.status, alertOf(r.body))
	}
	if r := org.get("/console/rounds/dot-0/report.xlsx"); r.status != http.StatusNotFound {
		t.Errorf("report once the slot is free: %d (want 404: dot-0 is not ranked) %s", r.status, alertOf(r.body))
	}
}

// Every console handler reaches the database through the organizers' pool (consoleDB or
// heavyDB), never the contestants' (cfg.Pool): one that did would take contestants'
// connections again with whatever it counts.
func TestConsoleHandlersUseTheOrganizersPool(t *testing.T) {
	// What the console may ask the attempt service: banks (no database), and key
	// corrections, which read and write through the RoundScores they are given.
	attemptsForConsole := map[string]bool{"Bank": true, "PreviewCorrection": true, "ApplyCorrection": true}
	for _, f := range gosource.Parse(t, ".") {
		name := filepath.Base(f.Fset.File(f.AST.Pos()).Name())
		if !strings.HasPrefix(name, "console") {
			continue
		}
		ast.Inspect(f.AST, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			inner, ok := sel.X.(*ast.SelectorExpr)
			switch {
			case !ok:
			case sel.Sel.Name == "Pool" && inner.Sel.Name == "cfg":
				t.Errorf("%s: the console uses the contestants' pool (cfg.Pool); use a.consoleDB(), or a.heavyDB() for counting", f.Pos(sel.Pos()))
			case inner.Sel.Name == "attempts" && !attemptsForConsole[sel.Sel.Name]:
				// The attempt service reads through the contestants' pool.
				t.Errorf("%s: the console reads through the attempt service (a.attempts.%s), on the contestants' pool; use the store on a.consoleDB()",
					f.Pos(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}

// Organizers who keep looking do not keep the database counting: with figures allowed to
// be a moment old, the next count still waits --stats-spacing times the last count's
// duration, and meanwhile the console shows the old figures, when they were counted and
// when they will be counted again.
func TestConsoleStatsCountsAreSpacedOut(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.reconfigure(func(c *Config) { c.StatsMaxAge, c.StatsSpacing = time.Millisecond, 50 })
	e.register(1).submitAttempt(false)
	org := e.organizer()
	if got := roundParticipants(t, org.get("/console").body); got != "1" {
		t.Fatalf("first view: %s participants", got)
	}
	// As if that count had taken 10 s of the database: the next waits 500 s.
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `UPDATE round_stats SET took_ms = 10000 WHERE round = 'contest/dot-1'`); err != nil {
		t.Fatal(err)
	}
	e.register(2).submitAttempt(true)
	if err := store.InvalidateRoundStats(ctx, e.pool, "contest/dot-1"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/console", "/console/rounds/dot-1"} {
		for range 3 {
			page := org.get(path)
			if !strings.Contains(page.body, "sẽ tính lại lúc") || strings.Contains(page.body, "Đang tính lại") {
				t.Errorf("%s: the page does not say when the held-back count will run: %s", path, asOf(page.body))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	time.Sleep(200 * time.Millisecond) // a background count, if one was (wrongly) started
	if got := roundParticipants(t, org.get("/console").body); got != "1" {
		t.Errorf("counted again before the spacing allowed: %s participants", got)
	}
	var claimed bool
	if err := e.pool.QueryRow(ctx, `SELECT refreshing_until IS NOT NULL FROM round_stats WHERE round = 'contest/dot-1'`).Scan(&claimed); err != nil || claimed {
		t.Errorf("a count was claimed before the spacing allowed: %v %v", claimed, err)
	}
	// Once the spacing has passed, the next view has it counted.
	if _, err := e.pool.Exec(ctx, `UPDATE round_stats SET computed_at = computed_at - interval '501 seconds' WHERE round = 'contest/dot-1'`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for roundParticipants(t, org.get("/console").body) != "2" {
		if time.Now().After(deadline) {
			t.Fatal("the count never ran once the spacing allowed it")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// asOf is the console's line saying when the figures were counted.
func asOf(body string) string {
	i := strings.Index(body, `id="as-of"`)
	if i < 0 {
		return "(no as-of line)"
	}
	end := strings.Index(body[i:], "</p>")
	if end < 0 {
		return body[i:]
	}
	return body[i : i+end]
}

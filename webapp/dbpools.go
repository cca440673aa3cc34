package webapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/semaphore"

	"github.com/dxcontest/contest-platform/internal/store"
)

// DefaultStatsSpacing is ConsoleDB.StatsSpacing's default (contest web --stats-spacing).
const DefaultStatsSpacing = 100

// ConsoleDB is how the organizer console reaches the database. Contestants' connections
// (Config.Pool) are never the organizers': counting a round of a million attempts holds a
// connection for seconds, and four organizers refreshing a dashboard used to hold all of a
// replica's connections while exams waited (docs/BENCHMARKS.md, "Organizer statistics at
// 1,000,000 attempts").
type ConsoleDB struct {
	// ConsolePool serves every console page: a pool of its own, small (contest web:
	// --console-db-conns, default 2), its connections with a statement timeout. Nil shares
	// Pool (tests and tools that run no contestants).
	ConsolePool *pgxpool.Pool
	// ReadPool, when set, is a read replica (e.g. CloudNativePG's -ro service): round
	// statistics are counted and reports read there, never on the primary.
	ReadPool *pgxpool.Pool
	// StatsMaxAge is how old the shared round statistics may be before a reader has them
	// counted again (default 1 minute; negative: the console counts at every view, for a
	// small contest); StatsTimeout bounds one count's statements (default 2 minutes).
	StatsMaxAge, StatsTimeout time.Duration
	// StatsSpacing spaces a round's counts out: the next one begins no sooner than this
	// many times the last one's duration after it began, however old or out of date the
	// snapshot (default 100: counting takes at most 1 % of a database core per round, so
	// organizers watching all evening leave contestants their CPU; at a million attempts,
	// a count every 3 minutes or so). Below 1 means 1 (back to back at most).
	StatsSpacing float64
	// ConsoleWait bounds how long a console page waits for the database, its connections
	// included (default 20 s): then the page says the system is busy (503) rather than
	// hang. ReportTimeout bounds the statements of a report or daily participation download
	// and of a key correction (default 5 minutes), and Reports is how many of those a
	// replica runs at once (default 1; others wait up to ConsoleWait, then are told to
	// come back).
	ConsoleWait, ReportTimeout time.Duration
	Reports                    int
}

// consoleDB is the pool console pages use.
func (a *App) consoleDB() *pgxpool.Pool {
	if a.cfg.ConsolePool != nil {
		return a.cfg.ConsolePool
	}
	return a.cfg.Pool
}

// heavyDB is where counting and reports run: the read replica when there is one.
func (a *App) heavyDB() *pgxpool.Pool {
	if a.cfg.ReadPool != nil {
		return a.cfg.ReadPool
	}
	return a.consoleDB()
}

func (a *App) setupConsoleDB() error {
	c := &a.cfg.ConsoleDB
	if c.StatsMaxAge == 0 {
		c.StatsMaxAge = time.Minute
	}
	if c.StatsSpacing == 0 {
		c.StatsSpacing = DefaultStatsSpacing
	}
	if c.StatsTimeout <= 0 {
		c.StatsTimeout = 2 * time.Minute
	}
	if c.ConsoleWait <= 0 {
		c.ConsoleWait = 20 * time.Second
	}
	if c.ReportTimeout <= 0 {
		c.ReportTimeout = 5 * time.Minute
	}
	if c.Reports <= 0 {
		c.Reports = 1
	}
	counted, err := newStatsHistogram(a.cfg.Registerer)
	if err != nil {
		return err
	}
	a.stats = &roundStats{read: a.consoleDB(), count: a.heavyDB(), maxAge: c.StatsMaxAge, spacing: max(c.StatsSpacing, 1), timeout: c.StatsTimeout,
		log: a.cfg.Logger, counted: counted}
	a.reports = semaphore.NewWeighted(int64(c.Reports))
	pools := map[string]*pgxpool.Pool{"contestants": a.cfg.Pool}
	if c.ConsolePool != nil {
		pools["console"] = c.ConsolePool
	}
	if c.ReadPool != nil {
		pools["read"] = c.ReadPool
	}
	return a.cfg.Registerer.Register(newPoolCollector(pools))
}

// consoleDeadline bounds a console request's wait for the database (its connections, its
// statements); downloads and key corrections bound their own (ReportTimeout).
func (a *App) consoleDeadline(c *gin.Context) {
	if isLongPath(c.Request.Method, c.Request.URL.Path) {
		c.Next()
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), a.cfg.ConsoleWait)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// consoleBusy says whether err is the database giving up on a console request: a
// statement timeout (the server cancelled it) or the request's deadline (waiting for an
// organizers' connection, or a statement running past it).
func consoleBusy(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "57014" || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err)
}

// consoleBusyPage answers a console request the database gave up on: 503, a retry hint, and
// a message saying why in the organizer's language.
func (a *App) consoleBusyPage(c *gin.Context, err error) {
	a.metrics.refused("console_busy")
	a.log(c).Warn("console request given up", "path", c.Request.URL.Path, "err", err)
	c.Header("Retry-After", "30")
	a.consoleFail(c, http.StatusServiceUnavailable, "console.busy")
}

var _ prometheus.Collector = (*poolCollector)(nil)

// isLongPath says whether a console request reads or rescores a whole round: a report or
// daily participation download, a key correction's preview or application. Each holds one
// of the replica's report places (heavyRead, longWrite) under ReportTimeout rather than the
// console's wait.
func isLongPath(method, p string) bool {
	if !strings.HasPrefix(p, "/console/rounds/") {
		return false
	}
	switch method {
	case http.MethodGet:
		for _, s := range []string{"/report.xlsx", "/report-csv.zip", "/daily.xlsx", "/daily-csv.zip"} {
			if strings.HasSuffix(p, s) {
				return true
			}
		}
	case http.MethodPost:
		return strings.HasSuffix(p, "/corrections") || strings.HasSuffix(p, "/corrections/preview")
	}
	return false
}

// heavyRead starts a report's reading: it waits up to ConsoleWait for one of the replica's
// Reports places (else the page says another report is being made, 503), then opens one
// repeatable-read, read-only transaction on heavyDB (the read replica when there is one)
// whose statements run under ReportTimeout instead of the console's statement timeout.
// done rolls the transaction back and frees the place; on !ok the answer is sent.
func (a *App) heavyRead(c *gin.Context) (ctx context.Context, tx pgx.Tx, done func(), ok bool) {
	ctx, release, ok := a.reportPlace(c)
	if !ok {
		return nil, nil, nil, false
	}
	tx, err := a.heavyDB().BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err == nil {
		if err = a.reportTimeout(ctx, tx); err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}
	if err != nil {
		release()
		a.consoleInternal(c, err)
		return nil, nil, nil, false
	}
	return ctx, tx, func() {
		_ = tx.Rollback(context.WithoutCancel(ctx)) // read-only; a failed rollback ends with the connection
		release()
	}, true
}

// longWrite runs fn in one transaction on the primary (the console's pool) under
// ReportTimeout, holding one of the replica's Reports places: a write that passes over a
// whole round (a key correction rescoring every attempt). On !ok the answer is sent
// (another report or correction is running); else the transaction's error is returned.
func (a *App) longWrite(c *gin.Context, fn func(ctx context.Context, tx store.Querier) error) (ok bool, err error) {
	ctx, release, ok := a.reportPlace(c)
	if !ok {
		return false, nil
	}
	defer release()
	return true, store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		if err := a.reportTimeout(ctx, tx); err != nil {
			return err
		}
		return fn(ctx, tx)
	})
}

// reportPlace takes one of the replica's Reports places, waiting up to ConsoleWait, and
// bounds the request by ReportTimeout; release frees both.
func (a *App) reportPlace(c *gin.Context) (ctx context.Context, release func(), ok bool) {
	wait, cancel := context.WithTimeout(c.Request.Context(), a.cfg.ConsoleWait)
	err := a.reports.Acquire(wait, 1)
	cancel()
	if err != nil {
		a.metrics.refused("report_busy")
		c.Header("Retry-After", "60")
		a.consoleFail(c, http.StatusServiceUnavailable, "console.report.busy")
		return nil, nil, false
	}
	ctx, cancel = context.WithTimeout(c.Request.Context(), a.cfg.ReportTimeout)
	return ctx, func() { cancel(); a.reports.Release(1) }, true
}

// reportTimeout gives the transaction's statements ReportTimeout.
func (a *App) reportTimeout(ctx context.Context, tx store.Querier) error {
	_, err := tx.Exec(ctx, `SELECT set_config('statement_timeout', $1, true)`, fmt.Sprintf("%dms", a.cfg.ReportTimeout.Milliseconds()))
	return err
}

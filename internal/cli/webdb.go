package cli

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/webapp"
)

// databaseReadURLEnv names the read replica's DSN (optional), e.g. CloudNativePG's -ro
// service.
const databaseReadURLEnv = "CONTEST_DATABASE_READ_URL"

// consoleDBFlags are the organizer console's database settings (docs/operations.md,
// "Organizers' database connections").
type consoleDBFlags struct {
	conns                                     *int
	timeout, maxAge, statsTimeout, reportTime *time.Duration
	spacing                                   *float64
	readURL, readHost                         *string
}

func addConsoleDBFlags(fs *flag.FlagSet) *consoleDBFlags {
	return &consoleDBFlags{
		conns: fs.Int("console-db-conns", 2, "connections the organizer console may open (its own pool, apart from contestants'; at least 2: a report holds one); the same for the read replica"),
		timeout: fs.Duration("console-statement-timeout", 10*time.Second,
			"statement timeout of the console's connections: a page whose query runs longer gets a 'busy, try again' page"),
		maxAge: fs.Duration("stats-max-age", time.Minute,
			"how old the shared round statistics may be before a reader has them counted again (one replica counts, in the background); 0: count at every console view (small contests only)"),
		spacing: fs.Float64("stats-spacing", webapp.DefaultStatsSpacing,
			"the next count of a round's statistics begins no sooner than this many times the last count's duration after it began, however old or out of date the figures (100: counting takes at most 1% of a database core per round; at least 1)"),
		statsTimeout: fs.Duration("stats-timeout", 2*time.Minute, "statement timeout of one count of a round's statistics"),
		reportTime:   fs.Duration("report-timeout", 5*time.Minute, "statement timeout of a report or daily participation download from the console, and of a key correction"),
		readURL: fs.String("database-read-url", "",
			"a read replica's DSN, where statistics are counted and reports read (default: env "+databaseReadURLEnv+"; none: the primary, on the console's connections)"),
		readHost: fs.String("database-read-host", "",
			"a read replica as the primary's DSN with this host instead (e.g. CloudNativePG's <cluster>-ro service); instead of --database-read-url"),
	}
}

// open makes the console's pools on the primary's DSN and the read replica's, if any.
func (f *consoleDBFlags) open(ctx context.Context, dsn string) (webapp.ConsoleDB, func(), error) {
	if *f.conns < 2 {
		return webapp.ConsoleDB{}, nil, fmt.Errorf("--console-db-conns must be at least 2 (a report download holds one connection for its whole length), not %d", *f.conns)
	}
	if *f.timeout <= 0 || *f.maxAge < 0 || *f.statsTimeout <= 0 || *f.reportTime <= 0 {
		return webapp.ConsoleDB{}, nil, fmt.Errorf("--console-statement-timeout, --stats-timeout and --report-timeout must be positive, --stats-max-age not negative")
	}
	if !(*f.spacing >= 1) || math.IsInf(*f.spacing, 0) { // NaN included
		return webapp.ConsoleDB{}, nil, fmt.Errorf("--stats-spacing must be a number of at least 1 (1: a round's counts may run back to back), not %v", *f.spacing)
	}
	if dsn == "" {
		dsn = os.Getenv(databaseURLEnv)
	}
	console, err := f.pool(ctx, dsn, "contest-console", "")
	if err != nil {
		return webapp.ConsoleDB{}, nil, fmt.Errorf("console database pool: %w", err)
	}
	db := webapp.ConsoleDB{ConsolePool: console, StatsMaxAge: *f.maxAge, StatsSpacing: *f.spacing, StatsTimeout: *f.statsTimeout,
		ReportTimeout: *f.reportTime}
	if db.StatsMaxAge == 0 {
		db.StatsMaxAge = -1 // the app's "every view"; its 0 is the default
	}
	closeAll := console.Close
	readURL := *f.readURL
	if readURL == "" {
		readURL = os.Getenv(databaseReadURLEnv)
	}
	if readURL != "" && *f.readHost != "" {
		console.Close()
		return webapp.ConsoleDB{}, nil, fmt.Errorf("give the read replica by --database-read-url (or %s) or by --database-read-host, not both", databaseReadURLEnv)
	}
	if readURL != "" || *f.readHost != "" {
		if readURL == "" {
			readURL = dsn
		}
		read, err := f.pool(ctx, readURL, "contest-console-read", *f.readHost)
		if err != nil {
			console.Close()
			return webapp.ConsoleDB{}, nil, fmt.Errorf("read replica pool: %w", err)
		}
		db.ReadPool = read
		closeAll = func() { read.Close(); console.Close() }
	}
	return db, closeAll, nil
}

// pool opens a small pool whose connections carry the console's statement timeout and
// name themselves (pg_stat_activity's application_name shows whose work a backend does);
// host, when given, replaces the DSN's.
func (f *consoleDBFlags) pool(ctx context.Context, dsn, name, host string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if host != "" {
		cfg.ConnConfig.Host, cfg.ConnConfig.Fallbacks = host, nil
	}
	cfg.MaxConns = int32(*f.conns)
	cfg.MinConns = 0
	rp := cfg.ConnConfig.RuntimeParams
	rp["statement_timeout"] = fmt.Sprintf("%dms", f.timeout.Milliseconds())
	if rp["application_name"] == "" {
		rp["application_name"] = name
	}
	return pgxpool.NewWithConfig(ctx, cfg)
}

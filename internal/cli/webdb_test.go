package cli

import (
	"context"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// The console's pools are apart from the contestants', as small as asked, with the
// statement timeout on every connection; a read replica gets a pool of its own.
func TestConsoleDatabaseFlags(t *testing.T) {
	dsn := pgtest.Empty(t)
	ctx := context.Background()
	parse := func(args ...string) *consoleDBFlags {
		fs := flag.NewFlagSet("web", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f := addConsoleDBFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return f
	}
	if _, _, err := parse("--console-db-conns=1").open(ctx, dsn); err == nil || !strings.Contains(err.Error(), "at least 2") {
		t.Errorf("one connection: %v", err)
	}
	for _, spacing := range []string{"0.5", "0", "-3", "NaN", "+Inf"} {
		if _, _, err := parse("--stats-spacing="+spacing).open(ctx, dsn); err == nil || !strings.Contains(err.Error(), "--stats-spacing must be") {
			t.Errorf("--stats-spacing=%s: %v", spacing, err)
		}
	}
	t.Setenv(databaseReadURLEnv, dsn) // the same server plays the replica
	db, closeAll, err := parse("--console-db-conns=3", "--console-statement-timeout=1500ms", "--stats-max-age=0", "--stats-spacing=40").open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	if db.StatsMaxAge >= 0 || db.StatsSpacing != 40 || db.ReportTimeout != 5*time.Minute {
		t.Errorf("settings: %+v", db)
	}
	if db.ConsolePool == nil || db.ReadPool == nil || db.ConsolePool == db.ReadPool {
		t.Fatalf("pools: console %p read %p", db.ConsolePool, db.ReadPool)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	var timeout, app string
	if err := db.ConsolePool.QueryRow(ctx, `SELECT current_setting('statement_timeout'), current_setting('application_name')`).Scan(&timeout, &app); err != nil {
		t.Fatal(err)
	}
	check("console statement_timeout", timeout, "1500ms")
	check("console application_name", app, "contest-console")
	check("console connections", db.ConsolePool.Config().MaxConns, int32(3))
	if err := db.ReadPool.QueryRow(ctx, `SELECT current_setting('statement_timeout'), current_setting('application_name')`).Scan(&timeout, &app); err != nil {
		t.Fatal(err)
	}
	check("replica statement_timeout", timeout, "1500ms")
	check("replica application_name", app, "contest-console-read")
	check("replica connections", db.ReadPool.Config().MaxConns, int32(3))

	// CloudNativePG's -ro service: the primary's DSN with another host.
	t.Setenv(databaseReadURLEnv, "")
	db2, close2, err := parse("--database-read-host=127.0.0.1").open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer close2()
	if db2.ReadPool == nil || db2.ReadPool.Config().ConnConfig.Host != "127.0.0.1" || db2.ReadPool.Ping(ctx) != nil {
		t.Errorf("read replica by host: %+v", db2.ReadPool)
	}
	t.Setenv(databaseReadURLEnv, dsn)
	if _, _, err := parse("--database-read-host=x").open(ctx, dsn); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("both ways to name a replica: %v", err)
	}
}

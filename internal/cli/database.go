package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// databaseFlag adds --database-url. The DSN is a secret that normally comes from the
// environment, so the environment is read only when the flag is empty (see openDatabase):
// as a flag default it would be printed by --help.
func databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database-url", "",
		"PostgreSQL connection string (default: env "+databaseURLEnv+", usually from a Kubernetes Secret)")
}

// openDatabase takes the DSN from the flag or else the environment, checks that there is one
// (a usage error otherwise) and opens a pool; the connection is made by the first query.
func openDatabase(ctx context.Context, cmd, dsn string, out IO) (*pgxpool.Pool, int, bool) {
	if dsn == "" {
		dsn = os.Getenv(databaseURLEnv)
	}
	if dsn == "" {
		fmt.Fprintf(out.Stderr, "contest %s: no database given: set --database-url or %s\n", cmd, databaseURLEnv)
		return nil, ExitUsage, false
	}
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		fmt.Fprintf(out.Stderr, "contest %s: connect to database: %v\n", cmd, err)
		return nil, ExitError, false
	}
	return pool, ExitOK, true
}

// fail reports err and returns the error exit code. A missing table means the schema was
// never applied, which the message says how to fix.
func fail(out IO, cmd string, err error) int {
	fmt.Fprintf(out.Stderr, "contest %s: %v\n", cmd, err)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
		fmt.Fprintln(out.Stderr, "the database has no contest schema yet: run 'contest migrate' first")
	}
	return ExitError
}

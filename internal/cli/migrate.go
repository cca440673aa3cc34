package cli

import (
	"context"
	"fmt"

	"github.com/dxcontest/contest-platform/internal/store"
)

const databaseURLEnv = "CONTEST_DATABASE_URL"

func migrateCommand() Command {
	const summary = "Apply the database schema migrations (idempotent)."
	return Command{
		Name:    "migrate",
		Summary: summary,
		Run: func(ctx context.Context, args []string, out IO) int {
			fs := newFlagSet("migrate", summary, out)
			dsn := databaseFlag(fs)
			if code, done := parseFlags(fs, args, out); done {
				return code
			}
			pool, code, ok := openDatabase(ctx, "migrate", *dsn, out)
			if !ok {
				return code
			}
			defer pool.Close()
			applied, err := store.Migrate(ctx, pool)
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest migrate: %v\n", err)
				return ExitError
			}
			if len(applied) == 0 {
				fmt.Fprintln(out.Stdout, "database schema is up to date")
				return ExitOK
			}
			for _, m := range applied {
				fmt.Fprintf(out.Stdout, "applied migration %04d %s\n", m.Version, m.Name)
			}
			return ExitOK
		},
	}
}

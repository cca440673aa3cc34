// Package store keeps the contest's data in PostgreSQL through pgx: the schema migrations
// and, as the product grows, every SQL statement the platform runs.
package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one versioned schema change, applied in its own transaction.
type Migration struct {
	Version  int
	Name     string
	SQL      string
	Checksum string
}

// migrationLockKey serializes migrators across replicas (an arbitrary, fixed advisory-lock key).
const migrationLockKey int64 = 0x636f6e7465737401

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// Migrations returns the embedded migrations in version order.
func Migrations() ([]Migration, error) {
	return loadMigrations(migrationFiles, "migrations")
}

func loadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	seen := map[int]string{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration file %q: name must look like 0001_short_name.sql", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		if prev, ok := seen[v]; ok {
			return nil, fmt.Errorf("migrations %q and %q share version %d", prev, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %q: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		out = append(out, Migration{Version: v, Name: m[2], SQL: string(body), Checksum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// MigrateURL connects to dsn and applies the pending migrations.
func MigrateURL(ctx context.Context, dsn string) ([]Migration, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	defer pool.Close()
	return Migrate(ctx, pool)
}

// Migrate applies the embedded migrations that the database has not seen yet and returns
// them. It is idempotent and safe to run from several replicas at once: an advisory lock
// lets one migrator work while the others wait, then find nothing left to do.
func Migrate(ctx context.Context, pool *pgxpool.Pool) ([]Migration, error) {
	migrations, err := Migrations()
	if err != nil {
		return nil, err
	}
	return applyMigrations(ctx, pool, migrations)
}

func applyMigrations(ctx context.Context, pool *pgxpool.Pool, migrations []Migration) ([]Migration, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	defer conn.Release()

	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return nil, fmt.Errorf("take migration lock: %w", err)
	}
	// Unlock on a fresh context so a cancelled ctx does not leave the lock held on a pooled connection.
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	}()

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migration (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		checksum   text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return nil, fmt.Errorf("create schema_migration table: %w", err)
	}

	applied, err := appliedChecksums(ctx, conn.Conn())
	if err != nil {
		return nil, err
	}
	if err := checkHistory(applied, migrations); err != nil {
		return nil, err
	}

	var done []Migration
	for _, m := range migrations {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		if err := applyOne(ctx, conn.Conn(), m); err != nil {
			return done, err
		}
		done = append(done, m)
	}
	return done, nil
}

func appliedChecksums(ctx context.Context, conn *pgx.Conn) (map[int]string, error) {
	rows, err := conn.Query(ctx, "SELECT version, checksum FROM schema_migration")
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	applied := map[int]string{}
	var v int
	var sum string
	if _, err := pgx.ForEachRow(rows, []any{&v, &sum}, func() error { applied[v] = sum; return nil }); err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	return applied, nil
}

// supersededChecksums are contents of a migration that were once committed and later edited
// in place, by version. A database migrated with such a content recorded its checksum and is
// accepted: migration 0005 redoes each edit idempotently, so both histories reach the same
// schema. Only these exact contents are accepted (their files are kept in
// testdata/superseded); any other difference is still refused. Never add to this table to
// make an edit pass: restore the file and write a new migration.
var supersededChecksums = map[int][]string{
	// 0001 with the index attempt_contestant added (now in 0005).
	1: {"4f4aecaa4af51f47917d5e9bdd16c18c45e9b3c05411da599ef591cd257f9860"},
	// 0003 without ranking_entry's two foreign keys and UNIQUE (round, contestant_id) (now dropped in 0005).
	3: {"590769a396cedbfe455fff1def36025206de12a30b5030414654e87924be3870"},
}

// checkHistory refuses a database whose history this binary does not recognize: an edited
// migration or a schema newer than the binary would otherwise be silently mixed.
func checkHistory(applied map[int]string, migrations []Migration) error {
	known := map[int]Migration{}
	for _, m := range migrations {
		known[m.Version] = m
	}
	var errs []error
	for v, sum := range applied {
		m, ok := known[v]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("database has migration %04d, which this binary does not know: it is newer than this binary", v))
		case m.Checksum != sum && !slices.Contains(supersededChecksums[v], sum):
			errs = append(errs, fmt.Errorf("migration %04d_%s was changed after it was applied (checksum %s in the database, %s here)", v, m.Name, short(sum), short(m.Checksum)))
		}
	}
	return errors.Join(errs...)
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

func applyOne(ctx context.Context, conn *pgx.Conn, m Migration) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)", m.Version, m.Name, m.Checksum)
		return err
	})
	if err != nil {
		return fmt.Errorf("apply migration %04d_%s: %w", m.Version, m.Name, err)
	}
	return nil
}

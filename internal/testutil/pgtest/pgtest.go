// Package pgtest gives tests their own fresh PostgreSQL database on the throwaway server
// that `make test` (hack/with-postgres.sh) starts and names in CONTEST_TEST_DSN.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/store"
)

// EnvDSN names the variable holding the admin DSN of the test server.
const EnvDSN = "CONTEST_TEST_DSN"

// Empty creates an empty database for t, dropped when t ends, and returns its DSN.
// Without CONTEST_TEST_DSN the test fails: a database test that silently skips cannot fail.
func Empty(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvDSN)
	if admin == "" {
		t.Fatalf("%s is not set: run the tests with `make test`, or start a server with `eval $(hack/pg.sh start)` and export %s", EnvDSN, EnvDSN)
	}
	name := databaseName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to test server: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create test database %s: %v", name, err)
	}
	t.Cleanup(func() { drop(t, admin, name) })
	return withDatabase(t, admin, name)
}

// Migrated creates a fresh database with every migration applied and returns a pool on it,
// closed and dropped when t ends.
func Migrated(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool := Connect(t, Empty(t))
	if _, err := store.Migrate(context.Background(), pool); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return pool
}

// Connect opens a pool on dsn, closed when t ends (before the database is dropped, as
// cleanups run last-in first-out).
func Connect(t testing.TB, dsn string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatalf("connect to test database: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func drop(t testing.TB, admin, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Errorf("connect to drop %s: %v", name, err)
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Errorf("drop test database %s: %v", name, err)
	}
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// databaseName makes a unique, readable name from the test's name.
func databaseName(testName string) string {
	base := unsafeChars.ReplaceAllString(strings.ToLower(testName), "_")
	if len(base) > 40 {
		base = base[:40]
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "t_" + base + "_" + hex.EncodeToString(b[:])
}

func withDatabase(t testing.TB, dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", EnvDSN, err)
	}
	u.Path = "/" + name
	return fmt.Sprint(u)
}

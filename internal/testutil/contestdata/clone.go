package contestdata

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// Clone gives tb its own database holding the contest of opts, and its DSN. The data is
// generated once per server into a template database named after opts, this generator's
// version and the schema's migrations (kept until the server stops), then copied file by
// file for each caller; benchmarks in several packages, run in parallel, build it once.
func Clone(tb testing.TB, opts Options) (dsn string, sum Summary) {
	tb.Helper()
	admin := os.Getenv(pgtest.EnvDSN)
	if admin == "" {
		tb.Fatalf("%s is not set: run under hack/with-postgres.sh", pgtest.EnvDSN)
	}
	k, err := key(opts)
	if err != nil {
		tb.Fatal(err)
	}
	template := "contestdata_" + k
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("connect to test server: %v", err)
	}
	defer conn.Close(ctx)
	// One builder at a time per template, across processes.
	raw, _ := hex.DecodeString(k)
	lock := int64(binary.BigEndian.Uint64(raw[:8]))
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lock); err != nil {
		tb.Fatal(err)
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, lock) //nolint:errcheck // the connection closes next
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, template).Scan(&exists); err != nil {
		tb.Fatal(err)
	}
	if !exists {
		start := time.Now()
		if err := build(ctx, conn, admin, template, opts); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("contestdata: built %s in %s", template, time.Since(start).Round(time.Second))
	}
	var comment string
	if err := conn.QueryRow(ctx, `SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1`, template).Scan(&comment); err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal([]byte(comment), &sum); err != nil {
		tb.Fatalf("contestdata: summary of %s: %v", template, err)
	}
	name := fmt.Sprintf("t_contestdata_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+` TEMPLATE `+pgx.Identifier{template}.Sanitize()+` STRATEGY FILE_COPY`); err != nil {
		tb.Fatalf("copy %s: %v", template, err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			tb.Errorf("drop %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			tb.Errorf("drop %s: %v", name, err)
		}
	})
	return withDatabase(tb, admin, name), sum
}

// build generates the template under another name and renames it when complete, so an
// interrupted build leaves nothing that looks finished.
func build(ctx context.Context, conn *pgx.Conn, admin, template string, opts Options) error {
	partial := template + "_partial"
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{partial}.Sanitize()+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{partial}.Sanitize()); err != nil {
		return err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return err
	}
	u.Path = "/" + partial
	pool, err := pgxpool.New(ctx, u.String())
	if err != nil {
		return err
	}
	if _, err := store.Migrate(ctx, pool); err != nil {
		pool.Close()
		return fmt.Errorf("contestdata: migrate: %w", err)
	}
	sum, err := Load(ctx, pool, opts)
	if err == nil && opts.Prepare != nil {
		if err = opts.Prepare(ctx, pool); err != nil {
			err = fmt.Errorf("contestdata: prepare %s: %w", opts.Variant, err)
		}
	}
	pool.Close()
	if err != nil {
		return err
	}
	js, err := json.Marshal(sum)
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `COMMENT ON DATABASE `+pgx.Identifier{partial}.Sanitize()+` IS '`+strings.ReplaceAll(string(js), "'", "''")+`'`); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{partial}.Sanitize()+` RENAME TO `+pgx.Identifier{template}.Sanitize())
	return err
}

func withDatabase(tb testing.TB, dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s is not a URL: %v", pgtest.EnvDSN, err)
	}
	u.Path = "/" + name
	return u.String()
}

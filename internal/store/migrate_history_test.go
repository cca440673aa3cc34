package store_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// Databases were migrated with 0001 and 0003 as first committed, or with their later edited
// contents (testdata/superseded), in every combination the commit history allowed. Each must
// migrate to the current version and end with exactly the schema of a fresh database.
func TestMigrateUpgradesEveryPastHistoryToTheFreshSchema(t *testing.T) {
	ctx := context.Background()
	current, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	edited, err := store.LoadMigrations(os.DirFS("testdata"), "superseded")
	if err != nil {
		t.Fatal(err)
	}
	editedByVersion := map[int]store.Migration{}
	for _, m := range edited {
		editedByVersion[m.Version] = m
	}

	fresh := pgtest.Connect(t, pgtest.Empty(t))
	if _, err := store.Migrate(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	want := schema(t, fresh)
	// The comparison means something only if the fresh schema has the changes 0005 makes.
	for _, line := range []string{
		"index attempt_contestant on attempt: CREATE INDEX attempt_contestant ON public.attempt USING btree (contestant_id)",
	} {
		if !slices.Contains(want, line) {
			t.Fatalf("fresh schema lacks %q", line)
		}
	}
	for _, line := range want {
		if strings.HasPrefix(line, "constraint ranking_entry_contestant_id_fkey") || strings.HasPrefix(line, "constraint ranking_entry_round_contestant_id_key") {
			t.Fatalf("fresh schema still has %q", line)
		}
	}

	for _, h := range []struct {
		name   string
		edited []int // versions applied with their edited content
	}{
		{"as first committed", nil},
		{"0003 edited", []int{3}},
		{"0001 and 0003 edited", []int{1, 3}},
		{"0001 edited", []int{1}},
	} {
		t.Run(h.name, func(t *testing.T) {
			var past []store.Migration
			for _, m := range current {
				if m.Version > 4 {
					break
				}
				if slices.Contains(h.edited, m.Version) {
					m = editedByVersion[m.Version]
				}
				past = append(past, m)
			}
			pool := pgtest.Connect(t, pgtest.Empty(t))
			if _, err := store.ApplyMigrations(ctx, pool, past); err != nil {
				t.Fatalf("migrate with the past files: %v", err)
			}
			done, err := store.Migrate(ctx, pool)
			if err != nil {
				t.Fatalf("migrate to the current version: %v", err)
			}
			if len(done) != len(current)-4 || done[0].Version != 5 {
				t.Fatalf("applied %v, want every migration from 0005 on", versions(done))
			}
			if got := schema(t, pool); !slices.Equal(got, want) {
				t.Fatalf("schema differs from a fresh database's:\n%s", diff(got, want))
			}
		})
	}
}

// schema lists the public schema's tables, columns, indexes, constraints and triggers from
// pg_catalog, one sorted line each.
func schema(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT format('index %s on %s: %s', i.indexrelid::regclass, i.indrelid::regclass, pg_get_indexdef(i.indexrelid))
		  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace
		UNION ALL
		SELECT format('constraint %s on %s: %s', conname, conrelid::regclass, pg_get_constraintdef(oid))
		  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
		UNION ALL
		SELECT format('column %s.%s: %s%s%s', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
		              CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
		              coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''))
		  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
		UNION ALL
		SELECT format('trigger %s on %s: %s', tgname, tgrelid::regclass, pg_get_triggerdef(oid))
		  FROM pg_trigger WHERE NOT tgisinternal
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func diff(got, want []string) string {
	var b strings.Builder
	for _, l := range got {
		if !slices.Contains(want, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	return b.String()
}

func versions(ms []store.Migration) []int {
	var out []int
	for _, m := range ms {
		out = append(out, m.Version)
	}
	return out
}

package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

func TestMigrateAppliesOnEmptyDatabaseAndIsIdempotent(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Connect(t, pgtest.Empty(t))

	all, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	first, err := store.Migrate(ctx, pool)
	if err != nil {
		t.Fatalf("first migrate: %v", err)
	}
	if len(first) != len(all) || len(all) == 0 {
		t.Fatalf("first migrate applied %d of %d migrations", len(first), len(all))
	}
	for _, table := range []string{"question_bank", "locality", "contestant", "attempt", "schema_migration"} {
		var exists bool
		if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&exists); err != nil || !exists {
			t.Errorf("table %s missing after migrate (err %v)", table, err)
		}
	}

	second, err := store.Migrate(ctx, pool)
	if err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if len(second) != 0 {
		t.Fatalf("second migrate applied %d migrations, want 0", len(second))
	}
	var rows int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM schema_migration").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != len(all) {
		t.Fatalf("schema_migration has %d rows, want %d", rows, len(all))
	}
}

func TestMigrateConcurrentReplicasApplyOnce(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Connect(t, pgtest.Empty(t))
	all, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}

	const replicas = 6
	var wg sync.WaitGroup
	applied := make([]int, replicas)
	errs := make([]error, replicas)
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done, err := store.Migrate(ctx, pool)
			applied[i], errs[i] = len(done), err
		}()
	}
	wg.Wait()
	total := 0
	for i := range replicas {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	if total != len(all) {
		t.Fatalf("replicas applied %d migrations in all, want exactly %d", total, len(all))
	}
}

func TestMigrateRefusesUnknownHistory(t *testing.T) {
	tests := []struct {
		name    string
		tamper  string
		wantErr string
	}{
		{"edited migration", "UPDATE schema_migration SET checksum = 'deadbeef' WHERE version = 1", "was changed after it was applied"},
		{"another version's superseded content", "UPDATE schema_migration SET checksum = '" + store.SupersededChecksums[1][0] + "' WHERE version = 3", "0003_ranking was changed after it was applied"},
		{"newer database", "INSERT INTO schema_migration (version, name, checksum) VALUES (9999, 'future', 'x')", "newer than this binary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			pool := pgtest.Migrated(t)
			if _, err := pool.Exec(ctx, tt.tamper); err != nil {
				t.Fatal(err)
			}
			_, err := store.Migrate(ctx, pool)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Migrate error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// The schema's constraints carry rules that must hold under concurrency, so they are tested
// against the real server.
func TestSchemaConstraints(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	setup := []string{
		`INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'c', '{}')`,
		`INSERT INTO locality (contest_id, code, name) VALUES ('cds-2024', '593', 'Thành phố Phan Thiết')`,
		`INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender, participant_group, locality_code, password_hash)
		 VALUES ('cds-2024', '060090001234', '0912345678', 'Nguyễn Văn A', '1990-01-02', 'male', 'official', '593', 'x')`,
		`INSERT INTO attempt (round, contestant_id, attempt_no, deadline, bank_name, bank_version, paper, total)
		 VALUES ('default/dot-1', 1, 1, now() + interval '30 minutes', 'mau', 1, '[]', 15)`,
	}
	for _, s := range setup {
		if _, err := pool.Exec(ctx, s); err != nil {
			t.Fatalf("setup %q: %v", s, err)
		}
	}
	tests := []struct {
		name     string
		sql      string
		wantCode string
	}{
		{"second registration with the same national ID", `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender, participant_group, locality_code, password_hash)
			VALUES ('cds-2024', '060090001234', '0987654321', 'B', '1990-01-02', 'male', 'official', '593', 'x')`, "23505"},
		{"malformed national ID", `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender, participant_group, locality_code, password_hash)
			VALUES ('cds-2024', '12345', '0987654321', 'B', '1990-01-02', 'male', 'official', '593', 'x')`, "23514"},
		{"locality not in the contest's list", `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender, participant_group, locality_code, password_hash)
			VALUES ('cds-2024', '060090009999', '0987654321', 'B', '1990-01-02', 'male', 'official', '999', 'x')`, "23503"},
		{"second attempt in progress", `INSERT INTO attempt (round, contestant_id, attempt_no, deadline, bank_name, bank_version, paper, total)
			VALUES ('default/dot-1', 1, 2, now() + interval '30 minutes', 'mau', 1, '[]', 15)`, "23505"},
		{"same attempt number twice", `INSERT INTO attempt (round, contestant_id, attempt_no, status, submitted_at, deadline, bank_name, bank_version, paper, total)
			VALUES ('default/dot-1', 1, 1, 'submitted', now(), now() + interval '30 minutes', 'mau', 1, '[]', 15)`, "23505"},
		{"submitted after its deadline", `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, submitted_at, deadline, bank_name, bank_version, paper, total)
			VALUES ('default/dot-1', 1, 3, 'submitted', now() - interval '1 hour', now(), now() - interval '30 minutes', 'mau', 1, '[]', 15)`, "23514"},
		{"more correct than questions", `INSERT INTO attempt (round, contestant_id, attempt_no, status, submitted_at, deadline, bank_name, bank_version, paper, total, correct)
			VALUES ('default/dot-1', 1, 3, 'submitted', now(), now() + interval '1 minute', 'mau', 1, '[]', 15, 16)`, "23514"},
		{"bank version changed after import", `UPDATE question_bank SET content = '{"x":1}' WHERE name = 'mau'`, "23000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pool.Exec(ctx, tt.sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != tt.wantCode {
				t.Fatalf("got %v, want SQLSTATE %s", err, tt.wantCode)
			}
		})
	}
}

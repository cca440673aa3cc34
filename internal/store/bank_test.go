package store_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

func sampleBank(t *testing.T) *bank.Bank {
	t.Helper()
	b, err := bank.Sample()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSaveBankThenLoadBankGivesTheSameBank(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	b := sampleBank(t)

	created, err := store.SaveBank(ctx, pool, b)
	if err != nil || !created {
		t.Fatalf("SaveBank: created %v, err %v", created, err)
	}
	got, err := store.LoadBank(ctx, pool, b.Name, b.Version)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Fatal("the loaded bank differs from the saved one")
	}

	// The stored shape is explicit and versioned, for anyone reading the table.
	var format int
	var id, checksum string
	if err := pool.QueryRow(ctx, `SELECT (content->>'format')::int, content->'questions'->0->>'id', checksum
		FROM question_bank`).Scan(&format, &id, &checksum); err != nil {
		t.Fatal(err)
	}
	if format != 1 || id != b.Questions[0].ID || checksum != b.Checksum() {
		t.Errorf("stored format %d, first id %q, checksum %s", format, id, checksum)
	}
}

func TestSaveBankAgainIsANoOp(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	b := sampleBank(t)
	if _, err := store.SaveBank(ctx, pool, b); err != nil {
		t.Fatal(err)
	}
	var before time.Time
	if err := pool.QueryRow(ctx, "SELECT imported_at FROM question_bank").Scan(&before); err != nil {
		t.Fatal(err)
	}

	// The same content in another row order is the same bank.
	again := sampleBank(t)
	slices.Reverse(again.Questions)
	created, err := store.SaveBank(ctx, pool, again)
	if err != nil || created {
		t.Fatalf("second SaveBank: created %v, err %v", created, err)
	}
	var n int
	var after time.Time
	if err := pool.QueryRow(ctx, "SELECT count(*), max(imported_at) FROM question_bank").Scan(&n, &after); err != nil {
		t.Fatal(err)
	}
	if n != 1 || !after.Equal(before) {
		t.Fatalf("%d rows, imported_at %v → %v", n, before, after)
	}
}

func TestSaveBankRefusesDifferentContentUnderAnExistingVersion(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	b := sampleBank(t)
	if _, err := store.SaveBank(ctx, pool, b); err != nil {
		t.Fatal(err)
	}

	changed := sampleBank(t)
	changed.Questions[0].Explanation += " (đã sửa)"
	created, err := store.SaveBank(ctx, pool, changed)
	var conflict *store.BankConflictError
	if created || !errors.As(err, &conflict) {
		t.Fatalf("created %v, err %v; want a *BankConflictError", created, err)
	}
	const want = "question bank mau version 1 already exists with different content; import it as version 2"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if conflict.StoredChecksum != b.Checksum() || conflict.NewChecksum != changed.Checksum() {
		t.Errorf("conflict %+v", conflict)
	}
	stored, err := store.LoadBank(ctx, pool, "mau", 1)
	if err != nil || !reflect.DeepEqual(stored, b) {
		t.Fatalf("stored version changed (err %v)", err)
	}

	// The suggested version is free.
	changed.Version = conflict.NextVersion
	if created, err := store.SaveBank(ctx, pool, changed); err != nil || !created {
		t.Fatalf("save as version %d: created %v, err %v", changed.Version, created, err)
	}
}

func TestQuestionBankRowsCannotBeUpdated(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	if _, err := store.SaveBank(ctx, pool, sampleBank(t)); err != nil {
		t.Fatal(err)
	}
	_, err := pool.Exec(ctx, `UPDATE question_bank SET content = jsonb_set(content, '{questions,0,text}', '"sửa"')`)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23000" || !strings.Contains(pgErr.Message, "mau/1 is immutable") {
		t.Fatalf("update: %v, want the immutability trigger's error", err)
	}
	if _, err := store.LoadBank(ctx, pool, "mau", 1); err != nil {
		t.Fatal(err)
	}
}

func TestLoadBankNotFound(t *testing.T) {
	pool := pgtest.Migrated(t)
	_, err := store.LoadBank(context.Background(), pool, "mau", 7)
	if !errors.Is(err, store.ErrBankNotFound) || !strings.Contains(err.Error(), "mau version 7") {
		t.Fatalf("err %v, want ErrBankNotFound naming the version", err)
	}
}

// A row whose content does not hash to its checksum (written around SaveBank) is refused.
func TestLoadBankRefusesContentThatDoesNotMatchItsChecksum(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	b := sampleBank(t)
	if _, err := store.SaveBank(ctx, pool, b); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO question_bank (name, version, checksum, content)
		SELECT name, 2, checksum, jsonb_set(content, '{questions,0,text}', '"sửa"') FROM question_bank`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadBank(ctx, pool, "mau", 2); err == nil || !strings.Contains(err.Error(), "does not match its checksum") {
		t.Fatalf("err %v", err)
	}
}

func TestSaveBankRefusesBadInput(t *testing.T) {
	pool := pgtest.Migrated(t)
	tests := []struct {
		name   string
		change func(*bank.Bank)
		want   string
	}{
		{"name", func(b *bank.Bank) { b.Name = "Mẫu 2024" }, `question bank name "Mẫu 2024" is not valid`},
		{"version", func(b *bank.Bank) { b.Version = 0 }, "version 0 is not valid"},
		{"content", func(b *bank.Bank) { b.Questions[1].Options[0].Text = "" }, "dòng 3, cột phuong_an_a: phương án trống"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := sampleBank(t)
			tt.change(b)
			if _, err := store.SaveBank(context.Background(), pool, b); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
		})
	}
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM question_bank").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows stored (err %v)", n, err)
	}
}

func TestListBanks(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	if infos, err := store.ListBanks(ctx, pool); err != nil || len(infos) != 0 {
		t.Fatalf("empty database: %v, %v", infos, err)
	}
	v1 := sampleBank(t)
	v2 := sampleBank(t)
	v2.Version = 2
	v2.Questions = v2.Questions[:20]
	for _, b := range []*bank.Bank{v2, v1} {
		if _, err := store.SaveBank(ctx, pool, b); err != nil {
			t.Fatal(err)
		}
	}
	infos, err := store.ListBanks(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 {
		t.Fatalf("%d banks listed", len(infos))
	}
	for i, b := range []*bank.Bank{v1, v2} {
		got := infos[i]
		if got.Name != "mau" || got.Version != b.Version || got.Checksum != b.Checksum() ||
			got.Questions != len(b.Questions) || got.Topics != 5 || got.ImportedAt.IsZero() {
			t.Errorf("info %d = %+v", i, got)
		}
	}
}

// Replicas or retried jobs importing the same file at once store it once, without error.
func TestSaveBankConcurrently(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	type result struct {
		created bool
		err     error
	}
	const n = 4
	results := make(chan result, n)
	b := sampleBank(t) // only read, so shared
	for range n {
		go func() {
			created, err := store.SaveBank(ctx, pool, b)
			results <- result{created, err}
		}()
	}
	created := 0
	for range n {
		r := <-results
		if r.err != nil {
			t.Error(r.err)
		}
		if r.created {
			created++
		}
	}
	if created != 1 {
		t.Fatalf("%d saves reported creating the version, want 1", created)
	}
}

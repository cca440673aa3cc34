package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
)

// ErrBankNotFound is wrapped by LoadBank when the database has no such bank version, so the
// web app can tell "the round names a bank nobody imported" from a broken database.
var ErrBankNotFound = fmt.Errorf("question bank %w", ErrNotFound)

// BankConflictError refuses to store content under a name and version that already hold
// different content: a round may pin that version, so it can never change.
type BankConflictError struct {
	Name           string
	Version        int
	StoredChecksum string
	NewChecksum    string
	// NextVersion is the first version of Name not taken yet, to suggest instead.
	NextVersion int
}

func (e *BankConflictError) Error() string {
	return fmt.Sprintf("question bank %s version %d already exists with different content; import it as version %d",
		e.Name, e.Version, e.NextVersion)
}

// BankInfo describes a stored bank version without its questions.
type BankInfo struct {
	Name       string
	Version    int
	Checksum   string
	Questions  int
	Topics     int
	ImportedAt time.Time
}

// SaveBank stores b as version b.Version of bank b.Name. Saving the same content again is a
// no-op (created is false), so an interrupted import can simply be re-run; different content
// under an existing version is refused with a *BankConflictError. b is validated first: the
// store is the last gate before questions reach contestants.
func SaveBank(ctx context.Context, q Querier, b *bank.Bank) (created bool, err error) {
	if err := CheckBankKey(b.Name, b.Version); err != nil {
		return false, err
	}
	if err := b.Validate(); err != nil {
		return false, fmt.Errorf("question bank %s version %d is not valid:\n%w", b.Name, b.Version, err)
	}
	content, err := encodeBank(b)
	if err != nil {
		return false, err
	}
	sum := b.Checksum()
	// DO NOTHING waits for a concurrent import of the same key to commit, so the lookup
	// below sees whichever content won.
	tag, err := q.Exec(ctx, `INSERT INTO question_bank (name, version, checksum, content)
		VALUES ($1, $2, $3, $4) ON CONFLICT (name, version) DO NOTHING`,
		b.Name, b.Version, sum, json.RawMessage(content))
	if err != nil {
		return false, fmt.Errorf("save question bank %s version %d: %w", b.Name, b.Version, err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}

	var stored string
	var next int
	err = q.QueryRow(ctx, `SELECT checksum, (SELECT max(version) + 1 FROM question_bank WHERE name = $1)
		FROM question_bank WHERE name = $1 AND version = $2`, b.Name, b.Version).Scan(&stored, &next)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, fmt.Errorf("save question bank %s version %d: the stored version was deleted while saving; try again", b.Name, b.Version)
	case err != nil:
		return false, fmt.Errorf("save question bank %s version %d: read the stored version: %w", b.Name, b.Version, err)
	case stored != sum:
		return false, &BankConflictError{Name: b.Name, Version: b.Version, StoredChecksum: stored, NewChecksum: sum, NextVersion: next}
	}
	return false, nil
}

// LoadBank reads one bank version. A missing version wraps ErrBankNotFound. The content is
// checked against the checksum stored at import, so a bank that does not read back exactly
// as imported is refused rather than served to contestants.
func LoadBank(ctx context.Context, pool Querier, name string, version int) (*bank.Bank, error) {
	var sum string
	var content []byte
	err := pool.QueryRow(ctx, `SELECT checksum, content FROM question_bank WHERE name = $1 AND version = $2`,
		name, version).Scan(&sum, &content)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, fmt.Errorf("question bank %s version %d: %w", name, version, ErrBankNotFound)
	case err != nil:
		return nil, fmt.Errorf("load question bank %s version %d: %w", name, version, err)
	}
	b, err := decodeBank(name, version, content)
	if err != nil {
		return nil, fmt.Errorf("load question bank %s version %d: %w", name, version, err)
	}
	if got := b.Checksum(); got != sum {
		return nil, fmt.Errorf("load question bank %s version %d: content does not match its checksum (stored %s, read %s)",
			name, version, short(sum), short(got))
	}
	return b, nil
}

// ListBanks describes every stored bank version, by name then version. Counts are taken in
// the database so listing does not transfer every question.
func ListBanks(ctx context.Context, pool *pgxpool.Pool) ([]BankInfo, error) {
	rows, err := pool.Query(ctx, `SELECT name, version, checksum,
			jsonb_array_length(content->'questions'), jsonb_array_length(content->'topics'), imported_at
		FROM question_bank ORDER BY name, version`)
	if err != nil {
		return nil, fmt.Errorf("list question banks: %w", err)
	}
	infos, err := pgx.CollectRows(rows, pgx.RowToStructByPos[BankInfo])
	if err != nil {
		return nil, fmt.Errorf("list question banks: %w", err)
	}
	return infos, nil
}

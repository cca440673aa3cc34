package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/locality"
)

// LocalityInUseError refuses a replacement that would remove localities contestants have
// registered under; they must stay, possibly renamed, in the new list.
type LocalityInUseError struct {
	ContestID string
	Codes     []string // the codes in use that the new list lacks, sorted
}

func (e *LocalityInUseError) Error() string {
	return fmt.Sprintf("contest %s: contestants are registered under localities the new list removes: %s; keep these codes in the list",
		e.ContestID, strings.Join(e.Codes, ", "))
}

// ReplaceLocalities makes ls the contest's locality list, in one transaction: codes in ls are
// inserted or updated in place (so registrations keep pointing at them), codes missing from
// ls are deleted, unless contestants reference them (*LocalityInUseError, nothing changed).
func ReplaceLocalities(ctx context.Context, pool *pgxpool.Pool, contestID string, ls []locality.Locality) error {
	if err := CheckContestID(contestID); err != nil {
		return err
	}
	if err := locality.Validate(ls); err != nil {
		return fmt.Errorf("contest %s: locality list is not valid: %w", contestID, err)
	}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return replaceLocalities(ctx, tx, contestID, ls)
	})
	if err != nil {
		return fmt.Errorf("replace localities of contest %s: %w", contestID, err)
	}
	return nil
}

func replaceLocalities(ctx context.Context, tx pgx.Tx, contestID string, ls []locality.Locality) error {
	// One replacement per contest at a time, so two imports cannot interleave.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('contest-platform/locality/' || $1, 0))`, contestID); err != nil {
		return fmt.Errorf("lock the contest's localities: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE locality_import (
		code text PRIMARY KEY, name text NOT NULL, parent_code text) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("create staging table: %w", err)
	}
	rows := make([][]any, len(ls))
	for i, l := range ls {
		var parent any // NULL for a top-level locality
		if l.ParentCode != "" {
			parent = l.ParentCode
		}
		rows[i] = []any{l.Code, l.Name, parent}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"locality_import"}, []string{"code", "name", "parent_code"},
		pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy localities: %w", err)
	}

	// Lock the rows to remove before looking for contestants: FOR UPDATE waits for
	// registrations in flight (their foreign key check holds FOR KEY SHARE) and blocks new
	// ones, so the check below cannot be overtaken.
	if _, err := tx.Exec(ctx, `SELECT 1 FROM locality l WHERE l.contest_id = $1
		AND NOT EXISTS (SELECT 1 FROM locality_import n WHERE n.code = l.code) FOR UPDATE`, contestID); err != nil {
		return fmt.Errorf("lock the localities to remove: %w", err)
	}
	inUse, err := localitiesInUse(ctx, tx, contestID)
	if err != nil {
		return err
	}
	if len(inUse) > 0 {
		return &LocalityInUseError{ContestID: contestID, Codes: inUse}
	}

	if _, err := tx.Exec(ctx, `INSERT INTO locality (contest_id, code, name, parent_code)
		SELECT $1, code, name, parent_code FROM locality_import
		ON CONFLICT (contest_id, code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code`,
		contestID); err != nil {
		return fmt.Errorf("write localities: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM locality l WHERE l.contest_id = $1
		AND NOT EXISTS (SELECT 1 FROM locality_import n WHERE n.code = l.code)`, contestID); err != nil {
		return fmt.Errorf("remove localities missing from the new list: %w", err)
	}
	// The round statistics list every locality by name, zeros included. round_stats does
	// not know contests, and lists are replaced rarely: every round is counted again.
	return InvalidateRoundStats(ctx, tx)
}

// localitiesInUse returns the codes contestants are registered under that the staged list lacks.
func localitiesInUse(ctx context.Context, tx pgx.Tx, contestID string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT DISTINCT c.locality_code FROM contestant c
		WHERE c.contest_id = $1 AND NOT EXISTS (SELECT 1 FROM locality_import n WHERE n.code = c.locality_code)
		ORDER BY 1`, contestID)
	if err != nil {
		return nil, fmt.Errorf("find localities in use: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find localities in use: %w", err)
	}
	return codes, nil
}

// ListLocalities returns the contest's localities: each top-level locality followed by its
// children, both by code.
func ListLocalities(ctx context.Context, pool Querier, contestID string) ([]locality.Locality, error) {
	rows, err := pool.Query(ctx, `SELECT code, name, coalesce(parent_code, '') FROM locality
		WHERE contest_id = $1
		ORDER BY coalesce(parent_code, code) COLLATE "C", parent_code IS NOT NULL, code COLLATE "C"`, contestID)
	if err != nil {
		return nil, fmt.Errorf("list localities of contest %s: %w", contestID, err)
	}
	ls, err := pgx.CollectRows(rows, pgx.RowToStructByPos[locality.Locality])
	if err != nil {
		return nil, fmt.Errorf("list localities of contest %s: %w", contestID, err)
	}
	return ls, nil
}

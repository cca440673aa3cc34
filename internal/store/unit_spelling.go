package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/unit"
)

// Spellings: the organizations people typed without choosing a unit, grouped as
// internal/unit compares names (contestant.organization_key, unit.Key: no case, no
// diacritics, spaces collapsed), which organizers map to units in the console. A mapping
// gives every person of the spelling the unit's code in one statement, marked unit_mapped,
// so that it can be undone without touching the people who chose the unit themselves.

// Spelling is one way people typed an organization, as compared by unit.Key.
type Spelling struct {
	Key string
	// Text is the organization as one of its people typed it.
	Text   string
	People int64
	// UnitCode is the unit the spelling was mapped to (mapped spellings only).
	UnitCode string
}

// SpellingList is one page of spellings, and what the whole list holds.
type SpellingList struct {
	Spellings []Spelling
	// Spellings and People in the whole list (the filter applied), not only the page.
	Total, People int64
}

// MaxSpellingPage bounds a page of spellings.
const MaxSpellingPage = 200

// The statements of the console's spellings, named for EXPLAIN in the tests. Counting
// groups the partial index contestant_free_text (or contestant_unit_mapped) alone; the text
// shown is one index probe per spelling of the page.
const (
	// freeTextSpellingsSQL: $1 contest, $2 key filter ('' for none), $3 limit, $4 offset.
	freeTextSpellingsSQL = `WITH g AS (
			SELECT organization_key AS key, count(*) AS people FROM contestant
			WHERE contest_id = $1 AND unit_code IS NULL AND organization_key <> ''
				AND ($2 = '' OR strpos(organization_key, $2) > 0)
			GROUP BY organization_key),
		page AS (
			SELECT key, people, count(*) OVER () AS total, sum(people) OVER ()::bigint AS all_people
			FROM g ORDER BY people DESC, key LIMIT $3 OFFSET $4)
		SELECT p.key, coalesce(s.organization, p.key), p.people, p.total, p.all_people
		FROM page p LEFT JOIN LATERAL (
			SELECT organization FROM contestant c
			WHERE c.contest_id = $1 AND c.unit_code IS NULL AND c.organization_key = p.key LIMIT 1) s ON true
		ORDER BY p.people DESC, p.key`
	// mappedSpellingsSQL: $1 contest, $2 limit, $3 offset.
	mappedSpellingsSQL = `WITH g AS (
			SELECT organization_key AS key, unit_code, count(*) AS people FROM contestant
			WHERE contest_id = $1 AND unit_mapped GROUP BY organization_key, unit_code),
		page AS (
			SELECT key, unit_code, people, count(*) OVER () AS total, sum(people) OVER ()::bigint AS all_people
			FROM g ORDER BY people DESC, key, unit_code LIMIT $2 OFFSET $3)
		SELECT p.key, coalesce(s.organization, p.key), p.unit_code, p.people, p.total, p.all_people
		FROM page p LEFT JOIN LATERAL (
			SELECT organization FROM contestant c
			WHERE c.contest_id = $1 AND c.unit_mapped AND c.organization_key = p.key AND c.unit_code = p.unit_code LIMIT 1) s ON true
		ORDER BY p.people DESC, p.key, p.unit_code`
	// mapSpellingSQL and unmapSpellingSQL: $1 contest, $2 key, $3 unit code.
	mapSpellingSQL = `UPDATE contestant SET unit_code = $3, unit_mapped = true
		WHERE contest_id = $1 AND unit_code IS NULL AND organization_key = $2`
	unmapSpellingSQL = `UPDATE contestant SET unit_code = NULL, unit_mapped = false
		WHERE contest_id = $1 AND unit_mapped AND organization_key = $2 AND unit_code = $3`
)

// FreeTextSpellings lists, most people first, the spellings of people of the contest who
// chose no unit (empty organizations left out), those whose key contains filter's key
// when filter is set; limit of them from offset. The spellings are counted from the index
// contestant_free_text alone; the text shown is read for the page's spellings only.
func FreeTextSpellings(ctx context.Context, pool *pgxpool.Pool, contestID, filter string, limit, offset int) (SpellingList, error) {
	limit = min(max(limit, 1), MaxSpellingPage)
	rows, err := pool.Query(ctx, freeTextSpellingsSQL, contestID, unit.Key(filter), limit, max(offset, 0))
	if err != nil {
		return SpellingList{}, fmt.Errorf("list spellings of contest %s: %w", contestID, err)
	}
	var l SpellingList
	var s Spelling
	_, err = pgx.ForEachRow(rows, []any{&s.Key, &s.Text, &s.People, &l.Total, &l.People}, func() error {
		l.Spellings = append(l.Spellings, s)
		return nil
	})
	if err != nil {
		return SpellingList{}, fmt.Errorf("list spellings of contest %s: %w", contestID, err)
	}
	return l, nil
}

// FreeTextSpelling reads one spelling of people without a unit; ErrNotFound when nobody
// without a unit has it.
func FreeTextSpelling(ctx context.Context, pool *pgxpool.Pool, contestID, key string) (Spelling, error) {
	s := Spelling{Key: key}
	// The text as one person typed it (any: they are one spelling), and how many typed it.
	err := pool.QueryRow(ctx, `SELECT organization, count(*) OVER () FROM contestant
		WHERE contest_id = $1 AND unit_code IS NULL AND organization_key = $2 AND organization_key <> '' LIMIT 1`,
		contestID, key).Scan(&s.Text, &s.People)
	if errors.Is(err, pgx.ErrNoRows) {
		return Spelling{}, fmt.Errorf("spelling %q of contest %s: %w", key, contestID, ErrNotFound)
	}
	if err != nil {
		return Spelling{}, fmt.Errorf("read spelling of contest %s: %w", contestID, err)
	}
	return s, nil
}

// MappedSpellings lists the mappings made, most people first: each spelling with the unit
// it was mapped to and how many people hold the unit through it.
func MappedSpellings(ctx context.Context, pool *pgxpool.Pool, contestID string, limit, offset int) (SpellingList, error) {
	limit = min(max(limit, 1), MaxSpellingPage)
	rows, err := pool.Query(ctx, mappedSpellingsSQL, contestID, limit, max(offset, 0))
	if err != nil {
		return SpellingList{}, fmt.Errorf("list mapped spellings of contest %s: %w", contestID, err)
	}
	var l SpellingList
	var s Spelling
	_, err = pgx.ForEachRow(rows, []any{&s.Key, &s.Text, &s.UnitCode, &s.People, &l.Total, &l.People}, func() error {
		l.Spellings = append(l.Spellings, s)
		return nil
	})
	if err != nil {
		return SpellingList{}, fmt.Errorf("list mapped spellings of contest %s: %w", contestID, err)
	}
	return l, nil
}

// MappedSpelling reads one mapping: the spelling, the unit and how many people hold the
// unit through it; ErrNotFound when it holds nobody.
func MappedSpelling(ctx context.Context, pool *pgxpool.Pool, contestID, key, unitCode string) (Spelling, error) {
	s := Spelling{Key: key, UnitCode: unitCode}
	err := pool.QueryRow(ctx, `SELECT organization, count(*) OVER () FROM contestant
		WHERE contest_id = $1 AND unit_mapped AND organization_key = $2 AND unit_code = $3 LIMIT 1`,
		contestID, key, unitCode).Scan(&s.Text, &s.People)
	if errors.Is(err, pgx.ErrNoRows) {
		return Spelling{}, fmt.Errorf("mapping of spelling %q to unit %s in contest %s: %w", key, unitCode, contestID, ErrNotFound)
	}
	if err != nil {
		return Spelling{}, fmt.Errorf("read mapping of contest %s: %w", contestID, err)
	}
	return s, nil
}

// EarlierMappings returns, for each of keys that organizers mapped before, the unit they
// mapped it to (the first by code, should two mappings of a spelling differ): people who
// registered since with the same spelling are offered the same unit.
func EarlierMappings(ctx context.Context, pool *pgxpool.Pool, contestID string, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := pool.Query(ctx, `SELECT DISTINCT ON (organization_key) organization_key, unit_code FROM contestant
		WHERE contest_id = $1 AND unit_mapped AND organization_key = ANY($2)
		ORDER BY organization_key, unit_code`, contestID, keys)
	if err != nil {
		return nil, fmt.Errorf("read earlier mappings of contest %s: %w", contestID, err)
	}
	var key, code string
	_, err = pgx.ForEachRow(rows, []any{&key, &code}, func() error {
		out[key] = code
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read earlier mappings of contest %s: %w", contestID, err)
	}
	return out, nil
}

// MapSpelling gives unitCode to every person of the contest who chose no unit and typed
// the spelling key, in one statement, and returns how many. ErrUnknownUnit when the list
// lacks the code; ErrNotFound when nobody without a unit has the spelling (mapped already,
// say). q may be a transaction, for the audit entry to commit with it.
func MapSpelling(ctx context.Context, q Querier, contestID, key, unitCode string) (int64, error) {
	if key == "" || unitCode == "" {
		return 0, fmt.Errorf("map spelling %q to unit %q: %w", key, unitCode, ErrNotFound)
	}
	tag, err := q.Exec(ctx, mapSpellingSQL, contestID, key, unitCode)
	if isUnitFK(err) {
		return 0, fmt.Errorf("map spelling %q: unit %s: %w", key, unitCode, ErrUnknownUnit)
	}
	if err != nil {
		return 0, fmt.Errorf("map spelling %q to unit %s: %w", key, unitCode, err)
	}
	if tag.RowsAffected() == 0 {
		return 0, fmt.Errorf("spelling %q of contest %s without a unit: %w", key, contestID, ErrNotFound)
	}
	// Its people now count under the unit, not "Khác — …": in the caller's transaction
	// when there is one (round_stats does not know contests, so every round).
	if err := InvalidateRoundStats(ctx, q); err != nil {
		return 0, fmt.Errorf("map spelling %q to unit %s: %w", key, unitCode, err)
	}
	return tag.RowsAffected(), nil
}

// UnmapSpelling undoes a mapping: the people whom mapping gave unitCode for the spelling
// key have no unit again (those who chose it themselves keep it), and it returns how many.
// ErrNotFound when no such mapping holds anyone.
func UnmapSpelling(ctx context.Context, q Querier, contestID, key, unitCode string) (int64, error) {
	tag, err := q.Exec(ctx, unmapSpellingSQL, contestID, key, unitCode)
	if err != nil {
		return 0, fmt.Errorf("unmap spelling %q from unit %s: %w", key, unitCode, err)
	}
	if tag.RowsAffected() == 0 {
		return 0, fmt.Errorf("mapping of spelling %q to unit %s in contest %s: %w", key, unitCode, contestID, ErrNotFound)
	}
	if err := InvalidateRoundStats(ctx, q); err != nil {
		return 0, fmt.Errorf("unmap spelling %q from unit %s: %w", key, unitCode, err)
	}
	return tag.RowsAffected(), nil
}

// PendingOrganizationKeys counts the contest's people whose spelling is not computed yet
// (registered before migration 0009, or written by a tool that does not compute it): they
// are missing from the spellings until FillOrganizationKeys has reached them.
func PendingOrganizationKeys(ctx context.Context, pool *pgxpool.Pool, contestID string) (int64, error) {
	var n int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM contestant WHERE organization_key IS NULL AND contest_id = $1`,
		contestID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count people without a spelling key: %w", err)
	}
	return n, nil
}

// FillOrganizationKeys computes the spelling (unit.Key of the organization) of up to limit
// people who lack it, in one transaction, and returns how many it filled. Replicas share
// the work: rows another one is filling are skipped. The key is Go's, so this is the only
// way rows written without it get one.
func FillOrganizationKeys(ctx context.Context, pool *pgxpool.Pool, limit int) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, organization FROM contestant WHERE organization_key IS NULL
			ORDER BY id LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED`, limit)
		if err != nil {
			return err
		}
		var ids []int64
		var keys []string
		var id int64
		var org string
		if _, err := pgx.ForEachRow(rows, []any{&id, &org}, func() error {
			ids, keys = append(ids, id), append(keys, unit.Key(org))
			return nil
		}); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		n = len(ids)
		_, err = tx.Exec(ctx, `UPDATE contestant c SET organization_key = k.key
			FROM unnest($1::bigint[], $2::text[]) AS k(id, key) WHERE c.id = k.id`, ids, keys)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("fill organization keys: %w", err)
	}
	return n, nil
}

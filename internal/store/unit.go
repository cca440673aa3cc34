package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/unit"
)

// ErrUnknownUnit refuses a contestant's unit code that is not in the contest's list.
var ErrUnknownUnit = errors.New("unit is not in the contest's list")

// UnitInUseError refuses a replacement that would remove units contestants have chosen;
// they must stay, possibly renamed or moved, in the new list.
type UnitInUseError struct {
	ContestID string
	Codes     []string // the codes in use that the new list lacks, sorted
}

func (e *UnitInUseError) Error() string {
	return fmt.Sprintf("contest %s: contestants have chosen units the new list removes: %s; keep these codes in the list",
		e.ContestID, strings.Join(e.Codes, ", "))
}

// ReplaceUnits makes us the contest's unit list, in one transaction: codes in us are
// inserted or updated in place (so contestants keep pointing at them), codes missing from
// us are deleted, unless contestants chose them (*UnitInUseError, nothing changed).
func ReplaceUnits(ctx context.Context, pool *pgxpool.Pool, contestID string, us []unit.Unit) error {
	_, err := ReplaceUnitsIn(ctx, pool, contestID, us)
	return err
}

// UnitListChange says what replacing a list changed: the units before and after, and
// how many codes are new, kept with another name, parent, type, headcount or aliases, and
// gone (a kept code only moved in the list's order is unchanged).
type UnitListChange struct {
	Before, After           int
	Added, Changed, Removed int
}

// ReplaceUnitsIn is ReplaceUnits in q, a pool or a transaction (an organizer's upload
// commits with its audit entry), and says what changed.
func ReplaceUnitsIn(ctx context.Context, q Querier, contestID string, us []unit.Unit) (UnitListChange, error) {
	if err := CheckContestID(contestID); err != nil {
		return UnitListChange{}, err
	}
	if err := unit.Validate(us); err != nil {
		return UnitListChange{}, fmt.Errorf("contest %s: unit list is not valid: %w", contestID, err)
	}
	var change UnitListChange
	err := pgx.BeginFunc(ctx, q, func(tx pgx.Tx) error {
		var err error
		change, err = replaceUnits(ctx, tx, contestID, us)
		return err
	})
	if err != nil {
		return UnitListChange{}, fmt.Errorf("replace units of contest %s: %w", contestID, err)
	}
	return change, nil
}

func replaceUnits(ctx context.Context, tx pgx.Tx, contestID string, us []unit.Unit) (UnitListChange, error) {
	// One replacement per contest at a time, so two imports cannot interleave.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('contest-platform/unit/' || $1, 0))`, contestID); err != nil {
		return UnitListChange{}, fmt.Errorf("lock the contest's units: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE unit_import (
		code text PRIMARY KEY, name text NOT NULL, parent_code text, type text NOT NULL, headcount integer,
		aliases text[] NOT NULL, position integer NOT NULL, name_key text NOT NULL) ON COMMIT DROP`); err != nil {
		return UnitListChange{}, fmt.Errorf("create staging table: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE unit_word_import (word text NOT NULL, code text NOT NULL) ON COMMIT DROP`); err != nil {
		return UnitListChange{}, fmt.Errorf("create staging table: %w", err)
	}
	rows := make([][]any, len(us))
	var words [][]any
	for i, u := range us {
		var parent any // NULL for a top-level unit
		if u.ParentCode != "" {
			parent = u.ParentCode
		}
		aliases := u.Aliases
		if aliases == nil {
			aliases = []string{}
		}
		rows[i] = []any{u.Code, u.Name, parent, string(u.Type), u.Headcount, aliases, i + 1, unit.Key(u.Name)}
		for _, w := range u.Words() {
			words = append(words, []any{w, u.Code})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"unit_import"},
		[]string{"code", "name", "parent_code", "type", "headcount", "aliases", "position", "name_key"}, pgx.CopyFromRows(rows)); err != nil {
		return UnitListChange{}, fmt.Errorf("copy units: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"unit_word_import"}, []string{"word", "code"}, pgx.CopyFromRows(words)); err != nil {
		return UnitListChange{}, fmt.Errorf("copy unit search words: %w", err)
	}

	// Lock the rows to remove before looking for contestants: FOR UPDATE waits for
	// registrations in flight (their foreign key check holds FOR KEY SHARE) and blocks new
	// ones, so the check below cannot be overtaken.
	if _, err := tx.Exec(ctx, `SELECT 1 FROM unit u WHERE u.contest_id = $1
		AND NOT EXISTS (SELECT 1 FROM unit_import n WHERE n.code = u.code) FOR UPDATE`, contestID); err != nil {
		return UnitListChange{}, fmt.Errorf("lock the units to remove: %w", err)
	}
	inUse, err := unitsInUse(ctx, tx, contestID)
	if err != nil {
		return UnitListChange{}, err
	}
	if len(inUse) > 0 {
		return UnitListChange{}, &UnitInUseError{ContestID: contestID, Codes: inUse}
	}
	change := UnitListChange{After: len(us)}
	if err := tx.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM unit WHERE contest_id = $1),
			(SELECT count(*) FROM unit_import n WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.contest_id = $1 AND u.code = n.code)),
			(SELECT count(*) FROM unit_import n JOIN unit u ON u.contest_id = $1 AND u.code = n.code
				WHERE (u.name, u.parent_code, u.type, u.headcount, u.aliases) IS DISTINCT FROM (n.name, n.parent_code, n.type, n.headcount, n.aliases)),
			(SELECT count(*) FROM unit u WHERE u.contest_id = $1 AND NOT EXISTS (SELECT 1 FROM unit_import n WHERE n.code = u.code))`,
		contestID).Scan(&change.Before, &change.Added, &change.Changed, &change.Removed); err != nil {
		return UnitListChange{}, fmt.Errorf("compare with the current list: %w", err)
	}

	// Foreign keys are checked at the end of the statement, so a unit may name a parent
	// that is new in this list.
	if _, err := tx.Exec(ctx, `INSERT INTO unit (contest_id, code, name, parent_code, type, headcount, aliases, position, name_key)
		SELECT $1, code, name, parent_code, type, headcount, aliases, position, name_key FROM unit_import
		ON CONFLICT (contest_id, code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code, type = EXCLUDED.type,
			headcount = EXCLUDED.headcount, aliases = EXCLUDED.aliases, position = EXCLUDED.position, name_key = EXCLUDED.name_key`,
		contestID); err != nil {
		return UnitListChange{}, fmt.Errorf("write units: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM unit u WHERE u.contest_id = $1
		AND NOT EXISTS (SELECT 1 FROM unit_import n WHERE n.code = u.code)`, contestID); err != nil {
		return UnitListChange{}, fmt.Errorf("remove units missing from the new list: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM unit_word WHERE contest_id = $1`, contestID); err != nil {
		return UnitListChange{}, fmt.Errorf("clear unit search words: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO unit_word (contest_id, word, code) SELECT DISTINCT $1, word, code FROM unit_word_import`, contestID); err != nil {
		return UnitListChange{}, fmt.Errorf("write unit search words: %w", err)
	}
	// The round statistics show units with their names and parents' names (and the list's
	// order breaks ties). round_stats does not know contests, and lists are replaced
	// rarely: every round is counted again.
	if err := InvalidateRoundStats(ctx, tx); err != nil {
		return UnitListChange{}, err
	}
	return change, nil
}

// unitsInUse returns the codes contestants chose that the staged list lacks.
func unitsInUse(ctx context.Context, tx pgx.Tx, contestID string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT DISTINCT c.unit_code FROM contestant c
		WHERE c.contest_id = $1 AND c.unit_code IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM unit_import n WHERE n.code = c.unit_code)
		ORDER BY 1`, contestID)
	if err != nil {
		return nil, fmt.Errorf("find units in use: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find units in use: %w", err)
	}
	return codes, nil
}

const unitColumns = `code, name, coalesce(parent_code, ''), type, headcount, aliases`

func scanUnit(row pgx.CollectableRow) (unit.Unit, error) {
	var u unit.Unit
	var typ string
	err := row.Scan(&u.Code, &u.Name, &u.ParentCode, &typ, &u.Headcount, &u.Aliases)
	u.Type = unit.Type(typ)
	if len(u.Aliases) == 0 {
		u.Aliases = nil
	}
	return u, err
}

// ListUnits returns the contest's units in the list's order.
func ListUnits(ctx context.Context, pool Querier, contestID string) ([]unit.Unit, error) {
	rows, err := pool.Query(ctx, `SELECT `+unitColumns+` FROM unit WHERE contest_id = $1 ORDER BY position, code`, contestID)
	if err != nil {
		return nil, fmt.Errorf("list units of contest %s: %w", contestID, err)
	}
	us, err := pgx.CollectRows(rows, scanUnit)
	if err != nil {
		return nil, fmt.Errorf("list units of contest %s: %w", contestID, err)
	}
	return us, nil
}

// UnitByCode reads one unit of a contest; ErrNotFound when the list lacks it.
func UnitByCode(ctx context.Context, pool *pgxpool.Pool, contestID, code string) (unit.Unit, error) {
	rows, err := pool.Query(ctx, `SELECT `+unitColumns+` FROM unit WHERE contest_id = $1 AND code = $2`, contestID, code)
	if err != nil {
		return unit.Unit{}, fmt.Errorf("read unit %s of contest %s: %w", code, contestID, err)
	}
	u, err := pgx.CollectExactlyOneRow(rows, scanUnit)
	if errors.Is(err, pgx.ErrNoRows) {
		return unit.Unit{}, fmt.Errorf("unit %s of contest %s: %w", code, contestID, ErrNotFound)
	}
	if err != nil {
		return unit.Unit{}, fmt.Errorf("read unit %s of contest %s: %w", code, contestID, err)
	}
	return u, nil
}

// UnitHit is one unit a search offers, with what a person needs to tell it from another of
// the same name: its parent's name and its type.
type UnitHit struct {
	Code       string
	Name       string
	Type       unit.Type
	ParentCode string
	ParentName string
}

// Bounds of a search: the words of a query and the hits returned.
const (
	MaxUnitSearchWords = 8
	MaxUnitSearchHits  = 20
	// MaxUnitQueryRunes bounds the text searched; longer text is cut.
	MaxUnitQueryRunes = 100
)

// SearchUnits offers the contest's units for a typed text: units having, for each word of
// the text, a search word starting with it (unit.SearchWords: no case, no diacritics), the
// exact name first, then names starting with the text, then in the list's order; at most
// limit of them (1..MaxUnitSearchHits) and whether there are more. A text without words
// finds nothing. Each word is found through the prefix index, so the cost follows the
// words' matches, not the list's length.
func SearchUnits(ctx context.Context, pool *pgxpool.Pool, contestID, text string, limit int) (hits []UnitHit, more bool, err error) {
	limit = min(max(limit, 1), MaxUnitSearchHits)
	if r := []rune(text); len(r) > MaxUnitQueryRunes {
		text = string(r[:MaxUnitQueryRunes])
	}
	words := unit.SearchWords(text)
	if len(words) == 0 {
		return nil, false, nil
	}
	if len(words) > MaxUnitSearchWords {
		words = words[:MaxUnitSearchWords]
	}
	// Each word is a range of the index: from the word to the word followed by the last
	// code point, the words it starts.
	lo, hi := make([]string, len(words)), make([]string, len(words))
	for i, w := range words {
		lo[i], hi[i] = w, w+"\U0010FFFF"
	}
	key := unit.Key(text)
	rows, err := pool.Query(ctx, `WITH q AS (SELECT lo, hi, i FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS q(lo, hi, i)),
		found AS (
			SELECT w.code FROM q JOIN unit_word w ON w.contest_id = $1 AND w.word >= q.lo AND w.word < q.hi
			GROUP BY w.code HAVING count(DISTINCT q.i) = cardinality($2::text[]))
		SELECT u.code, u.name, u.type, coalesce(u.parent_code, ''), coalesce(p.name, '')
		FROM found f
		JOIN unit u ON u.contest_id = $1 AND u.code = f.code
		LEFT JOIN unit p ON p.contest_id = u.contest_id AND p.code = u.parent_code
		ORDER BY u.name_key = $4 DESC, starts_with(u.name_key, $4) DESC, u.position, u.code
		LIMIT $5`, contestID, lo, hi, key, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("search units of contest %s: %w", contestID, err)
	}
	hits, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (UnitHit, error) {
		var h UnitHit
		var typ string
		err := row.Scan(&h.Code, &h.Name, &typ, &h.ParentCode, &h.ParentName)
		h.Type = unit.Type(typ)
		return h, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("search units of contest %s: %w", contestID, err)
	}
	if len(hits) > limit {
		return hits[:limit], true, nil
	}
	return hits, false, nil
}

// SetContestantUnit sets the unit a contestant chose (code "" clears it, leaving the free
// text of organization): chosen, not given by a mapping of the spelling, so undoing a
// mapping leaves it. ErrUnknownUnit when the contest's list lacks the code, ErrNotFound
// when the contest has no such contestant.
func SetContestantUnit(ctx context.Context, pool *pgxpool.Pool, contestID string, contestantID int64, code string) error {
	var arg any
	if code != "" {
		arg = code
	}
	tag, err := pool.Exec(ctx, `UPDATE contestant SET unit_code = $3, unit_mapped = false WHERE contest_id = $1 AND id = $2`, contestID, contestantID, arg)
	if isUnitFK(err) {
		return fmt.Errorf("contestant %d: unit %s: %w", contestantID, code, ErrUnknownUnit)
	}
	if err != nil {
		return fmt.Errorf("set unit of contestant %d: %w", contestantID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("contestant %d of contest %s: %w", contestantID, contestID, ErrNotFound)
	}
	// The person now counts under another unit in every round they took part in.
	if err := InvalidateRoundStats(ctx, pool); err != nil {
		return fmt.Errorf("set unit of contestant %d: %w", contestantID, err)
	}
	return nil
}

func isUnitFK(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503" && pgErr.ConstraintName == "contestant_unit_fkey"
}

// The console's counts of people per unit (contestant_unit) and with free text only
// (contestant_free_text), from the indexes alone.
const (
	unitRegistrationsSQL = `SELECT unit_code, count(*) FROM contestant
		WHERE contest_id = $1 AND unit_code IS NOT NULL GROUP BY unit_code`
	freeTextPeopleSQL = `SELECT count(*) FROM contestant
		WHERE contest_id = $1 AND unit_code IS NULL AND organization_key <> ''`
)

// UnitRegistrations counts the contest's people per unit (of exactly that unit, not the
// units under it), and the people who chose none but typed an organization: what the
// console's list of units shows. Both are counted from partial indexes alone.
func UnitRegistrations(ctx context.Context, pool *pgxpool.Pool, contestID string) (perUnit map[string]int64, freeText int64, err error) {
	rows, err := pool.Query(ctx, unitRegistrationsSQL, contestID)
	if err != nil {
		return nil, 0, fmt.Errorf("count people per unit of contest %s: %w", contestID, err)
	}
	perUnit = map[string]int64{}
	var code string
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&code, &n}, func() error {
		perUnit[code] = n
		return nil
	}); err != nil {
		return nil, 0, fmt.Errorf("count people per unit of contest %s: %w", contestID, err)
	}
	if err := pool.QueryRow(ctx, freeTextPeopleSQL, contestID).Scan(&freeText); err != nil {
		return nil, 0, fmt.Errorf("count people without a unit in contest %s: %w", contestID, err)
	}
	return perUnit, freeText, nil
}

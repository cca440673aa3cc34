package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The daily participation export: how many people took part in a round for the first time
// on each day, by unit, by the spelling of people who chose no unit, and by locality. A
// person counts once, on the day their first finished attempt started, so a line's days
// add up to its participants. Everything per person is counted by PostgreSQL, in one pass
// over the round's finished attempts for all three breakdowns (grouping sets); what comes
// back is one row per line and day.

// What a FirstDayCount counts by.
const (
	ByUnit     = "unit"
	BySpelling = "spelling"
	ByLocality = "locality"
)

// FirstDayCount is how many people of one line took part for the first time on Day
// (midnight UTC of the calendar day in the zone asked for).
type FirstDayCount struct {
	// By is ByUnit, BySpelling or ByLocality.
	By string
	// Key is a unit code, a spelling (unit.Key of the organization; the text as typed for
	// people whose spelling is not computed yet) or a locality code.
	Key string
	// Text is, for a spelling, the organization as one of its people typed it.
	Text   string
	Day    time.Time
	People int64
}

// firstDaysSQL: $1 the round, $2 the zone. The unit lines are people of exactly that unit,
// not of the units under it; the spelling lines are people without a unit, "" for those
// who typed nothing.
const firstDaysSQL = `WITH firsts AS (
		SELECT contestant_id, (min(started_at) AT TIME ZONE $2)::date AS day FROM attempt
		WHERE round = $1 AND status <> 'in_progress' GROUP BY contestant_id),
	people AS (
		SELECT c.unit_code, CASE WHEN c.unit_code IS NULL THEN coalesce(c.organization_key, c.organization) END AS spelling,
			c.organization, c.locality_code, f.day
		FROM firsts f JOIN contestant c ON c.id = f.contestant_id)
	SELECT CASE WHEN GROUPING(unit_code) = 1 THEN 'locality' WHEN unit_code IS NOT NULL THEN 'unit' ELSE 'spelling' END,
		coalesce(unit_code, spelling, locality_code), CASE WHEN GROUPING(unit_code) = 0 AND unit_code IS NULL THEN min(organization) ELSE '' END,
		day, count(*)
	FROM people GROUP BY GROUPING SETS ((unit_code, spelling, day), (locality_code, day))`

// FirstDays feeds fn the round's first-day counts by unit, by spelling and by locality,
// in no particular order.
func FirstDays(ctx context.Context, pool Querier, round, zone string, fn func(FirstDayCount) error) error {
	rows, err := pool.Query(ctx, firstDaysSQL, round, zone)
	if err != nil {
		return fmt.Errorf("count first days in %s: %w", round, err)
	}
	var c FirstDayCount
	if _, err := pgx.ForEachRow(rows, []any{&c.By, &c.Key, &c.Text, &c.Day, &c.People}, func() error { return fn(c) }); err != nil {
		return fmt.Errorf("count first days in %s: %w", round, err)
	}
	return nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The daily participation export: how many people took part in a round for the first time
// on each day, by unit, by the spelling of people who chose no unit, and by locality. A
// person counts once, on the day their first finished attempt started, so a line's days
// add up to its participants. Everything per person is counted by PostgreSQL: the round's
// finished attempts are read once per query through attempt_round_finished, and what comes
// back is one row per line and day.

// FirstDayCount is how many people of one line took part for the first time on Day
// (midnight UTC of the calendar day in the zone asked for).
type FirstDayCount struct {
	// Key is a unit code, a locality code, or a spelling (unit.Key of the organization).
	Key string
	// Text is, for a spelling, the organization as one of its people typed it.
	Text   string
	Day    time.Time
	People int64
}

// firstDaysCTE is each participant's first day in the round: $1 the round, $2 the zone.
const firstDaysCTE = `WITH firsts AS (
	SELECT contestant_id, (min(started_at) AT TIME ZONE $2)::date AS day FROM attempt
	WHERE round = $1 AND status <> 'in_progress' GROUP BY contestant_id)`

// FirstDaysByUnit feeds fn the round's first-day counts of people who chose a unit, by
// unit code then day (people of exactly that unit, not of the units under it).
func FirstDaysByUnit(ctx context.Context, pool *pgxpool.Pool, round, zone string, fn func(FirstDayCount) error) error {
	return firstDays(ctx, pool, "unit", firstDaysCTE+`
		SELECT c.unit_code, '', f.day, count(*) FROM firsts f JOIN contestant c ON c.id = f.contestant_id
		WHERE c.unit_code IS NOT NULL GROUP BY c.unit_code, f.day ORDER BY 1, 3`, round, zone, fn)
}

// FirstDaysBySpelling feeds fn the round's first-day counts of people who chose no unit,
// by the spelling of what they typed ("" for nothing): the spellings with most people
// first, each with its days in order. People whose spelling is not computed yet count
// under their text as typed.
func FirstDaysBySpelling(ctx context.Context, pool *pgxpool.Pool, round, zone string, fn func(FirstDayCount) error) error {
	return firstDays(ctx, pool, "spelling", firstDaysCTE+`,
		per AS (
			SELECT coalesce(c.organization_key, c.organization) AS key, f.day, count(*) AS people, min(c.organization) AS text
			FROM firsts f JOIN contestant c ON c.id = f.contestant_id
			WHERE c.unit_code IS NULL GROUP BY 1, 2),
		lines AS (SELECT key, min(text) OVER w AS text, day, people, sum(people) OVER w AS total FROM per WINDOW w AS (PARTITION BY key))
		SELECT key, text, day, people FROM lines ORDER BY total DESC, key, day`, round, zone, fn)
}

// FirstDaysByLocality feeds fn the round's first-day counts by the locality people
// registered under (a commune, or a district for people who gave no commune), by code then
// day.
func FirstDaysByLocality(ctx context.Context, pool *pgxpool.Pool, round, zone string, fn func(FirstDayCount) error) error {
	return firstDays(ctx, pool, "locality", firstDaysCTE+`
		SELECT c.locality_code, '', f.day, count(*) FROM firsts f JOIN contestant c ON c.id = f.contestant_id
		GROUP BY c.locality_code, f.day ORDER BY 1, 3`, round, zone, fn)
}

func firstDays(ctx context.Context, pool *pgxpool.Pool, by, sql, round, zone string, fn func(FirstDayCount) error) error {
	rows, err := pool.Query(ctx, sql, round, zone)
	if err != nil {
		return fmt.Errorf("count first days in %s by %s: %w", round, by, err)
	}
	var c FirstDayCount
	if _, err := pgx.ForEachRow(rows, []any{&c.Key, &c.Text, &c.Day, &c.People}, func() error { return fn(c) }); err != nil {
		return fmt.Errorf("count first days in %s by %s: %w", round, by, err)
	}
	return nil
}

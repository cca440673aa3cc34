package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/unit"
)

// UnitParticipation is one line of participation by unit: a unit of the contest's list
// (Code set), or the free text typed by people who chose no unit (Code empty, Organization
// the text as typed, "" for people who gave none). Participants and Attempts count people
// of exactly this unit, not of the units under it.
type UnitParticipation struct {
	Code         string
	Name         string
	ParentCode   string
	ParentName   string
	Type         unit.Type
	Headcount    *int
	Organization string
	Participants int64
	Attempts     int64
}

// unitParticipationSQL counts a round's participants per unit, and per free text for the
// people who chose none. $1 is the round.
const unitParticipationSQL = perPersonCTE + `,
	people AS (
		SELECT c.contest_id, c.unit_code, c.organization, p.attempts
		FROM per_person p JOIN contestant c ON c.id = p.contestant_id),
	per_unit AS (
		SELECT contest_id, unit_code, count(*) AS participants, sum(attempts)::bigint AS attempts
		FROM people WHERE unit_code IS NOT NULL GROUP BY contest_id, unit_code),
	units AS (
		SELECT u.position, u.code, u.name, coalesce(u.parent_code, '') AS parent_code, coalesce(pu.name, '') AS parent_name,
			u.type, u.headcount, '' AS organization,
			coalesce(pc.participants, 0) AS participants, coalesce(pc.attempts, 0) AS attempts
		FROM unit u
		LEFT JOIN unit pu ON pu.contest_id = u.contest_id AND pu.code = u.parent_code
		LEFT JOIN per_unit pc ON pc.contest_id = u.contest_id AND pc.unit_code = u.code
		WHERE u.contest_id IN (SELECT contest_id FROM people)),
	free_text AS (
		SELECT NULL::integer AS position, '' AS code, '' AS name, '' AS parent_code, '' AS parent_name,
			'' AS type, NULL::integer AS headcount, organization,
			count(*) AS participants, sum(attempts)::bigint AS attempts
		FROM people WHERE unit_code IS NULL GROUP BY organization)`

// ParticipationByUnit lists every unit of the contests the round's participants registered
// in, in the list's order, with zero for units nobody took part from (organizers look for
// those), followed by the free texts of people who chose no unit, most participants first.
// People are counted by unit code, so the spellings of one unit no longer split it.
func ParticipationByUnit(ctx context.Context, pool *pgxpool.Pool, round string) ([]UnitParticipation, error) {
	return queryUnitParticipation(ctx, pool, round, unitParticipationSQL+`
		SELECT code, name, parent_code, parent_name, type, headcount, organization, participants, attempts FROM (
			SELECT 0 AS part, * FROM units UNION ALL SELECT 1, * FROM free_text) x
		ORDER BY part, position, participants DESC, attempts DESC, organization`)
}

// TopUnits counts a round's participants per unit and per free text of people who chose
// none, most participants first, at most limit lines, and how many lines there are in all
// (units with participants and distinct free texts): a page shows the head of the list,
// the report has all of it.
func TopUnits(ctx context.Context, pool *pgxpool.Pool, round string, limit int) (top []UnitParticipation, lines int64, err error) {
	rows, err := pool.Query(ctx, unitParticipationSQL+`
		SELECT code, name, parent_code, parent_name, type, headcount, organization, participants, attempts, count(*) OVER ()
		FROM (SELECT * FROM units WHERE participants > 0 UNION ALL SELECT * FROM free_text) x
		ORDER BY participants DESC, attempts DESC, code = '', name, organization LIMIT $2`, round, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("count participation in %s by unit: %w", round, err)
	}
	var p UnitParticipation
	var typ string
	_, err = pgx.ForEachRow(rows, []any{&p.Code, &p.Name, &p.ParentCode, &p.ParentName, &typ, &p.Headcount, &p.Organization,
		&p.Participants, &p.Attempts, &lines}, func() error {
		p.Type = unit.Type(typ)
		top = append(top, p)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("count participation in %s by unit: %w", round, err)
	}
	return top, lines, nil
}

func queryUnitParticipation(ctx context.Context, pool *pgxpool.Pool, round, sql string) ([]UnitParticipation, error) {
	rows, err := pool.Query(ctx, sql, round)
	if err != nil {
		return nil, fmt.Errorf("count participation in %s by unit: %w", round, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (UnitParticipation, error) {
		var p UnitParticipation
		var typ string
		err := row.Scan(&p.Code, &p.Name, &p.ParentCode, &p.ParentName, &typ, &p.Headcount, &p.Organization, &p.Participants, &p.Attempts)
		p.Type = unit.Type(typ)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("count participation in %s by unit: %w", round, err)
	}
	return out, nil
}

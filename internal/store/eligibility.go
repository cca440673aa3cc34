package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Flag is a person's eligibility as organizers set it.
type Flag struct {
	Ineligible bool       `json:"ineligible"`
	Reason     string     `json:"reason,omitempty"`
	By         string     `json:"by,omitempty"`
	At         *time.Time `json:"at,omitempty"`
}

// FlaggedPerson is a person organizers excluded from prizes, as the eligibility screen
// lists them.
type FlaggedPerson struct {
	ID           int64
	FullName     string
	NationalID   string
	Organization string
	UnitCode     string
	UnitName     string
	Flag         Flag
}

// SetEligibility flags a person of the contest as not eligible for prizes (ineligible) or
// clears the flag, with the organizers' reason; it returns the flag before and after.
func SetEligibility(ctx context.Context, q Querier, contestID string, contestantID int64, ineligible bool, reason, by string) (before, after Flag, err error) {
	err = pgx.BeginFunc(ctx, q, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT ineligible, coalesce(ineligible_reason, ''), coalesce(ineligible_by, ''), ineligible_at
			FROM contestant WHERE contest_id = $1 AND id = $2 FOR UPDATE`, contestID, contestantID).
			Scan(&before.Ineligible, &before.Reason, &before.By, &before.At); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("contestant %d: %w", contestantID, ErrNotFound)
			}
			return err
		}
		return tx.QueryRow(ctx, `UPDATE contestant SET ineligible = $3, ineligible_reason = $4, ineligible_by = $5, ineligible_at = now()
			WHERE contest_id = $1 AND id = $2
			RETURNING ineligible, coalesce(ineligible_reason, ''), coalesce(ineligible_by, ''), ineligible_at`,
			contestID, contestantID, ineligible, reason, by).Scan(&after.Ineligible, &after.Reason, &after.By, &after.At)
	})
	if err != nil {
		return before, after, fmt.Errorf("set eligibility of contestant %d: %w", contestantID, err)
	}
	return before, after, nil
}

// ListFlagged returns the contest's people organizers excluded, most recent first.
func ListFlagged(ctx context.Context, q Querier, contestID string, limit int) ([]FlaggedPerson, error) {
	rows, err := q.Query(ctx, `SELECT c.id, c.full_name, c.national_id, c.organization, coalesce(c.unit_code, ''), coalesce(u.name, ''),
		coalesce(c.ineligible_reason, ''), coalesce(c.ineligible_by, ''), c.ineligible_at
		FROM contestant c LEFT JOIN unit u ON u.contest_id = c.contest_id AND u.code = c.unit_code
		WHERE c.contest_id = $1 AND c.ineligible ORDER BY c.ineligible_at DESC NULLS LAST, c.id LIMIT $2`, contestID, limit)
	if err != nil {
		return nil, fmt.Errorf("list flagged contestants: %w", err)
	}
	defer rows.Close()
	var out []FlaggedPerson
	for rows.Next() {
		p := FlaggedPerson{Flag: Flag{Ineligible: true}}
		if err := rows.Scan(&p.ID, &p.FullName, &p.NationalID, &p.Organization, &p.UnitCode, &p.UnitName,
			&p.Flag.Reason, &p.Flag.By, &p.Flag.At); err != nil {
			return nil, fmt.Errorf("list flagged contestants: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Affiliation is an (organization as typed, unit chosen) pair and how many people of the
// contest registered with it: the eligibility rules are decided on these pairs, of which
// there are a few thousand where there are hundreds of thousands of people.
type Affiliation struct {
	Organization string
	UnitCode     string
	People       int64
}

// Affiliations lists the contest's distinct (organization, unit) pairs with their counts.
func Affiliations(ctx context.Context, q Querier, contestID string) ([]Affiliation, error) {
	rows, err := q.Query(ctx, `SELECT organization, coalesce(unit_code, ''), count(*) FROM contestant
		WHERE contest_id = $1 GROUP BY 1, 2`, contestID)
	if err != nil {
		return nil, fmt.Errorf("list affiliations: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Affiliation])
	if err != nil {
		return nil, fmt.Errorf("list affiliations: %w", err)
	}
	return out, nil
}

// PeopleOf returns up to limit people of the contest registered with one of the
// affiliations, by name.
func PeopleOf(ctx context.Context, q Querier, contestID string, affs []Affiliation, limit int) ([]FlaggedPerson, error) {
	orgs := make([]string, len(affs))
	units := make([]string, len(affs))
	for i, a := range affs {
		orgs[i], units[i] = a.Organization, a.UnitCode
	}
	rows, err := q.Query(ctx, `SELECT c.id, c.full_name, c.national_id, c.organization, coalesce(c.unit_code, ''), coalesce(u.name, ''),
		c.ineligible, coalesce(c.ineligible_reason, ''), coalesce(c.ineligible_by, ''), c.ineligible_at
		FROM contestant c
		JOIN unnest($2::text[], $3::text[]) AS a(org, unit) ON c.organization = a.org AND coalesce(c.unit_code, '') = a.unit
		LEFT JOIN unit u ON u.contest_id = c.contest_id AND u.code = c.unit_code
		WHERE c.contest_id = $1 ORDER BY c.full_name, c.id LIMIT $4`, contestID, orgs, units, limit)
	if err != nil {
		return nil, fmt.Errorf("list people of affiliations: %w", err)
	}
	defer rows.Close()
	var out []FlaggedPerson
	for rows.Next() {
		var p FlaggedPerson
		if err := rows.Scan(&p.ID, &p.FullName, &p.NationalID, &p.Organization, &p.UnitCode, &p.UnitName,
			&p.Flag.Ineligible, &p.Flag.Reason, &p.Flag.By, &p.Flag.At); err != nil {
			return nil, fmt.Errorf("list people of affiliations: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

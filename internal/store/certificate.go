package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// CertificateHolder is a person's line in a round's stored ranking, with what a certificate
// prints of them and what makes it current: the ranking it comes from and its publication.
type CertificateHolder struct {
	Round        string
	ContestantID int64
	// Prize is the prize the ranking gave; "" for none, and for a place held for a tie at a
	// prize boundary (TieAtBoundary), which the committee has not decided.
	Prize         string
	TieAtBoundary bool
	RankedAt      time.Time // the ranking's computed_at: a re-rank changes it
	// Published says the round's results are public, since PublishedAt.
	Published   bool
	PublishedAt time.Time
	FullName    string
	// Organization is the person's unit or organization as registered.
	Organization string
	LocalityName string
	DistrictName string
}

const certificateHolderSelect = `SELECT e.round, e.contestant_id, e.prize, e.tie_at_boundary, r.computed_at,
	p.published_at, c.full_name, c.organization, coalesce(l.name, ''), coalesce(d.name, '')
	FROM ranking_entry e
	JOIN ranking_run r ON r.round = e.round
	LEFT JOIN result_publication p ON p.round = e.round
	JOIN contestant c ON c.id = e.contestant_id
	LEFT JOIN locality l ON l.contest_id = c.contest_id AND l.code = c.locality_code
	LEFT JOIN locality d ON d.contest_id = l.contest_id AND d.code = l.parent_code `

func scanCertificateHolder(row pgx.Row) (CertificateHolder, error) {
	var h CertificateHolder
	var published *time.Time
	err := row.Scan(&h.Round, &h.ContestantID, &h.Prize, &h.TieAtBoundary, &h.RankedAt, &published,
		&h.FullName, &h.Organization, &h.LocalityName, &h.DistrictName)
	if published != nil {
		h.Published, h.PublishedAt = true, *published
	}
	return h, err
}

// CertificateHolderOf reads the person's line in the round's stored ranking, published or
// not (Published says); an error wrapping ErrNotFound when the round has no ranking or the
// person is not in it.
func CertificateHolderOf(ctx context.Context, q Querier, round string, contestantID int64) (CertificateHolder, error) {
	h, err := scanCertificateHolder(q.QueryRow(ctx, certificateHolderSelect+`WHERE e.contestant_id = $1 AND e.round = $2`,
		contestantID, round))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return h, fmt.Errorf("ranking line of contestant %d in %s: %w", contestantID, round, ErrNotFound)
	case err != nil:
		return h, fmt.Errorf("read ranking line of contestant %d in %s: %w", contestantID, round, err)
	}
	return h, nil
}

// PublishedRankingsOf lists the person's lines in the rankings of rounds whose results are
// published, by round.
func PublishedRankingsOf(ctx context.Context, q Querier, contestantID int64) ([]CertificateHolder, error) {
	return queryCertificateHolders(ctx, q, certificateHolderSelect+`WHERE e.contestant_id = $1 AND p.round IS NOT NULL ORDER BY e.round`,
		fmt.Sprintf("contestant %d", contestantID), contestantID)
}

// PrizeHolders lists the people the round's stored ranking gave a prize, in listing order
// (places held for a boundary tie are not prizes).
func PrizeHolders(ctx context.Context, q Querier, round string) ([]CertificateHolder, error) {
	return queryCertificateHolders(ctx, q, certificateHolderSelect+`WHERE e.round = $1 AND e.prize <> '' ORDER BY e.position`,
		round, round)
}

func queryCertificateHolders(ctx context.Context, q Querier, sql, what string, args ...any) ([]CertificateHolder, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("read ranking lines of %s: %w", what, err)
	}
	defer rows.Close()
	var out []CertificateHolder
	for rows.Next() {
		h, err := scanCertificateHolder(rows)
		if err != nil {
			return nil, fmt.Errorf("read ranking line of %s: %w", what, err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ranking lines of %s: %w", what, err)
	}
	return out, nil
}

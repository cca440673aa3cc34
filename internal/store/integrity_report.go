package store

import (
	"context"
	"fmt"
	"time"

	"github.com/dxcontest/contest-platform/internal/integrity"
)

// Exclusion is a ranked person organizers flagged, for the report: the ranking's line, the
// person, the flag as it is now and the latest review-queue decision about them.
type Exclusion struct {
	Entry  RankingRow
	Person ContestantDetail
	// Flag is the person's flag now (it may have changed since the ranking).
	Flag Flag
	// Review is the latest decision of the review queue about the person, if any.
	Review *IntegrityDecision
}

// flaggedReasonPrefix is how the ranking's reason of a person flagged by organizers starts
// (ranking.ReasonFlagged; a test keeps them in step).
const flaggedReasonPrefix = "flagged by organizers"

// RoundExclusions returns the round's ranked people who were flagged by organizers when it
// was ranked or are flagged now, in ranking order: those the report's exclusions sheet
// lists.
func RoundExclusions(ctx context.Context, pool Querier, round string) ([]Exclusion, error) {
	rows, err := pool.Query(ctx, `SELECT e.position, e.rank, e.contestant_id, e.attempt_id, e.correct, e.total, e.eligible, e.ineligible_reason,
		c.full_name, c.national_id, c.phone, c.organization, c.participant_group, c.locality_code,
		coalesce(l.name, ''), coalesce(d.name, ''),
		c.ineligible, coalesce(c.ineligible_reason, ''), coalesce(c.ineligible_by, ''), c.ineligible_at,
		r.id, coalesce(r.round, ''), coalesce(r.decision, ''), coalesce(r.reason, ''), coalesce(r.summary, ''), coalesce(r.decided_by, ''), r.decided_at
		FROM ranking_entry e
		JOIN contestant c ON c.id = e.contestant_id
		LEFT JOIN locality l ON l.contest_id = c.contest_id AND l.code = c.locality_code
		LEFT JOIN locality d ON d.contest_id = l.contest_id AND d.code = l.parent_code
		LEFT JOIN LATERAL (SELECT id, round, decision, reason, summary, decided_by, decided_at FROM integrity_review
			WHERE contest_id = c.contest_id AND contestant_id = c.id ORDER BY decided_at DESC, id DESC LIMIT 1) r ON true
		WHERE e.round = $1 AND (starts_with(e.ineligible_reason, $2) OR c.ineligible)
		ORDER BY e.position`, round, flaggedReasonPrefix)
	if err != nil {
		return nil, fmt.Errorf("read exclusions of %s: %w", round, err)
	}
	defer rows.Close()
	var out []Exclusion
	for rows.Next() {
		var x Exclusion
		e, p := &x.Entry, &x.Person
		var correct, total int16
		var reviewID *int64
		var reviewAt *time.Time
		var d IntegrityDecision
		var decision string
		if err := rows.Scan(&e.Position, &e.Rank, &e.ContestantID, &e.AttemptID, &correct, &total, &e.Eligible, &e.IneligibleReason,
			&p.FullName, &p.NationalID, &p.Phone, &p.Organization, &p.ParticipantGroup, &p.LocalityCode, &p.LocalityName, &p.DistrictName,
			&x.Flag.Ineligible, &x.Flag.Reason, &x.Flag.By, &x.Flag.At,
			&reviewID, &d.Round, &decision, &d.Reason, &d.Summary, &d.By, &reviewAt); err != nil {
			return nil, fmt.Errorf("read exclusions of %s: %w", round, err)
		}
		e.Correct, e.Total, p.ID = int(correct), int(total), e.ContestantID
		if reviewID != nil {
			d.ID, d.ContestantID, d.Decision, d.At = *reviewID, e.ContestantID, integrity.Decision(decision), *reviewAt
			x.Review = &d
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read exclusions of %s: %w", round, err)
	}
	return out, nil
}

package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// FinishedAttempt is one submitted or closed attempt, as ranking reads it.
type FinishedAttempt struct {
	ContestantID int64
	AttemptID    int64
	Correct      int
	Total        int
	// Prediction is nil when the person never answered the prediction question.
	Prediction  *int64
	TimeUsed    time.Duration
	SubmittedAt time.Time
}

// StreamFinishedAttempts feeds every finished attempt of a round to fn, one row at a time
// as the server sends them: a million attempts never sit in one slice.
func StreamFinishedAttempts(ctx context.Context, pool *pgxpool.Pool, round string, fn func(FinishedAttempt) error) (int, error) {
	rows, err := pool.Query(ctx, `SELECT contestant_id, id, correct, total, prediction, submitted_at - started_at, submitted_at
		FROM attempt WHERE round = $1 AND status <> 'in_progress'`, round)
	if err != nil {
		return 0, fmt.Errorf("read attempts of %s: %w", round, err)
	}
	defer rows.Close()
	n := 0
	var a FinishedAttempt
	var correct, total int16
	for rows.Next() {
		if err := rows.Scan(&a.ContestantID, &a.AttemptID, &correct, &total, &a.Prediction, &a.TimeUsed, &a.SubmittedAt); err != nil {
			return n, fmt.Errorf("read attempt: %w", err)
		}
		a.Correct, a.Total = int(correct), int(total)
		if err := fn(a); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read attempts of %s: %w", round, err)
	}
	return n, nil
}

// RankPerson is what ranking needs of a contestant: eligibility.
type RankPerson struct {
	ID           int64
	Organization string
	Ineligible   bool
	FlagNote     string // the organizers' reason for Ineligible
	UnitCode     string // "" when the person chose no unit
}

// StreamRoundContestants feeds fn the contestants with a finished attempt in the round.
func StreamRoundContestants(ctx context.Context, pool Querier, round string, fn func(RankPerson) error) error {
	rows, err := pool.Query(ctx, `SELECT c.id, c.organization, c.ineligible, coalesce(c.ineligible_reason, ''), coalesce(c.unit_code, '') FROM contestant c
		WHERE c.id IN (SELECT contestant_id FROM attempt WHERE round = $1 AND status <> 'in_progress')`, round)
	if err != nil {
		return fmt.Errorf("read contestants of %s: %w", round, err)
	}
	defer rows.Close()
	var p RankPerson
	for rows.Next() {
		if err := rows.Scan(&p.ID, &p.Organization, &p.Ineligible, &p.FlagNote, &p.UnitCode); err != nil {
			return fmt.Errorf("read contestant: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read contestants of %s: %w", round, err)
	}
	return nil
}

// RankingRun is one computed ranking's header.
type RankingRun struct {
	Round        string
	ComputedAt   time.Time
	Participants int
	Attempts     int64
	Perfect      int64
	TieBreak     []string
	BoundaryTies json.RawMessage
	// Prizes are the prizes as ranked (JSON of []ranking.Prize); "[]" for a ranking stored
	// before they were recorded.
	Prizes json.RawMessage
}

// RankingRow is one person's line in a round's ranking.
type RankingRow struct {
	Position         int
	Rank             int
	ContestantID     int64
	AttemptID        int64
	Correct          int
	Total            int
	Prediction       *int64
	Distance         int64
	TimeUsed         time.Duration
	SubmittedAt      time.Time
	Eligible         bool
	IneligibleReason string
	Prize            string
	TieAtBoundary    bool
	// BelowCondition names the prize the person was passed over for, being below its
	// minimum of correct answers (ranking.Entry.BelowCondition); "" when none.
	BelowCondition string
}

// ReplaceRanking stores a round's ranking in place of the previous one, in one
// transaction (COPY for the rows). A new ranking is not public until organizers publish it
// again, so the transaction also withdraws the round's publication.
func ReplaceRanking(ctx context.Context, pool *pgxpool.Pool, run RankingRun, rows []RankingRow) error {
	if run.BoundaryTies == nil {
		run.BoundaryTies = json.RawMessage("[]")
	}
	if run.Prizes == nil {
		run.Prizes = json.RawMessage("[]")
	}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		// No foreign key ties the rows to their header (0019): both go together, here.
		if _, err := tx.Exec(ctx, `DELETE FROM ranking_run WHERE round = $1`, run.Round); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM ranking_entry WHERE round = $1`, run.Round); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM result_publication WHERE round = $1`, run.Round); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ranking_run (round, computed_at, participants, attempts, perfect, tie_break, boundary_ties, prizes)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, run.Round, run.ComputedAt, run.Participants, run.Attempts, run.Perfect,
			run.TieBreak, []byte(run.BoundaryTies), []byte(run.Prizes)); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"ranking_entry"},
			[]string{"round", "position", "rank", "contestant_id", "attempt_id", "correct", "total", "prediction", "distance",
				"time_used", "submitted_at", "eligible", "ineligible_reason", "prize", "tie_at_boundary", "below_condition"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				r := &rows[i]
				return []any{run.Round, r.Position, r.Rank, r.ContestantID, r.AttemptID, int16(r.Correct), int16(r.Total),
					r.Prediction, r.Distance, r.TimeUsed, r.SubmittedAt, r.Eligible, r.IneligibleReason, r.Prize, r.TieAtBoundary, r.BelowCondition}, nil
			}))
		return err
	})
	if err != nil {
		return fmt.Errorf("store ranking of %s: %w", run.Round, err)
	}
	return nil
}

// ErrNoRanking means the round has not been ranked yet.
var ErrNoRanking = errors.New("the round has not been ranked yet: run `contest rank` first")

// ReadRankingRun reads a round's ranking header.
func ReadRankingRun(ctx context.Context, pool Querier, round string) (RankingRun, error) {
	run := RankingRun{Round: round}
	var ties, prizes []byte
	err := pool.QueryRow(ctx, `SELECT computed_at, participants, attempts, perfect, tie_break, boundary_ties, prizes
		FROM ranking_run WHERE round = $1`, round).Scan(&run.ComputedAt, &run.Participants, &run.Attempts, &run.Perfect, &run.TieBreak, &ties, &prizes)
	if errors.Is(err, pgx.ErrNoRows) {
		return run, ErrNoRanking
	}
	if err != nil {
		return run, fmt.Errorf("read ranking of %s: %w", round, err)
	}
	run.BoundaryTies, run.Prizes = ties, prizes
	return run, nil
}

// StreamRanking feeds fn a round's ranking in listing order.
func StreamRanking(ctx context.Context, pool *pgxpool.Pool, round string, fn func(RankingRow) error) error {
	rows, err := pool.Query(ctx, `SELECT position, rank, contestant_id, attempt_id, correct, total, prediction, distance,
		time_used, submitted_at, eligible, ineligible_reason, prize, tie_at_boundary, below_condition
		FROM ranking_entry WHERE round = $1 ORDER BY position`, round)
	if err != nil {
		return fmt.Errorf("read ranking of %s: %w", round, err)
	}
	defer rows.Close()
	var r RankingRow
	var correct, total int16
	for rows.Next() {
		if err := rows.Scan(&r.Position, &r.Rank, &r.ContestantID, &r.AttemptID, &correct, &total, &r.Prediction, &r.Distance,
			&r.TimeUsed, &r.SubmittedAt, &r.Eligible, &r.IneligibleReason, &r.Prize, &r.TieAtBoundary, &r.BelowCondition); err != nil {
			return fmt.Errorf("read ranking row: %w", err)
		}
		r.Correct, r.Total = int(correct), int(total)
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read ranking of %s: %w", round, err)
	}
	return nil
}

// ContestantDetail is what results show of a person (masked before publication).
type ContestantDetail struct {
	ID               int64
	FullName         string
	NationalID       string
	Phone            string
	Organization     string
	ParticipantGroup string
	LocalityCode     string
	LocalityName     string
	DistrictName     string
}

// ContestantDetails reads the named contestants with their locality names.
func ContestantDetails(ctx context.Context, pool Querier, ids []int64) (map[int64]ContestantDetail, error) {
	rows, err := pool.Query(ctx, `SELECT c.id, c.full_name, c.national_id, c.phone, c.organization, c.participant_group,
		c.locality_code, coalesce(l.name, ''), coalesce(d.name, '')
		FROM contestant c
		LEFT JOIN locality l ON l.contest_id = c.contest_id AND l.code = c.locality_code
		LEFT JOIN locality d ON d.contest_id = l.contest_id AND d.code = l.parent_code
		WHERE c.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("read contestants: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]ContestantDetail, len(ids))
	var d ContestantDetail
	for rows.Next() {
		if err := rows.Scan(&d.ID, &d.FullName, &d.NationalID, &d.Phone, &d.Organization, &d.ParticipantGroup,
			&d.LocalityCode, &d.LocalityName, &d.DistrictName); err != nil {
			return nil, fmt.Errorf("read contestant: %w", err)
		}
		out[d.ID] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read contestants: %w", err)
	}
	return out, nil
}

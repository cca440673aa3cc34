package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/exam"
)

// Attempts is the attempt table, as the attempt service needs it (attempt.Store). Every
// decision about time is made here by the database clock; answers and scores are decided
// by the service, between a lock and its write.
type Attempts struct{ pool *pgxpool.Pool }

// NewAttempts returns the attempt table on pool.
func NewAttempts(pool *pgxpool.Pool) *Attempts { return &Attempts{pool: pool} }

var _ attempt.Store = (*Attempts)(nil)

const attemptColumns = `id, round, contestant_id, attempt_no, status, started_at, deadline, submitted_at,
	bank_name, bank_version, paper, answers, prediction, total, correct, now()`

func scanAttempt(row pgx.Row) (attempt.Attempt, error) {
	var a attempt.Attempt
	var paper, answers []byte
	var correct *int16
	var no, total int16
	err := row.Scan(&a.ID, &a.Round, &a.ContestantID, &no, &a.Status, &a.StartedAt, &a.Deadline, &a.SubmittedAt,
		&a.BankName, &a.BankVersion, &paper, &answers, &a.Prediction, &total, &correct, &a.Now)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, attempt.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("read attempt: %w", err)
	}
	a.No, a.Total = int(no), int(total)
	if correct != nil {
		c := int(*correct)
		a.Correct = &c
	}
	if err := json.Unmarshal(paper, &a.Paper); err != nil {
		return a, fmt.Errorf("decode paper of attempt %d: %w", a.ID, err)
	}
	if err := json.Unmarshal(answers, &a.Answers); err != nil {
		return a, fmt.Errorf("decode answers of attempt %d: %w", a.ID, err)
	}
	return a, nil
}

// Insert records a new attempt inside the round's window by the database clock, within
// the attempt cap, and only when none is in progress, in one INSERT … SELECT: the cap and
// the one-in-progress rule hold by the table's unique keys, so concurrent starts collide
// instead of slipping past a read. Its deadline is the time limit from now, cut at the
// round's close: no attempt outlives the round (as Moodle cuts a quiz's timer at its close
// date), so nothing can be answered after closesAt. Where it was started from (the
// client's network and device tag, for the review queue) goes in the same row.
func (s *Attempts) Insert(ctx context.Context, req attempt.NewAttempt) (attempt.Attempt, error) {
	paper, err := json.Marshal(req.Paper)
	if err != nil {
		return attempt.Attempt{}, fmt.Errorf("encode paper: %w", err)
	}
	a := attempt.Attempt{Round: req.Round, ContestantID: req.ContestantID, Status: attempt.StatusInProgress,
		BankName: req.BankName, BankVersion: req.BankVersion, Paper: req.Paper, Answers: exam.Answers{}, Total: req.Paper.Len()}
	var no int16
	err = s.pool.QueryRow(ctx, `INSERT INTO attempt
		(round, contestant_id, attempt_no, started_at, deadline, bank_name, bank_version, paper, total, client_net, device_tag)
		SELECT $1, $2, coalesce(max(attempt_no), 0) + 1, now(), least(now() + $3::interval, $10), $4, $5, $6, $7, $11, $12
		FROM attempt WHERE round = $1 AND contestant_id = $2
		HAVING coalesce(max(attempt_no), 0) < $8 AND now() >= $9 AND now() < $10
		RETURNING id, attempt_no, started_at, deadline, now()`,
		req.Round, req.ContestantID, req.TimeLimit, req.BankName, req.BankVersion, paper, req.Paper.Len(),
		req.MaxAttempts, req.OpensAt, req.ClosesAt, nullIfEmpty(req.Client.Net), req.Client.Device).Scan(&a.ID, &no, &a.StartedAt, &a.Deadline, &a.Now)
	a.No = int(no)
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return a, nil
	case errors.Is(err, pgx.ErrNoRows), errors.As(err, &pgErr) && pgErr.Code == "23505":
		// Refused by the window or the cap (no row), or by a concurrent start (unique key):
		// say which, from one more read.
		return a, s.whyRefused(ctx, req)
	default:
		return a, fmt.Errorf("start attempt: %w", err)
	}
}

func (s *Attempts) whyRefused(ctx context.Context, req attempt.NewAttempt) error {
	var used int
	var inProgress *int64
	var now time.Time
	err := s.pool.QueryRow(ctx, `SELECT count(*), max(id) FILTER (WHERE status = 'in_progress'), now()
		FROM attempt WHERE round = $1 AND contestant_id = $2`, req.Round, req.ContestantID).Scan(&used, &inProgress, &now)
	if err != nil {
		return fmt.Errorf("read attempts: %w", err)
	}
	r := &attempt.RefusedError{Used: used, Now: now}
	switch {
	case inProgress != nil:
		r.Reason, r.InProgress = attempt.RefusedInProgress, *inProgress
	case now.Before(req.OpensAt):
		r.Reason = attempt.RefusedNotOpen
	case !now.Before(req.ClosesAt):
		r.Reason = attempt.RefusedClosed
	case used >= req.MaxAttempts:
		r.Reason = attempt.RefusedNoneLeft
	default:
		// A concurrent start won the unique key and then finished between our two
		// statements; the caller may simply try again.
		r.Reason = attempt.RefusedInProgress
	}
	return r
}

// Get reads one attempt of one contestant.
func (s *Attempts) Get(ctx context.Context, id, contestantID int64) (attempt.Attempt, error) {
	return scanAttempt(s.pool.QueryRow(ctx, `SELECT `+attemptColumns+` FROM attempt WHERE id = $1 AND contestant_id = $2`, id, contestantID))
}

// Save merges answers (and the prediction, when given) into an attempt in progress before
// its deadline, in one statement, which also counts the save in the attempt's timeline
// (for the review queue: no extra round trip, and no indexed column changes, so the update
// stays HOT). The answers were checked against the paper by the service; here only
// ownership, status and the deadline.
func (s *Attempts) Save(ctx context.Context, id, contestantID int64, answers exam.Answers, prediction *int64) (time.Time, error) {
	if answers == nil {
		answers = exam.Answers{}
	}
	js, err := json.Marshal(answers)
	if err != nil {
		return time.Time{}, fmt.Errorf("encode answers: %w", err)
	}
	var deadline time.Time
	err = s.pool.QueryRow(ctx, `UPDATE attempt SET answers = answers || $3::jsonb, prediction = coalesce($4, prediction),
		save_count = save_count + 1, first_save_at = coalesce(first_save_at, now()), last_save_at = now()
		WHERE id = $1 AND contestant_id = $2 AND status = 'in_progress' AND now() < deadline
		RETURNING deadline`, id, contestantID, js, prediction).Scan(&deadline)
	if err == nil {
		return deadline, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, fmt.Errorf("save answers: %w", err)
	}
	a, err := s.Get(ctx, id, contestantID)
	if err != nil {
		return time.Time{}, err
	}
	if a.Finished() {
		return a.Deadline, &attempt.RefusedError{Reason: attempt.RefusedFinished, Now: a.Now}
	}
	return a.Deadline, &attempt.RefusedError{Reason: attempt.RefusedDeadline, Now: a.Now}
}

// Standing is what a result page needs besides the attempt, in one round trip: how many
// attempts the person has taken in the round, and whether a key correction changed this
// attempt's score (score_change_attempt makes the second a single index probe).
func (s *Attempts) Standing(ctx context.Context, round string, contestantID, attemptID int64) (used int, rescored bool, err error) {
	if err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM attempt WHERE round = $1 AND contestant_id = $2),
		EXISTS (SELECT 1 FROM score_change WHERE attempt_id = $3)`, round, contestantID, attemptID).Scan(&used, &rescored); err != nil {
		return 0, false, fmt.Errorf("attempt %d standing: %w", attemptID, err)
	}
	return used, rescored, nil
}

// List returns a contestant's attempts, newest first.
func (s *Attempts) List(ctx context.Context, contestantID int64) ([]attempt.Attempt, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+attemptColumns+` FROM attempt WHERE contestant_id = $1 ORDER BY started_at DESC, id DESC`, contestantID)
	if err != nil {
		return nil, fmt.Errorf("list attempts: %w", err)
	}
	defer rows.Close()
	var out []attempt.Attempt
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list attempts: %w", err)
	}
	return out, nil
}

// AnyAnswerable says whether an attempt of any of the rounds is in progress before its
// deadline by the database clock: one that can still be saved or submitted.
func (s *Attempts) AnyAnswerable(ctx context.Context, rounds []string) (bool, error) {
	return AnyAnswerable(ctx, s.pool, rounds)
}

// AnyAnswerable says whether an attempt of the rounds can still be saved or submitted, read
// on q (the console asks on its own pool).
func AnyAnswerable(ctx context.Context, q Querier, rounds []string) (bool, error) {
	var answerable bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM attempt
		WHERE status = 'in_progress' AND deadline > now() AND round = ANY($1))`, rounds).Scan(&answerable)
	if err != nil {
		return false, fmt.Errorf("look for attempts in progress: %w", err)
	}
	return answerable, nil
}

// Participation returns per round the people with a finished attempt and the finished
// attempts, for the landing page.
func (s *Attempts) Participation(ctx context.Context, rounds []string) (map[string]attempt.RoundCounts, error) {
	rows, err := s.pool.Query(ctx, `SELECT round, count(DISTINCT contestant_id), count(*) FROM attempt
		WHERE round = ANY($1) AND status <> 'in_progress' GROUP BY round`, rounds)
	if err != nil {
		return nil, fmt.Errorf("count rounds: %w", err)
	}
	out := map[string]attempt.RoundCounts{}
	var round string
	var c attempt.RoundCounts
	_, err = pgx.ForEachRow(rows, []any{&round, &c.Participants, &c.Attempts}, func() error { out[round] = c; return nil })
	if err != nil {
		return nil, fmt.Errorf("count rounds: %w", err)
	}
	return out, nil
}

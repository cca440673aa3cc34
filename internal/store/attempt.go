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

	"github.com/dxcontest/contest-platform/internal/exam"
)

// Attempt statuses, as in the attempt table's check constraint.
const (
	StatusInProgress = "in_progress"
	StatusSubmitted  = "submitted"
	StatusExpired    = "expired"
)

// Attempt is one attempt as stored, with the database's clock at the moment it was read:
// every time decision about an attempt uses that clock, never a replica's.
type Attempt struct {
	ID           int64
	Round        string
	ContestantID int64
	No           int
	Status       string
	StartedAt    time.Time
	Deadline     time.Time
	SubmittedAt  *time.Time
	BankName     string
	BankVersion  int
	Paper        exam.Paper
	Answers      exam.Answers
	Prediction   *int64
	Total        int
	Correct      *int
	// Now is the database clock when the row was read or written.
	Now time.Time
}

// Finished reports whether the attempt was submitted or closed at its deadline.
func (a *Attempt) Finished() bool { return a.Status != StatusInProgress }

// TimeUsed is submitted_at − started_at, both from the database clock.
func (a *Attempt) TimeUsed() time.Duration {
	if a.SubmittedAt == nil {
		return 0
	}
	return a.SubmittedAt.Sub(a.StartedAt)
}

// Scorer counts the correct answers of an attempt; the web app scores with the bank it
// holds in memory, so the answer key never needs to be in SQL.
type Scorer func(a *Attempt) (int, error)

// Refusal reasons for starting an attempt.
const (
	RefusedNotOpen      = "not_open"
	RefusedClosed       = "closed"
	RefusedNoneLeft     = "no_attempts_left"
	RefusedInProgress   = "in_progress"
	RefusedDeadline     = "deadline_passed"
	RefusedFinished     = "finished"
	RefusedInvalidInput = "invalid_answer"
)

// RefusedError says why the database refused an attempt operation.
type RefusedError struct {
	Reason string
	// InProgress is the attempt already under way (RefusedInProgress).
	InProgress int64
	// Used is how many attempts the person has taken in the round.
	Used int
	// Now is the database clock when refused.
	Now time.Time
}

func (e *RefusedError) Error() string { return "attempt refused: " + e.Reason }

// StartRequest is what starting an attempt needs; the window and limits come from the
// round, the paper was drawn by the caller.
type StartRequest struct {
	Round        string
	ContestantID int64
	MaxAttempts  int
	TimeLimit    time.Duration
	OpensAt      time.Time
	ClosesAt     time.Time
	BankName     string
	BankVersion  int
	Paper        exam.Paper
}

const attemptColumns = `id, round, contestant_id, attempt_no, status, started_at, deadline, submitted_at,
	bank_name, bank_version, paper, answers, prediction, total, correct, now()`

func scanAttempt(row pgx.Row) (Attempt, error) {
	var a Attempt
	var paper, answers []byte
	var correct *int16
	var no, total int16
	err := row.Scan(&a.ID, &a.Round, &a.ContestantID, &no, &a.Status, &a.StartedAt, &a.Deadline, &a.SubmittedAt,
		&a.BankName, &a.BankVersion, &paper, &answers, &a.Prediction, &total, &correct, &a.Now)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
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

// StartAttempt records a new attempt, inside the round's window by the database clock,
// within the attempt cap, and only when none is in progress. Its deadline is the time limit
// from now, cut at the round's close: no attempt outlives the round (as Moodle cuts a
// quiz's timer at its close date), so nothing can be answered after closesAt. The common
// path is a single INSERT … SELECT: the cap and the one-in-progress rule hold by the
// table's unique keys, so concurrent starts collide instead of slipping past a read.
func StartAttempt(ctx context.Context, pool *pgxpool.Pool, req StartRequest, score Scorer) (Attempt, error) {
	paper, err := json.Marshal(req.Paper)
	if err != nil {
		return Attempt{}, fmt.Errorf("encode paper: %w", err)
	}
	for try := 0; ; try++ {
		a, err := insertAttempt(ctx, pool, req, paper)
		if err == nil || try > 0 {
			return a, err
		}
		var refused *RefusedError
		if !errors.As(err, &refused) || refused.Reason != RefusedInProgress || refused.InProgress == 0 {
			return a, err
		}
		// The attempt in progress may be one the person abandoned: close it at its deadline
		// and try once more.
		closed, err2 := expireIfOverdue(ctx, pool, refused.InProgress, score)
		if err2 != nil {
			return a, err2
		}
		if !closed {
			return a, err
		}
	}
}

func insertAttempt(ctx context.Context, pool *pgxpool.Pool, req StartRequest, paper []byte) (Attempt, error) {
	a := Attempt{Round: req.Round, ContestantID: req.ContestantID, Status: StatusInProgress,
		BankName: req.BankName, BankVersion: req.BankVersion, Paper: req.Paper, Answers: exam.Answers{}, Total: req.Paper.Len()}
	var no int16
	err := pool.QueryRow(ctx, `INSERT INTO attempt
		(round, contestant_id, attempt_no, started_at, deadline, bank_name, bank_version, paper, total)
		SELECT $1, $2, coalesce(max(attempt_no), 0) + 1, now(), least(now() + $3::interval, $10), $4, $5, $6, $7
		FROM attempt WHERE round = $1 AND contestant_id = $2
		HAVING coalesce(max(attempt_no), 0) < $8 AND now() >= $9 AND now() < $10
		RETURNING id, attempt_no, started_at, deadline, now()`,
		req.Round, req.ContestantID, req.TimeLimit, req.BankName, req.BankVersion, paper, req.Paper.Len(),
		req.MaxAttempts, req.OpensAt, req.ClosesAt).Scan(&a.ID, &no, &a.StartedAt, &a.Deadline, &a.Now)
	a.No = int(no)
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return a, nil
	case errors.Is(err, pgx.ErrNoRows), errors.As(err, &pgErr) && pgErr.Code == "23505":
		// Refused by the window or the cap (no row), or by a concurrent start (unique key):
		// say which, from one more read.
		return a, whyRefused(ctx, pool, req)
	default:
		return a, fmt.Errorf("start attempt: %w", err)
	}
}

func whyRefused(ctx context.Context, pool *pgxpool.Pool, req StartRequest) error {
	var used int
	var inProgress *int64
	var now time.Time
	err := pool.QueryRow(ctx, `SELECT count(*), max(id) FILTER (WHERE status = 'in_progress'), now()
		FROM attempt WHERE round = $1 AND contestant_id = $2`, req.Round, req.ContestantID).Scan(&used, &inProgress, &now)
	if err != nil {
		return fmt.Errorf("read attempts: %w", err)
	}
	r := &RefusedError{Used: used, Now: now}
	switch {
	case inProgress != nil:
		r.Reason, r.InProgress = RefusedInProgress, *inProgress
	case now.Before(req.OpensAt):
		r.Reason = RefusedNotOpen
	case !now.Before(req.ClosesAt):
		r.Reason = RefusedClosed
	case used >= req.MaxAttempts:
		r.Reason = RefusedNoneLeft
	default:
		// A concurrent start won the unique key and then finished between our two
		// statements; the caller may simply try again.
		r.Reason = RefusedInProgress
	}
	return r
}

// CloseIfOverdue closes an abandoned attempt at its deadline (with the answers saved
// before it) when the deadline has passed; it reports whether it closed it.
func CloseIfOverdue(ctx context.Context, pool *pgxpool.Pool, id int64, score Scorer) (bool, error) {
	return expireIfOverdue(ctx, pool, id, score)
}

// expireIfOverdue closes one attempt at its deadline when the deadline has passed, scoring
// the answers saved so far. It reports whether it closed it.
func expireIfOverdue(ctx context.Context, pool *pgxpool.Pool, id int64, score Scorer) (bool, error) {
	closed := false
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		a, err := scanAttempt(tx.QueryRow(ctx, `SELECT `+attemptColumns+` FROM attempt WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if a.Status != StatusInProgress || a.Now.Before(a.Deadline) {
			return nil
		}
		closed = true
		return expire(ctx, tx, &a, score)
	})
	if err != nil {
		return false, fmt.Errorf("close overdue attempt %d: %w", id, err)
	}
	return closed, nil
}

// execer is a transaction or a connection inside one.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// expire closes a locked, overdue attempt at its deadline with the answers saved so far.
func expire(ctx context.Context, tx execer, a *Attempt, score Scorer) error {
	correct, err := score(a)
	if err != nil {
		return fmt.Errorf("score attempt %d: %w", a.ID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE attempt SET status = 'expired', submitted_at = deadline, correct = $2 WHERE id = $1`,
		a.ID, correct); err != nil {
		return fmt.Errorf("expire attempt %d: %w", a.ID, err)
	}
	a.Status, a.SubmittedAt, a.Correct = StatusExpired, &a.Deadline, &correct
	return nil
}

// GetAttempt reads one attempt of one contestant.
func GetAttempt(ctx context.Context, pool *pgxpool.Pool, id, contestantID int64) (Attempt, error) {
	return scanAttempt(pool.QueryRow(ctx, `SELECT `+attemptColumns+` FROM attempt WHERE id = $1 AND contestant_id = $2`, id, contestantID))
}

// SaveAnswers records answers (and the prediction, when given) of an attempt in progress
// before its deadline, in one statement. The answers are checked against the stored paper
// in SQL: an item must exist and the letter must be one of its options.
func SaveAnswers(ctx context.Context, pool *pgxpool.Pool, id, contestantID int64, answers exam.Answers, prediction *int64) (time.Time, error) {
	if answers == nil {
		answers = exam.Answers{}
	}
	js, err := json.Marshal(answers)
	if err != nil {
		return time.Time{}, fmt.Errorf("encode answers: %w", err)
	}
	var deadline time.Time
	err = pool.QueryRow(ctx, `UPDATE attempt SET answers = answers || $3::jsonb, prediction = coalesce($4, prediction)
		WHERE id = $1 AND contestant_id = $2 AND status = 'in_progress' AND now() < deadline
		AND NOT EXISTS (
			SELECT 1 FROM jsonb_each_text($3::jsonb) AS e
			WHERE e.key !~ '^[0-9]{1,3}$'
			   OR e.key::int >= jsonb_array_length(paper->'items')
			   OR e.value !~ '^[A-J]$'
			   OR ascii(e.value) - 65 >= length(paper->'items'->(e.key::int)->>'order'))
		RETURNING deadline`, id, contestantID, js, prediction).Scan(&deadline)
	if err == nil {
		return deadline, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, fmt.Errorf("save answers: %w", err)
	}
	a, err := GetAttempt(ctx, pool, id, contestantID)
	if err != nil {
		return time.Time{}, err
	}
	switch {
	case a.Finished():
		return a.Deadline, &RefusedError{Reason: RefusedFinished, Now: a.Now}
	case !a.Now.Before(a.Deadline):
		return a.Deadline, &RefusedError{Reason: RefusedDeadline, Now: a.Now}
	default:
		return a.Deadline, &RefusedError{Reason: RefusedInvalidInput, Now: a.Now}
	}
}

// SubmitOutcome says what a submit did.
type SubmitOutcome int

const (
	// Submitted: this request finished the attempt.
	Submitted SubmitOutcome = iota
	// AlreadyFinished: the attempt was finished before; nothing new was recorded.
	AlreadyFinished
)

// SubmitAttempt finishes an attempt in one short transaction: the final answers are merged
// with the saved ones and scored, the prediction recorded, submitted_at set by the database
// clock. A repeated submit returns the stored result and records nothing. A submit after
// the deadline is refused, and the attempt is closed at its deadline with the answers saved
// before it.
//
// The transaction is SELECT … FOR UPDATE, then UPDATE, in two round trips: BEGIN is
// pipelined with the SELECT and COMMIT with the UPDATE (a pgx batch each), so the row is
// locked for one round trip and the scoring in between.
func SubmitAttempt(ctx context.Context, pool *pgxpool.Pool, id, contestantID int64, answers exam.Answers, prediction int64, score Scorer) (Attempt, SubmitOutcome, error) {
	pc, err := pool.Acquire(ctx)
	if err != nil {
		return Attempt{}, Submitted, fmt.Errorf("submit: %w", err)
	}
	// Release closes a connection that is still inside a transaction (the ROLLBACK below
	// failed, or a panic), which ends the transaction on the server.
	defer pc.Release()
	conn := pc.Conn()
	a, outcome, refused, err := submit(ctx, conn, id, contestantID, answers, prediction, score)
	if conn.PgConn().TxStatus() != 'I' && !conn.IsClosed() {
		// Nothing to keep: not found, already finished, invalid answers, or an error.
		_, _ = conn.Exec(ctx, "ROLLBACK")
	}
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return a, outcome, ErrNotFound
		}
		return a, outcome, fmt.Errorf("submit: %w", err)
	}
	return a, outcome, refused
}

// submit runs SubmitAttempt's transaction on conn. It commits when it records something
// and leaves any other transaction open for the caller to roll back.
func submit(ctx context.Context, conn *pgx.Conn, id, contestantID int64, answers exam.Answers, prediction int64, score Scorer) (a Attempt, outcome SubmitOutcome, refused, err error) {
	batch := &pgx.Batch{}
	batch.Queue("BEGIN")
	batch.Queue(`SELECT `+attemptColumns+` FROM attempt WHERE id = $1 AND contestant_id = $2 FOR UPDATE`, id, contestantID)
	br := conn.SendBatch(ctx, batch)
	if _, err = br.Exec(); err == nil {
		a, err = scanAttempt(br.QueryRow())
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return a, Submitted, nil, err
	}
	if a.Finished() {
		return a, AlreadyFinished, nil, nil
	}
	if !a.Now.Before(a.Deadline) {
		if err := expire(ctx, conn, &a, score); err != nil {
			return a, Submitted, nil, err
		}
		_, err := conn.Exec(ctx, "COMMIT")
		return a, Submitted, &RefusedError{Reason: RefusedDeadline, Now: a.Now}, err
	}
	if err := exam.ValidateAnswers(a.Paper, answers); err != nil {
		return a, Submitted, &RefusedError{Reason: RefusedInvalidInput, Now: a.Now}, nil
	}
	for k, v := range answers {
		a.Answers[k] = v
	}
	correct, err := score(&a)
	if err != nil {
		return a, Submitted, nil, fmt.Errorf("score attempt %d: %w", a.ID, err)
	}
	js, err := json.Marshal(a.Answers)
	if err != nil {
		return a, Submitted, nil, fmt.Errorf("encode answers: %w", err)
	}
	var submitted time.Time
	batch = &pgx.Batch{}
	batch.Queue(`UPDATE attempt SET status = 'submitted', submitted_at = now(), answers = $2, prediction = $3, correct = $4
		WHERE id = $1 RETURNING submitted_at`, a.ID, js, prediction, correct)
	batch.Queue("COMMIT")
	br = conn.SendBatch(ctx, batch)
	err = br.QueryRow().Scan(&submitted)
	if err != nil {
		err = fmt.Errorf("submit attempt %d: %w", a.ID, err)
	} else {
		var tag pgconn.CommandTag
		if tag, err = br.Exec(); err == nil && tag.String() != "COMMIT" {
			err = fmt.Errorf("submit attempt %d: commit answered %q", a.ID, tag)
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return a, Submitted, nil, err
	}
	a.Status, a.SubmittedAt, a.Prediction, a.Correct = StatusSubmitted, &submitted, &prediction, &correct
	return a, Submitted, nil, nil
}

// CountAttempts returns how many attempts a contestant has taken in a round: one lookup in
// the round's unique key (round, contestant_id, attempt_no). The result page, where every
// submit lands, needs only this.
func CountAttempts(ctx context.Context, pool *pgxpool.Pool, round string, contestantID int64) (int, error) {
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM attempt WHERE round = $1 AND contestant_id = $2`, round, contestantID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count attempts: %w", err)
	}
	return n, nil
}

// ListAttempts returns a contestant's attempts, newest first.
func ListAttempts(ctx context.Context, pool *pgxpool.Pool, contestantID int64) ([]Attempt, error) {
	rows, err := pool.Query(ctx, `SELECT `+attemptColumns+` FROM attempt WHERE contestant_id = $1 ORDER BY started_at DESC, id DESC`, contestantID)
	if err != nil {
		return nil, fmt.Errorf("list attempts: %w", err)
	}
	defer rows.Close()
	var out []Attempt
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

// ExpireOverdue closes up to limit attempts whose deadline has passed, skipping rows that
// another replica is closing at the same moment. It returns how many it closed.
func ExpireOverdue(ctx context.Context, pool *pgxpool.Pool, limit int, score Scorer) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+attemptColumns+` FROM attempt
			WHERE status = 'in_progress' AND deadline <= now() ORDER BY deadline LIMIT $1 FOR UPDATE SKIP LOCKED`, limit)
		if err != nil {
			return err
		}
		var overdue []Attempt
		for rows.Next() {
			a, err := scanAttempt(rows)
			if err != nil {
				rows.Close()
				return err
			}
			overdue = append(overdue, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range overdue {
			if err := expire(ctx, tx, &overdue[i], score); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("close overdue attempts: %w", err)
	}
	return n, nil
}

// RoundCounts are a round's participation figures.
type RoundCounts struct {
	Participants int64
	Attempts     int64
}

// CountRounds returns participation per round (people with a finished attempt, finished
// attempts), for the landing page.
func CountRounds(ctx context.Context, pool *pgxpool.Pool, rounds []string) (map[string]RoundCounts, error) {
	rows, err := pool.Query(ctx, `SELECT round, count(DISTINCT contestant_id), count(*) FROM attempt
		WHERE round = ANY($1) AND status <> 'in_progress' GROUP BY round`, rounds)
	if err != nil {
		return nil, fmt.Errorf("count rounds: %w", err)
	}
	out := map[string]RoundCounts{}
	var round string
	var c RoundCounts
	_, err = pgx.ForEachRow(rows, []any{&round, &c.Participants, &c.Attempts}, func() error { out[round] = c; return nil })
	if err != nil {
		return nil, fmt.Errorf("count rounds: %w", err)
	}
	return out, nil
}

// AnyAnswerable says whether an attempt of any of the rounds is in progress before its
// deadline by the database clock: one that can still be saved or submitted.
func AnyAnswerable(ctx context.Context, pool *pgxpool.Pool, rounds []string) (bool, error) {
	var answerable bool
	err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM attempt
		WHERE status = 'in_progress' AND deadline > now() AND round = ANY($1))`, rounds).Scan(&answerable)
	if err != nil {
		return false, fmt.Errorf("look for attempts in progress: %w", err)
	}
	return answerable, nil
}

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

// lockedAttempt is one attempt held by SELECT … FOR UPDATE in a transaction on its own
// connection. The transaction takes two round trips on the submit path: BEGIN is pipelined
// with the round's shared lock, the SELECT and the corrections in force, and COMMIT with
// the UPDATE (a pgx batch each), so the row is locked for one round trip and the service's
// scoring in between.
type lockedAttempt struct {
	pc   *pgxpool.Conn
	a    attempt.Attempt
	corr exam.Corrections
}

// Lock holds one attempt (of contestantID, or of anyone when it is 0) in a transaction,
// with its round's lock shared (taken first, so the order is always round then attempt)
// and the key corrections in force, read once the lock is held.
func (s *Attempts) Lock(ctx context.Context, id, contestantID int64) (attempt.Locked, error) {
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock attempt %d: %w", id, err)
	}
	l := &lockedAttempt{pc: pc}
	batch := &pgx.Batch{}
	batch.Queue("BEGIN")
	batch.Queue(`SELECT pg_advisory_xact_lock_shared(`+roundScoresLock("round")+`) FROM attempt WHERE id = $1`, id)
	if contestantID == 0 {
		batch.Queue(`SELECT `+attemptColumns+` FROM attempt WHERE id = $1 FOR UPDATE`, id)
	} else {
		batch.Queue(`SELECT `+attemptColumns+` FROM attempt WHERE id = $1 AND contestant_id = $2 FOR UPDATE`, id, contestantID)
	}
	batch.Queue(inForceSQL+`WHERE (round, bank_name, bank_version) = (SELECT round, bank_name, bank_version FROM attempt WHERE id = $1)`+inForceOrder, id)
	br := pc.Conn().SendBatch(ctx, batch)
	if _, err = br.Exec(); err == nil {
		if _, err = br.Exec(); err == nil {
			l.a, err = scanAttempt(br.QueryRow())
		}
	}
	if err == nil {
		var rows pgx.Rows
		var in map[correctionsKey]exam.Corrections
		if rows, err = br.Query(); err == nil {
			if in, err = scanInForce(rows); err == nil {
				l.corr = in[correctionsKey{l.a.Round, l.a.BankName, l.a.BankVersion}]
			}
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		l.Release()
		if errors.Is(err, attempt.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("lock attempt %d: %w", id, err)
	}
	return l, nil
}

func (l *lockedAttempt) Attempt() *attempt.Attempt { return &l.a }

func (l *lockedAttempt) Corrections() exam.Corrections { return l.corr }

// Submit records the final answers and commits, in one round trip.
func (l *lockedAttempt) Submit(ctx context.Context, answers exam.Answers, prediction int64, score attempt.Score) (time.Time, error) {
	js, err := json.Marshal(answers)
	if err != nil {
		return time.Time{}, fmt.Errorf("encode answers: %w", err)
	}
	var submitted time.Time
	batch := &pgx.Batch{}
	batch.Queue(`UPDATE attempt SET status = 'submitted', submitted_at = now(), answers = $2, prediction = $3, correct = $4, responses = $5
		WHERE id = $1 RETURNING submitted_at`, l.a.ID, js, prediction, score.Correct, score.Responses)
	batch.Queue("COMMIT")
	if err := l.commitBatch(ctx, batch, &submitted); err != nil {
		return time.Time{}, fmt.Errorf("submit attempt %d: %w", l.a.ID, err)
	}
	return submitted, nil
}

// Expire closes the attempt at its deadline and commits, in one round trip.
func (l *lockedAttempt) Expire(ctx context.Context, score attempt.Score) error {
	batch := &pgx.Batch{}
	batch.Queue(`UPDATE attempt SET status = 'expired', submitted_at = deadline, correct = $2, responses = $3 WHERE id = $1 RETURNING submitted_at`,
		l.a.ID, score.Correct, score.Responses)
	batch.Queue("COMMIT")
	var at time.Time
	if err := l.commitBatch(ctx, batch, &at); err != nil {
		return fmt.Errorf("expire attempt %d: %w", l.a.ID, err)
	}
	return nil
}

// commitBatch runs an UPDATE … RETURNING and COMMIT queued in batch, scanning the one value.
func (l *lockedAttempt) commitBatch(ctx context.Context, batch *pgx.Batch, dest any) error {
	br := l.pc.Conn().SendBatch(ctx, batch)
	err := br.QueryRow().Scan(dest)
	if err == nil {
		var tag pgconn.CommandTag
		if tag, err = br.Exec(); err == nil && tag.String() != "COMMIT" {
			err = fmt.Errorf("commit answered %q", tag)
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}

// Release rolls back what was not committed and returns the connection. A connection still
// inside a transaction after a failed ROLLBACK is closed, which ends the transaction on the
// server.
func (l *lockedAttempt) Release() {
	if l.pc == nil {
		return
	}
	conn := l.pc.Conn()
	if conn.PgConn().TxStatus() != 'I' && !conn.IsClosed() {
		_, _ = conn.Exec(context.Background(), "ROLLBACK")
	}
	l.pc.Release()
	l.pc = nil
}

// overdueBatch is a batch of attempts past their deadline, locked in one transaction.
type overdueBatch struct {
	tx       pgx.Tx
	attempts []attempt.Attempt
	corr     map[correctionsKey]exam.Corrections
}

// LockOverdue holds up to limit attempts whose deadline has passed, skipping rows that
// another replica is closing at the same moment. As a submit does, it first shares the
// locks of their rounds (waiting for a key correction being applied to one of them), then
// reads the corrections in force.
func (s *Attempts) LockOverdue(ctx context.Context, limit int) (attempt.Overdue, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	b := &overdueBatch{tx: tx}
	var rounds []string
	if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(round ORDER BY round), '{}') FROM (SELECT DISTINCT round FROM attempt
		WHERE status = 'in_progress' AND deadline <= now()) r`).Scan(&rounds); err != nil {
		b.Release()
		return nil, err
	}
	if len(rounds) == 0 {
		return b, nil
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock_shared(`+roundScoresLock("r")+`) FROM unnest($1::text[]) AS r`, rounds); err != nil {
		b.Release()
		return nil, err
	}
	cr, err := tx.Query(ctx, inForceSQL+`WHERE round = ANY($1)`+inForceOrder, rounds)
	if err == nil {
		b.corr, err = scanInForce(cr)
	}
	if err != nil {
		b.Release()
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT `+attemptColumns+` FROM attempt
		WHERE status = 'in_progress' AND deadline <= now() AND round = ANY($2) ORDER BY deadline LIMIT $1 FOR UPDATE SKIP LOCKED`, limit, rounds)
	if err != nil {
		b.Release()
		return nil, err
	}
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			rows.Close()
			b.Release()
			return nil, err
		}
		b.attempts = append(b.attempts, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		b.Release()
		return nil, err
	}
	return b, nil
}

func (b *overdueBatch) Attempts() []attempt.Attempt { return b.attempts }

func (b *overdueBatch) Corrections(a *attempt.Attempt) exam.Corrections {
	return b.corr[correctionsKey{a.Round, a.BankName, a.BankVersion}]
}

// Expire closes every attempt of the batch at its deadline with its score, and commits.
func (b *overdueBatch) Expire(ctx context.Context, scores map[int64]attempt.Score) error {
	ids := make([]int64, 0, len(b.attempts))
	correct := make([]int16, 0, len(b.attempts))
	responses := make([][]byte, 0, len(b.attempts))
	for _, a := range b.attempts {
		s, ok := scores[a.ID]
		if !ok {
			return fmt.Errorf("no score for attempt %d", a.ID)
		}
		ids, correct, responses = append(ids, a.ID), append(correct, int16(s.Correct)), append(responses, s.Responses)
	}
	if _, err := b.tx.Exec(ctx, `UPDATE attempt SET status = 'expired', submitted_at = deadline, correct = u.correct, responses = u.responses
		FROM unnest($1::bigint[], $2::smallint[], $3::bytea[]) AS u(id, correct, responses) WHERE attempt.id = u.id`, ids, correct, responses); err != nil {
		return err
	}
	return b.tx.Commit(ctx)
}

// Release rolls back what was not committed.
func (b *overdueBatch) Release() { _ = b.tx.Rollback(context.Background()) }

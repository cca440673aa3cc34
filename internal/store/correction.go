package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/regrade"
)

// Key corrections (migration 0010): a round's corrections of its bank's answer key and
// what each changed, and the round lock that orders them with submits.
//
// A submit, or the closing of an attempt at its deadline, takes the round's lock shared
// before it locks the attempt, and reads the corrections in force after: a correction
// takes it exclusively, so it waits for the submits in flight to commit (and then rescores
// them) while the submits after it wait for it to commit (and are then scored with it). The
// lock is an advisory lock: cheap to share among thousands of submits, unlike a row lock
// on one round row, which would make each a multixact.

// roundScoresLock is the round's advisory-lock key, of the SQL text expression round.
func roundScoresLock(round string) string {
	return `hashtextextended('contest-platform/round-scores/' || ` + round + `, 0)`
}

// inForceSQL reads the corrections in force of the rounds and bank versions the WHERE
// clause appended to it selects: per question, the latest.
const inForceSQL = `SELECT DISTINCT ON (round, bank_name, bank_version, question_id)
	round, bank_name, bank_version, question_id, new_key FROM key_correction `

const inForceOrder = ` ORDER BY round, bank_name, bank_version, question_id, id DESC`

// correctionsKey names a round's bank version, whose corrections are in force together.
type correctionsKey struct {
	round, bank string
	version     int
}

// scanInForce reads inForceSQL's rows.
func scanInForce(rows pgx.Rows) (map[correctionsKey]exam.Corrections, error) {
	out := map[correctionsKey]exam.Corrections{}
	var k correctionsKey
	var question, key string
	_, err := pgx.ForEachRow(rows, []any{&k.round, &k.bank, &k.version, &question, &key}, func() error {
		parsed, err := exam.ParseKey(key)
		if err != nil {
			return fmt.Errorf("correction of question %s in %s: %w", question, k.round, err)
		}
		if out[k] == nil {
			out[k] = exam.Corrections{}
		}
		out[k][question] = parsed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read key corrections: %w", err)
	}
	return out, nil
}

// RoundScores is a round's finished attempts and key corrections, as a key correction
// needs them (attempt.RoundScores), on a pool or inside the caller's transaction.
type RoundScores struct{ q Querier }

// NewRoundScores reads and writes through q: a pool for a preview, the caller's
// transaction to apply a correction with its audit entry.
func NewRoundScores(q Querier) *RoundScores { return &RoundScores{q: q} }

var _ attempt.RoundScores = (*RoundScores)(nil)

// Hold takes the round's lock exclusively until the transaction ends.
func (s *RoundScores) Hold(ctx context.Context, round string) error {
	if _, ok := s.q.(pgx.Tx); !ok {
		return fmt.Errorf("hold round %s: not in a transaction, the lock would end at once", round)
	}
	if _, err := s.q.Exec(ctx, `SELECT pg_advisory_xact_lock(`+roundScoresLock("$1::text")+`)`, round); err != nil {
		return fmt.Errorf("hold round %s: %w", round, err)
	}
	return nil
}

// Corrections lists the round's key corrections, oldest first.
func (s *RoundScores) Corrections(ctx context.Context, round string) ([]regrade.Correction, error) {
	return corrections(ctx, s.q, round)
}

func corrections(ctx context.Context, q Querier, round string) ([]regrade.Correction, error) {
	rows, err := q.Query(ctx, `SELECT id, question_id, old_key, new_key, reason, created_by, created_at, attempts_changed, people_changed
		FROM key_correction WHERE round = $1 ORDER BY id`, round)
	if err != nil {
		return nil, fmt.Errorf("read key corrections of %s: %w", round, err)
	}
	var out []regrade.Correction
	var c regrade.Correction
	var old, key string
	_, err = pgx.ForEachRow(rows, []any{&c.ID, &c.QuestionID, &old, &key, &c.Reason, &c.By, &c.At, &c.AttemptsChanged, &c.PeopleChanged}, func() error {
		var err error
		if c.Old, err = exam.ParseKey(old); err != nil {
			return err
		}
		if c.New, err = exam.ParseKey(key); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read key corrections of %s: %w", round, err)
	}
	return out, nil
}

// Finished streams the round's finished attempts in contestant order (the index
// attempt_round_finished), sending paper and answers only for papers that hold one of the
// questions: the others cannot change, and a million papers need not cross the network.
func (s *RoundScores) Finished(ctx context.Context, round, bankName string, bankVersion int, questions []string, fn func(regrade.Attempt) error) error {
	holds := make([]string, len(questions))
	for i, q := range questions {
		js, err := json.Marshal(map[string]any{"items": []map[string]string{{"id": q}}})
		if err != nil {
			return err
		}
		holds[i] = string(js)
	}
	rows, err := s.q.Query(ctx, `SELECT id, contestant_id, correct, total, prediction, submitted_at - started_at, submitted_at,
			bank_name, bank_version, CASE WHEN h THEN paper END, CASE WHEN h THEN answers END
		FROM (SELECT *, paper @> ANY($2::jsonb[]) AS h FROM attempt WHERE round = $1 AND status <> 'in_progress') a
		ORDER BY contestant_id, id`, round, holds)
	if err != nil {
		return fmt.Errorf("read attempts of %s: %w", round, err)
	}
	defer rows.Close()
	var a regrade.Attempt
	var correct, total int16
	var bn string
	var bv int
	var paper, answers []byte
	for rows.Next() {
		a.Paper, a.Answers, paper, answers = exam.Paper{}, nil, nil, nil
		if err := rows.Scan(&a.ID, &a.PersonID, &correct, &total, &a.Prediction, &a.TimeUsed, &a.SubmittedAt, &bn, &bv, &paper, &answers); err != nil {
			return fmt.Errorf("read attempt: %w", err)
		}
		if bn != bankName || bv != bankVersion {
			return fmt.Errorf("attempt %d of %s was drawn from bank %s version %d, not the round's %s version %d: a correction cannot say which key it means",
				a.ID, round, bn, bv, bankName, bankVersion)
		}
		a.Correct, a.Total = int(correct), int(total)
		if paper != nil {
			if err := json.Unmarshal(paper, &a.Paper); err != nil {
				return fmt.Errorf("decode paper of attempt %d: %w", a.ID, err)
			}
			if err := json.Unmarshal(answers, &a.Answers); err != nil {
				return fmt.Errorf("decode answers of attempt %d: %w", a.ID, err)
			}
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read attempts of %s: %w", round, err)
	}
	return nil
}

// Record stores the correction and its score changes, and writes the new scores. Each
// change is written only where the stored score is still its Old: anything else means the
// round was not held, and the whole correction fails.
func (s *RoundScores) Record(ctx context.Context, round, bankName string, bankVersion int, c *regrade.Correction, changes []regrade.Change) error {
	err := s.q.QueryRow(ctx, `INSERT INTO key_correction (round, bank_name, bank_version, question_id, old_key, new_key, reason, created_by,
			attempts_changed, people_changed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, created_at`,
		round, bankName, bankVersion, c.QuestionID, c.Old.String(), c.New.String(), c.Reason, c.By, c.AttemptsChanged, c.PeopleChanged,
	).Scan(&c.ID, &c.At)
	if err != nil {
		return fmt.Errorf("record key correction of %s in %s: %w", c.QuestionID, round, err)
	}
	if len(changes) == 0 {
		return nil
	}
	ids, people := make([]int64, len(changes)), make([]int64, len(changes))
	olds, news := make([]int16, len(changes)), make([]int16, len(changes))
	for i, ch := range changes {
		ids[i], people[i], olds[i], news[i] = ch.AttemptID, ch.PersonID, int16(ch.Old), int16(ch.New)
	}
	tag, err := s.q.Exec(ctx, `UPDATE attempt SET correct = u.new FROM unnest($1::bigint[], $2::smallint[], $3::smallint[]) AS u(id, old, new)
		WHERE attempt.id = u.id AND attempt.round = $4 AND attempt.status <> 'in_progress' AND attempt.correct = u.old`, ids, olds, news, round)
	if err != nil {
		return fmt.Errorf("rescore attempts of %s: %w", round, err)
	}
	if int(tag.RowsAffected()) != len(changes) {
		return fmt.Errorf("rescore attempts of %s: %d of %d scores were not as read: the round changed while it was held", round, len(changes)-int(tag.RowsAffected()), len(changes))
	}
	if _, err := s.q.Exec(ctx, `INSERT INTO score_change (correction_id, attempt_id, contestant_id, old_correct, new_correct)
		SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::smallint[], $5::smallint[])`, c.ID, ids, people, olds, news); err != nil {
		return fmt.Errorf("record score changes of %s: %w", round, err)
	}
	// Scores changed, so may the round's count of perfect attempts: counted again once
	// this commits.
	return InvalidateRoundStats(ctx, s.q, round)
}

// Corrections lists a round's key corrections, oldest first.
func (s *Attempts) Corrections(ctx context.Context, round string) ([]regrade.Correction, error) {
	return corrections(ctx, s.pool, round)
}

// Adjustments lists what key corrections changed of an attempt's score, oldest first.
func (s *Attempts) Adjustments(ctx context.Context, attemptID int64) ([]attempt.Adjustment, error) {
	rows, err := s.pool.Query(ctx, `SELECT k.id, k.question_id, s.old_correct, s.new_correct, k.created_at
		FROM score_change s JOIN key_correction k ON k.id = s.correction_id WHERE s.attempt_id = $1 ORDER BY k.id`, attemptID)
	if err != nil {
		return nil, fmt.Errorf("read score changes of attempt %d: %w", attemptID, err)
	}
	var out []attempt.Adjustment
	var a attempt.Adjustment
	var old, new int16
	if _, err := pgx.ForEachRow(rows, []any{&a.CorrectionID, &a.QuestionID, &old, &new, &a.At}, func() error {
		a.Old, a.New = int(old), int(new)
		out = append(out, a)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read score changes of attempt %d: %w", attemptID, err)
	}
	return out, nil
}

// ScoreChange is one attempt's score change by a correction, with the person, for the
// console and the report.
type ScoreChange struct {
	CorrectionID int64
	AttemptID    int64
	AttemptNo    int
	ContestantID int64
	FullName     string
	NationalID   string
	Phone        string
	Old, New     int
}

// StreamScoreChanges feeds fn a round's score changes, by correction then person, at most
// limit of each correction (0: all).
func StreamScoreChanges(ctx context.Context, q Querier, round string, limit int, fn func(ScoreChange) error) error {
	rows, err := q.Query(ctx, `SELECT s.correction_id, s.attempt_id, a.attempt_no, s.contestant_id, c.full_name, c.national_id, c.phone,
			s.old_correct, s.new_correct
		FROM key_correction k
		CROSS JOIN LATERAL (SELECT * FROM score_change s WHERE s.correction_id = k.id
			ORDER BY s.contestant_id, s.attempt_id LIMIT CASE WHEN $2 > 0 THEN $2 END) s
		JOIN attempt a ON a.id = s.attempt_id
		JOIN contestant c ON c.id = s.contestant_id
		WHERE k.round = $1 ORDER BY k.id, s.contestant_id, s.attempt_id`, round, limit)
	if err != nil {
		return fmt.Errorf("read score changes of %s: %w", round, err)
	}
	defer rows.Close()
	var c ScoreChange
	var no, old, new int16
	for rows.Next() {
		if err := rows.Scan(&c.CorrectionID, &c.AttemptID, &no, &c.ContestantID, &c.FullName, &c.NationalID, &c.Phone, &old, &new); err != nil {
			return fmt.Errorf("read score change: %w", err)
		}
		c.AttemptNo, c.Old, c.New = int(no), int(old), int(new)
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read score changes of %s: %w", round, err)
	}
	return nil
}

// RoundCorrections lists a round's key corrections, oldest first, for the console and the
// report.
func RoundCorrections(ctx context.Context, q Querier, round string) ([]regrade.Correction, error) {
	return corrections(ctx, q, round)
}

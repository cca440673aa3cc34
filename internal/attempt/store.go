package attempt

import (
	"context"
	"time"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/regrade"
)

// Store is what the service needs of the database; internal/store implements it. Every
// rule about time is decided there by the database clock; every rule about answers and
// scores here, between a lock and its write.
type Store interface {
	// Insert records a new attempt inside the rules' window, within the attempt cap and
	// when none is in progress (one statement; concurrent starts collide on unique keys),
	// with its deadline at the time limit cut at the close, and where it was started from
	// (a.Client). A refusal is a *RefusedError.
	Insert(ctx context.Context, a NewAttempt) (Attempt, error)
	// Get reads one attempt of one person; ErrNotFound when there is none.
	Get(ctx context.Context, id, contestantID int64) (Attempt, error)
	// Save merges answers (and the prediction, when given) into an attempt in progress
	// before its deadline, and counts the save in the attempt's timeline (how many, the
	// first and the last). A refusal is a *RefusedError (finished, deadline passed).
	Save(ctx context.Context, id, contestantID int64, answers exam.Answers, prediction *int64) (deadline time.Time, err error)
	// Lock opens a transaction holding one attempt (of contestantID, or of anyone when
	// it is 0) for a decision: submit, or close at its deadline.
	Lock(ctx context.Context, id, contestantID int64) (Locked, error)
	// LockOverdue opens a transaction holding up to limit attempts past their deadline,
	// skipping those another replica holds.
	LockOverdue(ctx context.Context, limit int) (Overdue, error)
	// Standing is how many attempts a person has taken in a round, and whether a key
	// correction changed the score of one of them.
	Standing(ctx context.Context, round string, contestantID, attemptID int64) (used int, rescored bool, err error)
	// List is a person's attempts, newest first.
	List(ctx context.Context, contestantID int64) ([]Attempt, error)
	// AnyAnswerable says whether an attempt of the rounds is in progress before its deadline.
	AnyAnswerable(ctx context.Context, rounds []string) (bool, error)
	// Participation is, per round, the people with a finished attempt and the finished attempts.
	Participation(ctx context.Context, rounds []string) (map[string]RoundCounts, error)
	// Corrections lists a round's key corrections, oldest first.
	Corrections(ctx context.Context, round string) ([]regrade.Correction, error)
	// Adjustments lists what key corrections changed of an attempt's score, oldest first.
	Adjustments(ctx context.Context, attemptID int64) ([]Adjustment, error)
}

// Locked is one attempt held in an open transaction. Submit and Expire write and commit;
// Release ends the transaction (rolling back what was not committed) and must always be
// called. While it is held, no key correction of its round can be applied, and none is
// being applied: Corrections are those in force until it commits.
type Locked interface {
	Attempt() *Attempt
	// Corrections are the key corrections in force for the attempt's round.
	Corrections() exam.Corrections
	// Submit records the final answers, the prediction and the score, at the database's now.
	Submit(ctx context.Context, answers exam.Answers, prediction int64, score Score) (submittedAt time.Time, err error)
	// Expire closes the attempt at its deadline with the answers saved and their score.
	Expire(ctx context.Context, score Score) error
	Release()
}

// Score is what scoring decides about an attempt: how many answers are right, and the
// answers as the item analysis reads them (itemstats.Responses), kept with it.
type Score struct {
	Correct   int
	Responses []byte
}

// Overdue is a batch of attempts past their deadline, held in an open transaction.
type Overdue interface {
	Attempts() []Attempt
	// Corrections are the key corrections in force for the round of one of the attempts.
	Corrections(a *Attempt) exam.Corrections
	// Expire closes each attempt at its deadline with its score (by attempt ID) and commits.
	Expire(ctx context.Context, scores map[int64]Score) error
	Release()
}

// RoundScores is what a key correction needs of the database: a round's finished attempts
// and its corrections, read on a pool (a preview, which writes nothing) or inside the
// caller's transaction (applying one, which commits with the organizer's audit entry).
type RoundScores interface {
	// Hold waits for the round's submits and closes in flight to commit, and keeps new ones
	// waiting until the caller's transaction ends: what it reads of the round is then final
	// until it commits, and every submit after it sees the correction.
	Hold(ctx context.Context, round string) error
	// Corrections lists the round's key corrections, oldest first.
	Corrections(ctx context.Context, round string) ([]regrade.Correction, error)
	// Finished feeds fn the round's finished attempts in ascending person order, with their
	// paper and answers when the paper holds one of questions. An attempt drawn from
	// another bank version than the round's is an error.
	Finished(ctx context.Context, round, bankName string, bankVersion int, questions []string, fn func(regrade.Attempt) error) error
	// Record stores a correction (setting its ID and time) with the score changes, and
	// writes the new scores; an attempt whose stored score is not the change's Old fails it.
	Record(ctx context.Context, round, bankName string, bankVersion int, c *regrade.Correction, changes []regrade.Change) error
}

// Adjustment is what one key correction changed of an attempt's score.
type Adjustment struct {
	CorrectionID int64
	QuestionID   string
	Old, New     int
	At           time.Time
}

// Package attempt is the home of an attempt: starting it within its round's rules, saving
// answers as one goes, submitting, and closing it at its deadline when it was abandoned.
// The web handlers, the sweeper and the ranking job call it; it draws papers and scores
// them with the bank versions it holds in memory, checks answers by the one answer rule
// (exam.Shape), and calls the store, which never calls back.
package attempt

import (
	"errors"
	"time"

	"github.com/dxcontest/contest-platform/internal/exam"
)

// Statuses, as in the attempt table's check constraint.
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

// Overdue reports whether the attempt is in progress past its deadline (by Now).
func (a *Attempt) Overdue() bool { return !a.Finished() && !a.Now.Before(a.Deadline) }

// TimeUsed is submitted_at − started_at, both from the database clock.
func (a *Attempt) TimeUsed() time.Duration {
	if a.SubmittedAt == nil {
		return 0
	}
	return a.SubmittedAt.Sub(a.StartedAt)
}

// Rules are what starting an attempt in a round needs: the round's window and limits
// (decided by the database clock) and where its questions come from.
type Rules struct {
	// Round is the round's key, "namespace/name".
	Round       string
	OpensAt     time.Time
	ClosesAt    time.Time
	TimeLimit   time.Duration
	MaxAttempts int
	BankName    string
	BankVersion int
	Quotas      []exam.Quota
}

// NewAttempt is a drawn attempt for the store to insert under the rules' conditions.
type NewAttempt struct {
	Rules
	ContestantID int64
	Paper        exam.Paper
	// Client is where the attempt is started from, recorded with it for the review queue.
	Client Client
}

// Client is where an attempt was started from, as the review queue needs it and no more:
// the client's network (/24 of an IPv4 address, /64 of IPv6) and a short keyed hash of its
// browser's user agent. Zero when unknown (tools, tests).
type Client struct {
	Net    string
	Device []byte
}

// Outcome says what a submit did.
type Outcome int

const (
	// Submitted: this request finished the attempt.
	Submitted Outcome = iota
	// AlreadyFinished: the attempt was finished before; nothing new was recorded.
	AlreadyFinished
)

// Refusal reasons.
const (
	RefusedNotOpen      = "not_open"
	RefusedClosed       = "closed"
	RefusedNoneLeft     = "no_attempts_left"
	RefusedInProgress   = "in_progress"
	RefusedDeadline     = "deadline_passed"
	RefusedFinished     = "finished"
	RefusedInvalidInput = "invalid_answer"
)

// RefusedError says which rule refused an attempt operation.
type RefusedError struct {
	Reason string
	// InProgress is the attempt already under way (RefusedInProgress).
	InProgress int64
	// Used is how many attempts the person has taken in the round.
	Used int
	// Now is the database clock when refused.
	Now time.Time
	// Err is the answer rule's complaint (RefusedInvalidInput).
	Err error
}

func (e *RefusedError) Error() string {
	if e.Err != nil {
		return "attempt refused: " + e.Reason + ": " + e.Err.Error()
	}
	return "attempt refused: " + e.Reason
}

func (e *RefusedError) Unwrap() error { return e.Err }

// ErrNotFound says there is no such attempt of that person.
var ErrNotFound = errors.New("attempt not found")

// RoundCounts are a round's participation figures.
type RoundCounts struct {
	Participants int64
	Attempts     int64
}

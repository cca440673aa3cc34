package attempt

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
)

// Service starts, saves, submits and closes attempts.
type Service struct {
	store  Store
	banks  *bankCache
	shapes *shapeCache
}

// New returns a service on store, loading bank versions with load.
func New(store Store, load BankLoader) *Service {
	return &Service{store: store, banks: newBankCache(load), shapes: newShapeCache(maxShapes)}
}

// Bank returns a bank version from the service's memory (loading it the first time).
func (s *Service) Bank(ctx context.Context, name string, version int) (*bank.Bank, error) {
	return s.banks.get(ctx, name, version)
}

// Start draws a paper under the rules and records a new attempt. When the person has an
// attempt in progress that was abandoned past its deadline, it is closed first (with the
// answers saved before it) and the start tried once more. A refusal is a *RefusedError;
// a bank that cannot supply the paper is an error wrapping ErrBankUnusable.
func (s *Service) Start(ctx context.Context, rules Rules, contestantID int64) (Attempt, error) {
	return s.StartFrom(ctx, rules, contestantID, Client{})
}

// StartFrom is Start recording where the attempt is started from (the web handler's
// start); the record goes in the same INSERT.
func (s *Service) StartFrom(ctx context.Context, rules Rules, contestantID int64, client Client) (Attempt, error) {
	b, err := s.banks.get(ctx, rules.BankName, rules.BankVersion)
	if err != nil {
		return Attempt{}, fmt.Errorf("%w: %w", ErrBankUnusable, err)
	}
	paper, err := exam.Draw(b, rules.Quotas, exam.NewRand())
	if err != nil {
		return Attempt{}, fmt.Errorf("%w: draw the questions of round %s: %w", ErrBankUnusable, rules.Round, err)
	}
	req := NewAttempt{Rules: rules, ContestantID: contestantID, Paper: paper, Client: client}
	for try := 0; ; try++ {
		a, err := s.store.Insert(ctx, req)
		if err == nil {
			s.shapes.put(a.ID, paper.Shape())
			return a, nil
		}
		var refused *RefusedError
		if try > 0 || !errors.As(err, &refused) || refused.Reason != RefusedInProgress || refused.InProgress == 0 {
			return a, err
		}
		closed, err2 := s.Expire(ctx, refused.InProgress)
		if err2 != nil {
			return a, err2
		}
		if !closed {
			return a, err
		}
	}
}

// ErrBankUnusable says a round's bank version cannot be loaded or cannot supply its topics.
var ErrBankUnusable = errors.New("the round's question bank cannot be used")

// Get reads one attempt of one person.
func (s *Service) Get(ctx context.Context, id, contestantID int64) (Attempt, error) {
	a, err := s.store.Get(ctx, id, contestantID)
	if err == nil && !a.Finished() {
		s.shapes.put(a.ID, a.Paper.Shape())
	}
	return a, err
}

// Save records answers (and the prediction, when given) of an attempt in progress before
// its deadline, after checking them by the answer rule. It returns the deadline.
func (s *Service) Save(ctx context.Context, id, contestantID int64, answers exam.Answers, prediction *int64) (time.Time, error) {
	shape, ok := s.shapes.get(id)
	if !ok {
		a, err := s.Get(ctx, id, contestantID)
		if err != nil {
			return time.Time{}, err
		}
		if a.Finished() {
			return a.Deadline, &RefusedError{Reason: RefusedFinished, Now: a.Now}
		}
		shape = a.Paper.Shape()
	}
	if err := shape.Validate(answers); err != nil {
		return time.Time{}, &RefusedError{Reason: RefusedInvalidInput, Err: err}
	}
	deadline, err := s.store.Save(ctx, id, contestantID, answers, prediction)
	var refused *RefusedError
	if errors.As(err, &refused) {
		s.shapes.forget(id)
	}
	return deadline, err
}

// Submit finishes an attempt in one short transaction: the final answers are checked by
// the answer rule, merged with the saved ones and scored, the prediction recorded,
// submitted_at set by the database clock. A repeated submit returns the stored result and
// records nothing. A submit after the deadline is refused, and the attempt is closed at
// its deadline with the answers saved before it.
func (s *Service) Submit(ctx context.Context, id, contestantID int64, answers exam.Answers, prediction int64) (Attempt, Outcome, error) {
	l, err := s.store.Lock(ctx, id, contestantID)
	if err != nil {
		return Attempt{}, Submitted, err
	}
	defer l.Release()
	a := l.Attempt()
	if a.Finished() {
		return *a, AlreadyFinished, nil
	}
	s.shapes.forget(id)
	if a.Overdue() {
		if err := s.expire(ctx, l); err != nil {
			return *a, Submitted, err
		}
		return *a, Submitted, &RefusedError{Reason: RefusedDeadline, Now: a.Now}
	}
	if err := a.Paper.Shape().Validate(answers); err != nil {
		return *a, Submitted, &RefusedError{Reason: RefusedInvalidInput, Now: a.Now, Err: err}
	}
	merged := maps.Clone(a.Answers)
	if merged == nil {
		merged = exam.Answers{}
	}
	maps.Copy(merged, answers)
	score, err := s.score(ctx, a, merged, l.Corrections())
	if err != nil {
		return *a, Submitted, err
	}
	submitted, err := l.Submit(ctx, merged, prediction, score)
	if err != nil {
		return *a, Submitted, err
	}
	a.Status, a.SubmittedAt, a.Answers, a.Prediction, a.Correct = StatusSubmitted, &submitted, merged, &prediction, &score.Correct
	return *a, Submitted, nil
}

// Expire closes one attempt at its deadline, with the answers saved before it, when it is
// in progress and its deadline has passed; it reports whether it closed it.
func (s *Service) Expire(ctx context.Context, id int64) (bool, error) {
	l, err := s.store.Lock(ctx, id, 0)
	if err != nil {
		return false, fmt.Errorf("close overdue attempt %d: %w", id, err)
	}
	defer l.Release()
	if !l.Attempt().Overdue() {
		return false, nil
	}
	s.shapes.forget(id)
	return true, s.expire(ctx, l)
}

func (s *Service) expire(ctx context.Context, l Locked) error {
	a := l.Attempt()
	score, err := s.score(ctx, a, a.Answers, l.Corrections())
	if err != nil {
		return err
	}
	if err := l.Expire(ctx, score); err != nil {
		return err
	}
	a.Status, a.SubmittedAt, a.Correct = StatusExpired, &a.Deadline, &score.Correct
	return nil
}

// ExpireOverdue closes up to limit abandoned attempts at their deadlines, skipping those
// another replica is closing; it returns how many it closed. The sweeper and the ranking
// job call it.
func (s *Service) ExpireOverdue(ctx context.Context, limit int) (int, error) {
	batch, err := s.store.LockOverdue(ctx, limit)
	if err != nil {
		return 0, fmt.Errorf("close overdue attempts: %w", err)
	}
	defer batch.Release()
	overdue := batch.Attempts()
	if len(overdue) == 0 {
		return 0, nil
	}
	scores := make(map[int64]Score, len(overdue))
	for i := range overdue {
		a := &overdue[i]
		score, err := s.score(ctx, a, a.Answers, batch.Corrections(a))
		if err != nil {
			return 0, err
		}
		scores[a.ID] = score
		s.shapes.forget(a.ID)
	}
	if err := batch.Expire(ctx, scores); err != nil {
		return 0, fmt.Errorf("close overdue attempts: %w", err)
	}
	return len(overdue), nil
}

// score counts the correct answers with the bank version the paper was drawn from and the
// round's key corrections in force, and encodes the answers for the item analysis (the bank
// options chosen, which no correction changes).
func (s *Service) score(ctx context.Context, a *Attempt, answers exam.Answers, corr exam.Corrections) (Score, error) {
	b, err := s.banks.get(ctx, a.BankName, a.BankVersion)
	if err != nil {
		return Score{}, fmt.Errorf("score attempt %d: %w", a.ID, err)
	}
	r, err := exam.ScoreWith(a.Paper, b, answers, corr)
	if err != nil {
		return Score{}, fmt.Errorf("score attempt %d: %w", a.ID, err)
	}
	return Score{Correct: r.Correct, Responses: itemstats.Responses(r)}, nil
}

// Standing is how many attempts the person has taken in the attempt's round, and whether a
// key correction changed the attempt's score (then Adjustments says how).
func (s *Service) Standing(ctx context.Context, a *Attempt) (used int, rescored bool, err error) {
	return s.store.Standing(ctx, a.Round, a.ContestantID, a.ID)
}

// List is a person's attempts, newest first.
func (s *Service) List(ctx context.Context, contestantID int64) ([]Attempt, error) {
	return s.store.List(ctx, contestantID)
}

// AnyAnswerable says whether an attempt of the rounds can still be saved or submitted.
func (s *Service) AnyAnswerable(ctx context.Context, rounds []string) (bool, error) {
	return s.store.AnyAnswerable(ctx, rounds)
}

// Participation is, per round, the people with a finished attempt and the finished attempts.
func (s *Service) Participation(ctx context.Context, rounds []string) (map[string]RoundCounts, error) {
	return s.store.Participation(ctx, rounds)
}

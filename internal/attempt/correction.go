package attempt

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/regrade"
)

// KeyCorrection asks to score a question of a round with another key from now on, and to
// score the round's finished attempts again with it.
type KeyCorrection struct {
	Round       string
	BankName    string
	BankVersion int
	QuestionID  string
	Key         exam.Key
	Reason      string
	By          string
	// Seen is the ID of the round's latest correction when the organizer looked at the
	// effect (0: there was none). Applying refuses when another was applied since: what
	// the organizer saw is no longer what would happen.
	Seen int64
}

// Corrected is what a key correction changes, or would change.
type Corrected struct {
	// Correction is the record, with the key it replaces (Old); ID and At once applied.
	Correction regrade.Correction
	Summary    regrade.Summary
	// Latest is the ID of the round's latest correction before this one (0: none).
	Latest int64
}

// Refusal codes of a key correction; they are also the keys of their texts in
// internal/locale's catalogs.
const (
	CodeCorrectionUnknownQuestion = "correction.unknown_question"
	CodeCorrectionBadKey          = "correction.bad_key"
	CodeCorrectionUnchanged       = "correction.unchanged"
	CodeCorrectionStale           = "correction.stale"
	CodeCorrectionNoReason        = "correction.no_reason"
)

// CorrectionError says why a key correction is refused; Code names the rule.
type CorrectionError struct {
	Code string
	Err  error
}

func (e *CorrectionError) Error() string {
	if e.Err != nil {
		return "key correction refused: " + e.Code + ": " + e.Err.Error()
	}
	return "key correction refused: " + e.Code
}

func (e *CorrectionError) Unwrap() error { return e.Err }

// PreviewCorrection computes what applying req would change, writing nothing: each
// finished attempt of the round, with its score under the corrections that would be in
// force, goes to each (when not nil), so the caller can rank the round both ways.
func (s *Service) PreviewCorrection(ctx context.Context, rs RoundScores, req KeyCorrection, each func(a regrade.Attempt, newCorrect int) error) (Corrected, error) {
	return s.rescore(ctx, rs, req, false, each)
}

// ApplyCorrection records req and scores the round's finished attempts again with it, in
// the caller's transaction (rs is bound to it): the round is held first, so a submit in
// flight commits before and is rescored, and a submit after waits and is scored with the
// correction. Nothing is written unless the caller commits.
func (s *Service) ApplyCorrection(ctx context.Context, rs RoundScores, req KeyCorrection) (Corrected, error) {
	if err := rs.Hold(ctx, req.Round); err != nil {
		return Corrected{}, err
	}
	out, err := s.rescore(ctx, rs, req, true, nil)
	if err != nil {
		return out, err
	}
	if err := rs.Record(ctx, req.Round, req.BankName, req.BankVersion, &out.Correction, out.Summary.Changes); err != nil {
		return out, err
	}
	return out, nil
}

// rescore scores the round's finished attempts from scratch with the corrections in force
// and req; seen refuses when the round's latest correction is not req.Seen.
func (s *Service) rescore(ctx context.Context, rs RoundScores, req KeyCorrection, seen bool, each func(regrade.Attempt, int) error) (Corrected, error) {
	var out Corrected
	req.Reason = strings.TrimSpace(req.Reason)
	if req.Reason == "" {
		return out, &CorrectionError{Code: CodeCorrectionNoReason}
	}
	b, err := s.banks.get(ctx, req.BankName, req.BankVersion)
	if err != nil {
		return out, fmt.Errorf("%w: %w", ErrBankUnusable, err)
	}
	q := question(b, req.QuestionID)
	if q == nil {
		return out, &CorrectionError{Code: CodeCorrectionUnknownQuestion, Err: fmt.Errorf("no question %q in bank %s version %d", req.QuestionID, req.BankName, req.BankVersion)}
	}
	if err := exam.CheckKey(q, req.Key); err != nil {
		return out, &CorrectionError{Code: CodeCorrectionBadKey, Err: err}
	}
	history, err := rs.Corrections(ctx, req.Round)
	if err != nil {
		return out, err
	}
	if n := len(history); n > 0 {
		out.Latest = history[n-1].ID
	}
	if seen && out.Latest != req.Seen {
		return out, &CorrectionError{Code: CodeCorrectionStale}
	}
	inForce := regrade.InForce(history)
	old, ok := inForce[q.ID]
	if !ok {
		old = exam.KeyOf(q)
	}
	if old == req.Key {
		return out, &CorrectionError{Code: CodeCorrectionUnchanged}
	}
	out.Correction = regrade.Correction{QuestionID: q.ID, Old: old, New: req.Key, Reason: req.Reason, By: req.By}
	inForce[q.ID] = req.Key
	r := regrade.NewRescorer(b, inForce)
	err = rs.Finished(ctx, req.Round, req.BankName, req.BankVersion, slices.Sorted(maps.Keys(inForce)), func(a regrade.Attempt) error {
		n, err := r.Add(a)
		if err != nil || each == nil {
			return err
		}
		return each(a, n)
	})
	if err != nil {
		return out, err
	}
	out.Summary = r.Summary()
	out.Correction.AttemptsChanged, out.Correction.PeopleChanged = len(out.Summary.Changes), out.Summary.PeopleChanged
	return out, nil
}

func question(b *bank.Bank, id string) *bank.Question {
	for i := range b.Questions {
		if b.Questions[i].ID == id {
			return &b.Questions[i]
		}
	}
	return nil
}

// Corrections lists a round's key corrections, oldest first.
func (s *Service) Corrections(ctx context.Context, round string) ([]regrade.Correction, error) {
	return s.store.Corrections(ctx, round)
}

// Adjustments lists what key corrections changed of an attempt's score, oldest first.
func (s *Service) Adjustments(ctx context.Context, attemptID int64) ([]Adjustment, error) {
	return s.store.Adjustments(ctx, attemptID)
}

// Review scores a finished attempt item by item, as its score was computed: with the
// round's key corrections in force. It reveals the key; the caller decides when to show it.
func (s *Service) Review(ctx context.Context, a *Attempt) (exam.Result, error) {
	if !a.Finished() {
		return exam.Result{}, errors.New("review: the attempt is not finished")
	}
	b, err := s.banks.get(ctx, a.BankName, a.BankVersion)
	if err != nil {
		return exam.Result{}, fmt.Errorf("review attempt %d: %w", a.ID, err)
	}
	history, err := s.store.Corrections(ctx, a.Round)
	if err != nil {
		return exam.Result{}, err
	}
	return exam.ScoreWith(a.Paper, b, a.Answers, regrade.InForce(history))
}

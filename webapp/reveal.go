package webapp

import (
	"context"
	"fmt"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// Correct answers are never visible while any attempt of a round that uses them can still
// be answered (DESIGN.md). Attempts end at their round's close at the latest, so for a round
// alone "AfterClose" means once it is drained (the same instant the operator ranks it), and
// no attempt of it is still open by the database clock. A bank version that other rounds of
// the contest also use is revealed only once every one of them is drained, whatever the
// policy: revealing it earlier would hand those rounds the key.

// bankSharers returns the contest's rounds that draw from the same bank version as r
// (r included).
func (a *App) bankSharers(ctx context.Context, r *contestv1alpha1.ContestRound) ([]contestv1alpha1.ContestRound, error) {
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []contestv1alpha1.ContestRound
	for _, o := range rounds {
		if o.Spec.Exam.Bank == r.Spec.Exam.Bank {
			out = append(out, o)
		}
	}
	return out, nil
}

// revealAllowed says whether a finished attempt of round r may show its correct answers,
// at the database instant dbNow.
func (a *App) revealAllowed(ctx context.Context, r *contestv1alpha1.ContestRound, at *attempt.Attempt) (bool, error) {
	policy := r.Spec.Exam.RevealPolicy()
	if policy == contestv1alpha1.RevealNever || !at.Finished() {
		return false, nil
	}
	sharers, err := a.bankSharers(ctx, r)
	if err != nil {
		return false, err
	}
	if policy == contestv1alpha1.RevealAfterSubmit && len(sharers) <= 1 {
		return true, nil
	}
	windows := make([]schedule.Window, len(sharers))
	keys := make([]string, len(sharers))
	for i := range sharers {
		windows[i], keys[i] = sharers[i].Window(), sharers[i].RoundKey()
	}
	if at.Now.Before(schedule.AnswersVisibleAt(windows)) {
		return false, nil
	}
	answerable, err := a.attempts.AnyAnswerable(ctx, keys)
	if err != nil {
		return false, err
	}
	return !answerable, nil
}

// sharedRevealProblems says, for each round whose policy would reveal a bank version that
// another round of the contest also uses, which rounds share it: the answers are then held
// back until every one of them has ended, and organizers should know why.
func (a *App) sharedRevealProblems(ctx context.Context) ([]sharedReveal, error) {
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []sharedReveal
	for i := range rounds {
		r := &rounds[i]
		if r.Spec.Exam.RevealPolicy() == contestv1alpha1.RevealNever {
			continue
		}
		s := sharedReveal{Round: r.Spec.Title, Policy: r.Spec.Exam.RevealPolicy(),
			Bank: fmt.Sprintf("%s v%d", r.Spec.Exam.Bank.Name, r.Spec.Exam.Bank.Version)}
		for j := range rounds {
			if j != i && rounds[j].Spec.Exam.Bank == r.Spec.Exam.Bank {
				s.Others = append(s.Others, rounds[j].Spec.Title)
			}
		}
		if len(s.Others) > 0 {
			out = append(out, s)
		}
	}
	return out, nil
}

// sharedReveal is a round that would reveal a bank version other rounds use.
type sharedReveal struct {
	Round  string
	Policy contestv1alpha1.RevealPolicy
	Bank   string
	Others []string
}

package webapp

import (
	"context"
	"fmt"
	"strings"

	"github.com/dxcontest/contest-platform/internal/exam"
)

// CheckRounds says, for every round of the contest, whether its pinned bank version is
// loaded and has enough questions in each topic: a problem found at start (or before a
// round opens) beats contestants meeting "questions not ready" at the opening.
func (a *App) CheckRounds(ctx context.Context) []error {
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		return []error{err}
	}
	var problems []error
	for i := range rounds {
		r := &rounds[i]
		ref := r.Spec.Exam.Bank
		b, err := a.attempts.Bank(ctx, ref.Name, int(ref.Version))
		if err != nil {
			problems = append(problems, fmt.Errorf("round %s: %w (import it with `contest bank import`)", r.Name, err))
			continue
		}
		if err := exam.CheckQuotas(b, quotas(r)); err != nil {
			problems = append(problems, fmt.Errorf("round %s: bank %s version %d cannot supply the round's topics: %w", r.Name, ref.Name, ref.Version, err))
		}
	}
	return problems
}

// RevealWarnings says which rounds would reveal the correct answers of a bank version that
// other rounds of the contest also use; the app withholds those answers until every round
// using the version has ended, and says so at start.
func (a *App) RevealWarnings(ctx context.Context) []string {
	shared, err := a.sharedRevealProblems(ctx)
	if err != nil {
		return []string{err.Error()}
	}
	out := make([]string, 0, len(shared))
	for _, s := range shared {
		out = append(out, fmt.Sprintf("round %q reveals answers (%s) of bank %s, which %s also use: the answers stay hidden until every round using that bank version has ended; import the bank as a new version for one round, or set revealAnswers: Never",
			s.Round, s.Policy, s.Bank, strings.Join(quoted(s.Others), ", ")))
	}
	return out
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

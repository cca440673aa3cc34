package webapp

import (
	"context"
	"fmt"

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
		b, err := a.banks.get(ctx, ref.Name, int(ref.Version))
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

package webapp

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// ourRounds is the contest's rounds, earliest first, picked from one list of the source.
type ourRounds struct {
	from   *contestv1alpha1.ContestRound // the source list's first element: the list's identity
	n      int
	rounds []contestv1alpha1.ContestRound
}

// contestRounds returns the rounds of this app's contest, earliest first: shared and
// read-only, picked and sorted again only when the source returns a different list (pages
// ask several times per request).
func (a *App) contestRounds(ctx context.Context) ([]contestv1alpha1.ContestRound, error) {
	all, err := a.cfg.Rounds.Rounds(ctx)
	if err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	if len(all) == 0 {
		return nil, nil
	}
	if o := a.ours.Load(); o != nil && o.from == &all[0] && o.n == len(all) {
		return o.rounds, nil
	}
	var out []contestv1alpha1.ContestRound
	for _, r := range all {
		if r.Spec.Contest.ID == a.cfg.ContestID {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Spec.OpensAt.Before(&out[j].Spec.OpensAt) })
	a.ours.Store(&ourRounds{from: &all[0], n: len(all), rounds: out})
	return out, nil
}

// errRoundNotFound: no round of the contest has that name or key.
var errRoundNotFound = errors.New("round not found")

// findRound returns the round with this name (names are unique in the app's namespace),
// or errRoundNotFound.
func (a *App) findRound(ctx context.Context, name string) (*contestv1alpha1.ContestRound, error) {
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		return nil, err
	}
	for i := range rounds {
		if rounds[i].Name == name {
			return &rounds[i], nil
		}
	}
	return nil, errRoundNotFound
}

// findRoundByKey returns the round an attempt belongs to, or errRoundNotFound.
func (a *App) findRoundByKey(ctx context.Context, key string) (*contestv1alpha1.ContestRound, error) {
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		return nil, err
	}
	for i := range rounds {
		if rounds[i].RoundKey() == key {
			return &rounds[i], nil
		}
	}
	return nil, errRoundNotFound
}

func (a *App) contestTitle(c *gin.Context) string {
	rounds, err := a.contestRounds(c.Request.Context())
	if err != nil || len(rounds) == 0 {
		return ""
	}
	return rounds[0].Spec.Contest.Title
}

// roundState is what the landing page says about a round, by the app's clock. It is for
// display only: the database clock decides whether an attempt may start.
func roundState(r *contestv1alpha1.ContestRound, now time.Time) string {
	st := schedule.At(r.Window(), now)
	if st.Suspended {
		return "suspended"
	}
	return strings.ToLower(string(contestv1alpha1.PhaseOf(st, contestv1alpha1.RankingNone)))
}

// quotas turns a round's topic counts into the exam package's drawing quotas.
func quotas(r *contestv1alpha1.ContestRound) []exam.Quota {
	q := make([]exam.Quota, 0, len(r.Spec.Exam.Topics))
	for _, t := range r.Spec.Exam.Topics {
		q = append(q, exam.Quota{Topic: t.Topic, Questions: int(t.Questions)})
	}
	return q
}

// attemptRules are the round's rules as the attempt service reads them.
func attemptRules(r *contestv1alpha1.ContestRound) attempt.Rules {
	return attempt.Rules{Round: r.RoundKey(), OpensAt: r.Spec.OpensAt.Time, ClosesAt: r.Spec.ClosesAt.Time,
		TimeLimit: r.Spec.Exam.AttemptTimeLimit(), MaxAttempts: int(r.Spec.Exam.AttemptsAllowed()),
		BankName: r.Spec.Exam.Bank.Name, BankVersion: int(r.Spec.Exam.Bank.Version), Quotas: quotas(r)}
}

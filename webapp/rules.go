package webapp

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/person"
)

// rulesData is the contest's rules page ("Thể lệ"), written from the rounds' own
// declarations, so what people read is what the server enforces and the ranking applies.
type rulesData struct {
	Groups []string // participant groups (their catalog keys are participant_group.<group>)
	Rounds []roundRules
}

// roundRules is one round's rules in the form the page shows them.
type roundRules struct {
	Round *contestv1alpha1.ContestRound
	// Topics are the topics drawn from, with their titles and question counts.
	Topics []topicRule
	// TieBreak are the round's tie-break keys, in order (explained by rules.tieBreak.<key>).
	TieBreak []string
	Prizes   []contestv1alpha1.Prize
	// Conditions says whether any prize asks for a minimum of correct answers.
	Conditions bool
	// RankedFrom is when the ranking runs: once every attempt has ended (the round's
	// drained instant, closesAt plus the operator's settle delay).
	RankedFrom time.Time
	// Excluded units (by name, with their code when the list lacks it) and organizations
	// whose people may take part but not take a prize.
	ExcludedUnits []string
	ExcludedOrgs  []string
	Ranked        bool
}

type topicRule struct {
	Title     string
	Questions int32
}

func (a *App) rulesPage(c *gin.Context) {
	ctx := c.Request.Context()
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		a.internal(c, err)
		return
	}
	d := rulesData{}
	for _, g := range person.Groups() {
		d.Groups = append(d.Groups, string(g))
	}
	for i := range rounds {
		rr, err := a.roundRules(ctx, &rounds[i])
		if err != nil {
			a.internal(c, err)
			return
		}
		d.Rounds = append(d.Rounds, rr)
	}
	tr := a.translatorFor(c)
	v := a.newView(c, tr.T("rules.title"), d)
	v.Share = a.share(c, v.Title+" — "+v.ContestTitle, tr.T("rules.description", v.ContestTitle), "/rules")
	a.render(c, http.StatusOK, "rules", v)
}

func (a *App) roundRules(ctx context.Context, r *contestv1alpha1.ContestRound) (roundRules, error) {
	rr := roundRules{Round: r, Prizes: r.Spec.PrizeList(), RankedFrom: r.Window().DrainedAt(),
		ExcludedOrgs: r.Spec.Ranking.IneligibleOrganizations, Ranked: r.Status.Phase == contestv1alpha1.PhaseRanked}
	titles := map[string]string{}
	for _, t := range bank.PlanTopics() {
		titles[t.Code] = t.Title
	}
	// The bank's own titles when it is loaded (the attempt service keeps it in memory);
	// a round declared before its bank is imported still shows the plan's titles.
	if b, err := a.attempts.Bank(ctx, r.Spec.Exam.Bank.Name, int(r.Spec.Exam.Bank.Version)); err == nil {
		for _, t := range b.Topics {
			titles[t.Code] = t.Title
		}
	}
	for _, t := range r.Spec.Exam.Topics {
		title := titles[t.Topic]
		if title == "" {
			title = t.Topic
		}
		rr.Topics = append(rr.Topics, topicRule{Title: title, Questions: t.Questions})
	}
	keys := r.Spec.Ranking.TieBreak
	if len(keys) == 0 {
		keys = contestv1alpha1.DefaultTieBreak()
	}
	for _, k := range keys {
		rr.TieBreak = append(rr.TieBreak, string(k))
	}
	for _, p := range rr.Prizes {
		rr.Conditions = rr.Conditions || p.MinCorrect > 0
	}
	if len(r.Spec.Ranking.IneligibleUnits) > 0 {
		ix, err := a.units.index(ctx)
		if err != nil {
			return rr, err
		}
		for _, code := range r.Spec.Ranking.IneligibleUnits {
			if u, ok := ix.ByCode(code); ok {
				rr.ExcludedUnits = append(rr.ExcludedUnits, u.Name)
			} else {
				rr.ExcludedUnits = append(rr.ExcludedUnits, code)
			}
		}
	}
	return rr, nil
}

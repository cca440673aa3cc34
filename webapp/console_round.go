package webapp

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/store"
)

// conditionRow is one status condition as the results page shows it.
type conditionRow struct {
	Type   string
	Label  string
	Status string
	OK     bool
	Reason string
	// ReasonLabel says the reason in the organizer's language; Message is the operator's
	// own text (English), kept for the platform engineers.
	ReasonLabel string
	Message     string
	Since       string
}

type roundData struct {
	consoleRound
	Phase  string
	Ranked bool
	// CanRerank: the round was ranked (or its ranking failed) and the cluster takes requests.
	CanRerank  bool
	Conditions []conditionRow
	// Tie is the PrizesDecided condition when the rules could not decide every prize:
	// publishing then needs an explicit confirmation.
	Tie         *metav1.Condition
	Published   bool
	Publication store.Publication
	// HasRanking says the database holds the ranking, so the report can be made.
	HasRanking bool
	// Corrections counts the round's key corrections.
	Corrections int
}

// consoleRound shows a round's ranking status, its winners and its publication.
func (a *App) consoleRound(c *gin.Context) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	v, ok := a.roundView(c, round)
	if !ok {
		return
	}
	switch c.Query("done") {
	case "published":
		v.Notice = v.T("console.publish.done")
	case "unpublished":
		v.Notice = v.T("console.unpublish.done")
	case "rerank":
		v.Notice = v.T("console.rerank.done")
		v.RefreshSeconds = 5
	}
	if round.Status.Phase == contestv1alpha1.PhaseRanking {
		// The ranking Job runs: the page follows it.
		v.RefreshSeconds = 5
	}
	a.renderConsole(c, http.StatusOK, "console_round", v)
}

// roundFromPath finds the round named in the path, or answers 404.
func (a *App) roundFromPath(c *gin.Context) (*contestv1alpha1.ContestRound, bool) {
	round, err := a.findRound(c.Request.Context(), c.Param("round"))
	if errors.Is(err, errRoundNotFound) {
		a.consoleFail(c, http.StatusNotFound, "error.roundNotFound")
		return nil, false
	}
	if err != nil {
		a.consoleInternal(c, err)
		return nil, false
	}
	return round, true
}

func (a *App) roundView(c *gin.Context, round *contestv1alpha1.ContestRound) (*consoleView, bool) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	key := round.RoundKey()
	withStats, err := a.withStats(c, []contestv1alpha1.ContestRound{*round})
	if err != nil {
		a.consoleInternal(c, err)
		return nil, false
	}
	d := roundData{consoleRound: withStats[0], Phase: phaseLabel(tr, round.Status.Phase), Ranked: round.Status.Phase == contestv1alpha1.PhaseRanked}
	if _, ok := a.cfg.Rounds.(Reranker); ok {
		d.CanRerank = round.Status.Phase == contestv1alpha1.PhaseRanked || round.Status.Phase == contestv1alpha1.PhaseFailed
	}
	d.Conditions = conditionRows(tr, round.Status.Conditions)
	if tie := meta.FindStatusCondition(round.Status.Conditions, contestv1alpha1.ConditionPrizesDecided); tie != nil && tie.Status != metav1.ConditionTrue {
		d.Tie = tie
	}
	d.Publication, err = store.PublicationOf(ctx, a.consoleDB(), key)
	switch {
	case err == nil:
		d.Published = true
	case !errors.Is(err, store.ErrNotFound):
		a.consoleInternal(c, err)
		return nil, false
	}
	switch _, err := store.ReadRankingRun(ctx, a.consoleDB(), key); {
	case err == nil:
		d.HasRanking = true
	case !errors.Is(err, store.ErrNoRanking):
		a.consoleInternal(c, err)
		return nil, false
	}
	corrections, err := store.RoundCorrections(ctx, a.consoleDB(), key)
	if err != nil {
		a.consoleInternal(c, err)
		return nil, false
	}
	d.Corrections = len(corrections)
	return a.newConsoleView(c, tr.T("console.round.title", round.Spec.Title), d), true
}

func phaseLabel(tr translator, p contestv1alpha1.RoundPhase) string {
	if p == "" {
		return tr.T("console.phase.none")
	}
	return tr.T("console.phase." + string(p))
}

// conditionRows lists the ranking conditions first, then the others as the operator set them.
func conditionRows(tr translator, conds []metav1.Condition) []conditionRow {
	var first, rest []conditionRow
	for _, cd := range conds {
		label := tr.T("console.cond." + cd.Type)
		if label == "console.cond."+cd.Type {
			label = cd.Type
		}
		reason := tr.T("console.reason." + cd.Reason)
		if reason == "console.reason."+cd.Reason {
			reason = cd.Reason
		}
		row := conditionRow{Type: cd.Type, Label: label, Status: tr.T("console.cond.status." + string(cd.Status)),
			OK: cd.Status == metav1.ConditionTrue, Reason: cd.Reason, ReasonLabel: reason, Message: cd.Message,
			Since: tr.Time(cd.LastTransitionTime.Time)}
		if cd.Type == contestv1alpha1.ConditionRankingComplete || cd.Type == contestv1alpha1.ConditionPrizesDecided {
			first = append(first, row)
		} else {
			rest = append(rest, row)
		}
	}
	return append(first, rest...)
}

// consolePublish makes a ranked round's winners public. A tie at a prize boundary is for
// the committee to settle first; publishing anyway takes an explicit confirmation.
func (a *App) consolePublish(c *gin.Context) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	tr := a.translatorFor(c)
	refuse := func(status int, msg string) {
		if v, ok := a.roundView(c, round); ok {
			v.Error = msg
			a.renderConsole(c, status, "console_round", v)
		}
	}
	if round.Status.Phase != contestv1alpha1.PhaseRanked {
		refuse(http.StatusConflict, tr.T("console.publish.notRanked", phaseLabel(tr, round.Status.Phase)))
		return
	}
	tie := meta.FindStatusCondition(round.Status.Conditions, contestv1alpha1.ConditionPrizesDecided)
	if tie != nil && tie.Status != metav1.ConditionTrue && c.PostForm("confirm_tie") != "yes" {
		refuse(http.StatusUnprocessableEntity, tr.T("console.publish.confirmTie"))
		return
	}
	ctx := c.Request.Context()
	var created bool
	err := store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		var err error
		if created, err = store.Publish(ctx, tx, round.RoundKey(), c.GetString("organizer")); err != nil || !created {
			return err
		}
		reason := ""
		if tie != nil && tie.Status != metav1.ConditionTrue {
			reason = tie.Message
		}
		return a.audit(c, tx, auditEntry{Action: organizer.ActionPublish, Target: round.RoundKey(),
			Before: map[string]bool{"published": false}, After: map[string]bool{"published": true}, Reason: reason})
	})
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("results published", "round", round.RoundKey(), "by", c.GetString("organizer"), "new", created,
		"boundary_tie", tie != nil && tie.Status != metav1.ConditionTrue)
	c.Redirect(http.StatusSeeOther, "/console/rounds/"+round.Name+"?done=published")
}

// consoleUnpublish withdraws a round's winners from the public page.
func (a *App) consoleUnpublish(c *gin.Context) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	var removed bool
	err := store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		var err error
		if removed, err = store.Unpublish(ctx, tx, round.RoundKey()); err != nil || !removed {
			return err
		}
		return a.audit(c, tx, auditEntry{Action: organizer.ActionUnpublish, Target: round.RoundKey(),
			Before: map[string]bool{"published": true}, After: map[string]bool{"published": false}})
	})
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("results unpublished", "round", round.RoundKey(), "by", c.GetString("organizer"), "was_published", removed)
	c.Redirect(http.StatusSeeOther, "/console/rounds/"+round.Name+"?done=unpublished")
}

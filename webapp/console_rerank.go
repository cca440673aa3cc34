package webapp

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/organizer"
)

// Reranker asks the operator for a new ranking of a round. The cluster's round source is
// one (it sets the round's re-rank annotation, the one change the web app's service account
// may make); rounds served from files are not.
type Reranker interface {
	Rerank(ctx context.Context, name, token string) error
}

// Reason lengths for a re-rank: the committee's record must say why.
const (
	minReasonRunes = 10
	maxReasonRunes = 500
)

// consoleRerank asks for a new ranking of a ranked (or failed) round, with the reason.
func (a *App) consoleRerank(c *gin.Context) {
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
	reason := strings.TrimSpace(c.PostForm("reason"))
	if n := utf8.RuneCountInString(reason); n < minReasonRunes || n > maxReasonRunes {
		refuse(http.StatusUnprocessableEntity, tr.T("console.rerank.reason", minReasonRunes, maxReasonRunes))
		return
	}
	rr, ok := a.cfg.Rounds.(Reranker)
	if !ok {
		refuse(http.StatusConflict, tr.T("console.rerank.unavailable"))
		return
	}
	if p := round.Status.Phase; p != contestv1alpha1.PhaseRanked && p != contestv1alpha1.PhaseFailed {
		refuse(http.StatusConflict, tr.T("console.rerank.notYet", phaseLabel(tr, p)))
		return
	}
	if err := a.requestRerank(c, rr, round, reason); err != nil {
		a.consoleInternal(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/console/rounds/"+round.Name+"?done=rerank")
}

// requestRerank asks the operator for a new ranking of round and records who asked and
// why. Key corrections call it too, for a round already ranked.
func (a *App) requestRerank(c *gin.Context, rr Reranker, round *contestv1alpha1.ContestRound, reason string) error {
	token := a.now().In(a.loc).Format("20060102-150405") + "-" + c.GetString("organizer")
	before := round.Annotations[contestv1alpha1.RerankAnnotation]
	if err := rr.Rerank(c.Request.Context(), round.Name, token); err != nil {
		return err
	}
	// The request went to the cluster; the record goes to the database. They cannot commit
	// together: a failure here is logged loudly with everything the record would hold.
	if err := a.audit(c, a.consoleDB(), auditEntry{Action: organizer.ActionRerank, Target: round.RoundKey(),
		Before: map[string]string{"token": before}, After: map[string]string{"token": token}, Reason: reason}); err != nil {
		a.log(c).Error("re-rank requested but not recorded in the audit log", "round", round.RoundKey(), "token", token,
			"by", c.GetString("organizer"), "reason", reason, "err", err)
		return err
	}
	a.log(c).Info("re-rank requested", "round", round.RoundKey(), "token", token, "by", c.GetString("organizer"))
	return nil
}

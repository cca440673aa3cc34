package webapp

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/store"
)

type winnersData struct {
	Round     *contestv1alpha1.ContestRound
	Published bool
}

// winners shows a round's prize winners once it is ranked and organizers published it in
// the console (a database fact: the web app only reads the cluster); personal data in the
// status is already masked.
func (a *App) winners(c *gin.Context) {
	ctx := c.Request.Context()
	round, err := a.findRound(ctx, c.Param("round"))
	if errors.Is(err, errRoundNotFound) {
		a.fail(c, http.StatusNotFound, "error.roundNotFound")
		return
	}
	if err != nil {
		a.internal(c, err)
		return
	}
	d := winnersData{Round: round}
	if round.Status.Phase == contestv1alpha1.PhaseRanked {
		if d.Published, err = store.IsPublished(ctx, a.cfg.Pool, round.RoundKey()); err != nil {
			a.internal(c, err)
			return
		}
	}
	tr := a.translatorFor(c)
	v := a.newView(c, tr.T("winners.title", round.Spec.Title), d)
	v.Share = a.share(c, v.Title, tr.T("share.winners", round.Spec.Title, v.ContestTitle), "/rounds/"+round.Name+"/winners")
	a.render(c, http.StatusOK, "winners", v)
}

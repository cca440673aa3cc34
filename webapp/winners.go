package webapp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// ResultsPublishedAnnotation is set to "true" on a round by organizers to publish its
// ranked results on the public winners page.
const ResultsPublishedAnnotation = "contest.dxcontest.io/results-published"

type winnersData struct {
	Round     *contestv1alpha1.ContestRound
	Published bool
}

// winners shows a round's prize winners once it is ranked and organizers published it;
// personal data in the status is already masked.
func (a *App) winners(c *gin.Context) {
	round, err := a.findRound(c.Request.Context(), c.Param("round"))
	if err != nil {
		a.internal(c, err)
		return
	}
	if round == nil {
		a.fail(c, http.StatusNotFound, "error.roundNotFound")
		return
	}
	d := winnersData{Round: round,
		Published: round.Status.Phase == contestv1alpha1.PhaseRanked && round.Annotations[ResultsPublishedAnnotation] == "true"}
	a.render(c, http.StatusOK, "winners", a.newView(c, a.translatorFor(c).T("winners.title", round.Spec.Title), d))
}

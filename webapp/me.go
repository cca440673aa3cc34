package webapp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/attempt"
)

type myAttemptsData struct {
	Attempts []myAttempt
	// Certificates are the person's certificates of rounds whose results are published.
	Certificates []certificateLink
}

type myAttempt struct {
	Attempt    attempt.Attempt
	RoundTitle string
}

func (a *App) myAttempts(c *gin.Context) {
	ctx := c.Request.Context()
	me, _ := contestantID(c)
	list, err := a.attempts.List(ctx, me)
	if err != nil {
		a.internal(c, err)
		return
	}
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		a.internal(c, err)
		return
	}
	titles := map[string]string{}
	for i := range rounds {
		titles[rounds[i].RoundKey()] = rounds[i].Spec.Title
	}
	rows := make([]myAttempt, 0, len(list))
	for _, at := range list {
		rows = append(rows, myAttempt{Attempt: at, RoundTitle: titles[at.Round]})
	}
	certs, err := a.myCertificateLinks(ctx, me, rounds)
	if err != nil {
		a.internal(c, err)
		return
	}
	a.render(c, http.StatusOK, "me", a.newView(c, a.translatorFor(c).T("me.title"), myAttemptsData{Attempts: rows, Certificates: certs}))
}

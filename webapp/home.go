package webapp

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/store"
)

type roundCard struct {
	Round        *contestv1alpha1.ContestRound
	State        string
	Participants int64
	// Signed-in person's standing in the round.
	Used       int
	Left       int
	InProgress int64
}

type homeData struct {
	Rounds []roundCard
	Now    time.Time
	Rules  *contestv1alpha1.ContestRound
}

func (a *App) home(c *gin.Context) {
	ctx := c.Request.Context()
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		a.internal(c, err)
		return
	}
	keys := make([]string, len(rounds))
	for i := range rounds {
		keys[i] = rounds[i].RoundKey()
	}
	counts, err := a.counts.get(ctx, rounds)
	if err != nil {
		a.internal(c, err)
		return
	}
	var mine []attempt.Attempt
	if id, ok := contestantID(c); ok {
		if mine, err = a.attempts.List(ctx, id); err != nil {
			a.internal(c, err)
			return
		}
	}
	d := homeData{Now: a.now()}
	for i := range rounds {
		r := &rounds[i]
		card := roundCard{Round: r, State: roundState(r, d.Now), Participants: counts[keys[i]].Participants}
		for _, at := range mine {
			if at.Round == keys[i] {
				card.Used++
				if !at.Finished() {
					card.InProgress = at.ID
				}
			}
		}
		card.Left = max(0, int(r.Spec.Exam.AttemptsAllowed())-card.Used)
		d.Rounds = append(d.Rounds, card)
	}
	if len(rounds) > 0 {
		d.Rules = &rounds[len(rounds)-1]
		for i := range rounds {
			if d.Rounds[i].State == "open" || d.Rounds[i].State == "scheduled" {
				d.Rules = &rounds[i]
				break
			}
		}
	}
	v := a.newView(c, "", d)
	v.Share = a.share(c, "", "", "/")
	if c.Query("registered") == "1" && v.SignedIn {
		v.Notice = v.T("register.done")
	}
	if c.Query("reset") == "1" && v.SignedIn {
		v.Notice = v.T("recovery.done")
	}
	a.render(c, http.StatusOK, "home", v)
}

// internal logs an unexpected error and answers with a calm page: 503 with Retry-After
// when the database cannot be reached (the request may simply be tried again), 500 else.
func (a *App) internal(c *gin.Context, err error) {
	if a.unavailable(c, err) {
		a.fail(c, http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	a.log(c).Error("request failed", "path", c.Request.URL.Path, "err", err)
	a.fail(c, http.StatusInternalServerError, "error.internal")
}

// unavailable says whether err means the database is out of reach; it logs it and sets
// Retry-After when so.
func (a *App) unavailable(c *gin.Context, err error) bool {
	if !store.Unavailable(err) {
		return false
	}
	a.metrics.refused("database_unavailable")
	a.log(c).Warn("database unavailable", "path", c.Request.URL.Path, "err", err)
	c.Header("Retry-After", "5")
	return true
}

// bankUnavailable answers when a round's questions cannot be had: the database is out of
// reach, or the bank is missing or too small (organizers must import it; the page says so
// and the person may come back).
func (a *App) bankUnavailable(c *gin.Context, err error) {
	if a.unavailable(c, err) {
		a.fail(c, http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	a.log(c).Error("question bank unavailable", "path", c.Request.URL.Path, "err", err)
	c.Header("Retry-After", "60")
	a.fail(c, http.StatusServiceUnavailable, "error.bankUnavailable")
}

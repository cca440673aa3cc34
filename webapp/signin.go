package webapp

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
)

type signinData struct {
	Login     string
	Next      string
	Challenge challenge
}

func (a *App) signinForm(c *gin.Context) {
	a.showSignin(c, http.StatusOK, "", c.Query("next"), "")
}

func (a *App) showSignin(c *gin.Context, status int, login, next, pageError string) {
	v := a.newView(c, a.translatorFor(c).T("signin.title"), signinData{Login: login, Next: safeNext(next), Challenge: a.newChallenge()})
	v.Error = pageError
	a.render(c, status, "signin", v)
}

// safeNext keeps redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// normalizeLogin accepts a phone in any common spelling or a national ID.
func normalizeLogin(s string) string {
	if p, fe := person.NormalizePhone(s); fe == nil {
		return p
	}
	if id, fe := person.NormalizeNationalID(s); fe == nil {
		return id
	}
	return strings.TrimSpace(s)
}

func (a *App) signin(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	login, next := normalizeLogin(c.PostForm("login")), c.PostForm("next")
	if err := a.checkChallenge(ctx, c.PostForm("challenge"), c.PostForm("work"), c.PostForm("sum")); err != nil {
		a.challengeFailed(c, err, func(msg string) { a.showSignin(c, http.StatusUnprocessableEntity, c.PostForm("login"), next, msg) })
		return
	}
	// Failed sign-ins are counted per account in the database, so guessing a password is
	// throttled across every replica.
	key := "signin-fail:" + a.cfg.ContestID + ":" + login
	fails, err := store.Hits(ctx, a.cfg.Pool, key, failedSignInWindow)
	if err != nil {
		a.internal(c, err)
		return
	}
	if fails >= failedSignInsPerLogin {
		a.metrics.refused("account_locked")
		a.showSignin(c, http.StatusTooManyRequests, c.PostForm("login"), next, tr.T("error.accountLocked"))
		return
	}
	ct, err := store.ContestantByLogin(ctx, a.cfg.Pool, a.cfg.ContestID, login)
	ok := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		hashPassword(c.PostForm("password")) // spend the same time as a real check
	case err != nil:
		a.internal(c, err)
		return
	default:
		if ok, err = checkPassword(ct.PasswordHash, c.PostForm("password")); err != nil {
			a.internal(c, err)
			return
		}
	}
	if !ok {
		if _, err := store.Hit(ctx, a.cfg.Pool, key, failedSignInWindow, failedSignInsPerLogin); err != nil {
			a.internal(c, err)
			return
		}
		a.metrics.refused("bad_login")
		a.showSignin(c, http.StatusUnauthorized, c.PostForm("login"), next, tr.T("error.badLogin"))
		return
	}
	a.startSession(c, ct.ID)
	c.Redirect(http.StatusSeeOther, safeNext(next))
}

func (a *App) signout(c *gin.Context) {
	a.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/")
}

package webapp

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
)

// maxLoginBytes bounds what the sign-in form's login may hold: a phone number or a
// national ID in any common spelling is far shorter.
const maxLoginBytes = 64

type signinData struct {
	Login     string
	Next      string
	Challenge challenge
	Remember  rememberChoice
	// Ended says the person just signed out on every device.
	Ended bool
}

func (a *App) signinForm(c *gin.Context) {
	a.showSignin(c, http.StatusOK, "", c.Query("next"), "", a.formChallenge(c))
}

func (a *App) showSignin(c *gin.Context, status int, login, next, pageError string, ch challenge) {
	if len(login) > maxLoginBytes {
		login = ""
	}
	v := a.newView(c, a.translatorFor(c).T("signin.title"), signinData{Login: login, Next: localPath(next, "/"), Challenge: ch,
		Remember: a.rememberChoice(c), Ended: c.Request.Method == http.MethodGet && c.Query("ended") != ""})
	v.Error = pageError
	a.render(c, status, "signin", v)
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
	typed, next := c.PostForm("login"), c.PostForm("next")
	show := func(status int, msg string, ch challenge) { a.showSignin(c, status, typed, next, msg, ch) }
	if typed == "" || len(typed) > maxLoginBytes {
		a.metrics.refused("login_format")
		show(http.StatusUnprocessableEntity, tr.T("error.loginFormat"), a.formChallenge(c))
		return
	}
	login := normalizeLogin(typed)
	try, refused := a.beginSignin(c, contestantSignin, login)
	if refused != nil {
		refused.answer(a, c, func(err error) { a.internal(c, err) }, show)
		return
	}
	ct, err := store.ContestantByLogin(ctx, a.cfg.Pool, a.cfg.ContestID, login)
	ok := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		password.Hash(c.PostForm("password")) // spend the same time as a real check
	case err != nil:
		try.release()
		a.internal(c, err)
		return
	default:
		if ok, err = password.Check(ct.PasswordHash, c.PostForm("password")); err != nil {
			try.release()
			a.internal(c, err)
			return
		}
	}
	try.finish(a, c, ok)
	if !ok {
		a.metrics.refused("bad_login")
		show(http.StatusUnauthorized, tr.T("error.badLogin"), a.formChallenge(c))
		return
	}
	a.startSession(c, ct.ID, ct.SessionEpoch, a.remembers(c))
	c.Redirect(http.StatusSeeOther, localPath(next, "/"))
}

func (a *App) signout(c *gin.Context) {
	a.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/")
}

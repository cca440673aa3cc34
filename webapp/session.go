package webapp

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/store"
)

const sessionCookie = "contest_session"

// session reads the signed session cookie and says who is signed in, unless the person
// has ended their sessions since it was issued (another device, a password reset).
func (a *App) session(c *gin.Context) {
	if v, err := c.Cookie(sessionCookie); err == nil {
		if s, ok := a.signer.decodeSession(v, a.now()); ok && s.ContestID == a.cfg.ContestID {
			if name, ok := a.epochs.valid(c.Request.Context(), s); ok {
				c.Set("contestantID", s.ContestantID)
				c.Set("who", name)
			}
		}
	}
	c.Next()
}

func contestantID(c *gin.Context) (int64, bool) {
	v, ok := c.Get("contestantID")
	if !ok {
		return 0, false
	}
	id, ok := v.(int64)
	return id, ok
}

// startSession signs a person in on this device. A remembered sign-in lasts RememberTTL
// and survives closing the browser; any other lasts SessionTTL at most and ends with the
// browser (a shared computer in a lab or an office).
func (a *App) startSession(c *gin.Context, id, epoch int64, remember bool) {
	ttl, maxAge := a.cfg.SessionTTL, 0
	if remember && a.cfg.RememberTTL > 0 {
		ttl = a.cfg.RememberTTL
		maxAge = int(ttl.Seconds())
	}
	token := a.signer.encodeSession(session{ContestantID: id, ContestID: a.cfg.ContestID, Expires: a.now().Add(ttl), Epoch: epoch})
	a.setCookie(c, sessionCookie, token, maxAge)
}

// remembers says whether a sign-in or registration form asked to stay signed in.
func (a *App) remembers(c *gin.Context) bool {
	return a.cfg.RememberTTL > 0 && c.PostForm("remember") == "yes"
}

func (a *App) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// requireSignIn sends people who are not signed in to the sign-in page (pages) or answers
// 401 (scripts).
func (a *App) requireSignIn(c *gin.Context) {
	if _, ok := contestantID(c); ok {
		c.Next()
		return
	}
	if c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	a.fail(c, http.StatusUnauthorized, "error.signinRequired")
}

// rememberChoice is the "Ghi nhớ đăng nhập" box of the sign-in and registration forms:
// ticked on a first visit (people mostly use their own phone, and a later round then needs
// no sign-in storm), as the person left it on a form shown again.
type rememberChoice struct {
	Offer   bool
	Checked bool
	Days    int
}

func (a *App) rememberChoice(c *gin.Context) rememberChoice {
	return rememberChoice{
		Offer:   a.cfg.RememberTTL > 0,
		Checked: c.Request.Method == http.MethodGet || c.PostForm("remember") == "yes",
		Days:    int(a.cfg.RememberTTL.Hours() / 24),
	}
}

// signoutEverywhere ends every session of the person, on every device, this one included
// (a phone lent, lost, or a sign-in left open on a shared computer).
func (a *App) signoutEverywhere(c *gin.Context) {
	// The form says what it asks; a post without it (a stray or replayed request) ends nothing.
	if c.PostForm("everywhere") != "yes" {
		a.fail(c, http.StatusUnprocessableEntity, "error.badForm")
		return
	}
	id, _ := contestantID(c)
	_, err := store.EndSessions(c.Request.Context(), a.cfg.Pool, a.cfg.ContestID, id)
	if err != nil {
		a.internal(c, err)
		return
	}
	a.epochs.ended(id)
	a.log(c).Info("signed out everywhere", "contestant", id)
	a.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/signin?ended=1")
}

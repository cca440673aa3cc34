package webapp

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/store"
)

const sessionCookie = "contest_session"

// session reads the signed session cookie and loads who is signed in.
func (a *App) session(c *gin.Context) {
	if v, err := c.Cookie(sessionCookie); err == nil {
		if s, ok := a.signer.decodeSession(v, a.now()); ok && s.ContestID == a.cfg.ContestID {
			c.Set("contestantID", s.ContestantID)
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

// me loads the signed-in contestant (for pages that show who it is).
func (a *App) me(c *gin.Context) *store.Contestant {
	id, ok := contestantID(c)
	if !ok {
		return nil
	}
	if v, ok := c.Get("me"); ok {
		return v.(*store.Contestant)
	}
	ct, err := store.ContestantByID(c.Request.Context(), a.cfg.Pool, a.cfg.ContestID, id)
	if err != nil {
		return nil
	}
	c.Set("me", &ct)
	return &ct
}

func (a *App) startSession(c *gin.Context, id int64) {
	token := a.signer.encodeSession(session{ContestantID: id, ContestID: a.cfg.ContestID, Expires: a.now().Add(a.cfg.SessionTTL)})
	a.setCookie(c, sessionCookie, token, int(a.cfg.SessionTTL.Seconds()))
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

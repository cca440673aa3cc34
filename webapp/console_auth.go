package webapp

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/store"
)

const (
	adminCookie      = "contest_admin"
	adminPasswordTag = "admin-password"
	// adminSessionTTL is a working day: an unattended laptop does not stay signed in.
	adminSessionTTL = 8 * time.Hour
	// MinAdminPasswordLength is the shortest organizer password `contest admin
	// hash-password` accepts.
	MinAdminPasswordLength = 12
	maxAdminPasswordLength = 1024
	maxAdminUsernameBytes  = 128
)

// HashAdminPassword returns the argon2id hash to put in CONTEST_ADMIN_PASSWORD_HASH, in the
// format the console checks.
func HashAdminPassword(pw string) (string, error) {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinAdminPasswordLength:
		return "", errors.New("the organizer password needs at least " + strconv.Itoa(MinAdminPasswordLength) + " characters")
	case len(pw) > maxAdminPasswordLength:
		return "", errors.New("the organizer password is too long (at most " + strconv.Itoa(maxAdminPasswordLength) + " bytes)")
	}
	return password.Hash(pw), nil
}

// credentialTag names the configured password hash without revealing it: a session made
// with one password ends when the Secret holds another.
func (a *App) credentialTag() string {
	return a.signer.mac(adminPasswordTag, a.console.hash)[:16]
}

// adminSession reads the console's own cookie (never the contestant's session) and looks
// the session up on the server, where signing out revokes it.
func (a *App) adminSession(c *gin.Context) {
	token, err := c.Cookie(adminCookie)
	if err != nil || token == "" || len(token) > 64 {
		c.Next()
		return
	}
	s, err := store.ActiveConsoleSession(c.Request.Context(), a.cfg.Pool, token)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		a.consoleInternal(c, err)
		return
	case s.Username == a.console.username && subtle.ConstantTimeCompare([]byte(s.CredentialTag), []byte(a.credentialTag())) == 1:
		c.Set("admin", s.Username)
		c.Set("adminToken", token)
	}
	c.Next()
}

func (a *App) setAdminCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: adminCookie, Value: value, Path: "/admin", MaxAge: maxAge,
		HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
}

func (a *App) requireAdmin(c *gin.Context) {
	if c.GetString("admin") != "" {
		c.Next()
		return
	}
	if c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/admin/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	a.consoleFail(c, http.StatusUnauthorized, "admin.signinRequired")
}

type adminSigninData struct {
	Username  string
	Next      string
	Challenge challenge
}

func (a *App) adminSigninForm(c *gin.Context) {
	if c.GetString("admin") != "" {
		c.Redirect(http.StatusSeeOther, safeAdminNext(c.Query("next")))
		return
	}
	a.showAdminSignin(c, http.StatusOK, "", c.Query("next"), "", a.formChallenge(c))
}

func (a *App) showAdminSignin(c *gin.Context, status int, username, next, pageError string, ch challenge) {
	if len(username) > maxAdminUsernameBytes {
		username = ""
	}
	v := a.newAdminView(c, a.translatorFor(c).T("admin.signin.title"),
		adminSigninData{Username: username, Next: safeAdminNext(next), Challenge: ch})
	v.Error = pageError
	a.renderAdmin(c, status, "admin_signin", v)
}

// safeAdminNext keeps the redirect after sign-in inside the console.
func safeAdminNext(next string) string {
	if next = localPath(next, "/admin"); next != "/admin" && !strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "/admin?") {
		return "/admin"
	}
	return next
}

func (a *App) adminSignin(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	username, pw, next := c.PostForm("username"), c.PostForm("password"), c.PostForm("next")
	show := func(status int, msg string, ch challenge) { a.showAdminSignin(c, status, username, next, msg, ch) }
	if username == "" || len(username) > maxAdminUsernameBytes {
		a.metrics.refused("login_format")
		show(http.StatusUnauthorized, tr.T("admin.signin.bad"), a.formChallenge(c))
		return
	}
	try, refused := a.beginSignin(c, organizerSignin, username)
	if refused != nil {
		refused.answer(a, c, func(err error) { a.consoleInternal(c, err) }, show)
		return
	}
	// Both checks always run, and the usernames are compared as hashes of equal length,
	// so the time taken says nothing about which one was wrong.
	typed, want := sha256.Sum256([]byte(username)), sha256.Sum256([]byte(a.console.username))
	userOK := subtle.ConstantTimeCompare(typed[:], want[:]) == 1
	passOK, err := password.Check(a.console.hash, pw)
	if err != nil {
		try.release()
		a.consoleInternal(c, err)
		return
	}
	try.finish(a, c, userOK && passOK)
	if !userOK || !passOK {
		a.metrics.refused("admin_bad_login")
		a.log(c).Warn("organizer sign-in refused", "ip", c.ClientIP())
		show(http.StatusUnauthorized, tr.T("admin.signin.bad"), a.formChallenge(c))
		return
	}
	token := randomToken(32)
	if err := store.CreateConsoleSession(ctx, a.cfg.Pool, token, store.ConsoleSession{Username: a.console.username, CredentialTag: a.credentialTag()},
		adminSessionTTL, clientNet(c)); err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("organizer signed in", "user", a.console.username, "ip", c.ClientIP())
	a.setAdminCookie(c, token, int(adminSessionTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, safeAdminNext(next))
}

// adminSignout revokes the session on the server, so a copy of the cookie is worthless
// from now on, and clears the cookie.
func (a *App) adminSignout(c *gin.Context) {
	if token := c.GetString("adminToken"); token != "" {
		if err := store.RevokeConsoleSession(c.Request.Context(), a.cfg.Pool, token); err != nil {
			a.consoleInternal(c, err)
			return
		}
		a.log(c).Info("organizer signed out", "user", c.GetString("admin"), "ip", c.ClientIP())
	}
	a.setAdminCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/admin/signin")
}

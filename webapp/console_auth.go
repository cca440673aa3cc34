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
	consoleCookie      = "contest_console"
	consolePasswordTag = "console-password"
	// consoleSessionTTL is a working day: an unattended laptop does not stay signed in.
	consoleSessionTTL = 8 * time.Hour
	// MinConsolePasswordLength is the shortest organizer password `contest admin
	// hash-password` accepts.
	MinConsolePasswordLength = 12
	maxConsolePasswordLength = 1024
	maxConsoleUsernameBytes  = 128
)

// HashConsolePassword returns the argon2id hash to put in CONTEST_ADMIN_PASSWORD_HASH, in the
// format the console checks.
func HashConsolePassword(pw string) (string, error) {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinConsolePasswordLength:
		return "", errors.New("the organizer password needs at least " + strconv.Itoa(MinConsolePasswordLength) + " characters")
	case len(pw) > maxConsolePasswordLength:
		return "", errors.New("the organizer password is too long (at most " + strconv.Itoa(maxConsolePasswordLength) + " bytes)")
	}
	return password.Hash(pw), nil
}

// credentialTag names the configured password hash without revealing it: a session made
// with one password ends when the Secret holds another.
func (a *App) credentialTag() string {
	return a.signer.mac(consolePasswordTag, a.console.hash)[:16]
}

// consoleSession reads the console's own cookie (never the contestant's session) and looks
// the session up on the server, where signing out revokes it.
func (a *App) consoleSession(c *gin.Context) {
	token, err := c.Cookie(consoleCookie)
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
		c.Set("organizer", s.Username)
		c.Set("consoleToken", token)
	}
	c.Next()
}

func (a *App) setConsoleCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: consoleCookie, Value: value, Path: "/console", MaxAge: maxAge,
		HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
}

func (a *App) requireOrganizer(c *gin.Context) {
	if c.GetString("organizer") != "" {
		c.Next()
		return
	}
	if c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/console/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	a.consoleFail(c, http.StatusUnauthorized, "console.signinRequired")
}

type consoleSigninData struct {
	Username  string
	Next      string
	Challenge challenge
}

func (a *App) consoleSigninForm(c *gin.Context) {
	if c.GetString("organizer") != "" {
		c.Redirect(http.StatusSeeOther, safeConsoleNext(c.Query("next")))
		return
	}
	a.showConsoleSignin(c, http.StatusOK, "", c.Query("next"), "", a.formChallenge(c))
}

func (a *App) showConsoleSignin(c *gin.Context, status int, username, next, pageError string, ch challenge) {
	if len(username) > maxConsoleUsernameBytes {
		username = ""
	}
	v := a.newConsoleView(c, a.translatorFor(c).T("console.signin.title"),
		consoleSigninData{Username: username, Next: safeConsoleNext(next), Challenge: ch})
	v.Error = pageError
	a.renderConsole(c, status, "console_signin", v)
}

// safeConsoleNext keeps the redirect after sign-in inside the console.
func safeConsoleNext(next string) string {
	if next = localPath(next, "/console"); next != "/console" && !strings.HasPrefix(next, "/console/") && !strings.HasPrefix(next, "/console?") {
		return "/console"
	}
	return next
}

func (a *App) consoleSignin(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	username, pw, next := c.PostForm("username"), c.PostForm("password"), c.PostForm("next")
	show := func(status int, msg string, ch challenge) { a.showConsoleSignin(c, status, username, next, msg, ch) }
	if username == "" || len(username) > maxConsoleUsernameBytes {
		a.metrics.refused("login_format")
		show(http.StatusUnauthorized, tr.T("console.signin.bad"), a.formChallenge(c))
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
		a.metrics.refused("console_bad_login")
		a.log(c).Warn("organizer sign-in refused", "ip", c.ClientIP())
		show(http.StatusUnauthorized, tr.T("console.signin.bad"), a.formChallenge(c))
		return
	}
	token := randomToken(32)
	if err := store.CreateConsoleSession(ctx, a.cfg.Pool, token, store.ConsoleSession{Username: a.console.username, CredentialTag: a.credentialTag()},
		consoleSessionTTL, clientNet(c)); err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("organizer signed in", "user", a.console.username, "ip", c.ClientIP())
	a.setConsoleCookie(c, token, int(consoleSessionTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, safeConsoleNext(next))
}

// consoleSignout revokes the session on the server, so a copy of the cookie is worthless
// from now on, and clears the cookie.
func (a *App) consoleSignout(c *gin.Context) {
	if token := c.GetString("consoleToken"); token != "" {
		if err := store.RevokeConsoleSession(c.Request.Context(), a.cfg.Pool, token); err != nil {
			a.consoleInternal(c, err)
			return
		}
		a.log(c).Info("organizer signed out", "user", c.GetString("organizer"), "ip", c.ClientIP())
	}
	a.setConsoleCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/console/signin")
}

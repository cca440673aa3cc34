package webapp

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/store"
)

const (
	consoleCookie = "contest_console"
	// consoleSessionTTL is a working day: an unattended laptop does not stay signed in.
	consoleSessionTTL     = 8 * time.Hour
	maxConsoleUsernameLen = 128
)

// consoleSession reads the console's own cookie (never the contestant's session) and looks
// the session up on the server with its account: a session ends when it is revoked (sign
// out), when the account is disabled, and when its password changes.
func (a *App) consoleSession(c *gin.Context) {
	token, err := c.Cookie(consoleCookie)
	if err != nil || token == "" || len(token) > 64 {
		c.Next()
		return
	}
	s, err := store.ActiveConsoleSession(c.Request.Context(), a.consoleDB(), token)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		a.consoleInternal(c, err)
		return
	default:
		c.Set("organizer", s.Organizer.Username)
		c.Set("organizerRole", s.Organizer.Role)
		c.Set("consoleToken", token)
		c.Set("mustChangePassword", s.Organizer.MustChangePassword)
	}
	c.Next()
}

func (a *App) setConsoleCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: consoleCookie, Value: value, Path: "/console", MaxAge: maxAge,
		HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// requireOrganizer lets signed-in organizers through; one still holding a one-time
// password is sent to replace it first.
func (a *App) requireOrganizer(c *gin.Context) {
	if c.GetString("organizer") == "" {
		if c.Request.Method == http.MethodGet {
			c.Redirect(http.StatusSeeOther, "/console/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		a.consoleFail(c, http.StatusUnauthorized, "console.signinRequired")
		return
	}
	if c.GetBool("mustChangePassword") && c.FullPath() != "/console/password" {
		c.Redirect(http.StatusSeeOther, "/console/password")
		c.Abort()
		return
	}
	c.Next()
}

// can lets through organizers whose role has the permission, and tells the others which
// role they would need.
func (a *App) can(p organizer.Permission) gin.HandlerFunc {
	return func(c *gin.Context) {
		if organizer.Role(c.GetString("organizerRole")).Can(p) {
			c.Next()
			return
		}
		a.metrics.refused("console_forbidden")
		tr := a.translatorFor(c)
		a.consoleFail(c, http.StatusForbidden, "console.forbidden", tr.T("console.role."+string(organizer.Needs(p))))
	}
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
	if len(username) > maxConsoleUsernameLen {
		username = ""
	}
	v := a.newConsoleView(c, a.translatorFor(c).T("console.signin.title"),
		consoleSigninData{Username: username, Next: safeConsoleNext(next), Challenge: ch})
	v.Error = pageError
	if exists, err := store.OrganizersExist(c.Request.Context(), a.consoleDB()); err == nil && !exists {
		v.Notice = v.T("console.noAccounts")
	}
	a.renderConsole(c, status, "console_signin", v)
}

// safeConsoleNext keeps the redirect after sign-in inside the console.
func safeConsoleNext(next string) string {
	if next = localPath(next, "/console"); next != "/console" && !strings.HasPrefix(next, "/console/") && !strings.HasPrefix(next, "/console?") {
		return "/console"
	}
	return next
}

// unknownOrganizerHash is checked when no enabled account has the typed username, so the
// time taken says nothing about which usernames exist.
var unknownOrganizerHash = password.Hash("no such organizer account")

func (a *App) consoleSignin(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	username, pw, next := strings.TrimSpace(c.PostForm("username")), c.PostForm("password"), c.PostForm("next")
	show := func(status int, msg string, ch challenge) { a.showConsoleSignin(c, status, username, next, msg, ch) }
	if username == "" || len(username) > maxConsoleUsernameLen {
		a.metrics.refused("login_format")
		show(http.StatusUnauthorized, tr.T("console.signin.bad"), a.formChallenge(c))
		return
	}
	try, refused := a.beginSignin(c, organizerSignin, username)
	if refused != nil {
		refused.answer(a, c, func(err error) { a.consoleInternal(c, err) }, show)
		return
	}
	o, err := store.OrganizerByUsername(ctx, a.consoleDB(), username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		try.release()
		a.consoleInternal(c, err)
		return
	}
	hash := unknownOrganizerHash
	if err == nil && o.Active() {
		hash = o.PasswordHash
	}
	ok, err := password.Check(hash, pw)
	if err != nil {
		try.release()
		a.consoleInternal(c, err)
		return
	}
	ok = ok && o.ID != 0 && o.Active()
	try.finish(a, c, ok)
	if !ok {
		a.metrics.refused("console_bad_login")
		a.log(c).Warn("organizer sign-in refused", "ip", c.ClientIP())
		show(http.StatusUnauthorized, tr.T("console.signin.bad"), a.formChallenge(c))
		return
	}
	token := randomToken(32)
	err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		if err := store.CreateConsoleSession(ctx, tx, token, o, consoleSessionTTL, clientNet(c)); err != nil {
			return err
		}
		if err := store.NoteSignIn(ctx, tx, o.ID); err != nil {
			return err
		}
		return a.auditAs(c, tx, o.Username, o.Role, auditEntry{Action: organizer.ActionSignIn})
	})
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("organizer signed in", "user", o.Username, "role", o.Role, "ip", c.ClientIP())
	a.setConsoleCookie(c, token, int(consoleSessionTTL.Seconds()))
	if o.MustChangePassword {
		c.Redirect(http.StatusSeeOther, "/console/password")
		return
	}
	c.Redirect(http.StatusSeeOther, safeConsoleNext(next))
}

// consoleSignout revokes the session on the server, so a copy of the cookie is worthless
// from now on, and clears the cookie.
func (a *App) consoleSignout(c *gin.Context) {
	ctx := c.Request.Context()
	if token := c.GetString("consoleToken"); token != "" {
		err := store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
			if err := store.RevokeConsoleSession(ctx, tx, token); err != nil {
				return err
			}
			return a.audit(c, tx, auditEntry{Action: organizer.ActionSignOut})
		})
		if err != nil {
			a.consoleInternal(c, err)
			return
		}
		a.log(c).Info("organizer signed out", "user", c.GetString("organizer"), "ip", c.ClientIP())
	}
	a.setConsoleCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/console/signin")
}

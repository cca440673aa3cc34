package webapp

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/store"
)

const (
	adminCookie         = "contest_admin"
	adminSessionPurpose = "admin-session"
	adminCSRFPurpose    = "admin-csrf"
	adminPasswordTag    = "admin-password"
	// adminSessionTTL is a working day: an unattended laptop does not stay signed in.
	adminSessionTTL = 8 * time.Hour
	// Failed sign-ins are counted per typed username across replicas, fewer than for a
	// contestant: this one account can publish results.
	adminFailedSignIns = 5
	adminFailWindow    = 15 * time.Minute
	// adminFormMemory is how much of a multipart form is kept in memory; the rest of an
	// uploaded file goes to a temporary file.
	adminFormMemory = 8 << 20
	// MinAdminPasswordLength is the shortest organizer password `contest admin
	// hash-password` accepts.
	MinAdminPasswordLength = 12
	maxAdminPasswordLength = 1024
)

// HashAdminPassword returns the argon2id hash to put in CONTEST_ADMIN_PASSWORD_HASH, in the
// format the console checks.
func HashAdminPassword(password string) (string, error) {
	switch n := utf8.RuneCountInString(password); {
	case n < MinAdminPasswordLength:
		return "", errors.New("the organizer password needs at least " + strconv.Itoa(MinAdminPasswordLength) + " characters")
	case len(password) > maxAdminPasswordLength:
		return "", errors.New("the organizer password is too long (at most " + strconv.Itoa(maxAdminPasswordLength) + " bytes)")
	}
	return hashPassword(password), nil
}

// adminFingerprint binds sessions to the configured password hash: changing the password
// (the Secret) signs every organizer out.
func (a *App) adminFingerprint() string {
	return a.signer.mac(adminPasswordTag, a.console.hash)[:16]
}

func (a *App) encodeAdminSession(expires time.Time) string {
	return a.signer.sign(adminSessionPurpose, strconv.FormatInt(expires.Unix(), 10)+"|"+a.adminFingerprint())
}

func (a *App) adminSessionValid(token string) bool {
	value, ok := a.signer.verify(adminSessionPurpose, token)
	if !ok {
		return false
	}
	exp, fp, ok := strings.Cut(value, "|")
	if !ok {
		return false
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !a.now().Before(time.Unix(unix, 0)) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(fp), []byte(a.adminFingerprint())) == 1
}

// adminSession reads the console's own cookie; it is never the contestant's session.
func (a *App) adminSession(c *gin.Context) {
	if v, err := c.Cookie(adminCookie); err == nil && a.adminSessionValid(v) {
		c.Set("admin", a.console.username)
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

// adminCSRF is the contestant pages' CSRF scheme (a per-browser id in a cookie, the
// token its HMAC) with its own purpose, so a token from a contestant page is no good
// here. It reads the whole form first, so a body over the limit is reported as such.
func (a *App) adminCSRF(c *gin.Context) {
	expected := a.csrfToken(c, adminCSRFPurpose)
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	if err := parseConsoleForm(c.Request); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			a.consoleFail(c, http.StatusRequestEntityTooLarge, "admin.bank.tooLarge", consoleBodyLimit>>20)
			return
		}
		a.consoleFail(c, http.StatusBadRequest, "admin.badForm")
		return
	}
	got := c.GetHeader(csrfHeader)
	if got == "" {
		got = c.PostForm(csrfField)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(expected)) != 1 || !sameOrigin(c.Request) {
		a.metrics.refused("csrf")
		a.consoleFail(c, http.StatusForbidden, "error.csrf")
		return
	}
	c.Next()
}

func parseConsoleForm(r *http.Request) error {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		return r.ParseMultipartForm(adminFormMemory)
	}
	return r.ParseForm()
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
	a.showAdminSignin(c, http.StatusOK, "", c.Query("next"), "")
}

func (a *App) showAdminSignin(c *gin.Context, status int, username, next, pageError string) {
	v := a.newAdminView(c, a.translatorFor(c).T("admin.signin.title"),
		adminSigninData{Username: username, Next: safeAdminNext(next), Challenge: a.newChallenge()})
	v.Error = pageError
	a.renderAdmin(c, status, "admin_signin", v)
}

// safeAdminNext keeps the redirect after sign-in inside the console.
func safeAdminNext(next string) string {
	if next = safeNext(next); next != "/admin" && !strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "/admin?") {
		return "/admin"
	}
	return next
}

func (a *App) adminSignin(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	username, password, next := c.PostForm("username"), c.PostForm("password"), c.PostForm("next")
	if len(username) > 256 {
		username = username[:256]
	}
	if err := a.checkChallenge(ctx, c.PostForm("challenge"), c.PostForm("work"), c.PostForm("sum")); err != nil {
		a.challengeFailed(c, err, func(msg string) { a.showAdminSignin(c, http.StatusUnprocessableEntity, username, next, msg) })
		return
	}
	key := "admin-signin-fail:" + a.cfg.ContestID + ":" + username
	fails, err := store.Hits(ctx, a.cfg.Pool, key, adminFailWindow)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	if fails >= adminFailedSignIns {
		a.metrics.refused("admin_locked")
		a.showAdminSignin(c, http.StatusTooManyRequests, username, next, tr.T("admin.signin.locked"))
		return
	}
	// Both checks always run, and the usernames are compared as hashes of equal length,
	// so the time taken says nothing about which one was wrong.
	typed, want := sha256.Sum256([]byte(username)), sha256.Sum256([]byte(a.console.username))
	userOK := subtle.ConstantTimeCompare(typed[:], want[:]) == 1
	passOK, err := checkPassword(a.console.hash, password)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	if !userOK || !passOK {
		if _, err := store.Hit(ctx, a.cfg.Pool, key, adminFailWindow, adminFailedSignIns); err != nil {
			a.consoleInternal(c, err)
			return
		}
		a.metrics.refused("admin_bad_login")
		a.log(c).Warn("organizer sign-in refused", "ip", c.ClientIP())
		a.showAdminSignin(c, http.StatusUnauthorized, username, next, tr.T("admin.signin.bad"))
		return
	}
	a.log(c).Info("organizer signed in", "user", a.console.username, "ip", c.ClientIP())
	a.setAdminCookie(c, a.encodeAdminSession(a.now().Add(adminSessionTTL)), int(adminSessionTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, safeAdminNext(next))
}

func (a *App) adminSignout(c *gin.Context) {
	a.setAdminCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/admin/signin")
}

package webapp

import (
	"context"
	"crypto/hmac"
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
)

// codeData is what the code page shows.
type codeData struct {
	Login    string
	Minutes  int
	Digits   int
	Helpdesk string
}

func (a *App) showCode(c *gin.Context, status int, d codeData, pageError, notice string) {
	if len(d.Login) > maxLoginBytes {
		d.Login = ""
	}
	d.Minutes, d.Digits, d.Helpdesk = int(codeTTL.Minutes()), codeDigits, a.cfg.HelpdeskContact
	v := a.newView(c, a.translatorFor(c).T("recovery.code.title"), d)
	v.Error, v.Notice = pageError, notice
	a.render(c, status, "recover_code", v)
}

func (a *App) codeForm(c *gin.Context) {
	a.showCode(c, http.StatusOK, codeData{}, "", "")
}

// codeCheck takes a login and a code (from an SMS or the helpdesk) and, when they match,
// shows the page to choose the new password, with a fresh link in place of the code. Tries
// are counted before they are checked: per login whether or not it has a code, and per
// code in the database (store.TryResetCode); a wrong code also counts against the network.
func (a *App) codeCheck(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	typed := c.PostForm("login")
	wrong := func(status int, code string, args ...any) {
		a.showCode(c, status, codeData{Login: typed}, tr.T(code, args...), "")
	}
	if typed == "" || len(typed) > maxLoginBytes {
		a.metrics.refused("recovery_login")
		wrong(http.StatusUnprocessableEntity, "error.loginFormat")
		return
	}
	login := normalizeLogin(typed)
	tries, err := store.Count(ctx, a.cfg.Pool, store.Counter{Key: store.CounterKey("recover-code", login), Window: codeTriesWindow})
	if err != nil {
		a.internal(c, err)
		return
	}
	if tries > codeTriesPerLogin {
		a.metrics.refused("recovery_code_limit")
		c.Header("Retry-After", strconv.Itoa(int(codeTriesWindow.Seconds())))
		wrong(http.StatusTooManyRequests, "recovery.error.codeLimit", int(codeTriesWindow.Minutes()))
		return
	}
	code, ok := normalizeCode(c.PostForm("code"))
	if !ok {
		a.metrics.refused("recovery_code_format")
		wrong(http.StatusUnprocessableEntity, "recovery.error.codeFormat", codeDigits)
		return
	}
	reset, err := a.tryCode(ctx, login, code)
	switch {
	case errors.Is(err, store.ErrNotFound):
		a.metrics.refused("recovery_code_wrong")
		a.suspect(c)
		wrong(http.StatusUnprocessableEntity, "recovery.error.code")
		return
	case err != nil:
		a.internal(c, err)
		return
	}
	a.log(c).Info("recovery: code accepted", "contestant", reset.ContestantID, "channel", reset.Channel)
	a.showReset(c, http.StatusOK, resetData{Token: reset.token, Account: person.MaskPhone(reset.phone)}, nil, "")
}

// checkedCode is a code that matched, exchanged for a link.
type checkedCode struct {
	store.PasswordReset
	token, phone string
}

// tryCode checks code against the live code of login's contestant and exchanges it for a
// link; ErrNotFound when there is no such contestant, no live code, or the code differs.
func (a *App) tryCode(ctx context.Context, login, code string) (checkedCode, error) {
	ct, err := store.ContestantByLogin(ctx, a.cfg.Pool, a.cfg.ContestID, login)
	if err != nil {
		return checkedCode{}, err
	}
	now := a.now()
	r, err := store.TryResetCode(ctx, a.cfg.Pool, a.cfg.ContestID, ct.ID, maxCodeTries, now)
	if err != nil {
		return checkedCode{}, err
	}
	if !hmac.Equal(r.SecretHash, a.codeHash(ct.ID, code)) {
		return checkedCode{}, store.ErrNotFound
	}
	token := randomToken(32)
	if err := store.ExchangeResetCode(ctx, a.cfg.Pool, a.cfg.ContestID, r.ID, store.NewPasswordReset{ContestantID: ct.ID,
		SecretHash: a.linkHash(token), Now: now, Expires: now.Add(chooseTTL)}); err != nil {
		return checkedCode{}, err
	}
	return checkedCode{PasswordReset: r, token: token, phone: ct.Phone}, nil
}

// resetData is what the page to choose a new password shows; without a Token it says the
// link cannot be used.
type resetData struct {
	Token    string
	Account  string
	Helpdesk string
}

func (a *App) showReset(c *gin.Context, status int, d resetData, fieldErrors map[string]string, pageError string) {
	// The page's address may hold the link's token: no page it leads to gets it as referrer.
	c.Header("Referrer-Policy", "no-referrer")
	d.Helpdesk = a.cfg.HelpdeskContact
	v := a.newView(c, a.translatorFor(c).T("recovery.reset.title"), d)
	v.FieldErrors, v.Error = fieldErrors, pageError
	a.render(c, status, "reset", v)
}

// liveLink finds the live link of token, and its contestant's masked phone for the page.
func (a *App) liveLink(ctx context.Context, token string) (string, error) {
	if token == "" || len(token) > maxTokenBytes {
		return "", store.ErrNotFound
	}
	r, err := store.LiveResetLink(ctx, a.cfg.Pool, a.cfg.ContestID, a.linkHash(token), a.now())
	if err != nil {
		return "", err
	}
	ct, err := store.ContestantByID(ctx, a.cfg.Pool, a.cfg.ContestID, r.ContestantID)
	if err != nil {
		return "", err
	}
	return person.MaskPhone(ct.Phone), nil
}

// resetForm shows the page a link opens. It spends nothing: mail scanners open links.
func (a *App) resetForm(c *gin.Context) {
	token := c.Query("token")
	account, err := a.liveLink(c.Request.Context(), token)
	switch {
	case errors.Is(err, store.ErrNotFound):
		a.metrics.refused("recovery_link_dead")
		a.showReset(c, http.StatusGone, resetData{}, nil, "")
	case err != nil:
		a.internal(c, err)
	default:
		a.showReset(c, http.StatusOK, resetData{Token: token, Account: account}, nil, "")
	}
}

// resetPassword sets the new password: the link is checked before any hashing (a stranger
// spends no argon2id), the hash is made within the app's memory budget for hashing, then
// the link is spent, the password changed and the person's other resets revoked in one
// transaction. The person is then signed in, as after registering: the link proved they
// hold the phone or the mailbox, and asking for the password again at once would only
// lose people on slow phones.
func (a *App) resetPassword(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	token, password1, password2 := c.PostForm("token"), c.PostForm("password"), c.PostForm("password2")
	account, err := a.liveLink(ctx, token)
	switch {
	case errors.Is(err, store.ErrNotFound):
		a.metrics.refused("recovery_link_dead")
		a.showReset(c, http.StatusGone, resetData{}, nil, "")
		return
	case err != nil:
		a.internal(c, err)
		return
	}
	errs := map[string]string{}
	switch n := utf8.RuneCountInString(password1); {
	case n < minPasswordRunes:
		errs["password"] = tr.T("error.password.short")
	case n > maxPasswordRunes:
		errs["password"] = tr.T("error.password.long")
	case password1 != password2:
		errs["password2"] = tr.T("error.password.mismatch")
	}
	if len(errs) > 0 {
		a.metrics.refused("recovery_password_invalid")
		a.showReset(c, http.StatusUnprocessableEntity, resetData{Token: token, Account: account}, errs, tr.T("error.fixBelow"))
		return
	}
	hash, err := a.hashes.Hash(ctx, password1)
	if errors.Is(err, password.ErrBusy) {
		a.metrics.refused("busy")
		c.Header("Retry-After", strconv.Itoa(busyRetryAfter(err)))
		a.showReset(c, http.StatusServiceUnavailable, resetData{Token: token, Account: account}, nil, tr.T("error.busy"))
		return
	}
	if err != nil {
		a.internal(c, err)
		return
	}
	spent, err := store.ResetPassword(ctx, a.cfg.Pool, a.cfg.ContestID, a.linkHash(token), hash, a.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		// A concurrent use of the same link won.
		a.metrics.refused("recovery_link_dead")
		a.showReset(c, http.StatusGone, resetData{}, nil, "")
		return
	case err != nil:
		a.internal(c, err)
		return
	}
	a.recovery.metrics.resets.WithLabelValues(spent.Channel).Inc()
	a.log(c).Info("recovery: password reset", "contestant", spent.ContestantID, "channel", spent.Channel)
	// The reset ended every earlier session; this one carries the new epoch.
	epoch, err := store.SessionEpoch(ctx, a.cfg.Pool, a.cfg.ContestID, spent.ContestantID)
	if err != nil {
		a.internal(c, err)
		return
	}
	a.epochs.ended(spent.ContestantID)
	a.startSession(c, spent.ContestantID, epoch, false)
	c.Redirect(http.StatusSeeOther, "/?reset=1")
}

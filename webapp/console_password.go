package webapp

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/store"
)

// An organizer changes their own password: always possible once signed in, and required
// before anything else while the password is a one-time one.

func (a *App) consolePasswordForm(c *gin.Context) {
	a.showPassword(c, http.StatusOK, nil, "")
}

func (a *App) showPassword(c *gin.Context, status int, fieldErrors map[string]string, pageError string) {
	tr := a.translatorFor(c)
	v := a.newConsoleView(c, tr.T("console.password.title"), c.GetBool("mustChangePassword"))
	v.FieldErrors, v.Error = fieldErrors, pageError
	a.renderConsole(c, status, "console_password", v)
}

func (a *App) consoleChangePassword(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	current, next, again := c.PostForm("current"), c.PostForm("new"), c.PostForm("again")
	errs := map[string]string{}
	if err := organizer.CheckPassword(next); err != nil {
		errs["new"] = tr.T("console.password.weak", organizer.MinPasswordLength)
	} else if next != again {
		errs["again"] = tr.T("error.password.mismatch")
	} else if next == current {
		errs["new"] = tr.T("console.password.same")
	}
	if len(errs) > 0 {
		a.showPassword(c, http.StatusUnprocessableEntity, errs, tr.T("error.fixBelow"))
		return
	}
	o, err := store.OrganizerByUsername(ctx, a.consoleDB(), c.GetString("organizer"))
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	ok, err := a.hashes.Check(ctx, o.PasswordHash, current)
	if err != nil {
		a.hashFailed(c, err)
		return
	}
	if !ok {
		a.metrics.refused("console_bad_password")
		a.showPassword(c, http.StatusUnauthorized, map[string]string{"current": tr.T("console.password.wrong")}, tr.T("console.password.wrong"))
		return
	}
	hash, err := a.hashes.Hash(ctx, next)
	if err != nil {
		a.hashFailed(c, err)
		return
	}
	// The new password ends every session made with the old one; this browser gets a new
	// session at once.
	token := randomToken(32)
	err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		_, after, err := store.ChangeOrganizer(ctx, tx, o.Username, store.OrganizerChange{PasswordHash: &hash})
		if err != nil {
			return err
		}
		if err := store.CreateConsoleSession(ctx, tx, token, after, consoleSessionTTL, clientNet(c)); err != nil {
			return err
		}
		return a.audit(c, tx, auditEntry{Action: organizer.ActionAccountPassword, Target: o.Username})
	})
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.setConsoleCookie(c, token, int(consoleSessionTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, "/console")
}

// hashFailed answers a password check that could not run: busy (503, try again), or else.
func (a *App) hashFailed(c *gin.Context, err error) {
	if r := a.busyRefusal(err, 0); r.err == nil {
		c.Header("Retry-After", strconv.Itoa(r.retryAfter))
		a.consoleFail(c, http.StatusServiceUnavailable, "error.busy")
		return
	}
	a.consoleInternal(c, err)
}

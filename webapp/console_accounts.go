package webapp

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Organizer accounts, managed by admins: each person of the committee has their own, with
// the role their work needs. A new account and a reset password get a one-time password,
// shown once, that its owner must replace at the first sign-in.

type accountsData struct {
	Accounts []store.Organizer
	Roles    []organizer.Role
	Form     accountForm
	Me       string
}

type accountForm struct {
	Username string
	Role     string
}

func (a *App) consoleAccounts(c *gin.Context) {
	a.showAccounts(c, http.StatusOK, accountForm{Role: string(organizer.Viewer)}, nil, "")
}

func (a *App) showAccounts(c *gin.Context, status int, form accountForm, fieldErrors map[string]string, pageError string) {
	list, err := store.ListOrganizers(c.Request.Context(), a.consoleDB())
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	v := a.newConsoleView(c, a.translatorFor(c).T("console.accounts.title"),
		accountsData{Accounts: list, Roles: organizer.Roles(), Form: form, Me: c.GetString("organizer")})
	v.FieldErrors, v.Error = fieldErrors, pageError
	if c.Query("done") != "" {
		v.Notice = v.T("console.accounts.done." + c.Query("done"))
	}
	a.renderConsole(c, status, "console_accounts", v)
}

type accountCreated struct {
	Username string
	Password string
	Reset    bool
}

func (a *App) consoleCreateAccount(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	form := accountForm{Username: strings.ToLower(strings.TrimSpace(c.PostForm("username"))), Role: c.PostForm("role")}
	errs := map[string]string{}
	if organizer.CheckUsername(form.Username) != nil {
		errs["username"] = tr.T("console.accounts.badUsername")
	}
	role, err := organizer.ParseRole(form.Role)
	if err != nil {
		errs["role"] = tr.T("console.accounts.badRole")
	}
	if len(errs) > 0 {
		a.showAccounts(c, http.StatusUnprocessableEntity, form, errs, tr.T("error.fixBelow"))
		return
	}
	pw := organizer.OneTimePassword()
	hash, err := a.hashes.Hash(ctx, pw)
	if err != nil {
		a.hashFailed(c, err)
		return
	}
	err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		o, err := store.CreateOrganizer(ctx, tx, store.Organizer{Username: form.Username, Role: string(role), PasswordHash: hash,
			MustChangePassword: true, Source: store.SourceConsole, CreatedBy: c.GetString("organizer")})
		if err != nil {
			return err
		}
		return a.audit(c, tx, auditEntry{Action: organizer.ActionAccountCreate, Target: o.Username, After: o})
	})
	if errors.Is(err, store.ErrOrganizerExists) {
		errs["username"] = tr.T("console.accounts.exists")
		a.showAccounts(c, http.StatusConflict, form, errs, errs["username"])
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("organizer account created", "user", form.Username, "role", role, "by", c.GetString("organizer"))
	a.renderConsole(c, http.StatusOK, "console_account_created",
		a.newConsoleView(c, tr.T("console.accounts.created.title"), accountCreated{Username: form.Username, Password: pw}))
}

// consoleChangeAccount changes a role, disables or enables an account, or resets its
// password; every change is audited with the account before and after.
func (a *App) consoleChangeAccount(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	username := c.Param("username")
	me := c.GetString("organizer")
	change := store.OrganizerChange{KeepAnAdmin: true}
	var oneTime string
	action := c.PostForm("action")
	switch action {
	case "role":
		role, err := organizer.ParseRole(c.PostForm("role"))
		if err != nil {
			a.consoleFail(c, http.StatusUnprocessableEntity, "console.accounts.badRole")
			return
		}
		r := string(role)
		change.Role = &r
	case "disable":
		change.Disable = true
	case "enable":
		change.Enable = true
	case "reset":
		oneTime = organizer.OneTimePassword()
		hash, err := a.hashes.Hash(ctx, oneTime)
		if err != nil {
			a.hashFailed(c, err)
			return
		}
		change.PasswordHash, change.MustChange = &hash, true
	default:
		a.consoleFail(c, http.StatusBadRequest, "console.badForm")
		return
	}
	if username == me && action != "reset" {
		// One's own rights are changed by another admin: nobody locks themselves out by a
		// slip of the mouse.
		a.consoleFail(c, http.StatusConflict, "console.accounts.notYourself")
		return
	}
	err := store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		before, after, err := store.ChangeOrganizer(ctx, tx, username, change)
		if err != nil {
			return err
		}
		return a.audit(c, tx, auditEntry{Action: "account." + action, Target: username, Before: before, After: after})
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		a.consoleFail(c, http.StatusNotFound, "console.accounts.notFound")
		return
	case errors.Is(err, store.ErrLastAdmin):
		a.consoleFail(c, http.StatusConflict, "console.accounts.lastAdmin")
		return
	case err != nil:
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("organizer account changed", "user", username, "action", action, "by", me)
	if oneTime != "" {
		a.renderConsole(c, http.StatusOK, "console_account_created",
			a.newConsoleView(c, tr.T("console.accounts.reset.title"), accountCreated{Username: username, Password: oneTime, Reset: true}))
		return
	}
	c.Redirect(http.StatusSeeOther, "/console/accounts?done="+action)
}

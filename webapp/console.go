package webapp

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
)

// The organizer console at /console: personal organizer accounts with roles (viewer,
// editor, admin; internal/organizer), sessions kept on the server, its own cookie and
// pages, and an append-only audit log of every action.

// console holds the console's templates.
type console struct {
	pages map[string]*template.Template
}

// consolePages are the templates under templates/, each rendered inside console_layout.html.
var consolePages = []string{"console_signin", "console_dashboard", "console_banks", "console_bank", "console_round",
	"console_error", "console_accounts", "console_account_created", "console_password", "console_audit", "console_eligibility", "console_helpdesk", "console_helpdesk_code",
	"console_units", "console_spellings", "console_spelling", "console_share", "console_corrections", "console_items",
	"console_integrity"}

func newConsole(funcs template.FuncMap) (*console, error) {
	funcs = maps.Clone(funcs)
	funcs["dict"] = dict
	con := &console{pages: map[string]*template.Template{}}
	for _, name := range consolePages {
		// layout.html is parsed for its shared blocks (the anti-robot challenge).
		t, err := template.New("console_layout.html").Funcs(funcs).ParseFS(embedded,
			"templates/console_layout.html", "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		con.pages[name] = t
	}
	return con, nil
}

// isConsolePath says whether a path belongs to the console (its pages answer errors).
func isConsolePath(p string) bool { return p == "/console" || strings.HasPrefix(p, "/console/") }

func (a *App) consoleRoutes(r *gin.Engine) {
	g := r.Group("/console", a.consoleHeaders, a.consoleDeadline, a.consoleSession)
	g.GET("/signin", a.consoleSigninForm)
	g.POST("/signin", a.consoleSignin)
	g.POST("/signout", a.consoleSignout)

	in := g.Group("", a.requireOrganizer)
	in.GET("/password", a.consolePasswordForm)
	in.POST("/password", a.consoleChangePassword)
	in.GET("", a.can(organizer.SeeStatistics), a.consoleDashboard)
	in.GET("/rounds/:round", a.can(organizer.SeeStatistics), a.consoleRound)
	in.GET("/rounds/:round/items", a.can(organizer.SeeStatistics), a.consoleItems)
	in.GET("/share", a.can(organizer.SeeStatistics), a.consoleShare)
	in.GET("/rounds/:round/report.xlsx", a.can(organizer.DownloadReports), a.consoleReportXLSX)
	in.GET("/rounds/:round/report-csv.zip", a.can(organizer.DownloadReports), a.consoleReportCSV)
	in.GET("/rounds/:round/daily.xlsx", a.can(organizer.DownloadReports), a.consoleDailyXLSX)
	in.GET("/rounds/:round/daily-csv.zip", a.can(organizer.DownloadReports), a.consoleDailyCSV)
	in.GET("/rounds/:round/certificates.pdf", a.can(organizer.DownloadReports), a.consoleCertificates)
	in.POST("/rounds/:round/publish", a.can(organizer.Publish), a.consolePublish)
	in.POST("/rounds/:round/unpublish", a.can(organizer.Publish), a.consoleUnpublish)
	in.POST("/rounds/:round/rerank", a.can(organizer.Rerank), a.consoleRerank)
	in.GET("/rounds/:round/corrections", a.can(organizer.CorrectKeys), a.consoleCorrections)
	in.POST("/rounds/:round/corrections/preview", a.can(organizer.CorrectKeys), a.consolePreviewCorrection)
	in.POST("/rounds/:round/corrections", a.can(organizer.CorrectKeys), a.consoleApplyCorrection)
	in.GET("/banks", a.can(organizer.EditBanks), a.consoleBanks)
	in.POST("/banks", a.can(organizer.EditBanks), a.consoleUploadBank)
	in.GET("/banks/:name/:version", a.can(organizer.EditBanks), a.consoleBank)
	in.GET("/helpdesk", a.can(organizer.Helpdesk), a.consoleHelpdesk)
	in.POST("/helpdesk", a.can(organizer.Helpdesk), a.consoleHelpdeskLookup)
	in.POST("/helpdesk/code", a.can(organizer.Helpdesk), a.consoleHelpdeskCode)
	in.GET("/units", a.can(organizer.EditUnits), a.consoleUnits)
	in.POST("/units", a.can(organizer.EditUnits), a.consoleUploadUnits)
	in.GET("/units/spellings", a.can(organizer.EditUnits), a.consoleSpellings)
	in.GET("/units/spelling", a.can(organizer.EditUnits), a.consoleSpelling)
	in.POST("/units/spellings/map", a.can(organizer.EditUnits), a.consoleMapSpelling)
	in.POST("/units/spellings/unmap", a.can(organizer.EditUnits), a.consoleUnmapSpelling)
	in.GET("/accounts", a.can(organizer.ManageAccounts), a.consoleAccounts)
	in.POST("/accounts", a.can(organizer.ManageAccounts), a.consoleCreateAccount)
	in.POST("/accounts/:username", a.can(organizer.ManageAccounts), a.consoleChangeAccount)
	in.GET("/eligibility", a.can(organizer.DecideEligibility), a.consoleEligibility)
	in.POST("/eligibility/:id", a.can(organizer.DecideEligibility), a.consoleSetEligibility)
	in.GET("/integrity", a.can(organizer.ReviewIntegrity), a.consoleIntegrity)
	in.POST("/integrity/:id", a.can(organizer.ReviewIntegrity), a.consoleIntegrityDecide)
	in.GET("/audit", a.can(organizer.ReadAudit), a.consoleAudit)
	in.GET("/audit.csv", a.can(organizer.ReadAudit), a.consoleAuditCSV)
	in.GET("/audit.xlsx", a.can(organizer.ReadAudit), a.consoleAuditXLSX)
}

// consoleHeaders keeps the console out of search engines.
func (a *App) consoleHeaders(c *gin.Context) {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	c.Next()
}

// consoleView is what every console template receives: the common view and who is signed in.
type consoleView struct {
	*view
	Organizer string
	Role      organizer.Role
	// Warnings are shown as a banner on every console page.
	Warnings []string
	// RefreshSeconds, when set, reloads the page (a round being ranked).
	RefreshSeconds int
}

// Can says whether the signed-in organizer may do what the permission names (the pages
// show only what one may use).
func (v *consoleView) Can(p string) bool { return v.Role.Can(organizer.Permission(p)) }

// Base is the common view, for the shared "field" template.
func (v *consoleView) Base() *view { return v.view }

func (a *App) newConsoleView(c *gin.Context, title string, data any) *consoleView {
	v := a.newView(c, title, data)
	av := &consoleView{view: v, Organizer: c.GetString("organizer"), Role: organizer.Role(c.GetString("organizerRole"))}
	if av.Organizer != "" {
		// Organizers see, on every page, what would leak an answer key.
		if shared, err := a.sharedRevealProblems(c.Request.Context()); err == nil {
			for _, s := range shared {
				av.Warnings = append(av.Warnings, v.T("console.warn.sharedBank", s.Round, s.Bank, strings.Join(s.Others, ", ")))
			}
		}
	}
	return av
}

func (a *App) renderConsole(c *gin.Context, status int, page string, v *consoleView) {
	var buf bytes.Buffer
	if err := a.console.pages[page].Execute(&buf, v); err != nil {
		a.log(c).Error("render console page", "page", page, "err", err)
		c.String(http.StatusInternalServerError, "internal error")
		c.Abort()
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// consoleFail answers with a console page carrying the message.
func (a *App) consoleFail(c *gin.Context, status int, code string, args ...any) {
	v := a.newConsoleView(c, a.translatorFor(c).T("error.title"), nil)
	v.Error = a.translatorFor(c).T(code, args...)
	a.renderConsole(c, status, "console_error", v)
	c.Abort()
}

// consoleInternal logs an unexpected error and answers with a calm console page.
func (a *App) consoleInternal(c *gin.Context, err error) {
	if consoleBusy(err) {
		a.consoleBusyPage(c, err)
		return
	}
	if a.unavailable(c, err) {
		a.consoleFail(c, http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	a.log(c).Error("console request failed", "path", c.Request.URL.Path, "err", err)
	a.consoleFail(c, http.StatusInternalServerError, "error.internal")
}

// dict builds a map from key, value pairs, to pass several values to a shared template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

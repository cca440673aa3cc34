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

	"github.com/dxcontest/contest-platform/internal/password"
)

// The organizer console at /admin: one organizer account from the environment (a
// Kubernetes Secret), its own signed cookie, its own pages. It is off unless both the
// username and the password hash are set: there is no default password.

// console is the console's configuration and templates.
type console struct {
	enabled  bool
	username string
	hash     string
	pages    map[string]*template.Template
}

func newConsole(cfg Config, funcs template.FuncMap) (*console, error) {
	con := &console{username: cfg.AdminUsername, hash: cfg.AdminPasswordHash}
	switch {
	case cfg.AdminUsername == "" && cfg.AdminPasswordHash == "":
	case cfg.AdminUsername == "" || cfg.AdminPasswordHash == "":
		return nil, errors.New("webapp: give both the organizer username and password hash, or neither (the console is then off)")
	default:
		if _, err := password.Parse(cfg.AdminPasswordHash); err != nil {
			return nil, errors.New("webapp: the organizer password hash is not an argon2id hash: make one with `contest admin hash-password`")
		}
		con.enabled = true
	}
	funcs = maps.Clone(funcs)
	funcs["dict"] = dict
	con.pages = map[string]*template.Template{}
	// Each page is rendered inside admin_layout.html.
	for _, name := range []string{"admin_signin", "admin_dashboard", "admin_banks", "admin_bank", "admin_round", "admin_error"} {
		// layout.html is parsed for its shared blocks (the anti-robot challenge).
		t, err := template.New("admin_layout.html").Funcs(funcs).ParseFS(embedded,
			"templates/admin_layout.html", "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		con.pages[name] = t
	}
	return con, nil
}

// isConsolePath says whether a path belongs to the console (its pages answer errors).
func isConsolePath(p string) bool { return p == "/admin" || strings.HasPrefix(p, "/admin/") }

func (a *App) consoleRoutes(r *gin.Engine) {
	g := r.Group("/admin", a.consoleEnabled, a.adminSession)
	g.GET("/signin", a.adminSigninForm)
	g.POST("/signin", a.adminSignin)
	g.POST("/signout", a.adminSignout)

	in := g.Group("", a.requireAdmin)
	in.GET("", a.adminDashboard)
	in.GET("/banks", a.adminBanks)
	in.POST("/banks", a.adminUploadBank)
	in.GET("/banks/:name/:version", a.adminBank)
	in.GET("/rounds/:round", a.adminRound)
	in.GET("/rounds/:round/report.xlsx", a.adminReportXLSX)
	in.GET("/rounds/:round/report-csv.zip", a.adminReportCSV)
	in.POST("/rounds/:round/publish", a.adminPublish)
	in.POST("/rounds/:round/unpublish", a.adminUnpublish)
}

// consoleEnabled answers 404 with a page that says why when no organizer account is set.
func (a *App) consoleEnabled(c *gin.Context) {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	if !a.console.enabled {
		a.consoleFail(c, http.StatusNotFound, "admin.disabled")
		return
	}
	c.Next()
}

// adminView is what every console template receives: the common view and who is signed in.
type adminView struct {
	*view
	Admin string
	// Warnings are shown as a banner on every console page.
	Warnings []string
}

// Base is the common view, for the shared "field" template.
func (v *adminView) Base() *view { return v.view }

func (a *App) newAdminView(c *gin.Context, title string, data any) *adminView {
	v := a.newView(c, title, data)
	av := &adminView{view: v, Admin: c.GetString("admin")}
	if av.Admin != "" {
		// Organizers see, on every page, what would leak an answer key.
		if shared, err := a.sharedRevealProblems(c.Request.Context()); err == nil {
			for _, s := range shared {
				av.Warnings = append(av.Warnings, v.T("admin.warn.sharedBank", s.Round, s.Bank, strings.Join(s.Others, ", ")))
			}
		}
	}
	return av
}

func (a *App) renderAdmin(c *gin.Context, status int, page string, v *adminView) {
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
	v := a.newAdminView(c, a.translatorFor(c).T("error.title"), nil)
	v.Error = a.translatorFor(c).T(code, args...)
	a.renderAdmin(c, status, "admin_error", v)
	c.Abort()
}

// consoleInternal logs an unexpected error and answers with a calm console page.
func (a *App) consoleInternal(c *gin.Context, err error) {
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

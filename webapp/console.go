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

// The organizer console at /console: one organizer account from the environment (a
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
	con := &console{username: cfg.ConsoleUsername, hash: cfg.ConsolePasswordHash}
	switch {
	case cfg.ConsoleUsername == "" && cfg.ConsolePasswordHash == "":
	case cfg.ConsoleUsername == "" || cfg.ConsolePasswordHash == "":
		return nil, errors.New("webapp: give both the organizer username and password hash, or neither (the console is then off)")
	default:
		if _, err := password.Parse(cfg.ConsolePasswordHash); err != nil {
			return nil, errors.New("webapp: the organizer password hash is not an argon2id hash: make one with `contest admin hash-password`")
		}
		con.enabled = true
	}
	funcs = maps.Clone(funcs)
	funcs["dict"] = dict
	con.pages = map[string]*template.Template{}
	// Each page is rendered inside console_layout.html.
	for _, name := range []string{"console_signin", "console_dashboard", "console_banks", "console_bank", "console_round", "console_error"} {
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
	g := r.Group("/console", a.consoleEnabled, a.consoleSession)
	g.GET("/signin", a.consoleSigninForm)
	g.POST("/signin", a.consoleSignin)
	g.POST("/signout", a.consoleSignout)

	in := g.Group("", a.requireOrganizer)
	in.GET("", a.consoleDashboard)
	in.GET("/banks", a.consoleBanks)
	in.POST("/banks", a.consoleUploadBank)
	in.GET("/banks/:name/:version", a.consoleBank)
	in.GET("/rounds/:round", a.consoleRound)
	in.GET("/rounds/:round/report.xlsx", a.consoleReportXLSX)
	in.GET("/rounds/:round/report-csv.zip", a.consoleReportCSV)
	in.POST("/rounds/:round/publish", a.consolePublish)
	in.POST("/rounds/:round/unpublish", a.consoleUnpublish)
}

// consoleEnabled answers 404 with a page that says why when no organizer account is set.
func (a *App) consoleEnabled(c *gin.Context) {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	if !a.console.enabled {
		a.consoleFail(c, http.StatusNotFound, "console.disabled")
		return
	}
	c.Next()
}

// consoleView is what every console template receives: the common view and who is signed in.
type consoleView struct {
	*view
	Organizer string
	// Warnings are shown as a banner on every console page.
	Warnings []string
}

// Base is the common view, for the shared "field" template.
func (v *consoleView) Base() *view { return v.view }

func (a *App) newConsoleView(c *gin.Context, title string, data any) *consoleView {
	v := a.newView(c, title, data)
	av := &consoleView{view: v, Organizer: c.GetString("organizer")}
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

package webapp

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// pageNames are the templates under templates/, each rendered inside layout.html.
var pageNames = []string{"home", "register", "signin", "exam", "result", "me", "winners", "error", "recover", "recover_code", "reset", "rules", "verify"}

func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(embedded, "templates/layout.html", "templates/share.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

func (a *App) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": a.assets.url,
		"add":   func(x, y int) int { return x + y },
		"join":  strings.Join,
		"deref": func(p *int) int {
			if p == nil {
				return 0
			}
			return *p
		},
		"deref64": func(p *int64) int64 {
			if p == nil {
				return 0
			}
			return *p
		},
		"fieldArgs": func(v *view, name, typ, value, auto string) fieldArgs {
			return fieldArgs{View: v, Name: name, Type: typ, Value: value, Auto: auto}
		},
	}
}

// fieldArgs are what the "field" template (a labelled input with its error) needs.
type fieldArgs struct {
	View                    *view
	Name, Type, Value, Auto string
}

// view is what every page template receives.
type view struct {
	translator
	Lang         string
	Title        string
	ContestTitle string
	// SignedIn says a contestant is signed in; Who is their name (from the session's check,
	// sessionEpochs: no read per page).
	SignedIn bool
	Who      string
	Path     string
	// Share, when set (a.share), gives the page its link preview (templates/share.html).
	Share *shareMeta
	// Error is a message for the whole page; FieldErrors are keyed by form field.
	Error       string
	Notice      string
	FieldErrors map[string]string
	Data        any
}

func (a *App) translatorFor(c *gin.Context) translator {
	return translator{lang: c.GetString("lang"), loc: a.loc}
}

func (a *App) newView(c *gin.Context, title string, data any) *view {
	v := &view{
		translator: a.translatorFor(c),
		Lang:       c.GetString("lang"),
		Title:      title,
		Path:       c.Request.URL.RequestURI(),
		Data:       data,
	}
	_, v.SignedIn = contestantID(c)
	v.Who = c.GetString("who")
	v.ContestTitle = a.contestTitle(c)
	return v
}

func (a *App) render(c *gin.Context, status int, page string, v *view) {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if err := a.pages[page].Execute(buf, v); err != nil {
		a.log(c).Error("render page", "page", page, "err", err)
		c.String(http.StatusInternalServerError, "internal error")
		c.Abort()
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// pageBuffers hold rendered pages until they are written: a buffer grown from nothing for
// each page was a quarter of the bytes the exam flow allocated (docs/BENCHMARKS.md). The
// response writers copy what they are given, so a buffer is free again once written.
var pageBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 32<<10)) }}

// putPageBuffer keeps a buffer for the next page unless a rare page made it large.
func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() > 256<<10 {
		return
	}
	b.Reset()
	pageBuffers.Put(b)
}

// fail answers with a message in the person's language: a page, or JSON for scripts.
func (a *App) fail(c *gin.Context, status int, code string, args ...any) {
	msg := a.translatorFor(c).T(code, args...)
	if wantsJSON(c) {
		c.AbortWithStatusJSON(status, gin.H{"error": msg, "code": code})
		return
	}
	v := a.newView(c, a.translatorFor(c).T("error.title"), nil)
	v.Error = msg
	a.render(c, status, "error", v)
	c.Abort()
}

func wantsJSON(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "application/json")
}

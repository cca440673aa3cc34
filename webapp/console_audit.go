package webapp

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/store"
)

// The audit log, for admins: read page by page with filters, or exported whole (CSV or
// XLSX, cells neutralized against formulas as the round's report is).

const auditPage = 100

type auditData struct {
	Entries []auditRow
	Filter  auditForm
	// Older is the ID to page back from; zero on the last page.
	Older int64
	Query string
}

type auditForm struct {
	Actor, Action, Since, Until string
}

type auditRow struct {
	store.AuditEntry
	When   string
	Label  string
	Change string
}

// auditFilter reads the page's filters; dates are Vietnam days.
func (a *App) auditFilter(c *gin.Context) (store.AuditFilter, auditForm) {
	form := auditForm{Actor: strings.TrimSpace(c.Query("actor")), Action: strings.TrimSpace(c.Query("action")),
		Since: c.Query("since"), Until: c.Query("until")}
	f := store.AuditFilter{Actor: form.Actor, Action: form.Action}
	if len(f.Actor) > 128 {
		f.Actor, form.Actor = "", ""
	}
	if len(f.Action) > 64 {
		f.Action, form.Action = "", ""
	}
	if d, err := time.ParseInLocation(time.DateOnly, form.Since, a.loc); err == nil {
		f.Since = d
	} else {
		form.Since = ""
	}
	if d, err := time.ParseInLocation(time.DateOnly, form.Until, a.loc); err == nil {
		f.Until = d.AddDate(0, 0, 1)
	} else {
		form.Until = ""
	}
	f.Before, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	return f, form
}

func (a *App) consoleAudit(c *gin.Context) {
	f, form := a.auditFilter(c)
	entries, err := store.ListAudit(c.Request.Context(), a.consoleDB(), f, auditPage+1)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	tr := a.translatorFor(c)
	d := auditData{Filter: form, Query: auditQuery(form)}
	if len(entries) > auditPage {
		entries = entries[:auditPage]
		d.Older = entries[len(entries)-1].ID
	}
	for _, e := range entries {
		d.Entries = append(d.Entries, a.auditRowOf(tr, e))
	}
	a.renderConsole(c, http.StatusOK, "console_audit", a.newConsoleView(c, tr.T("console.audit.title"), d))
}

func auditQuery(f auditForm) string {
	q := url.Values{}
	for k, v := range map[string]string{"actor": f.Actor, "action": f.Action, "since": f.Since, "until": f.Until} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

func (a *App) auditRowOf(tr translator, e store.AuditEntry) auditRow {
	r := auditRow{AuditEntry: e, When: e.At.In(a.loc).Format("02/01/2006 15:04:05"), Label: tr.T("console.audit.action." + e.Action)}
	if r.Label == "console.audit.action."+e.Action {
		r.Label = e.Action
	}
	switch {
	case len(e.Before) > 0 && len(e.After) > 0:
		r.Change = string(e.Before) + " → " + string(e.After)
	case len(e.After) > 0:
		r.Change = string(e.After)
	case len(e.Before) > 0:
		r.Change = string(e.Before) + " → ∅"
	}
	return r
}

func (a *App) auditTable(c *gin.Context) *report.Table {
	f, _ := a.auditFilter(c)
	f.Before = 0
	tr := a.translatorFor(c)
	cols := []report.Column{{Title: tr.T("console.audit.at"), Width: 20}, {Title: tr.T("console.audit.actor"), Width: 18},
		{Title: tr.T("console.audit.role"), Width: 10}, {Title: tr.T("console.audit.action"), Width: 28},
		{Title: tr.T("console.audit.target"), Width: 24}, {Title: tr.T("console.audit.network"), Width: 18},
		{Title: tr.T("console.audit.before"), Width: 40}, {Title: tr.T("console.audit.after"), Width: 40},
		{Title: tr.T("console.audit.reason"), Width: 30}}
	return report.NewStreamTable(tr.T("console.audit.sheet"), "nhat-ky-thao-tac", cols,
		func(ctx context.Context, emit func([]report.Cell) error) error {
			return store.StreamAudit(ctx, a.consoleDB(), f, func(e store.AuditEntry) error {
				r := a.auditRowOf(tr, e)
				return emit([]report.Cell{report.Text(r.When), report.Text(e.Actor), report.Text(e.ActorRole), report.Text(r.Label),
					report.Text(e.Target), report.Text(e.ClientNet), report.Text(string(e.Before)), report.Text(string(e.After)), report.Text(e.Reason)})
			})
		})
}

func (a *App) consoleAuditCSV(c *gin.Context) {
	a.exportAudit(c, "csv", "text/csv; charset=utf-8", func(ctx context.Context, w http.ResponseWriter, t *report.Table) error {
		return report.WriteCSV(ctx, w, t)
	})
}

func (a *App) consoleAuditXLSX(c *gin.Context) {
	a.exportAudit(c, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		func(ctx context.Context, w http.ResponseWriter, t *report.Table) error {
			return report.WriteTablesXLSX(ctx, w, t)
		})
}

// exportAudit writes the audit log and records that it was exported (it names people).
func (a *App) exportAudit(c *gin.Context, ext, contentType string, write func(context.Context, http.ResponseWriter, *report.Table) error) {
	ctx := c.Request.Context()
	if err := a.audit(c, a.consoleDB(), auditEntry{Action: organizer.ActionAuditExport, After: map[string]string{"format": ext, "filter": c.Request.URL.RawQuery}}); err != nil {
		a.consoleInternal(c, err)
		return
	}
	name := "nhat-ky-thao-tac-" + a.now().In(a.loc).Format("20060102-1504") + "." + ext
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	if err := write(ctx, c.Writer, a.auditTable(c)); err != nil {
		a.log(c).Error("write audit export", "err", err)
	}
}

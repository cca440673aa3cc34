package webapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/store"
)

// The organizers' report of a ranked round, as `contest report` writes it, with national
// IDs and phone numbers masked: it is a download that may be forwarded.

func (a *App) consoleReportXLSX(c *gin.Context) {
	a.sendReport(c, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report.WriteXLSX)
}

// consoleReportCSV sends one CSV file per table, zipped, for tools that do not read XLSX.
func (a *App) consoleReportCSV(c *gin.Context) {
	a.sendReport(c, "zip", "application/zip", report.WriteCSVZip)
}

// sendReport streams the report: the full ranking of a large round is never held in
// memory. A failure before the first byte gets an error page; after it, the log. Its
// reading is one of the replica's reports at a time (heavyRead).
func (a *App) sendReport(c *gin.Context, ext, contentType string, write func(context.Context, io.Writer, *report.Report) error) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	ctx, tx, done, ok := a.heavyRead(c)
	if !ok {
		return
	}
	defer done()
	// The item analysis sheet shows the answer key: not while a round can still use it.
	inUse, err := a.keyInUse(ctx, round)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	rep, err := report.Build(ctx, tx, round.RoundKey(), report.Options{Location: a.loc, Now: a.now(), HideAnswerKey: inUse})
	if errors.Is(err, store.ErrNoRanking) {
		a.consoleFail(c, http.StatusNotFound, "console.report.none")
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	// The report holds personal data: who took it is recorded.
	if err := a.audit(c, a.consoleDB(), auditEntry{Action: organizer.ActionReportDownload, Target: round.RoundKey(), After: map[string]string{"format": ext}}); err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("report downloaded", "round", round.RoundKey(), "format", ext, "by", c.GetString("organizer"))
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="ket-qua-%s.%s"`, round.Name, ext))
	c.Header("Cache-Control", "no-store")
	if err := write(ctx, c.Writer, rep); err != nil {
		if !c.Writer.Written() {
			c.Header("Content-Disposition", "")
			a.consoleInternal(c, err)
			return
		}
		a.log(c).Error("write report", "round", round.RoundKey(), "err", err)
	}
}

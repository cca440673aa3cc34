package webapp

import (
	"archive/zip"
	"context"
	"fmt"
	"io"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/report"
)

// The daily participation export of a round (internal/report.Daily): by unit with the
// participation rate, by locality and by day, for the agencies' daily reports. Viewers
// download it at any time, not only after the ranking; it holds counts, no personal data,
// but downloads are audited as the report's are.

func (a *App) consoleDailyXLSX(c *gin.Context) {
	a.sendDaily(c, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		func(ctx context.Context, w io.Writer, tables []*report.Table) error {
			return report.WriteTablesXLSX(ctx, w, tables...)
		})
}

// consoleDailyCSV sends one CSV file per table, zipped.
func (a *App) consoleDailyCSV(c *gin.Context) {
	a.sendDaily(c, "zip", "application/zip", func(ctx context.Context, w io.Writer, tables []*report.Table) error {
		zw := zip.NewWriter(w)
		for _, t := range tables {
			f, err := zw.Create(report.CSVFileName(t))
			if err != nil {
				return err
			}
			if err := report.WriteCSV(ctx, f, t); err != nil {
				return err
			}
		}
		return zw.Close()
	})
}

// sendDaily streams the export, read in one transaction (heavyRead); a failure after the
// first byte is logged (the download is then cut short, which the browser shows as failed).
func (a *App) sendDaily(c *gin.Context, ext, contentType string, write func(context.Context, io.Writer, []*report.Table) error) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	// A pass over the round's attempts like the report's (its own grouping sets: first days
	// by unit, spelling and locality, which the round statistics do not keep), so it takes
	// one of the replica's report places and reads the read replica when there is one.
	ctx, tx, done, ok := a.heavyRead(c)
	if !ok {
		return
	}
	defer done()
	now := a.now()
	tables := report.Daily(tx, round.Spec.Contest.ID, round.RoundKey(), report.DailyOptions{
		From: round.Spec.OpensAt.Time, To: round.Spec.ClosesAt.Time, Now: now, Location: a.loc})
	if err := a.audit(c, a.consoleDB(), auditEntry{Action: organizer.ActionParticipationDownload, Target: round.RoundKey(),
		After: map[string]string{"format": ext}}); err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("daily participation downloaded", "round", round.RoundKey(), "format", ext, "by", c.GetString("organizer"))
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="tham-gia-%s-%s.%s"`, round.Name, now.In(a.loc).Format("20060102-1504"), ext))
	c.Header("Cache-Control", "no-store")
	if err := write(ctx, c.Writer, tables); err != nil {
		if !c.Writer.Written() {
			c.Header("Content-Disposition", "")
			a.consoleInternal(c, err)
			return
		}
		a.log(c).Error("write daily participation", "round", round.RoundKey(), "err", err)
	}
}

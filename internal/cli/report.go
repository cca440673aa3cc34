package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/store"
)

const reportSummary = "Write a ranked round's report for the organizers: an XLSX workbook or CSV files."

func reportCommand() Command {
	return Command{Name: "report", Summary: reportSummary, Run: runReport}
}

// reportJob is what `report` was asked to do.
type reportJob struct {
	round, format, out string
	options            report.Options
}

func runReport(ctx context.Context, args []string, out IO) int {
	const cmd = "report"
	fs := newFlagSet(cmd, reportSummary, out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage:\n  contest report --round NAME [--namespace NS] --format xlsx --out FILE.xlsx [--unmasked]\n"+
			"  contest report --round NAME [--namespace NS] --format csv --out DIR [--unmasked]\n\n"+
			"With csv, DIR receives one file per sheet (tom-tat.csv, giai-thuong.csv, xep-hang.csv, ...).\n\nFlags:\n", reportSummary)
		fs.PrintDefaults()
	}
	round := fs.String("round", "", "the ContestRound's name")
	namespace := fs.String("namespace", envDefault("POD_NAMESPACE", "default"), "the ContestRound's namespace (default: env POD_NAMESPACE, else default)")
	format := fs.String("format", "", `"xlsx" (one workbook; the default for an --out ending in .xlsx) or "csv" (a directory of CSV files)`)
	path := fs.String("out", "", "the XLSX file, or the directory for the CSV files (created if missing)")
	unmasked := fs.Bool("unmasked", false, "show full national IDs and phone numbers, for the committee to contact winners (masked by default: reports travel by email)")
	dsn := databaseFlag(fs)
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	job, problem := checkReport(*round, *namespace, *format, *path, *unmasked)
	if problem != "" {
		fmt.Fprintf(out.Stderr, "contest %s: %s\n", cmd, problem)
		return ExitUsage
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()

	rep, err := report.Build(ctx, pool, job.round, job.options)
	if errors.Is(err, store.ErrNoRanking) {
		return fail(out, cmd, fmt.Errorf("round %s has not been ranked yet: the ranking job runs when the round closes", job.round))
	}
	if err != nil {
		return fail(out, cmd, err)
	}
	if job.format == "csv" {
		err = writeReportCSV(ctx, job.out, rep)
	} else {
		err = writeFileAtomic(job.out, func(w io.Writer) error { return report.WriteXLSX(ctx, w, rep) })
	}
	if err != nil {
		return fail(out, cmd, err)
	}
	fmt.Fprintf(out.Stdout, "wrote the report of round %s (%s ranked) to %s\n", job.round,
		plural(rep.Run.Participants, "person", "people"), job.out)
	for _, tie := range rep.Ties {
		fmt.Fprintf(out.Stderr, "contest %s: warning: %d people share rank %d at a prize boundary; the committee must decide (sheet %q)\n",
			cmd, len(tie.PersonIDs), tie.Rank, report.SheetSummary)
	}
	if job.options.Unmasked {
		fmt.Fprintf(out.Stderr, "contest %s: the report holds full national IDs and phone numbers: keep it within the committee\n", cmd)
	}
	return ExitOK
}

// checkReport turns the command line into a job, or says what is wrong with it.
func checkReport(round, namespace, format, out string, unmasked bool) (reportJob, string) {
	if format == "" && strings.EqualFold(filepath.Ext(out), ".xlsx") {
		format = "xlsx"
	}
	switch {
	case round == "":
		return reportJob{}, "--round is required"
	case strings.Contains(round, "/"):
		return reportJob{}, fmt.Sprintf("--round takes the round's name; give its namespace with --namespace, not %q", round)
	case namespace == "":
		return reportJob{}, "--namespace must not be empty"
	case format == "":
		return reportJob{}, `--format is required: "xlsx" or "csv"`
	case format != "xlsx" && format != "csv":
		return reportJob{}, fmt.Sprintf(`unknown --format %q: use "xlsx" or "csv"`, format)
	case out == "":
		return reportJob{}, "--out is required"
	}
	return reportJob{round: contestv1alpha1.RoundKeyOf(namespace, round), format: format, out: out,
		options: report.Options{Unmasked: unmasked}}, ""
}

// writeReportCSV writes one CSV file per table into dir. The files are written in a
// staging directory inside dir and then renamed into place, so no file is ever seen half
// written and an earlier report's files are replaced, not mixed with new ones.
func writeReportCSV(ctx context.Context, dir string, rep *report.Report) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	stage, err := os.MkdirTemp(dir, ".report-*.tmp")
	if err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	defer os.RemoveAll(stage) // empty after the renames; holds the files after a failure
	for _, t := range rep.Tables {
		if err := writeCSVFile(ctx, filepath.Join(stage, report.CSVFileName(t)), t); err != nil {
			return err
		}
	}
	for _, t := range rep.Tables {
		name := report.CSVFileName(t)
		if err := os.Rename(filepath.Join(stage, name), filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
		}
	}
	return nil
}

// writeCSVFile creates path private to its owner: the report holds personal data.
func writeCSVFile(ctx context.Context, path string, t *report.Table) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := report.WriteCSV(ctx, f, t); err != nil {
		return errors.Join(fmt.Errorf("write %s: %w", path, err), f.Close())
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

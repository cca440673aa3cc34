package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

func unitCommand() Command {
	return groupCommand("unit", "Import and list a contest's units (agencies, schools, communes, enterprises).", []Command{
		{Name: "import", Summary: unitImportSummary, Run: runUnitImport},
		{Name: "list", Summary: "List a contest's units.", Run: runUnitList},
	})
}

const unitImportSummary = "Replace a contest's unit list with a CSV or XLSX file (ma_don_vi,ten_don_vi[,ma_cap_tren,loai,so_nguoi,ten_khac])."

func runUnitImport(ctx context.Context, args []string, out IO) int {
	const cmd = "unit import"
	fs := newFlagSet(cmd, unitImportSummary, out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage:\n  contest unit import --contest ID FILE\n  contest unit import --contest ID --sample\n\n"+
			"The file's format is in docs/to-chuc-cuoc-thi.md. Nothing is imported unless the whole file is right.\n\nFlags:\n", unitImportSummary)
		fs.PrintDefaults()
	}
	contest := fs.String("contest", "", "contest ID (a round's spec.contest.id)")
	sample := fs.Bool("sample", false, "import the shipped sample list of Bình Thuận's agencies, communes and schools (2024)")
	dsn := databaseFlag(fs)
	files, code, done := parseFlagsAndArgs(fs, args, out)
	if done {
		return code
	}
	if problem := checkListImport(*contest, files, *sample, "the CSV or XLSX FILE"); problem != "" {
		fmt.Fprintf(out.Stderr, "contest %s: %s\n", cmd, problem)
		return ExitUsage
	}
	us, code, ok := readUnits(out, cmd, files, *sample)
	if !ok {
		return code
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()
	if err := store.ReplaceUnits(ctx, pool, *contest, us); err != nil {
		return fail(out, cmd, err)
	}
	top := 0
	for _, u := range us {
		if u.ParentCode == "" {
			top++
		}
	}
	fmt.Fprintf(out.Stdout, "contest %s: unit list replaced: %s, %d top-level\n", *contest, plural(len(us), "unit", "units"), top)
	return ExitOK
}

// readUnits parses the file, or prints every problem in it; nothing is written then.
func readUnits(out IO, cmd string, files []string, sample bool) ([]unit.Unit, int, bool) {
	if sample {
		us, err := unit.Sample()
		if err != nil {
			return nil, fail(out, cmd, err), false
		}
		return us, ExitOK, true
	}
	us, err := unit.ParseFile(files[0])
	if ie := (*unit.ImportError)(nil); errors.As(err, &ie) {
		for _, re := range ie.Errors {
			fmt.Fprintf(out.Stderr, "%s: %s\n", files[0], re.Error())
		}
		fmt.Fprintf(out.Stderr, "contest %s: %s in %s; nothing was imported\n", cmd,
			plural(len(ie.Errors), "problem", "problems"), files[0])
		return nil, ExitError, false
	}
	if err != nil {
		return nil, fail(out, cmd, err), false
	}
	return us, ExitOK, true
}

func runUnitList(ctx context.Context, args []string, out IO) int {
	const cmd = "unit list"
	fs := newFlagSet(cmd, "List a contest's units.", out)
	contest := fs.String("contest", "", "contest ID (a round's spec.contest.id)")
	dsn := databaseFlag(fs)
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	if *contest == "" {
		fmt.Fprintf(out.Stderr, "contest %s: --contest is required\n", cmd)
		return ExitUsage
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()
	us, err := store.ListUnits(ctx, pool, *contest)
	if err != nil {
		return fail(out, cmd, err)
	}
	if len(us) == 0 {
		fmt.Fprintf(out.Stdout, "contest %s has no units: import them with 'contest unit import'\n", *contest)
		return ExitOK
	}
	tw := tabwriter.NewWriter(out.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tPARENT\tTYPE\tHEADCOUNT\tALIASES")
	for _, u := range us {
		n := ""
		if u.Headcount != nil {
			n = strconv.Itoa(*u.Headcount)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Code, u.Name, u.ParentCode, u.Type, n, strings.Join(u.Aliases, "; "))
	}
	if err := tw.Flush(); err != nil {
		return fail(out, cmd, err)
	}
	fmt.Fprintln(out.Stdout, plural(len(us), "unit", "units"))
	return ExitOK
}

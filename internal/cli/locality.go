package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
)

func localityCommand() Command {
	return groupCommand("locality", "Import and list a contest's localities (districts and communes).", []Command{
		{Name: "import", Summary: localityImportSummary, Run: runLocalityImport},
		{Name: "list", Summary: "List a contest's localities.", Run: runLocalityList},
	})
}

const localityImportSummary = "Replace a contest's locality list with a CSV file (ma_huyen,ten_huyen,ma_xa,ten_xa)."

func runLocalityImport(ctx context.Context, args []string, out IO) int {
	const cmd = "locality import"
	fs := newFlagSet(cmd, localityImportSummary, out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage:\n  contest locality import --contest ID FILE\n  contest locality import --contest ID --sample\n\nFlags:\n", localityImportSummary)
		fs.PrintDefaults()
	}
	contest := fs.String("contest", "", "contest ID (a round's spec.contest.id)")
	sample := fs.Bool("sample", false, "import the shipped list of Bình Thuận's districts and communes (2024)")
	dsn := databaseFlag(fs)
	files, code, done := parseFlagsAndArgs(fs, args, out)
	if done {
		return code
	}
	if problem := checkLocalityImport(*contest, files, *sample); problem != "" {
		fmt.Fprintf(out.Stderr, "contest %s: %s\n", cmd, problem)
		return ExitUsage
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()

	ls, code, ok := readLocalities(out, cmd, files, *sample)
	if !ok {
		return code
	}
	if err := store.ReplaceLocalities(ctx, pool, *contest, ls); err != nil {
		return fail(out, cmd, err)
	}
	districts, communes := countLevels(ls)
	fmt.Fprintf(out.Stdout, "contest %s: locality list replaced: %s, %s\n", *contest,
		plural(districts, "district", "districts"), plural(communes, "commune", "communes"))
	return ExitOK
}

func checkLocalityImport(contest string, files []string, sample bool) string {
	return checkListImport(contest, files, sample, "the CSV FILE")
}

// checkListImport checks the arguments of a per-contest list's import (localities, units).
func checkListImport(contest string, files []string, sample bool, file string) string {
	switch {
	case contest == "":
		return "--contest is required"
	case sample && len(files) > 0:
		return "give either FILE or --sample, not both"
	case !sample && len(files) == 0:
		return "give " + file + " to import, or --sample"
	case len(files) > 1:
		return fmt.Sprintf("one FILE at a time, got %d", len(files))
	}
	if err := store.CheckContestID(contest); err != nil {
		return err.Error()
	}
	return ""
}

// readLocalities parses the file, or prints every problem in it; nothing is written then.
func readLocalities(out IO, cmd string, files []string, sample bool) ([]locality.Locality, int, bool) {
	if sample {
		ls, err := locality.Sample()
		if err != nil {
			return nil, fail(out, cmd, err), false
		}
		return ls, ExitOK, true
	}
	f, err := os.Open(files[0])
	if err != nil {
		return nil, fail(out, cmd, err), false
	}
	defer f.Close() // read-only: a close error cannot lose data
	ls, err := locality.Parse(f)
	if ie := (*locality.ImportError)(nil); errors.As(err, &ie) {
		for _, re := range ie.Errors {
			fmt.Fprintf(out.Stderr, "%s: %s\n", files[0], re.Error())
		}
		fmt.Fprintf(out.Stderr, "contest %s: %s in %s; nothing was imported\n", cmd,
			plural(len(ie.Errors), "problem", "problems"), files[0])
		return nil, ExitError, false
	}
	if err != nil {
		return nil, fail(out, cmd, fmt.Errorf("%s: %w", files[0], err)), false
	}
	return ls, ExitOK, true
}

func countLevels(ls []locality.Locality) (top, children int) {
	for _, l := range ls {
		if l.ParentCode == "" {
			top++
		} else {
			children++
		}
	}
	return top, children
}

func runLocalityList(ctx context.Context, args []string, out IO) int {
	const cmd = "locality list"
	fs := newFlagSet(cmd, "List a contest's localities.", out)
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
	ls, err := store.ListLocalities(ctx, pool, *contest)
	if err != nil {
		return fail(out, cmd, err)
	}
	if len(ls) == 0 {
		fmt.Fprintf(out.Stdout, "contest %s has no localities: import them with 'contest locality import'\n", *contest)
		return ExitOK
	}
	tw := tabwriter.NewWriter(out.Stdout, 0, 4, 2, ' ', 0)
	for _, l := range ls {
		if l.ParentCode == "" {
			fmt.Fprintf(tw, "%s\t\t%s\n", l.Code, l.Name)
		} else {
			fmt.Fprintf(tw, "\t%s\t%s\n", l.Code, l.Name)
		}
	}
	districts, communes := countLevels(ls)
	fmt.Fprintf(tw, "%s, %s\n", plural(districts, "district", "districts"), plural(communes, "commune", "communes"))
	if err := tw.Flush(); err != nil {
		return fail(out, cmd, err)
	}
	return ExitOK
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/store"
)

func bankCommand() Command {
	return groupCommand("bank", "Import, list and export question bank versions.", []Command{
		{Name: "import", Summary: bankImportSummary, Run: runBankImport},
		{Name: "list", Summary: "List the stored question bank versions.", Run: runBankList},
		{Name: "export", Summary: "Write a stored bank version to a CSV file in the import format.", Run: runBankExport},
	})
}

const bankImportSummary = "Import a question bank file (CSV or XLSX) as a new version, all or nothing."

// topicList returns a named topic list --topics accepts, for files that carry none.
func topicList(name string) ([]bank.Topic, bool) {
	switch name {
	case "plan":
		return bank.PlanTopics(), true
	}
	return nil, false
}

// bankImport is what `bank import` was asked to do.
type bankImport struct {
	file    string // empty with sample
	sample  bool
	options bank.ParseOptions
}

func runBankImport(ctx context.Context, args []string, out IO) int {
	const cmd = "bank import"
	fs := newFlagSet(cmd, bankImportSummary, out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage:\n  contest bank import FILE --name NAME --version N [--topics plan]\n  contest bank import --sample\n\nFlags:\n", bankImportSummary)
		fs.PrintDefaults()
	}
	name := fs.String("name", "", "bank name: lower-case letters, digits and dashes (what a round's exam.bank.name refers to)")
	version := fs.Int("version", 0, "version to store the file as, from 1; a stored version never changes")
	topics := fs.String("topics", "plan", `topics of a CSV file, or of an XLSX file without a chu_de sheet: "plan" is the plan's five topics`)
	sample := fs.Bool("sample", false, fmt.Sprintf("import the shipped sample bank (%s version %d) instead of a file", bank.SampleName, bank.SampleVersion))
	dsn := databaseFlag(fs)
	files, code, done := parseFlagsAndArgs(fs, args, out)
	if done {
		return code
	}
	job, problem := checkBankImport(files, *name, *version, *topics, *sample)
	if problem != "" {
		fmt.Fprintf(out.Stderr, "contest %s: %s\n", cmd, problem)
		return ExitUsage
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()

	b, code, ok := readBank(out, cmd, job)
	if !ok {
		return code
	}
	created, err := store.SaveBank(ctx, pool, b)
	if err != nil {
		return fail(out, cmd, err)
	}
	if created {
		fmt.Fprintf(out.Stdout, "imported question bank %s version %d: %s in %s\n", b.Name, b.Version,
			plural(len(b.Questions), "question", "questions"), plural(len(b.Topics), "topic", "topics"))
	} else {
		fmt.Fprintf(out.Stdout, "question bank %s version %d is already stored with this content; nothing changed\n", b.Name, b.Version)
	}
	return printBankSummary(out, cmd, b)
}

// checkBankImport turns the command line into a job, or says what is wrong with it.
func checkBankImport(files []string, name string, version int, topics string, sample bool) (bankImport, string) {
	topicsToUse, ok := topicList(topics)
	switch {
	case !ok:
		return bankImport{}, fmt.Sprintf(`unknown --topics %q: the only list is "plan" (an XLSX file may carry its own chu_de sheet)`, topics)
	case sample && (len(files) > 0 || name != "" || version != 0):
		return bankImport{}, fmt.Sprintf("--sample imports %s version %d; give either --sample or FILE --name --version", bank.SampleName, bank.SampleVersion)
	case sample:
		return bankImport{sample: true}, ""
	case len(files) == 0:
		return bankImport{}, "give the FILE to import (.csv or .xlsx), or --sample"
	case len(files) > 1:
		return bankImport{}, fmt.Sprintf("one FILE at a time, got %d", len(files))
	case name == "" || version == 0:
		return bankImport{}, "--name and --version are required: a round pins a bank by name and version"
	}
	if err := store.CheckBankKey(name, version); err != nil {
		return bankImport{}, err.Error()
	}
	return bankImport{file: files[0], options: bank.ParseOptions{Name: name, Version: version, Topics: topicsToUse}}, ""
}

// readBank parses the file, or prints every problem in it: the organizer fixes them all in
// one pass, and nothing is written.
func readBank(out IO, cmd string, job bankImport) (*bank.Bank, int, bool) {
	if job.sample {
		b, err := bank.Sample()
		if err != nil {
			return nil, fail(out, cmd, err), false
		}
		return b, ExitOK, true
	}
	b, err := bank.ParseFile(job.file, job.options)
	if ie := (*bank.ImportError)(nil); errors.As(err, &ie) {
		for _, re := range ie.Errors {
			fmt.Fprintf(out.Stderr, "%s: %s\n", job.file, re.Error())
		}
		fmt.Fprintf(out.Stderr, "contest %s: %s in %s; nothing was imported\n", cmd,
			plural(len(ie.Errors), "problem", "problems"), job.file)
		return nil, ExitError, false
	}
	if err != nil {
		return nil, fail(out, cmd, err), false
	}
	return b, ExitOK, true
}

// printBankSummary shows questions per topic, which a round's topic quotas must fit, and
// the checksum that identifies the content.
func printBankSummary(out IO, cmd string, b *bank.Bank) int {
	counts := b.CountByTopic()
	tw := tabwriter.NewWriter(out.Stdout, 0, 4, 2, ' ', 0)
	for _, t := range b.Topics {
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", t.Code, counts[t.Code], t.Title)
	}
	fmt.Fprintf(tw, "checksum %s\n", b.Checksum())
	if err := tw.Flush(); err != nil {
		return fail(out, cmd, err)
	}
	return ExitOK
}

func runBankList(ctx context.Context, args []string, out IO) int {
	const cmd = "bank list"
	fs := newFlagSet(cmd, "List the stored question bank versions.", out)
	dsn := databaseFlag(fs)
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()
	infos, err := store.ListBanks(ctx, pool)
	if err != nil {
		return fail(out, cmd, err)
	}
	if len(infos) == 0 {
		fmt.Fprintln(out.Stdout, "no question banks stored yet: import one with 'contest bank import'")
		return ExitOK
	}
	loc := contestv1alpha1.TimeZone()
	tw := tabwriter.NewWriter(out.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tQUESTIONS\tTOPICS\tIMPORTED\tCHECKSUM")
	for _, in := range infos {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\n", in.Name, in.Version, in.Questions, in.Topics,
			in.ImportedAt.In(loc).Format("2006-01-02 15:04 -07:00"), in.Checksum[:min(12, len(in.Checksum))])
	}
	if err := tw.Flush(); err != nil {
		return fail(out, cmd, err)
	}
	return ExitOK
}

func runBankExport(ctx context.Context, args []string, out IO) int {
	const cmd = "bank export"
	const summary = "Write a stored bank version to a CSV file in the import format."
	fs := newFlagSet(cmd, summary, out)
	name := fs.String("name", "", "bank name")
	version := fs.Int("version", 0, "bank version")
	path := fs.String("out", "", "CSV file to write (readable by its owner only: it holds the answer key)")
	dsn := databaseFlag(fs)
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	if *name == "" || *version == 0 || *path == "" {
		fmt.Fprintf(out.Stderr, "contest %s: --name, --version and --out are required\n", cmd)
		return ExitUsage
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()
	b, err := store.LoadBank(ctx, pool, *name, *version)
	if errors.Is(err, store.ErrBankNotFound) {
		return fail(out, cmd, fmt.Errorf("no question bank %s version %d is stored ('contest bank list' shows what is)", *name, *version))
	}
	if err != nil {
		return fail(out, cmd, err)
	}
	if err := writeFileAtomic(*path, func(w io.Writer) error { return bank.WriteCSV(w, b) }); err != nil {
		return fail(out, cmd, err)
	}
	fmt.Fprintf(out.Stdout, "wrote question bank %s version %d (%s) to %s\n", b.Name, b.Version,
		plural(len(b.Questions), "question", "questions"), *path)
	return ExitOK
}

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dxcontest/contest-platform/internal/loadtest"
	"github.com/dxcontest/contest-platform/internal/loadtest/flowsql"
)

const pgbenchScriptSummary = "Record the SQL of one exam flow from the app (in this process) and write it as a pgbench script."

func runPgbenchScript(ctx context.Context, args []string, out IO) int {
	const cmd = "loadtest pgbench-script"
	fs := newFlagSet(cmd, pgbenchScriptSummary, out)
	dsn := databaseFlag(fs)
	output := fs.String("out", "", "the script file to write")
	contest := fs.String("contest", loadtest.SampleContest, "contest ID of the people")
	namespace := fs.String("namespace", "bench", "namespace of the round the flows take attempts in")
	round := fs.String("round", "pgbench", "name of that round (it exists only in the script)")
	person := fs.Int("person", loadtest.MaxPeople-1, "number of the person who takes the recorded flows")
	openFor := fs.Duration("open-for", 7*24*time.Hour, "how long the round stays open: pgbench must run within it")
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	if *output == "" {
		fmt.Fprintf(out.Stderr, "contest %s: --out is required\n", cmd)
		return ExitUsage
	}
	if *dsn == "" {
		*dsn = os.Getenv(databaseURLEnv)
	}
	if *dsn == "" {
		fmt.Fprintf(out.Stderr, "contest %s: no database given: set --database-url or %s\n", cmd, databaseURLEnv)
		return ExitUsage
	}
	flow, err := flowsql.Record(ctx, flowsql.Options{DSN: *dsn, Contest: *contest, Namespace: *namespace, Round: *round, OpenFor: *openFor, Person: *person})
	if err != nil {
		return fail(out, cmd, err)
	}
	conn, err := pgx.Connect(ctx, *dsn)
	if err != nil {
		return fail(out, cmd, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	script, err := flow.Script(ctx, conn)
	if err != nil {
		return fail(out, cmd, err)
	}
	if err := os.WriteFile(*output, []byte(script), 0o644); err != nil {
		return fail(out, cmd, err)
	}
	fmt.Fprintf(out.Stdout, "contest %s: %d statements of one flow written to %s\n", cmd, len(flow.Statements), *output)
	return ExitOK
}

const pgbenchRunSummary = "Run pgbench on a flow script (new prepared people per transaction) and measure PostgreSQL's CPU."

func runPgbench(ctx context.Context, args []string, out IO) int {
	const cmd = "loadtest pgbench"
	fs := newFlagSet(cmd, pgbenchRunSummary, out)
	dsn := databaseFlag(fs)
	script := fs.String("script", "", "the flow script (contest loadtest pgbench-script)")
	program := fs.String("pgbench", "pgbench", "the pgbench program")
	contest := fs.String("contest", loadtest.SampleContest, "contest ID of the people")
	first := fs.Int("first", 0, "number of the first prepared person; clients × transactions people are used")
	clients := fs.Int("clients", 4, "pgbench clients (connections): as many as the app's pool holds")
	jobs := fs.Int("jobs", 2, "pgbench threads")
	transactions := fs.Int("transactions", 500, "flows per client")
	postgres := fs.Int("postgres-pid", 0, "the postmaster's PID: measure the CPU of the server's processes")
	jsonOut := fs.String("json", "", "write the report as JSON to this file")
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	if *script == "" {
		fmt.Fprintf(out.Stderr, "contest %s: --script is required\n", cmd)
		return ExitUsage
	}
	path, err := exec.LookPath(*program)
	if err != nil {
		fmt.Fprintf(out.Stderr, "contest %s: %v (install PostgreSQL's client programs or give --pgbench)\n", cmd, err)
		return ExitUsage
	}
	if *dsn == "" {
		*dsn = os.Getenv(databaseURLEnv)
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()
	o := loadtest.PgbenchOptions{Pgbench: path, DSN: *dsn, Pool: pool, Script: *script, Contest: *contest, First: *first,
		Clients: *clients, Jobs: *jobs, Transactions: *transactions}
	if *postgres > 0 {
		o.Postgres = &loadtest.Watch{Name: "postgres", PID: *postgres, Tree: true}
	}
	rep, err := loadtest.RunPgbench(ctx, o)
	if err != nil {
		return fail(out, cmd, err)
	}
	fmt.Fprintf(out.Stdout, "contest %s: %d flows in %.1f s: %.1f flows/s, %.2f ms on average, PostgreSQL CPU %.0f µs per flow\n",
		cmd, rep.Processed, rep.Seconds, rep.PerSecond, rep.LatencyAvg, rep.PostgresCPU.PerOp)
	if *jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err == nil {
			err = os.WriteFile(*jsonOut, append(b, '\n'), 0o644)
		}
		if err != nil {
			return fail(out, cmd, err)
		}
	}
	return ExitOK
}

const summarizeSummary = "Write the medians of load tool and pgbench runs into a Markdown file's generated section."

func runSummarize(ctx context.Context, args []string, out IO) int {
	const cmd = "loadtest summarize"
	fs := newFlagSet(cmd, summarizeSummary, out)
	var loads, pgbenches, notes stringList
	fs.Var(&loads, "load", "a JSON report of contest loadtest run (repeatable; paired in order with --pgbench)")
	fs.Var(&pgbenches, "pgbench", "a JSON report of contest loadtest pgbench (repeatable)")
	fs.Var(&notes, "note", "a paragraph under the title (repeatable)")
	doc := fs.String("doc", "docs/BENCHMARKS.md", "the Markdown file whose generated section is replaced (appended when it has none)")
	title := fs.String("title", "The whole journey over HTTP, against pgbench (`make bench`)", "the section's title")
	label := fs.String("label", "", "what was measured, e.g. a commit")
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	if len(loads) == 0 && len(pgbenches) == 0 {
		fmt.Fprintf(out.Stderr, "contest %s: give --load and --pgbench reports\n", cmd)
		return ExitUsage
	}
	s := loadtest.Summary{Title: *title, Notes: notes, Label: *label, When: time.Now()}
	for _, path := range loads {
		r, err := loadtest.ReadJSON(path)
		if err != nil {
			return fail(out, cmd, err)
		}
		s.Load = append(s.Load, r)
	}
	for _, path := range pgbenches {
		r, err := loadtest.ReadPgbenchJSON(path)
		if err != nil {
			return fail(out, cmd, err)
		}
		s.Pgbench = append(s.Pgbench, r)
	}
	if len(s.Load) > 0 {
		s.When = s.Load[0].Started
	}
	old, err := os.ReadFile(*doc)
	if err != nil {
		return fail(out, cmd, err)
	}
	updated, err := loadtest.ReplaceSection(string(old), s.Markdown())
	if err != nil {
		return fail(out, cmd, fmt.Errorf("%s: %w", *doc, err))
	}
	if err := os.WriteFile(*doc, []byte(updated), 0o644); err != nil {
		return fail(out, cmd, err)
	}
	fmt.Fprintf(out.Stdout, "contest %s: %s updated\n", cmd, *doc)
	_ = ctx
	return ExitOK
}

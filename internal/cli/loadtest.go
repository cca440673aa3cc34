package cli

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/loadtest"
	"github.com/dxcontest/contest-platform/internal/store"
)

func loadtestCommand() Command {
	return groupCommand("loadtest", "Play contestants against a running web app and measure it (docs/BENCHMARKS.md).", []Command{
		{Name: "prepare", Summary: loadtestPrepareSummary, Run: runLoadtestPrepare},
		{Name: "run", Summary: loadtestRunSummary, Run: runLoadtestRun},
		{Name: "pgbench-script", Summary: pgbenchScriptSummary, Run: runPgbenchScript},
		{Name: "pgbench", Summary: pgbenchRunSummary, Run: runPgbench},
		{Name: "summarize", Summary: summarizeSummary, Run: runSummarize},
	})
}

const loadtestPrepareSummary = "Insert people with one known password (hashed once) and write a rounds file of open rounds."

func runLoadtestPrepare(ctx context.Context, args []string, out IO) int {
	const cmd = "loadtest prepare"
	fs := newFlagSet(cmd, loadtestPrepareSummary, out)
	dsn := databaseFlag(fs)
	contest := fs.String("contest", loadtest.SampleContest, "contest ID of the people and rounds")
	first := fs.Int("first", 0, "number of the first person (people are numbered: phone 09 + 8 digits)")
	people := fs.Int("people", 0, "how many people to insert (already present ones are kept)")
	password := fs.String("password", loadtest.DefaultPassword, "everyone's password (not a secret: load tests only)")
	roundsFile := fs.String("rounds-file", "", "write open rounds to this YAML file, for contest web --rounds-file")
	var rounds stringList
	fs.Var(&rounds, "round", "name of a round to write (repeatable)")
	openFor := fs.Duration("open-for", 24*time.Hour, "how long the rounds stay open from now")
	timeLimit := fs.Duration("time-limit", 30*time.Minute, "the rounds' time limit per attempt")
	maxAttempts := fs.Int("max-attempts", 3, "the rounds' attempt cap")
	migrate := fs.Bool("migrate", false, "apply database migrations first")
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	if (*roundsFile == "") != (len(rounds) == 0) {
		fmt.Fprintf(out.Stderr, "contest %s: --rounds-file and --round go together\n", cmd)
		return ExitUsage
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()
	if *migrate {
		if _, err := store.Migrate(ctx, pool); err != nil {
			return fail(out, cmd, err)
		}
	}
	b, err := loadtest.PrepareData(ctx, pool, *contest)
	if err != nil {
		return fail(out, cmd, err)
	}
	if *people > 0 {
		n, err := loadtest.PreparePeople(ctx, pool, *contest, *first, *people, *password)
		if err != nil {
			return fail(out, cmd, err)
		}
		fmt.Fprintf(out.Stdout, "contest %s: people %d to %d ready (%d new)\n", cmd, *first, *first+*people-1, n)
	}
	if *roundsFile != "" {
		if err := loadtest.WriteRounds(*roundsFile, loadtest.RoundsOptions{Contest: *contest, Names: rounds, OpenFor: *openFor,
			TimeLimit: *timeLimit, MaxAttempts: *maxAttempts, Bank: b}); err != nil {
			return fail(out, cmd, err)
		}
		fmt.Fprintf(out.Stdout, "contest %s: %s written (%s)\n", cmd, *roundsFile, strings.Join(rounds, ", "))
	}
	return ExitOK
}

const loadtestRunSummary = "Register, sign in and take attempts as phone browsers do; measure, check in SQL, enforce bounds."

func runLoadtestRun(ctx context.Context, args []string, out IO) int {
	const cmd = "loadtest run"
	fs := newFlagSet(cmd, loadtestRunSummary, out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage:\n  contest loadtest run --url URL --round NAME --people N [flags]\n\n"+
			"Phases, in order: registration (--register), sign-in (--people), the exam flow (--model),\n"+
			"the synchronized start (--burst). Exits 1 when a bound breaks or the SQL check fails.\n\nFlags:\n", loadtestRunSummary)
		fs.PrintDefaults()
	}
	site := fs.String("url", "", "the web app's address, e.g. http://127.0.0.1:8080 or https://staging.example.vn")
	var rounds, p99s, watches, trees stringList
	fs.Var(&rounds, "round", "a round the exam flow takes attempts in (repeatable)")
	burstRound := fs.String("burst-round", "", "the round of the synchronized start (its people must have no attempt in it)")
	namespace := fs.String("namespace", "default", "the rounds' namespace (their key in the database is namespace/name)")
	maxAttempts := fs.Int("max-attempts", 3, "the rounds' attempt cap")
	password := fs.String("password", loadtest.DefaultPassword, "the prepared people's password")
	peopleFrom := fs.Int("people-from", 0, "number of the first prepared person to sign in")
	people := fs.Int("people", 0, "how many prepared people sign in (then take attempts)")
	registerFrom := fs.Int("register-from", 900000, "number of the first person to register")
	register := fs.Int("register", 0, "how many people register through the registration page first")
	concurrency := fs.Int("concurrency", 16, "people acting at once in registration, sign-in and the closed model")
	model := fs.String("model", "closed", "the exam flow's model: closed (--concurrency phones looping), open (--rate arrivals a second) or none")
	rate := fs.Float64("rate", 0, "the open model's arrivals a second (Poisson)")
	duration := fs.Duration("duration", 30*time.Second, "how long the exam flow phase runs")
	flows := fs.Int("flows", 0, "stop the exam flow phase after this many flows (0: only --duration)")
	maxInFlight := fs.Int("max-in-flight", 10000, "the open model's flows at once; arrivals beyond are dropped (failures)")
	burst := fs.Int("burst", 0, "how many signed-in people press start together in --burst-round")
	burstWindow := fs.Duration("burst-window", 5*time.Second, "the window the burst's people press start within")
	think := fs.Duration("think", 0, "pause between a person's requests in the exam flow")
	saves := fs.Int("saves", 3, "autosaves per attempt before the submit")
	gap := fs.Duration("person-gap", 2*time.Second, "least time between two flows of one person (the app allows 3 requests a second per person)")
	timeout := fs.Duration("timeout", 30*time.Second, "timeout of each request")
	forwarded := fs.Bool("forwarded-for", false, "send X-Forwarded-For with one address per person, as an ingress does (the app must trust this machine with --trusted-proxy)")
	maxConns := fs.Int("max-conns", 0, "bound on connections to the site (0: one per request in flight)")
	dsn := fs.String("dsn", "", "PostgreSQL connection string of the app's database: check afterwards that every acknowledged submit is stored once and nobody is over the cap (default: env "+databaseURLEnv+"; \"none\" skips the check)")
	fs.Var(&p99s, "max-p99", "bound on a step's 99th percentile, STEP=DURATION, e.g. flow.submit=500ms (repeatable)")
	maxErrors := fs.Int("max-errors", 0, "bound on failed requests of all phases together (-1: none)")
	jsonOut := fs.String("json", "", "write the report as JSON to this file")
	fs.Var(&watches, "watch", "report the CPU of a process per phase, NAME=PID, e.g. app=1234 (repeatable)")
	cpuProfile := fs.String("cpu-profile", "", "write the tool's own CPU profile to this file (to keep the tool cheap)")
	fs.Var(&trees, "watch-tree", "report the CPU of a process and its children per phase, NAME=PID, e.g. postgres=PID of the postmaster (repeatable)")
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	bounds := loadtest.Bounds{MaxErrors: *maxErrors}
	var problems []string
	for _, s := range p99s {
		if err := bounds.ParseP99(s); err != nil {
			problems = append(problems, "--max-p99 "+err.Error())
		}
	}
	var ws []loadtest.Watch
	for i, list := range []stringList{watches, trees} {
		for _, s := range list {
			w, err := loadtest.ParseWatch(s, i == 1)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			ws = append(ws, w)
		}
	}
	if *site == "" {
		problems = append(problems, "--url is required")
	}
	if len(problems) > 0 {
		fmt.Fprintf(out.Stderr, "contest %s: %s\n", cmd, strings.Join(problems, "; "))
		return ExitUsage
	}
	cfg := loadtest.Config{
		Client: loadtest.ClientOptions{BaseURL: *site, Timeout: *timeout, ForwardedFor: *forwarded, MaxConns: *maxConns},
		Rounds: rounds, BurstRound: *burstRound, MaxAttempts: *maxAttempts, Password: *password,
		PeopleFrom: *peopleFrom, People: *people, RegisterFrom: *registerFrom, Register: *register,
		Concurrency: *concurrency, Model: *model, Rate: *rate, Duration: *duration, Flows: *flows, MaxInFlight: *maxInFlight,
		Burst: *burst, BurstWindow: *burstWindow, Flow: loadtest.FlowOptions{Think: *think, Saves: *saves},
		PersonGap: *gap, Watches: ws, Log: out.Stderr,
	}
	// The database, when given, is opened first: the check counts the attempts started
	// from the database clock's reading now.
	if *dsn == "" {
		*dsn = os.Getenv(databaseURLEnv)
	}
	var pool *pgxpool.Pool
	var since time.Time
	if *dsn != "" && *dsn != "none" {
		var code int
		var ok bool
		if pool, code, ok = openDatabase(ctx, cmd, *dsn, out); !ok {
			return code
		}
		defer pool.Close()
		var err error
		if since, err = loadtest.DatabaseNow(ctx, pool); err != nil {
			return fail(out, cmd, err)
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fail(out, cmd, err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail(out, cmd, err)
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := loadtest.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(out.Stderr, "contest %s: %v\n", cmd, err)
		return ExitUsage
	}
	if pool != nil {
		all := append([]string{}, rounds...)
		if *burstRound != "" {
			all = append(all, *burstRound)
		}
		// The check is not cut short by the Ctrl-C that stopped the run.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		defer cancel()
		if rep.Check, err = loadtest.Check(cctx, pool, since, *namespace, all, *maxAttempts, rep.Acknowledged, rep.Unknown); err != nil {
			return fail(out, cmd, err)
		}
	}
	return finishRun(out, cmd, rep, bounds, *jsonOut)
}

// finishRun applies the bounds, prints and writes the report, and says how the run ends.
func finishRun(out IO, cmd string, rep *loadtest.Report, bounds loadtest.Bounds, jsonOut string) int {
	rep.Breaches = bounds.Breaches(rep)
	loadtest.WriteText(out.Stdout, rep)
	if jsonOut != "" {
		if err := loadtest.WriteJSON(jsonOut, rep); err != nil {
			return fail(out, cmd, err)
		}
	}
	switch {
	case rep.Check != nil && !rep.Check.OK:
		fmt.Fprintf(out.Stderr, "contest %s: the SQL check failed: %s\n", cmd, strings.Join(rep.Check.Problems(), "; "))
		return ExitError
	case len(rep.Breaches) > 0:
		fmt.Fprintf(out.Stderr, "contest %s: bounds broken: %s\n", cmd, strings.Join(rep.Breaches, "; "))
		return ExitError
	}
	return ExitOK
}

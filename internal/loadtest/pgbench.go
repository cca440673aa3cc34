package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// PgbenchOptions is one pgbench run of the flow script (flowsql).
type PgbenchOptions struct {
	// Pgbench is the pgbench program (PostgreSQL's; the server's version is best).
	Pgbench string
	// DSN is libpq's connection string for pgbench (no pgx-only parameters such as
	// pool_max_conns); Pool is the same database, for finding the people and the settings.
	DSN    string
	Pool   *pgxpool.Pool
	Script string
	// Contest and First: the people are the prepared people First, First+1, … of the
	// contest, Clients × Transactions of them, with consecutive database ids.
	Contest      string
	First        int
	Clients      int
	Jobs         int
	Transactions int
	// Postgres is the postmaster, whose tree's CPU is measured (optional).
	Postgres *Watch
}

// PgbenchReport is what one pgbench run measured.
type PgbenchReport struct {
	Started      time.Time `json:"started"`
	Clients      int       `json:"clients"`
	Transactions int       `json:"transactions_per_client"`
	Processed    int       `json:"processed"`
	Failed       int       `json:"failed"`
	Seconds      float64   `json:"seconds"`
	// PerSecond is pgbench's tps without the connections' start-up: flows a second.
	PerSecond  float64 `json:"per_second"`
	LatencyAvg float64 `json:"latency_avg_ms"`
	// PostgresCPU is the server's CPU over the run and per flow.
	PostgresCPU CPUUse            `json:"postgres_cpu"`
	LoadPeak    float64           `json:"loadavg1_peak"`
	Settings    map[string]string `json:"settings"`
	Output      string            `json:"output"`
}

var (
	processedPattern = regexp.MustCompile(`number of transactions actually processed: (\d+)`)
	failedPattern    = regexp.MustCompile(`number of failed transactions: (\d+)`)
	tpsPattern       = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	latencyPattern   = regexp.MustCompile(`latency average = ([0-9.]+) ms`)
)

// RunPgbench runs pgbench on the flow script and measures the server's CPU around it.
func RunPgbench(ctx context.Context, o PgbenchOptions) (*PgbenchReport, error) {
	if o.Clients <= 0 || o.Transactions <= 0 {
		return nil, fmt.Errorf("pgbench needs clients and transactions")
	}
	if o.Jobs <= 0 {
		o.Jobs = 1
	}
	n := o.Clients * o.Transactions
	if err := checkRange("pgbench people", o.First, n); err != nil {
		return nil, err
	}
	// The script numbers people by database id: the range must be whole and consecutive.
	var lo, hi, count int64
	if err := o.Pool.QueryRow(ctx, `SELECT coalesce(min(id), 0), coalesce(max(id), 0), count(*) FROM contestant
		WHERE contest_id = $1 AND phone BETWEEN $2 AND $3`, o.Contest, Phone(o.First), Phone(o.First+n-1)).Scan(&lo, &hi, &count); err != nil {
		return nil, fmt.Errorf("find the people: %w", err)
	}
	if count != int64(n) || hi-lo+1 != int64(n) {
		return nil, fmt.Errorf("people %d to %d: %d found with ids %d to %d; prepare %d people in one go (contest loadtest prepare --first %d --people %d)",
			o.First, o.First+n-1, count, lo, hi, n, o.First, n)
	}
	rep := &PgbenchReport{Started: time.Now(), Clients: o.Clients, Transactions: o.Transactions, Settings: map[string]string{}}
	for _, s := range []string{"server_version", "fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "max_connections"} {
		var v string
		if err := o.Pool.QueryRow(ctx, "SELECT current_setting($1)", s).Scan(&v); err == nil {
			rep.Settings[s] = v
		}
	}
	args := []string{"-n", "-M", "prepared", "-c", strconv.Itoa(o.Clients), "-j", strconv.Itoa(o.Jobs),
		"-t", strconv.Itoa(o.Transactions), "-D", "first=" + strconv.FormatInt(lo, 10),
		"-D", "per_client=" + strconv.Itoa(o.Transactions), "-D", "seq=0", "-f", o.Script, o.DSN}
	var before, after time.Duration
	var werr error
	if o.Postgres != nil {
		before, werr = ProcessCPU(*o.Postgres)
	}
	load := sampleLoad(ctx)
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, o.Pgbench, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	rep.Seconds = time.Since(start).Seconds()
	rep.LoadPeak, _ = load.finish()
	if o.Postgres != nil && werr == nil {
		after, werr = ProcessCPU(*o.Postgres)
	}
	rep.Output = out.String()
	if err != nil {
		return rep, fmt.Errorf("pgbench: %w\n%s", err, tail(rep.Output, 20))
	}
	number := func(re *regexp.Regexp) float64 {
		m := re.FindStringSubmatch(rep.Output)
		if m == nil {
			return -1
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	rep.Processed, rep.Failed = int(number(processedPattern)), max(int(number(failedPattern)), 0)
	rep.PerSecond, rep.LatencyAvg = number(tpsPattern), number(latencyPattern)
	if rep.Processed < 0 || rep.PerSecond < 0 {
		return rep, fmt.Errorf("pgbench's output has no result:\n%s", tail(rep.Output, 20))
	}
	rep.PostgresCPU = CPUUse{Name: "postgres"}
	switch {
	case o.Postgres == nil:
		rep.PostgresCPU.Error = "not measured"
	case werr != nil:
		rep.PostgresCPU.Error = werr.Error()
	default:
		rep.PostgresCPU.Seconds = (after - before).Seconds()
		if rep.Processed > 0 {
			rep.PostgresCPU.PerOp = float64((after - before).Microseconds()) / float64(rep.Processed)
		}
	}
	if rep.Failed > 0 || rep.Processed < n {
		return rep, fmt.Errorf("pgbench processed %d of %d flows (%d failed):\n%s", rep.Processed, n, rep.Failed, tail(rep.Output, 20))
	}
	return rep, nil
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

// Package benchmeter measures what benchmarks against the test PostgreSQL report besides
// time: CPU per operation of the process and of the server, and statements and round trips
// per operation (a pgx tracer).
package benchmeter

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// CPU is CPU time used so far by this process (client and, in webapp, the app) and by
// the test PostgreSQL server: with CONTEST_PG_DIR (hack/with-postgres.sh) the postmaster,
// its live children and the children it has reaped (exited backends). On 2 shared cores
// this says where the work goes better than the wall clock does.
type CPU struct {
	self, pg time.Duration
	pgKnown  bool
}

func ReadCPU() CPU {
	var u CPU
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		u.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	dir := os.Getenv("CONTEST_PG_DIR")
	if dir == "" {
		return u
	}
	raw, err := os.ReadFile(dir + "/data/postmaster.pid")
	if err != nil {
		return u
	}
	pm := strings.SplitN(string(raw), "\n", 2)[0]
	// /proc/PID/stat after the command's ")": state ppid ... utime(14) stime cutime cstime, in ticks of 10 ms.
	stat := func(pid string) []string {
		s, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			return nil
		}
		f := strings.Fields(string(s[bytes.LastIndexByte(s, ')')+1:]))
		if len(f) < 15 {
			return nil
		}
		return f
	}
	ticks := func(fs ...string) time.Duration {
		var t int64
		for _, f := range fs {
			n, _ := strconv.ParseInt(f, 10, 64)
			t += n
		}
		return time.Duration(t) * 10 * time.Millisecond
	}
	f := stat(pm)
	if f == nil {
		return u
	}
	u.pg, u.pgKnown = ticks(f[11], f[12], f[13], f[14]), true
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		if c := stat(e.Name()); c != nil && c[1] == pm {
			u.pg += ticks(c[11], c[12])
		}
	}
	return u
}

// reportCPU reports the CPU time per operation used between two readings.
func ReportCPU(b *testing.B, before, after CPU, selfName string) {
	n := float64(b.N)
	b.ReportMetric(float64((after.self-before.self).Microseconds())/n, selfName)
	if before.pgKnown && after.pgKnown {
		b.ReportMetric(float64((after.pg-before.pg).Microseconds())/n, "pg-CPU-µs/op")
	}
}

// Counter counts the statements a pool sends and the round trips they take: a query is
// one, a batch (pipelined statements) is one for all its statements. A statement's first
// use on a connection takes one more (pgx prepares it), not counted.
type Counter struct{ Stmts, Trips atomic.Int64 }

func (c *Counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.Stmts.Add(1)
	c.Trips.Add(1)
	return ctx
}

func (c *Counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *Counter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.Trips.Add(1)
	return ctx
}

func (c *Counter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	c.Stmts.Add(1)
}

func (c *Counter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// Quiesce closes the pools' idle connections and waits until no backend is left in the
// database: a backend flushes its statistics when it exits, so pg_stat_database is then
// exact for everything done so far. admin is a connection to another database.
func Quiesce(b *testing.B, admin *pgx.Conn, database string, pools ...*pgxpool.Pool) {
	b.Helper()
	for _, p := range pools {
		p.Reset()
	}
	ctx := context.Background()
	for deadline := time.Now().Add(15 * time.Second); ; {
		var n int
		if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = $1`, database).Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			// Let the postmaster reap them too: their CPU time then counts as its
			// children's (ReadCPU), before the timed part rather than in it.
			time.Sleep(100 * time.Millisecond)
			return
		}
		if time.Now().After(deadline) {
			b.Logf("%d backends still in %s; xacts/op may be off", n, database)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

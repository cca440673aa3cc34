package flowsql_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dxcontest/contest-platform/internal/loadtest"
	"github.com/dxcontest/contest-platform/internal/loadtest/flowsql"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// pgbenchProgram finds pgbench as hack/pg.sh finds the server: PG_BIN, Debian's newest
// /usr/lib/postgresql/*/bin, then PATH. The postgresql package the tests need has it.
func pgbenchProgram(t *testing.T) string {
	t.Helper()
	var dirs []string
	if d := os.Getenv("PG_BIN"); d != "" {
		dirs = append(dirs, d)
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(found)))
	dirs = append(dirs, found...)
	for _, d := range dirs {
		if p := filepath.Join(d, "pgbench"); isExecutable(p) {
			return p
		}
	}
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p
	}
	t.Fatal("pgbench not found (PG_BIN, /usr/lib/postgresql/*/bin, PATH): it comes with PostgreSQL's server package, which the tests need anyway")
	return ""
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode()&0o111 != 0
}

// The script recorded from the app is one pgbench accepts and runs: two clients take one
// flow each, as new people, and their attempts end submitted with the recorded answers.
func TestRecordedFlowRunsInPgbench(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Empty(t)
	pool := pgtest.Connect(t, dsn)
	if _, err := store.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, err := loadtest.PrepareData(ctx, pool, loadtest.SampleContest); err != nil {
		t.Fatal(err)
	}
	// The pgbench people first, as make bench does; the recording person comes after.
	if _, err := loadtest.PreparePeople(ctx, pool, loadtest.SampleContest, 0, 2, ""); err != nil {
		t.Fatal(err)
	}
	flow, err := flowsql.Record(ctx, flowsql.Options{DSN: dsn, Contest: loadtest.SampleContest, Namespace: "bench", Round: "pgbench", Person: 9999})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	script, err := flow.Script(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	// The statements are the store's own text: the start, an autosave, the submit's.
	for _, want := range []string{
		"RETURNING id, attempt_no, started_at, deadline, now()\n\\gset\n",
		"UPDATE attempt SET answers = answers || ",
		"\\startpipeline\nBEGIN;\n",
		"WHERE id = :id AND contestant_id = :cid FOR UPDATE;\n",
		"COMMIT;\n\\endpipeline\n",
		"-- POST /attempts/:id/submit\n",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("the script lacks %q:\n%s", want, script)
		}
	}
	path := filepath.Join(t.TempDir(), "flow.pgbench")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := loadtest.RunPgbench(ctx, loadtest.PgbenchOptions{Pgbench: pgbenchProgram(t), DSN: dsn, Pool: pool, Script: path,
		Contest: loadtest.SampleContest, First: 0, Clients: 2, Jobs: 1, Transactions: 1})
	if err != nil {
		t.Fatalf("pgbench: %v", err)
	}
	if rep.Processed != 2 || rep.Settings["synchronous_commit"] == "" {
		t.Fatalf("report: %+v", rep)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM attempt a JOIN contestant c ON c.id = a.contestant_id
		WHERE a.round = 'bench/pgbench' AND a.status = 'submitted' AND a.prediction = 987654 AND c.phone IN ($1, $2)
		AND jsonb_typeof(a.answers) = 'object' AND a.answers <> '{}'`, loadtest.Phone(0), loadtest.Phone(1)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("%d submitted attempts of the pgbench people, want 2", n)
	}
}

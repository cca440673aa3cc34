package cli

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/loadtest"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// startWeb runs `contest web` on the rounds file until the test ends and returns its URL.
func startWeb(t *testing.T, rounds string, extra ...string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		args := append([]string{"web", "--listen", addr, "--rounds-file", rounds, "--namespace", "lt",
			"--secure-cookies=false", "--drain-delay", "0s", "--challenge-bits", "8"}, extra...)
		if code, _, stderr := runCLIContext(ctx, args...); code != ExitOK {
			t.Errorf("contest web: exit %d: %s", code, stderr)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return "http://" + addr
			}
		}
	}
	t.Fatal("contest web did not get ready")
	return ""
}

// The commands as an engineer runs them: prepare people and rounds, serve them with
// `contest web`, play them with `contest loadtest run`: a small closed-model run passes
// its bounds and the SQL check; a breached bound makes it fail, saying which.
func TestLoadtestCommandsAgainstContestWeb(t *testing.T) {
	dsn := pgtest.Empty(t)
	t.Setenv(databaseURLEnv, dsn)
	t.Setenv(secretKeyEnv, strings.Repeat("s", 40))
	dir := t.TempDir()
	rounds := filepath.Join(dir, "rounds.yaml")
	if code, stdout, stderr := runCLI(t, "loadtest", "prepare", "--migrate", "--people", "12", "--rounds-file", rounds,
		"--round", "r1", "--round", "burst"); code != ExitOK || !strings.Contains(stdout, "people 0 to 11 ready (12 new)") {
		t.Fatalf("prepare: exit %d\n%s%s", code, stdout, stderr)
	}
	site := startWeb(t, rounds, "--trusted-proxy", "127.0.0.1")
	report := filepath.Join(dir, "run.json")
	code, stdout, stderr := runCLI(t, "loadtest", "run", "--url", site, "--namespace", "lt", "--round", "r1",
		"--people", "12", "--register", "2", "--concurrency", "4", "--flows", "8", "--duration", "2m",
		"--burst", "4", "--burst-round", "burst", "--burst-window", "100ms", "--forwarded-for",
		"--max-p99", "flow.submit=1m", "--max-errors", "0", "--json", report)
	if code != ExitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"flow.submit", "burst.delivered", "check: every one of 8 acknowledged submits is stored once"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stdout)
		}
	}
	rep, err := loadtest.ReadJSON(report)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Check == nil || !rep.Check.OK || len(rep.Breaches) != 0 {
		t.Fatalf("report: check %+v, breaches %v", rep.Check, rep.Breaches)
	}
	if flow, ok := rep.Phase("flow"); !ok || flow.Done != 8 || flow.Errors() != 0 {
		t.Fatalf("flow phase: %+v", flow)
	}

	// The same people's second attempt, bounded beyond reach: exit 1, naming the bound.
	code, _, stderr = runCLI(t, "loadtest", "run", "--url", site, "--namespace", "lt", "--round", "r1",
		"--people", "4", "--concurrency", "2", "--flows", "2", "--max-p99", "flow.submit=1us", "--max-p99", "burst.exam=1s")
	if code != ExitError || !strings.Contains(stderr, "p99 of flow.submit is") || !strings.Contains(stderr, "over its bound of 1µs") ||
		!strings.Contains(stderr, "p99 of burst.exam: bounded to 1s but nothing was measured") {
		t.Fatalf("breached bounds: exit %d: %s", code, stderr)
	}
}

// Flags the tool cannot use are refused before any request (exit 2), with what to write.
func TestLoadtestRunRefusesBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--round", "r1", "--people", "1"}, "--url is required"},
		{[]string{"--url", "http://127.0.0.1:1", "--people", "1", "--round", "r", "--max-p99", "flow.nothing=1s"}, `no step "flow.nothing"`},
		{[]string{"--url", "http://127.0.0.1:1", "--people", "1", "--round", "r", "--max-p99", "flow.submit"}, "want STEP=DURATION"},
		{[]string{"--url", "http://127.0.0.1:1", "--people", "1", "--round", "r", "--watch", "app"}, "want NAME=PID"},
		{[]string{"--url", "http://127.0.0.1:1/exam", "--people", "1", "--round", "r", "--dsn", "none"}, "with no path"},
		{[]string{"--url", "http://127.0.0.1:1", "--people", "1", "--model", "open", "--round", "r", "--dsn", "none"}, "the open model needs --rate"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, append([]string{"loadtest", "run"}, tt.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q; want %q", tt.args, code, stderr, tt.want)
		}
	}
}

// Package image checks what the container image relies on, without a Docker engine: the
// Dockerfile's build command makes a static binary, and that binary serves the exam web app
// from an empty working directory (templates and assets are embedded).
package image

import (
	"bufio"
	"context"
	"debug/elf"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// buildCommand reads the Dockerfile's `go build` RUN line.
func buildCommand(t *testing.T, root string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if strings.HasPrefix(line, "RUN ") && strings.Contains(line, "go build") {
			return strings.TrimPrefix(line, "RUN ")
		}
	}
	t.Fatal("no go build RUN line in the Dockerfile")
	return ""
}

func TestDockerfileBuildsAStaticSelfContainedBinary(t *testing.T) {
	root, err := kubetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cmdline := strings.ReplaceAll(buildCommand(t, root), "/out/contest", filepath.Join(out, "contest"))
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmdline, err, b)
	}
	bin := filepath.Join(out, "contest")
	ef, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ef.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("the binary is dynamically linked: it would not run on distroless/static")
		}
	}
	ef.Close()

	// Serve from an empty directory, with only what a pod would have: env and flags.
	dsn := pgtest.Empty(t)
	run := func(args ...string) *exec.Cmd {
		c := exec.Command(bin, args...)
		c.Dir = t.TempDir()
		c.Env = []string{"CONTEST_DATABASE_URL=" + dsn, "CONTEST_SECRET_KEY=" + strings.Repeat("k", 40)}
		return c
	}
	for _, args := range [][]string{{"migrate"}, {"bank", "import", "--sample"}, {"locality", "import", "--contest", "demo", "--sample"}} {
		if b, err := run(args...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, b)
		}
	}
	rounds := filepath.Join(t.TempDir(), "rounds.yaml")
	now := time.Now()
	if err := os.WriteFile(rounds, []byte(fmt.Sprintf(`apiVersion: contest.dxcontest.io/v1alpha1
kind: ContestRound
metadata: {name: dot-1}
spec:
  contest: {id: demo, title: "Tìm hiểu về chuyển đổi số"}
  title: Đợt 1
  opensAt: %q
  closesAt: %q
  exam:
    bank: {name: mau, version: 1}
    topics: [{topic: tong-quan, questions: 15}]
`, now.Add(-time.Hour).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	web := run("web", "--listen", addr, "--rounds-file", rounds, "--secure-cookies=false")
	if err := web.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = web.Process.Kill(); _ = web.Wait() })

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, path := range []string{"/", "/static/app.css", "/static/app.js", "/register"} {
		var resp *http.Response
		for {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
			resp, err = http.DefaultClient.Do(req)
			if err == nil || ctx.Err() != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s from an empty directory: %s", path, resp.Status)
		}
	}
}

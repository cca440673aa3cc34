package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

const openRoundYAML = `apiVersion: contest.dxcontest.io/v1alpha1
kind: ContestRound
metadata:
  name: dot-1
spec:
  contest: {id: cds-binhthuan-2024, title: "Tìm hiểu về chuyển đổi số"}
  title: Đợt 1
  opensAt: "%s"
  closesAt: "%s"
  exam:
    bank: {name: mau, version: 1}
    topics:
      - {topic: tong-quan, questions: 3}
      - {topic: chinh-phu, questions: 3}
      - {topic: tinh, questions: 3}
      - {topic: nen-tang-so, questions: 3}
      - {topic: an-toan-thong-tin, questions: 3}
`

// `contest web` as an engineer runs it without a cluster: rounds from a file, the DSN and
// secret from the environment; it serves, and stops cleanly on SIGTERM (ctx).
func TestWebCommandServesAndDrains(t *testing.T) {
	dsn := pgtest.Empty(t)
	t.Setenv(databaseURLEnv, dsn)
	t.Setenv(secretKeyEnv, strings.Repeat("s", 40))
	for _, args := range [][]string{{"migrate"}, {"bank", "import", "--sample"}, {"locality", "import", "--contest", "cds-binhthuan-2024", "--sample"}} {
		if code, _, stderr := runCLI(t, args...); code != ExitOK {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	rounds := filepath.Join(t.TempDir(), "rounds.yaml")
	now := time.Now()
	body := fmt.Sprintf(openRoundYAML, now.Add(-time.Hour).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(rounds, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}

	addr, pprofAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		code, _, stderr := runCLIContext(ctx, "web", "--listen", addr, "--rounds-file", rounds, "--namespace", "contest",
			"--secure-cookies=false", "--drain-delay", "200ms", "--pprof-listen", pprofAddr)
		if code != ExitOK {
			t.Logf("web stderr: %s", stderr)
		}
		done <- code
	}()
	var page string
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page = string(b)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(page, "Đợt 1") || !strings.Contains(page, "Đang mở") {
		t.Fatalf("landing page: %.300s", page)
	}
	// Profiles on their own loopback listener, never on the app's.
	if body := get(t, "http://"+pprofAddr+"/debug/pprof/goroutine?debug=1", http.StatusOK); !strings.Contains(body, "goroutine profile") {
		t.Fatalf("pprof listener: %.200s", body)
	}
	get(t, "http://"+addr+"/debug/pprof/", http.StatusNotFound)
	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Fatalf("exit %d after SIGTERM", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("did not stop")
	}
}

func TestWebCommandRefusesBadSetup(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "rounds.yaml")
	if err := os.WriteFile(bad, []byte(fmt.Sprintf(openRoundYAML, "2024-09-01T00:00:00+07:00", "2024-08-17T00:00:00+07:00")), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"no secret key", map[string]string{secretKeyEnv: ""}, nil, ExitUsage, secretKeyEnv + " is not set"},
		{"short secret key", map[string]string{secretKeyEnv: "short"}, nil, ExitUsage, "too short"},
		{"profiles on a public address", map[string]string{secretKeyEnv: strings.Repeat("s", 40)},
			[]string{"--pprof-listen", ":6060"}, ExitUsage, "only a loopback address"},
		{"bad rounds file", map[string]string{secretKeyEnv: strings.Repeat("s", 40), databaseURLEnv: "postgres://u@127.0.0.1:1/x"},
			[]string{"--rounds-file", bad}, ExitUsage, "closesAt must be later than opensAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, _, stderr := runCLI(t, append([]string{"web"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("code %d stderr %q", code, stderr)
			}
			if tt.name == "bad rounds file" && !strings.Contains(stderr, "rounds.yaml") {
				t.Fatalf("the error does not name the file: %q", stderr)
			}
		})
	}
}

// get fetches url and checks the status.
func get(t *testing.T, url string, want int) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d: %.200s", url, resp.StatusCode, want, b)
	}
	return string(b)
}

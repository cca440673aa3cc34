// Package storm plays crowds against the built `contest web` binary from another process
// and reads what the server process spent, as the kernel counts it.
package storm

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/pow"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// stormSize is how many people sign in at the same moment; peakMemory is what the web
// process may reach meanwhile (its chart limit is 512 MiB).
const (
	stormSize  = 200
	peakMemory = 256 << 20
)

// server is a running `contest web`.
type server struct {
	url string
	cmd *exec.Cmd
}

func startWeb(t *testing.T, extraArgs ...string) (*server, string) {
	t.Helper()
	root, err := kubetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "contest")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dsn := pgtest.Empty(t)
	env := []string{"CONTEST_DATABASE_URL=" + dsn, "CONTEST_SECRET_KEY=" + strings.Repeat("k", 40), "HOME=" + t.TempDir()}
	for _, args := range [][]string{{"migrate"}, {"bank", "import", "--sample"}, {"locality", "import", "--contest", "demo", "--sample"}} {
		c := exec.Command(bin, args...)
		c.Env = env
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
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
	args := append([]string{"web", "--listen", addr, "--rounds-file", rounds, "--secure-cookies=false", "--challenge-bits", "1"}, extraArgs...)
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	s := &server{url: "http://" + addr, cmd: cmd}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("contest web is not ready: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return s, dsn
}

// peakRSS is the process's high-water mark of resident memory (VmHWM), in bytes.
func (s *server) peakRSS(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no VmHWM in /proc/PID/status")
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

var challengePattern = regexp.MustCompile(`name="challenge" value="([^"]+)" data-bits="(\d+)"`)

// signIn is one phone signing in: the page, its proof of work, the form.
func signIn(base, login, pw string) (status int, retryAfter string, err error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/signin")
	if err != nil {
		return 0, "", err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := challengePattern.FindSubmatch(page)
	if m == nil {
		return 0, "", fmt.Errorf("no challenge on the sign-in page (%d)", resp.StatusCode)
	}
	token := string(m[1])
	bits, _ := strconv.Atoi(string(m[2]))
	form := url.Values{"login": {login}, "password": {pw}, "challenge": {token}, "work": {pow.Solve(token, bits)}}
	req, _ := http.NewRequest(http.MethodPost, base+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err = client.Do(req)
	if err != nil {
		return 0, "", err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After"), nil
}

// Two hundred people signing in at the same moment: argon2id takes 19 MiB per check, and
// the web app admits only what its budget holds, so its memory stays bounded; whoever
// cannot be served in time gets 503 with Retry-After, never another error.
func TestSigninStormStaysWithinMemory(t *testing.T) {
	s, dsn := startWeb(t)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Everyone has an account of their own (one hash: hashing 200 would take seconds).
	hash := password.Hash("mat-khau-bi-mat")
	rows := make([][]any, stormSize)
	for i := range rows {
		rows[i] = []any{"demo", fmt.Sprintf("%012d", i+1), fmt.Sprintf("09%08d", i+1), "Người dự thi " + strconv.Itoa(i+1),
			time.Date(1992, 3, 15, 0, 0, 0, 0, time.UTC), "female", "official", "", "22963", hash}
	}
	if _, err := conn.CopyFrom(context.Background(), pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "organization", "locality_code", "password_hash"},
		pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	before := s.peakRSS(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[string]int{}
	start := make(chan struct{})
	for i := range stormSize {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			pw := "mat-khau-bi-mat"
			if i%4 == 0 {
				pw = "sai-mat-khau" // some typos, as in any crowd
			}
			status, retry, err := signIn(s.url, fmt.Sprintf("09%08d", i+1), pw)
			key := strconv.Itoa(status)
			switch {
			case err != nil:
				key = "error: " + err.Error()
			case status == http.StatusServiceUnavailable && retry == "":
				key = "503 without Retry-After"
			}
			mu.Lock()
			statuses[key]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	peak := s.peakRSS(t)
	t.Logf("answers: %v; peak RSS %d MiB before, %d MiB after %d concurrent sign-ins", statuses, before>>20, peak>>20, stormSize)
	for k, n := range statuses {
		if k != "303" && k != "401" && k != "429" && k != "503" {
			t.Errorf("%d sign-ins answered %s", n, k)
		}
	}
	if statuses["303"] == 0 {
		t.Error("nobody signed in")
	}
	if peak > peakMemory {
		t.Errorf("peak RSS %d MiB during %d concurrent sign-ins, over %d MiB", peak>>20, stormSize, peakMemory>>20)
	}
}

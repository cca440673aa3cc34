// Package demo runs `make demo`'s program the way a newcomer does and checks the promise:
// serving within 60 s, a round that opens, closes and is ranked, and nothing left running
// however it ends: Ctrl-C, its terminal closing, or the demo (or the `go run` above it)
// being killed outright.
package demo

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
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
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/pow"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

func TestDemoRunsAWholeContest(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo takes about 90 s")
	}
	d := startDemo(t, false, "-opens-in", "3s", "-lasts", "5s")
	for _, want := range []string{"Contest:", "Console:", "Watch it:", "kubectl get contestrounds", "Report:", "report --round dot-demo"} {
		if !strings.Contains(d.banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, d.banner)
		}
	}
	signInToTheConsole(t, d.banner)

	// The round opens, closes, drains (30 s after the close) and is ranked.
	c, err := client.New(d.kube, client.Options{Scheme: kubetest.NewScheme()})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	var phase contestv1alpha1.RoundPhase
	for time.Now().Before(deadline) {
		var r contestv1alpha1.ContestRound
		if err := c.Get(context.Background(), client.ObjectKey{Namespace: "contest", Name: "dot-demo"}, &r); err == nil {
			phase = r.Status.Phase
			if phase == contestv1alpha1.PhaseRanked {
				break
			}
		}
		time.Sleep(time.Second)
	}
	if phase != contestv1alpha1.PhaseRanked {
		t.Fatalf("the demo round is %s, not Ranked, 2 minutes later", phase)
	}

	// Ctrl-C stops everything: the process exits cleanly, the database and API server are gone.
	if err := d.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.exited:
		if err != nil {
			t.Fatalf("demo exited with %v after Ctrl-C", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo still running 30 s after Ctrl-C")
	}
	d.assertNothingLeft(t, "Ctrl-C", 5*time.Second)
}

// However the demo ends, it takes PostgreSQL, etcd and kube-apiserver with it.
func TestDemoLeavesNothingRunning(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the demo four times")
	}
	tests := []struct {
		name    string
		goRun   bool // started as `make demo` starts it, under `go run`
		signal  syscall.Signal
		toGroup bool // the signal goes to the whole process group, as a closing terminal sends it
		within  time.Duration
	}{
		// The demo stops as on Ctrl-C: it exits by itself, with status 0.
		{name: "terminal closed", signal: syscall.SIGHUP, toGroup: true, within: 30 * time.Second},
		// make and go die of the hangup; the demo under them stops as above.
		{name: "terminal of make demo closed", goRun: true, signal: syscall.SIGHUP, toGroup: true, within: 30 * time.Second},
		{name: "demo killed", signal: syscall.SIGKILL, within: 10 * time.Second},
		// `go run` does not pass signals on to the program it runs.
		{name: "go run killed", goRun: true, signal: syscall.SIGKILL, within: 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := startDemo(t, tt.goRun)
			pid := d.cmd.Process.Pid
			if tt.toGroup {
				pid = -pid
			}
			if err := syscall.Kill(pid, tt.signal); err != nil {
				t.Fatal(err)
			}
			if tt.signal == syscall.SIGHUP && !tt.goRun {
				select {
				case err := <-d.exited:
					if err != nil {
						t.Errorf("demo exited with %v after %s, want a clean stop", err, tt.signal)
					}
				case <-time.After(tt.within):
					t.Fatalf("demo still running %s after %s", tt.within, tt.signal)
				}
			}
			d.assertNothingLeft(t, tt.signal.String(), tt.within)
		})
	}
}

// demoBinary is built once by TestMain.
var demoBinary string

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "demo-test")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		root, err := kubetest.ModuleRoot()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		demoBinary = filepath.Join(dir, "demo")
		build := exec.Command("go", "build", "-o", demoBinary, "./hack/demo")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build demo: %v\n%s", err, out)
			return 1
		}
		return m.Run()
	}())
}

// demo is one running demo, serving.
type demo struct {
	cmd    *exec.Cmd
	exited chan error // receives cmd.Wait's result
	banner string
	web    string // host:port of the web app
	kube   *rest.Config
	pgAddr string
	// mark is in the environment of every process the demo starts (they inherit it), so
	// whatever survives the demo can be found in /proc.
	mark string
}

func startDemo(t *testing.T, goRun bool, flags ...string) *demo {
	t.Helper()
	root, err := kubetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	web := l.Addr().String()
	l.Close()

	args := append([]string{"-listen", web}, flags...)
	cmd := exec.Command(demoBinary, args...)
	if goRun {
		cmd = exec.Command("go", append([]string{"run", "./hack/demo"}, args...)...)
	}
	cmd.Dir = root
	// Its own process group, as a shell gives a job, so a signal to the group reaches only it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var b [8]byte
	_, _ = rand.Read(b[:])
	mark := "CONTEST_DEMO_TEST_MARK=" + hex.EncodeToString(b[:])
	cmd.Env = append(os.Environ(), mark)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &demo{cmd: cmd, exited: make(chan error, 1), web: web, mark: mark}
	go func() { d.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		killMarked(mark)
	})

	banner := make(chan string, 1)
	go func() {
		var b strings.Builder
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			b.WriteString(s.Text() + "\n")
			if strings.Contains(s.Text(), "Stop:") {
				banner <- b.String()
			}
		}
	}()
	select {
	case d.banner = <-banner:
	case err := <-d.exited:
		t.Fatalf("the demo exited before printing its banner: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the demo did not print its banner within 60 s")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second-time.Since(start))
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+web+"/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("not serving within 60 s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("serving %s after %s", web, time.Since(start).Round(100*time.Millisecond))

	d.kube, err = clientcmd.BuildConfigFromFlags("", filepath.Join(root, "tmp", "demo", "kubeconfig"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`127\.0\.0\.1:(\d+)/postgres`).FindStringSubmatch(d.banner)
	if m == nil {
		t.Fatalf("banner names no database:\n%s", d.banner)
	}
	d.pgAddr = "127.0.0.1:" + m[1]
	return d
}

// assertNothingLeft waits up to within for the demo's processes and ports to be gone.
func (d *demo) assertNothingLeft(t *testing.T, after string, within time.Duration) {
	t.Helper()
	kube := d.kube.Host[strings.LastIndex(d.kube.Host, "/")+1:]
	var left []string
	for end := time.Now().Add(within); ; time.Sleep(200 * time.Millisecond) {
		left = nil
		for _, p := range marked(d.mark) {
			left = append(left, fmt.Sprintf("process %d: %s", p.pid, p.cmdline))
		}
		for _, a := range []string{d.web, kube, d.pgAddr} {
			if conn, err := net.DialTimeout("tcp", a, time.Second); err == nil {
				conn.Close()
				left = append(left, a+" still answers")
			}
		}
		if len(left) == 0 || time.Now().After(end) {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("%s after %s:\n%s", within, after, strings.Join(left, "\n"))
	}
}

type process struct {
	pid     int
	cmdline string
}

// marked lists the live processes whose environment holds mark.
func marked(mark string) []process {
	entries, _ := os.ReadDir("/proc")
	var out []process
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !bytes.Contains(env, []byte(mark+"\x00")) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		out = append(out, process{pid, strings.TrimSpace(string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))})
	}
	return out
}

// killMarked cleans up after a failed test, so one failure does not leave servers behind.
func killMarked(mark string) {
	for _, p := range marked(mark) {
		_ = syscall.Kill(p.pid, syscall.SIGKILL)
	}
}

var (
	consoleLine = regexp.MustCompile(`Console:\s+(http://\S+/console)\s+user (\S+), one-time password (\S+) `)
	challenge   = regexp.MustCompile(`name="challenge" value="([^"]+)" data-bits="(\d+)"`)
)

// signInToTheConsole signs in with the account and one-time password the banner prints: the
// console asks for a new password first, as it does for any one-time password.
func signInToTheConsole(t *testing.T, banner string) {
	t.Helper()
	m := consoleLine.FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("the banner names no console account:\n%s", banner)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(m[1] + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ch := challenge.FindSubmatch(page)
	if ch == nil {
		t.Fatalf("no challenge on the console's sign-in page: %d", resp.StatusCode)
	}
	bits, _ := strconv.Atoi(string(ch[2]))
	form := url.Values{"username": {m[2]}, "password": {m[3]}, "challenge": {string(ch[1])}, "work": {pow.Solve(string(ch[1]), bits)}}
	req, _ := http.NewRequest(http.MethodPost, m[1]+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/password" {
		t.Fatalf("console sign-in with the printed password: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Package demo runs `make demo`'s program the way a newcomer does and checks the promise:
// serving within 60 s, a round that opens, closes and is ranked, and Ctrl-C leaving nothing
// running.
package demo

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

func TestDemoRunsAWholeContest(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo takes about 90 s")
	}
	root, err := kubetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "demo")
	build := exec.Command("go", "build", "-o", bin, "./hack/demo")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build demo: %v\n%s", err, out)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()

	start := time.Now()
	cmd := exec.Command(bin, "-listen", addr, "-opens-in", "3s", "-lasts", "5s")
	cmd.Dir = root
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })

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
	var text string
	select {
	case text = <-banner:
	case <-time.After(60 * time.Second):
		t.Fatal("the demo did not print its banner within 60 s")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second-time.Since(start))
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/", nil)
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
	t.Logf("serving %s after %s", addr, time.Since(start).Round(100*time.Millisecond))
	for _, want := range []string{"Contest:", "Watch it:", "kubectl get contestrounds", "Report:", "report --round dot-demo"} {
		if !strings.Contains(text, want) {
			t.Errorf("banner lacks %q:\n%s", want, text)
		}
	}

	// The round opens, closes, drains (one attempt length: 1 minute) and is ranked.
	cfg, err := clientcmd.BuildConfigFromFlags("", filepath.Join(root, "tmp", "demo", "kubeconfig"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(cfg, client.Options{Scheme: kubetest.NewScheme()})
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

	// Ctrl-C stops everything: the process exits, the database and API server are gone.
	pgPort := regexp.MustCompile(`127\.0\.0\.1:(\d+)/postgres`).FindStringSubmatch(text)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo exited with %v after Ctrl-C", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo still running 30 s after Ctrl-C")
	}
	for _, a := range []string{addr, cfg.Host[strings.LastIndex(cfg.Host, "/")+1:], "127.0.0.1:" + pgPort[1]} {
		if conn, err := net.DialTimeout("tcp", a, time.Second); err == nil {
			conn.Close()
			t.Errorf("%s still answers after Ctrl-C", a)
		}
	}
}

package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

// `contest manager` as a platform engineer runs it: found through KUBECONFIG, probes served,
// a round in its namespace reconciled, and a clean exit on cancellation (SIGTERM).
func TestManagerCommandRunsAgainstAnAPIServer(t *testing.T) {
	env, err := kubetest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kubeconfig, env.KubeConfig(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", kubeconfig)

	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "contest"}}
	if err := env.Client.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	round := &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Name: "dot-1", Namespace: "contest"},
		Spec: contestv1alpha1.ContestRoundSpec{
			Contest:  contestv1alpha1.ContestRef{ID: "demo", Title: "Demo"},
			Title:    "Đợt 1",
			OpensAt:  metav1.NewTime(time.Now().Add(-time.Hour)),
			ClosesAt: metav1.NewTime(time.Now().Add(time.Hour)),
			Exam: contestv1alpha1.ExamRules{
				Bank:   contestv1alpha1.BankRef{Name: "mau", Version: 1},
				Topics: []contestv1alpha1.TopicQuota{{Topic: "tong-quan", Questions: 15}},
			},
		},
	}
	if err := env.Client.Create(ctx, round); err != nil {
		t.Fatal(err)
	}

	probe := freeAddr(t)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		code, _, stderr := runCLIContext(runCtx, "manager", "--namespace", "contest", "--health-probe-bind-address", probe, "--metrics-bind-address", "0")
		if code != ExitOK {
			t.Logf("manager stderr: %s", stderr)
		}
		done <- code
	}()

	deadline := time.Now().Add(20 * time.Second)
	var phase contestv1alpha1.RoundPhase
	for time.Now().Before(deadline) {
		var got contestv1alpha1.ContestRound
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(round), &got); err == nil && got.Status.Phase == contestv1alpha1.PhaseOpen {
			phase = got.Status.Phase
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if phase != contestv1alpha1.PhaseOpen {
		t.Fatal("the manager did not open the round within 20 s")
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + probe + path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", path, resp.Status)
		}
	}

	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Fatalf("manager exited %d after cancellation", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("manager did not stop within 30 s of cancellation")
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr())
}

// Bad ranking resources and namespace lists are refused at start, with the flag named, not
// when the first round closes and its Job is refused.
func TestManagerRefusesBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--rank-memory-limit=lots"}, "--rank-memory-limit=lots"},
		{[]string{"--rank-cpu-request=-1"}, "--rank-cpu-request=-1"},
		{[]string{"--rank-memory-request=2Gi", "--rank-memory-limit=1Gi"}, "memory request 2Gi is above its limit 1Gi"},
		{[]string{"--namespace=a,*"}, "* means every namespace"},
	} {
		code, _, stderr := runCLI(t, append([]string{"manager"}, tt.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("manager %v: exit %d, stderr %q; want %d and a message naming %q", tt.args, code, stderr, ExitUsage, tt.want)
		}
	}
}

func TestRankResourceFlags(t *testing.T) {
	res, err := resourceRequirements("250m", "", "1", "768Mi")
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests.Cpu().String() != "250m" || res.Requests.Memory().String() != "0" || res.Limits.Cpu().String() != "1" || res.Limits.Memory().String() != "768Mi" {
		t.Errorf("resources %+v", res)
	}
	if _, ok := res.Requests[corev1.ResourceMemory]; ok {
		t.Error("an empty flag must leave the request out")
	}
	for in, want := range map[string][]string{"": nil, "*": nil, " * ": nil, "a, b": {"a", "b"}} {
		got, err := watchNamespaces(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("--namespace=%q: %v, %v; want %v", in, got, err, want)
		}
	}
}

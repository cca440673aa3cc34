package controllers

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

// The suite runs on a real kube-apiserver and etcd. Reconcile tests call Reconcile directly
// with a fixed clock; manager tests run the whole manager against namespaces of their own.
var env *kubetest.Env

func TestMain(m *testing.M) {
	var err error
	env, err = kubetest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stop envtest:", err)
	}
	os.Exit(code)
}

var ict = time.FixedZone("ICT", 7*3600)

// testClock is a clock the test sets; safe for the manager's goroutines to read.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{now: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func newNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "ctrl-test-"}}
	if err := env.Client.Create(context.Background(), ns); err != nil {
		t.Fatalf("create namespace: %v", err)
	}
	return ns.Name
}

// newDeployment creates the exam web Deployment as the Helm chart would (replicas set).
func newDeployment(t *testing.T, ns, name string, replicas int32) *appsv1.Deployment {
	t.Helper()
	labels := map[string]string{"app": name}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "contest:test", Args: []string{"web"}}}},
			},
		},
	}
	if err := env.Client.Create(context.Background(), d); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	return d
}

func replicasOf(t *testing.T, ns, name string) int32 {
	t.Helper()
	var d appsv1.Deployment
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &d); err != nil {
		t.Fatalf("get deployment: %v", err)
	}
	return *d.Spec.Replicas
}

// roundSpec is the plan's round 1 with the given window and web target.
func newRound(t *testing.T, ns, name string, opens, closes time.Time, mutate ...func(*contestv1alpha1.ContestRound)) *contestv1alpha1.ContestRound {
	t.Helper()
	r := &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: contestv1alpha1.ContestRoundSpec{
			Contest:  contestv1alpha1.ContestRef{ID: "cds-binhthuan-2024", Title: "Tìm hiểu về chuyển đổi số"},
			Title:    name,
			OpensAt:  metav1.NewTime(opens),
			ClosesAt: metav1.NewTime(closes),
			Exam: contestv1alpha1.ExamRules{
				Bank:      contestv1alpha1.BankRef{Name: "mau", Version: 1},
				Topics:    []contestv1alpha1.TopicQuota{{Topic: "tong-quan", Questions: 15}},
				TimeLimit: &metav1.Duration{Duration: 30 * time.Minute},
			},
			Web: &contestv1alpha1.WebScaling{
				Deployment:     "contest-web",
				OpenReplicas:   ptr.To[int32](3),
				ClosedReplicas: ptr.To[int32](1),
				Prewarm:        &metav1.Duration{Duration: time.Hour},
			},
		},
	}
	for _, m := range mutate {
		m(r)
	}
	if err := env.Client.Create(context.Background(), r); err != nil {
		t.Fatalf("create round %s: %v", name, err)
	}
	return r
}

func getRound(t *testing.T, ns, name string) *contestv1alpha1.ContestRound {
	t.Helper()
	var r contestv1alpha1.ContestRound
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &r); err != nil {
		t.Fatalf("get round: %v", err)
	}
	return &r
}

// eventually polls cond until it holds or the timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last string
	for time.Now().Before(deadline) {
		ok, detail := cond()
		if ok {
			return
		}
		last = detail
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s; last: %s", timeout, what, last)
}

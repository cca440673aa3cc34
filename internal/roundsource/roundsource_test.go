package roundsource

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

func TestFromFiles(t *testing.T) {
	root, err := kubetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	samples := []string{
		filepath.Join(root, "config/samples/contest_v1alpha1_contestround_dot1.yaml"),
		filepath.Join(root, "config/samples/contest_v1alpha1_contestround_dot2.yaml"),
	}
	s, err := FromFiles(context.Background(), samples, "contest")
	if err != nil {
		t.Fatal(err)
	}
	rounds, _ := s.Rounds(context.Background())
	if len(rounds) != 2 || rounds[0].Namespace != "contest" || rounds[1].Spec.Exam.AttemptsAllowed() != 3 {
		t.Fatalf("rounds %+v", rounds)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	raw, _ := os.ReadFile(samples[0])
	if err := os.WriteFile(bad, []byte(strings.Replace(string(raw), "maxAttempts: 3", "maxAttempts: 0", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = FromFiles(context.Background(), []string{bad}, "contest")
	if err == nil || !strings.Contains(err.Error(), "bad.yaml") || !strings.Contains(err.Error(), "spec.exam.maxAttempts") {
		t.Fatalf("bad file: %v", err)
	}
}

func TestKubeFollowsTheAPI(t *testing.T) {
	env, err := kubetest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "contest"}}); err != nil {
		t.Fatal(err)
	}
	round := &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Name: "dot-1", Namespace: "contest"},
		Spec: contestv1alpha1.ContestRoundSpec{
			Contest: contestv1alpha1.ContestRef{ID: "demo", Title: "Demo"}, Title: "Đợt 1",
			OpensAt: metav1.NewTime(time.Now()), ClosesAt: metav1.NewTime(time.Now().Add(time.Hour)),
			Exam: contestv1alpha1.ExamRules{Bank: contestv1alpha1.BankRef{Name: "mau", Version: 1},
				Topics: []contestv1alpha1.TopicQuota{{Topic: "tong-quan", Questions: 15}}},
		},
	}
	if err := env.Client.Create(ctx, round); err != nil {
		t.Fatal(err)
	}
	k, err := NewKube(ctx, env.Config, "contest")
	if err != nil {
		t.Fatal(err)
	}
	rounds, err := k.Rounds(ctx)
	if err != nil || len(rounds) != 1 || rounds[0].Spec.Title != "Đợt 1" {
		t.Fatalf("rounds %v, %v", rounds, err)
	}
	// Unchanged rounds are the same shared list, not a copy per read.
	if again, _ := k.Rounds(ctx); &again[0] != &rounds[0] {
		t.Fatal("a second read without a change listed the rounds again")
	}
	round.Spec.Suspend = true
	if err := env.Client.Update(ctx, round); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		rounds, _ = k.Rounds(ctx)
		if len(rounds) == 1 && rounds[0].Spec.Suspend {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	var got contestv1alpha1.ContestRound
	_ = env.Client.Get(ctx, client.ObjectKeyFromObject(round), &got)
	t.Fatalf("the cache never saw suspend (API has %v)", got.Spec.Suspend)
}

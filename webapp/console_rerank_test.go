package webapp

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/roundsource"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

// An editor asks for a new ranking from the console, with a reason: the round's re-rank
// annotation changes on a real API server, the request is in the audit log, and the page
// follows the ranking while it runs.
func TestConsoleRerank(t *testing.T) {
	if testing.Short() {
		t.Skip("needs a kube-apiserver")
	}
	ctrllog.SetLogger(logr.Discard()) // the round cache logs through controller-runtime
	kube, err := kubetest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kube.Stop() })
	ctx := context.Background()
	if err := kube.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "contest"}}); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	round := testRound("dot-0", time.Now().Add(-96*time.Hour), time.Now().Add(-48*time.Hour), 30*time.Minute)
	if err := kube.Client.Create(ctx, &round); err != nil {
		t.Fatal(err)
	}
	round.Status = rankedStatus(true)
	if err := kube.Client.Status().Update(ctx, &round); err != nil {
		t.Fatal(err)
	}
	source, err := roundsource.NewKube(ctx, kube.Config, "contest")
	if err != nil {
		t.Fatal(err)
	}
	e.reconfigure(func(c *Config) { c.Rounds = source })
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	b := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")

	page := b.get("/console/rounds/dot-0")
	if !strings.Contains(page.body, "Xếp hạng lại") || !strings.Contains(page.raw, `action="/console/rounds/dot-0/rerank"`) {
		t.Fatalf("the round page offers no re-rank: %d", page.status)
	}
	if r := b.consolePost("/console/rounds/dot-0", "/console/rounds/dot-0/rerank", url.Values{"reason": {"ngắn"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "ghi lý do") {
		t.Fatalf("a re-rank without a real reason: %d %s", r.status, alertOf(r.body))
	}
	reason := "Đã đánh dấu 2 người thuộc Sở TT&TT không được xét giải"
	r := b.consolePost("/console/rounds/dot-0", "/console/rounds/dot-0/rerank", url.Values{"reason": {reason}})
	if r.status != http.StatusSeeOther || r.location != "/console/rounds/dot-0?done=rerank" {
		t.Fatalf("re-rank: %d %q %s", r.status, r.location, alertOf(r.body))
	}
	var got contestv1alpha1.ContestRound
	if err := kube.Client.Get(ctx, client.ObjectKey{Namespace: "contest", Name: "dot-0"}, &got); err != nil {
		t.Fatal(err)
	}
	token := got.Annotations[contestv1alpha1.RerankAnnotation]
	if !strings.HasSuffix(token, "-dieu.hanh") {
		t.Fatalf("re-rank annotation %q", token)
	}
	if a := e.lastAudit(); a.Action != "results.rerank" || a.Actor != "dieu.hanh" || a.Reason != reason || !strings.Contains(string(a.After), token) {
		t.Errorf("audit entry: %+v", a)
	}
	if done := b.get("/console/rounds/dot-0?done=rerank"); !strings.Contains(done.raw, `http-equiv="refresh"`) {
		t.Error("the page does not follow the new ranking")
	}
	// While the Job ranks, the page says so in Vietnamese and keeps following it.
	got.Status.Phase = contestv1alpha1.PhaseRanking
	got.Status.Conditions = []metav1.Condition{{Type: contestv1alpha1.ConditionRankingComplete, Status: metav1.ConditionFalse,
		Reason: contestv1alpha1.ReasonJobRunning, Message: "Job dot-0-rank-1a2b is ranking the round", LastTransitionTime: metav1.Now()}}
	if err := kube.Client.Status().Update(ctx, &got); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		p := b.get("/console/rounds/dot-0")
		if strings.Contains(p.body, "Đang xếp hạng") && strings.Contains(p.raw, `http-equiv="refresh"`) && strings.Contains(p.body, "is ranking the round") {
			if strings.Contains(p.raw, `action="/console/rounds/dot-0/rerank"`) {
				t.Error("a round being ranked offers another re-rank")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page does not show the running ranking:\n%s", p.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Rounds served from files cannot be re-ranked from the console.
	e.reconfigure(func(c *Config) { c.Rounds = e.rounds })
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(true) })
	b = e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	if r := b.consolePost("/console/rounds/dot-0", "/console/rounds/dot-0/rerank", url.Values{"reason": {reason}}); r.status != http.StatusConflict || !strings.Contains(r.body, "contest rank") {
		t.Errorf("re-rank of a round from a file: %d %s", r.status, alertOf(r.body))
	}
}

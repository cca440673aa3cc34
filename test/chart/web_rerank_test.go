package chart

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// The web app's service account may ask for a new ranking of a round of its namespace and
// nothing else: RBAC lets it patch ContestRounds, the chart's admission policy refuses any
// change but the re-rank annotation, and the status stays the operator's.
func TestWebMayOnlyAskForARanking(t *testing.T) {
	out, err := helmTemplate(t)
	if err != nil {
		t.Fatal(err)
	}
	objs := objects(t, out)
	applyRBAC(t, objs)
	ctx := context.Background()
	for _, kind := range []string{"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"} {
		obj := find(t, objs, kind, release+"-"+namespace+"-web-rerank-only").DeepCopy()
		if err := env.Client.Patch(ctx, obj, client.Apply, client.FieldOwner("rerank-test"), client.ForceOwnership); err != nil {
			t.Fatalf("apply %s: %v", kind, err)
		}
		t.Cleanup(func() { _ = env.Client.Delete(ctx, obj) })
	}
	round := &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Name: "rerank-round", Namespace: namespace, Annotations: map[string]string{"note": "kept"}},
		Spec: contestv1alpha1.ContestRoundSpec{
			Contest: contestv1alpha1.ContestRef{ID: "rerank", Title: "Re-rank"}, Title: "Đợt 1",
			OpensAt: metav1.NewTime(time.Now().Add(-2 * time.Hour)), ClosesAt: metav1.NewTime(time.Now().Add(-time.Hour)),
			Exam: contestv1alpha1.ExamRules{Bank: contestv1alpha1.BankRef{Name: "mau", Version: 1},
				Topics: []contestv1alpha1.TopicQuota{{Topic: "tong-quan", Questions: 15}}},
		},
	}
	if err := env.Client.Create(ctx, round); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Client.Delete(ctx, round) })
	web := impersonating(t, "system:serviceaccount:"+namespace+":"+release+"-web")
	patch := func(body string) error {
		return web.Patch(ctx, &contestv1alpha1.ContestRound{ObjectMeta: metav1.ObjectMeta{Name: round.Name, Namespace: namespace}},
			client.RawPatch(types.MergePatchType, []byte(body)))
	}

	// The policy takes a moment to reach the admission chain after it is created.
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := patch(`{"spec":{"title":"Đợt khác"}}`)
		if err != nil && strings.Contains(err.Error(), "may not change a round's spec") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the web app changed a round's spec: %v", err)
		}
		_ = env.Client.Patch(ctx, round, client.RawPatch(types.MergePatchType, []byte(`{"spec":{"title":"Đợt 1"}}`)))
		time.Sleep(200 * time.Millisecond)
	}
	if err := patch(`{"metadata":{"annotations":{"contest.dxcontest.io/rerank":"20261203-150000-btc"}}}`); err != nil {
		t.Fatalf("the web app asks for a new ranking: %v", err)
	}
	for body, want := range map[string]string{
		`{"metadata":{"annotations":{"note":"changed"}}}`:                 "only set the annotation contest.dxcontest.io/rerank",
		`{"metadata":{"annotations":{"note":null}}}`:                      "only set the annotation contest.dxcontest.io/rerank",
		`{"metadata":{"annotations":{"contest.dxcontest.io/other":"x"}}}`: "only set the annotation contest.dxcontest.io/rerank",
		`{"metadata":{"labels":{"tier":"gold"}}}`:                         "may not change a round's labels",
		`{"spec":{"suspend":true}}`:                                       "may not change a round's spec",
		`{"spec":{"closesAt":"2030-01-01T00:00:00+07:00"}}`:               "may not change a round's spec",
	} {
		if err := patch(body); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("patch %s: %v, want a refusal saying %q", body, err, want)
		}
	}
	// The status is the operator's: no RBAC for it.
	st := &contestv1alpha1.ContestRound{ObjectMeta: metav1.ObjectMeta{Name: round.Name, Namespace: namespace}}
	if err := web.Status().Patch(ctx, st, client.RawPatch(types.MergePatchType, []byte(`{"status":{"phase":"Ranked"}}`))); err == nil || !strings.Contains(err.Error(), "forbidden") {
		t.Errorf("the web app wrote a round's status: %v", err)
	}
	var got contestv1alpha1.ContestRound
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(round), &got); err != nil {
		t.Fatal(err)
	}
	if got.Annotations[contestv1alpha1.RerankAnnotation] != "20261203-150000-btc" || got.Annotations["note"] != "kept" || got.Spec.Title != "Đợt 1" || got.Spec.Suspend {
		t.Errorf("the round after the web app's requests: %v %+v", got.Annotations, got.Spec)
	}
}

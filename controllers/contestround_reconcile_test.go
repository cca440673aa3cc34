package controllers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

var (
	opens1  = time.Date(2024, 8, 17, 0, 0, 0, 0, ict)
	closes1 = time.Date(2024, 9, 1, 0, 0, 0, 0, ict)
	opens2  = time.Date(2024, 9, 9, 0, 0, 0, 0, ict)
	closes2 = time.Date(2024, 9, 24, 0, 0, 0, 0, ict)
)

// harness is a reconciler on the real API server with a fixed clock and a recorder that
// keeps every event, so a test can count them.
type harness struct {
	t        *testing.T
	r        *ContestRoundReconciler
	clock    *testClock
	recorder *events.FakeRecorder
}

func newHarness(t *testing.T, now time.Time) *harness {
	t.Helper()
	metrics, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	clock := newTestClock(now)
	rec := events.NewFakeRecorder(100)
	return &harness{t: t, clock: clock, recorder: rec, r: &ContestRoundReconciler{
		Client: env.Client, Scheme: env.Scheme, Clock: clock, Recorder: rec, Metrics: metrics, Location: contestv1alpha1.TimeZone(),
	}}
}

func (h *harness) reconcileAt(now time.Time, ns, name string) ctrl.Result {
	h.t.Helper()
	h.clock.Set(now)
	res, err := h.r.Reconcile(context.Background(), ctrl.Request{NamespacedName: types.NamespacedName{Namespace: ns, Name: name}})
	if err != nil {
		h.t.Fatalf("Reconcile at %s: %v", now, err)
	}
	return res
}

// events drains the events recorded so far, as "Type Reason note".
func (h *harness) events() []string {
	var out []string
	for {
		select {
		case e := <-h.recorder.Events:
			out = append(out, e)
		default:
			return out
		}
	}
}

func reasons(evs []string) []string {
	var out []string
	for _, e := range evs {
		if f := strings.Fields(e); len(f) > 1 {
			out = append(out, f[1])
		}
	}
	return out
}

// TestReconcileAtEveryBoundary walks one round across prewarm, opening, closing and drain,
// asserting phase, status, replicas and the exact RequeueAfter at and around each boundary.
func TestReconcileAtEveryBoundary(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	newRound(t, ns, "dot-1", opens1, closes1)
	h := newHarness(t, opens1.Add(-48*time.Hour))

	prewarm := opens1.Add(-time.Hour)
	drained := closes1.Add(schedule.SettleDelay) // attempts end at closesAt at the latest
	steps := []struct {
		name       string
		now        time.Time
		phase      contestv1alpha1.RoundPhase
		requeue    time.Duration
		replicas   int32
		openReason string
		wantEvents []string
	}{
		{"two days before", opens1.Add(-48 * time.Hour), contestv1alpha1.PhaseScheduled, 47 * time.Hour, 1, contestv1alpha1.ReasonNotYetOpen, []string{EventRoundScheduled}},
		{"a nanosecond before prewarm", prewarm.Add(-1), contestv1alpha1.PhaseScheduled, 1, 1, contestv1alpha1.ReasonNotYetOpen, nil},
		{"at prewarm", prewarm, contestv1alpha1.PhaseScheduled, time.Hour, 3, contestv1alpha1.ReasonNotYetOpen, []string{EventScaledUp}},
		{"a nanosecond before opening", opens1.Add(-1), contestv1alpha1.PhaseScheduled, 1, 3, contestv1alpha1.ReasonNotYetOpen, nil},
		{"at opening", opens1, contestv1alpha1.PhaseOpen, closes1.Sub(opens1), 3, contestv1alpha1.ReasonRoundOpen, []string{EventRoundOpened}},
		{"mid-round", opens1.Add(100 * time.Hour), contestv1alpha1.PhaseOpen, closes1.Sub(opens1) - 100*time.Hour, 3, contestv1alpha1.ReasonRoundOpen, nil},
		{"a nanosecond before closing", closes1.Add(-1), contestv1alpha1.PhaseOpen, 1, 3, contestv1alpha1.ReasonRoundOpen, nil},
		{"at closing", closes1, contestv1alpha1.PhaseClosed, schedule.SettleDelay, 3, contestv1alpha1.ReasonRoundClosed, []string{EventRoundClosed}},
		{"a nanosecond before drained", drained.Add(-1), contestv1alpha1.PhaseClosed, 1, 3, contestv1alpha1.ReasonRoundClosed, nil},
		{"at drained", drained, contestv1alpha1.PhaseClosed, 0, 1, contestv1alpha1.ReasonRoundClosed, []string{EventScaledDown}},
		{"a week later", drained.Add(7 * 24 * time.Hour), contestv1alpha1.PhaseClosed, 0, 1, contestv1alpha1.ReasonRoundClosed, nil},
	}
	for _, s := range steps {
		res := h.reconcileAt(s.now, ns, "dot-1")
		if res.RequeueAfter != s.requeue {
			t.Errorf("%s: RequeueAfter = %v, want exactly %v", s.name, res.RequeueAfter, s.requeue)
		}
		round := getRound(t, ns, "dot-1")
		st := round.Status
		if st.Phase != s.phase {
			t.Errorf("%s: phase %s, want %s", s.name, st.Phase, s.phase)
		}
		if got := replicasOf(t, ns, "contest-web"); got != s.replicas {
			t.Errorf("%s: replicas %d, want %d", s.name, got, s.replicas)
		}
		open := meta.FindStatusCondition(st.Conditions, contestv1alpha1.ConditionOpen)
		if open == nil || open.Reason != s.openReason || open.ObservedGeneration != round.Generation {
			t.Errorf("%s: Open condition %+v, want reason %s at generation %d", s.name, open, s.openReason, round.Generation)
		}
		if st.ObservedGeneration != round.Generation {
			t.Errorf("%s: observedGeneration %d, want %d", s.name, st.ObservedGeneration, round.Generation)
		}
		switch {
		case s.requeue == 0 && st.NextTransitionTime != nil:
			t.Errorf("%s: nextTransitionTime %v, want none", s.name, st.NextTransitionTime)
		case s.requeue > time.Second && (st.NextTransitionTime == nil || !st.NextTransitionTime.Time.Equal(s.now.Add(s.requeue))):
			t.Errorf("%s: nextTransitionTime %v, want %v", s.name, st.NextTransitionTime, s.now.Add(s.requeue))
		}
		if got := reasons(h.events()); strings.Join(got, ",") != strings.Join(s.wantEvents, ",") {
			t.Errorf("%s: events %v, want %v", s.name, got, s.wantEvents)
		}
	}

	final := getRound(t, ns, "dot-1").Status
	if final.OpenedAt == nil || !final.OpenedAt.Time.Equal(opens1) || final.ClosedAt == nil || !final.ClosedAt.Time.Equal(closes1) {
		t.Errorf("openedAt %v, closedAt %v: want the observed instants %v and %v", final.OpenedAt, final.ClosedAt, opens1, closes1)
	}
}

// A reconcile that finds nothing to change writes nothing and says nothing.
func TestReconcileIsQuietWhenNothingChanged(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	newRound(t, ns, "dot-1", opens1, closes1)
	h := newHarness(t, opens1)

	h.reconcileAt(opens1.Add(time.Minute), ns, "dot-1")
	h.events()
	before := getRound(t, ns, "dot-1").ResourceVersion
	for i := range 5 {
		h.reconcileAt(opens1.Add(time.Duration(2+i)*time.Minute), ns, "dot-1")
	}
	if after := getRound(t, ns, "dot-1").ResourceVersion; after != before {
		t.Errorf("status rewritten without a change: resourceVersion %s → %s", before, after)
	}
	if evs := h.events(); len(evs) != 0 {
		t.Errorf("events without a transition: %v", evs)
	}
}

// A round first seen in the middle of its window is open: the phase comes from the clock,
// not from having seen the opening.
func TestReconcileIsLevelTriggered(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	newRound(t, ns, "late", opens1, closes1)
	h := newHarness(t, opens1)
	res := h.reconcileAt(opens1.Add(72*time.Hour), ns, "late")
	if st := getRound(t, ns, "late").Status; st.Phase != contestv1alpha1.PhaseOpen || res.RequeueAfter != closes1.Sub(opens1.Add(72*time.Hour)) {
		t.Fatalf("phase %s, requeue %v", st.Phase, res.RequeueAfter)
	}
	if got := replicasOf(t, ns, "contest-web"); got != 3 {
		t.Fatalf("replicas %d, want 3", got)
	}
}

func TestSuspendClosesAtOnceAndResumes(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	newRound(t, ns, "dot-1", opens1, closes1)
	h := newHarness(t, opens1)
	h.reconcileAt(opens1.Add(time.Hour), ns, "dot-1")
	h.events()

	round := getRound(t, ns, "dot-1")
	round.Spec.Suspend = true
	if err := env.Client.Update(context.Background(), round); err != nil {
		t.Fatal(err)
	}
	now := opens1.Add(2 * time.Hour)
	res := h.reconcileAt(now, ns, "dot-1")
	st := getRound(t, ns, "dot-1").Status
	open := meta.FindStatusCondition(st.Conditions, contestv1alpha1.ConditionOpen)
	if st.Phase != contestv1alpha1.PhaseClosed || open.Reason != contestv1alpha1.ReasonSuspended || open.Status != metav1.ConditionFalse {
		t.Fatalf("suspended: phase %s, Open %+v", st.Phase, open)
	}
	if st.ClosedAt != nil {
		t.Errorf("a suspension is not the round's close: closedAt %v", st.ClosedAt)
	}
	if res.RequeueAfter != closes1.Sub(now) {
		t.Errorf("suspended: requeue %v, want %v", res.RequeueAfter, closes1.Sub(now))
	}
	if got := replicasOf(t, ns, "contest-web"); got != 3 {
		t.Errorf("suspended round keeps its capacity for a quick resume: replicas %d", got)
	}
	if got := reasons(h.events()); strings.Join(got, ",") != EventRoundSuspended {
		t.Errorf("events %v, want [%s]", got, EventRoundSuspended)
	}

	round = getRound(t, ns, "dot-1")
	round.Spec.Suspend = false
	if err := env.Client.Update(context.Background(), round); err != nil {
		t.Fatal(err)
	}
	h.reconcileAt(opens1.Add(3*time.Hour), ns, "dot-1")
	if st := getRound(t, ns, "dot-1").Status; st.Phase != contestv1alpha1.PhaseOpen {
		t.Fatalf("resumed: phase %s", st.Phase)
	}
	if got := reasons(h.events()); strings.Join(got, ",") != EventRoundResumed {
		t.Errorf("events %v, want [%s]", got, EventRoundResumed)
	}
}

func TestExtendingClosesAt(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	newRound(t, ns, "dot-1", opens1, closes1)
	h := newHarness(t, opens1)

	// Extending an open round moves the next boundary.
	h.reconcileAt(opens1.Add(time.Hour), ns, "dot-1")
	round := getRound(t, ns, "dot-1")
	extended := closes1.Add(48 * time.Hour)
	round.Spec.ClosesAt = metav1.NewTime(extended)
	if err := env.Client.Update(context.Background(), round); err != nil {
		t.Fatal(err)
	}
	now := closes1.Add(time.Hour) // past the old close, before the new one
	res := h.reconcileAt(now, ns, "dot-1")
	st := getRound(t, ns, "dot-1").Status
	if st.Phase != contestv1alpha1.PhaseOpen || res.RequeueAfter != extended.Sub(now) {
		t.Fatalf("extended: phase %s, requeue %v (want %v)", st.Phase, res.RequeueAfter, extended.Sub(now))
	}

	// Extending a round that already closed reopens it.
	h.reconcileAt(extended.Add(time.Minute), ns, "dot-1")
	if st := getRound(t, ns, "dot-1").Status; st.Phase != contestv1alpha1.PhaseClosed || st.ClosedAt == nil {
		t.Fatalf("after extended close: phase %s closedAt %v", st.Phase, st.ClosedAt)
	}
	round = getRound(t, ns, "dot-1")
	round.Spec.ClosesAt = metav1.NewTime(extended.Add(24 * time.Hour))
	if err := env.Client.Update(context.Background(), round); err != nil {
		t.Fatal(err)
	}
	h.reconcileAt(extended.Add(2*time.Minute), ns, "dot-1")
	if st := getRound(t, ns, "dot-1").Status; st.Phase != contestv1alpha1.PhaseOpen || st.ClosedAt != nil {
		t.Fatalf("reopened: phase %s closedAt %v", st.Phase, st.ClosedAt)
	}
}

// Several rounds on one Deployment: the largest want wins, whichever round reconciles.
func TestSeveralRoundsOnOneDeployment(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	newRound(t, ns, "dot-1", opens1, closes1, func(r *contestv1alpha1.ContestRound) { r.Spec.Web.OpenReplicas = ptr.To[int32](5) })
	newRound(t, ns, "dot-2", opens2, closes2, func(r *contestv1alpha1.ContestRound) {
		r.Spec.Web.OpenReplicas = ptr.To[int32](2)
		r.Spec.Web.ClosedReplicas = ptr.To[int32](0)
	})
	h := newHarness(t, opens1)

	tests := []struct {
		name     string
		now      time.Time
		round    string
		replicas int32
	}{
		{"round 1 open, reconciled by round 2", opens1.Add(time.Hour), "dot-2", 5},
		{"round 1 open, reconciled by round 1", opens1.Add(time.Hour), "dot-1", 5},
		{"between rounds: the larger closed want", closes1.Add(24 * time.Hour), "dot-2", 1},
		{"round 2 prewarm", opens2.Add(-time.Hour), "dot-2", 2},
		{"round 2 open, reconciled by round 1", opens2.Add(time.Hour), "dot-1", 2},
		{"after both", closes2.Add(time.Hour), "dot-1", 1},
	}
	for _, tt := range tests {
		h.reconcileAt(tt.now, ns, tt.round)
		if got := replicasOf(t, ns, "contest-web"); got != tt.replicas {
			t.Errorf("%s: replicas %d, want %d", tt.name, got, tt.replicas)
		}
	}
	// Overlapping windows: both open, the larger open want wins.
	round2 := getRound(t, ns, "dot-2")
	round2.Spec.OpensAt = metav1.NewTime(opens1.Add(24 * time.Hour))
	if err := env.Client.Update(context.Background(), round2); err != nil {
		t.Fatal(err)
	}
	h.reconcileAt(opens1.Add(48*time.Hour), ns, "dot-2")
	if got := replicasOf(t, ns, "contest-web"); got != 5 {
		t.Errorf("overlapping rounds: replicas %d, want 5", got)
	}
}

func TestMissingDeployment(t *testing.T) {
	ns := newNamespace(t)
	newRound(t, ns, "dot-1", opens1, closes1)
	h := newHarness(t, opens1)

	res := h.reconcileAt(opens1.Add(time.Minute), ns, "dot-1")
	st := getRound(t, ns, "dot-1").Status
	scaled := meta.FindStatusCondition(st.Conditions, contestv1alpha1.ConditionScaled)
	if st.Phase != contestv1alpha1.PhaseOpen || res.RequeueAfter != closes1.Sub(opens1.Add(time.Minute)) {
		t.Fatalf("a missing Deployment must not stop the round: phase %s requeue %v", st.Phase, res.RequeueAfter)
	}
	if scaled == nil || scaled.Status != metav1.ConditionFalse || scaled.Reason != contestv1alpha1.ReasonTargetMissing || !strings.Contains(scaled.Message, "contest-web") {
		t.Fatalf("Scaled condition %+v", scaled)
	}
	evs := h.events()
	h.reconcileAt(opens1.Add(2*time.Minute), ns, "dot-1")
	evs = append(evs, h.events()...)
	if n := strings.Count(strings.Join(reasons(evs), ","), EventTargetMissing); n != 1 {
		t.Errorf("TargetMissing events %d over two reconciles, want 1: %v", n, evs)
	}

	// Once the Deployment exists, the next reconcile scales it and clears the condition.
	newDeployment(t, ns, "contest-web", 1)
	h.reconcileAt(opens1.Add(3*time.Minute), ns, "dot-1")
	scaled = meta.FindStatusCondition(getRound(t, ns, "dot-1").Status.Conditions, contestv1alpha1.ConditionScaled)
	if scaled.Status != metav1.ConditionTrue || replicasOf(t, ns, "contest-web") != 3 {
		t.Fatalf("after creating the Deployment: %+v, replicas %d", scaled, replicasOf(t, ns, "contest-web"))
	}
}

// With an HPA on the Deployment, the operator raises the HPA's floor and leaves replicas
// to the autoscaler.
func TestHPATargetGetsMinReplicas(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 2)
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: "contest-web", Namespace: ns},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "contest-web"},
			MinReplicas:    ptr.To[int32](1),
			MaxReplicas:    4,
		},
	}
	if err := env.Client.Create(context.Background(), hpa); err != nil {
		t.Fatal(err)
	}
	newRound(t, ns, "dot-1", opens1, closes1, func(r *contestv1alpha1.ContestRound) { r.Spec.Web.OpenReplicas = ptr.To[int32](6) })
	h := newHarness(t, opens1)

	minOf := func() int32 {
		var got autoscalingv2.HorizontalPodAutoscaler
		if err := env.Client.Get(context.Background(), types.NamespacedName{Namespace: ns, Name: "contest-web"}, &got); err != nil {
			t.Fatal(err)
		}
		return *got.Spec.MinReplicas
	}
	h.reconcileAt(opens1.Add(time.Minute), ns, "dot-1")
	if got := minOf(); got != 4 {
		t.Errorf("open: HPA minReplicas %d, want 4 (6 capped at maxReplicas)", got)
	}
	if got := replicasOf(t, ns, "contest-web"); got != 2 {
		t.Errorf("the operator must not fight the HPA over replicas: %d", got)
	}
	scaled := meta.FindStatusCondition(getRound(t, ns, "dot-1").Status.Conditions, contestv1alpha1.ConditionScaled)
	if scaled.Reason != contestv1alpha1.ReasonHPAMinReplicasSet || !strings.Contains(scaled.Message, "capped at the HPA's maxReplicas 4") {
		t.Errorf("Scaled condition %+v", scaled)
	}
	h.reconcileAt(closes1.Add(time.Hour), ns, "dot-1")
	if got := minOf(); got != 1 {
		t.Errorf("drained: HPA minReplicas %d, want 1", got)
	}
}

func TestRoundWithoutWebScalingOnlyTracksPhase(t *testing.T) {
	ns := newNamespace(t)
	newRound(t, ns, "no-web", opens1, closes1, func(r *contestv1alpha1.ContestRound) { r.Spec.Web = nil })
	h := newHarness(t, opens1)
	res := h.reconcileAt(opens1.Add(-time.Minute), ns, "no-web")
	st := getRound(t, ns, "no-web").Status
	if st.Phase != contestv1alpha1.PhaseScheduled || res.RequeueAfter != time.Minute || meta.FindStatusCondition(st.Conditions, contestv1alpha1.ConditionScaled) != nil {
		t.Fatalf("phase %s requeue %v conditions %+v", st.Phase, res.RequeueAfter, st.Conditions)
	}
}

func TestDeletedRoundIsForgotten(t *testing.T) {
	h := newHarness(t, opens1)
	res := h.reconcileAt(opens1, "nowhere", "gone")
	if res.RequeueAfter != 0 {
		t.Fatalf("requeue %v for a round that does not exist", res.RequeueAfter)
	}
}

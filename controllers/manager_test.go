package controllers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/yaml"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// startManager runs the operator's manager, as `contest manager` wires it, watching only ns.
func startManager(t *testing.T, ns string, clock Clock) {
	t.Helper()
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:                 env.Scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Cache:                  cache.Options{DefaultNamespaces: map[string]cache.Config{ns: {}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := Register(mgr, Config{
		Clock:      clock,
		Registerer: prometheus.NewRegistry(),
		Controller: controller.Options{SkipNameValidation: ptr.To(true)},
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
	})
}

// poke stands in for the timer the reconciler asked for: after the test moves its clock,
// touching the round makes the manager reconcile it now instead of hours later.
func poke(t *testing.T, ns, name string) {
	t.Helper()
	round := getRound(t, ns, name)
	patch := client.MergeFrom(round.DeepCopy())
	n, _ := strconv.Atoi(round.Annotations["test/poke"])
	if round.Annotations == nil {
		round.Annotations = map[string]string{}
	}
	round.Annotations["test/poke"] = strconv.Itoa(n + 1)
	if err := env.Client.Patch(context.Background(), round, patch); err != nil {
		t.Fatal(err)
	}
}

func applySample(t *testing.T, ns, file string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(env.Root, "config", "samples", file))
	if err != nil {
		t.Fatal(err)
	}
	var round contestv1alpha1.ContestRound
	if err := yaml.Unmarshal(raw, &round); err != nil {
		t.Fatal(err)
	}
	round.Namespace = ns
	if err := env.Client.Create(context.Background(), &round); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, ns, name string, phase contestv1alpha1.RoundPhase, replicas int32) {
	t.Helper()
	eventually(t, 10*time.Second, fmt.Sprintf("%s to be %s with %d replicas", name, phase, replicas), func() (bool, string) {
		var r contestv1alpha1.ContestRound
		var d appsv1.Deployment
		if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &r); err != nil {
			return false, err.Error()
		}
		if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "contest-web"}, &d); err != nil {
			return false, err.Error()
		}
		return r.Status.Phase == phase && *d.Spec.Replicas == replicas,
			fmt.Sprintf("phase %s, replicas %d", r.Status.Phase, *d.Spec.Replicas)
	})
}

func eventReasons(t *testing.T, ns, round string) map[string]int {
	t.Helper()
	var list eventsv1.EventList
	if err := env.Client.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, e := range list.Items {
		if e.Regarding.Name == round && e.Regarding.Kind == "ContestRound" {
			counts[e.Reason]++
		}
	}
	return counts
}

// The plan's two rounds on one Deployment, with the manager running and the clock moved
// across prewarm, opening and closing of each.
func TestManagerRunsBothSampleRounds(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	applySample(t, ns, "contest_v1alpha1_contestround_dot1.yaml")
	applySample(t, ns, "contest_v1alpha1_contestround_dot2.yaml")
	clock := newTestClock(opens1.Add(-3 * time.Hour))
	startManager(t, ns, clock)

	waitFor(t, ns, "dot-1", contestv1alpha1.PhaseScheduled, 1)
	waitFor(t, ns, "dot-2", contestv1alpha1.PhaseScheduled, 1)

	steps := []struct {
		name     string
		now      time.Time
		round    string
		phase    contestv1alpha1.RoundPhase
		replicas int32
	}{
		{"round 1 prewarm (1h before)", opens1.Add(-time.Hour), "dot-1", contestv1alpha1.PhaseScheduled, 3},
		{"round 1 opens", opens1, "dot-1", contestv1alpha1.PhaseOpen, 3},
		{"round 1 closes, last writes settling", closes1, "dot-1", contestv1alpha1.PhaseClosed, 3},
		{"round 1 drained", closes1.Add(schedule.SettleDelay), "dot-1", contestv1alpha1.PhaseClosed, 1},
		{"round 2 prewarm", opens2.Add(-time.Hour), "dot-2", contestv1alpha1.PhaseScheduled, 3},
		{"round 2 opens", opens2, "dot-2", contestv1alpha1.PhaseOpen, 3},
		{"round 2 drained", closes2.Add(schedule.SettleDelay), "dot-2", contestv1alpha1.PhaseClosed, 1},
	}
	for _, s := range steps {
		clock.Set(s.now)
		poke(t, ns, s.round)
		waitFor(t, ns, s.round, s.phase, s.replicas)
	}

	time.Sleep(time.Second) // let the recorder's broadcaster deliver the last events
	// The Deployment was scaled up and down once per round. Which round reports a scaling
	// depends on which reconciles first after the clock moves (both see the same wants).
	ups, downs := 0, 0
	for _, round := range []string{"dot-1", "dot-2"} {
		got := eventReasons(t, ns, round)
		ups, downs = ups+got[EventScaledUp], downs+got[EventScaledDown]
	}
	if ups != 2 || downs != 2 {
		t.Errorf("scaling events: %d up and %d down, want 2 and 2", ups, downs)
	}
	for _, round := range []string{"dot-1", "dot-2"} {
		got := eventReasons(t, ns, round)
		for _, reason := range []string{EventRoundScheduled, EventRoundOpened, EventRoundClosed} {
			if got[reason] != 1 {
				t.Errorf("%s: %d %s events, want exactly 1 (all: %v)", round, got[reason], reason, got)
			}
		}
		st := getRound(t, ns, round).Status
		if st.OpenedAt == nil || st.ClosedAt == nil || st.NextTransitionTime != nil {
			t.Errorf("%s: status %+v", round, st)
		}
	}
}

// A Deployment created after the round, or scaled by hand, is brought to what the rounds
// want without waiting for the next boundary: the operator watches it.
func TestManagerReactsToTheDeployment(t *testing.T) {
	ns := newNamespace(t)
	clock := newTestClock(opens1.Add(time.Hour))
	newRound(t, ns, "dot-1", opens1, closes1)
	startManager(t, ns, clock)

	eventually(t, 10*time.Second, "TargetMissing", func() (bool, string) {
		c := meta.FindStatusCondition(getRound(t, ns, "dot-1").Status.Conditions, contestv1alpha1.ConditionScaled)
		return c != nil && c.Reason == contestv1alpha1.ReasonTargetMissing, fmt.Sprintf("%+v", c)
	})
	if st := getRound(t, ns, "dot-1").Status; st.Phase != contestv1alpha1.PhaseOpen {
		t.Fatalf("a missing Deployment must not keep the round closed: %s", st.Phase)
	}
	// Events are sent asynchronously by the recorder's broadcaster.
	eventually(t, 10*time.Second, "one TargetMissing event", func() (bool, string) {
		got := eventReasons(t, ns, "dot-1")[EventTargetMissing]
		return got == 1, fmt.Sprint(got)
	})

	newDeployment(t, ns, "contest-web", 1)
	waitFor(t, ns, "dot-1", contestv1alpha1.PhaseOpen, 3)

	// Someone scales it down by hand during the round: the operator restores it.
	var d appsv1.Deployment
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "contest-web"}, &d); err != nil {
		t.Fatal(err)
	}
	d.Spec.Replicas = ptr.To[int32](1)
	if err := env.Client.Update(context.Background(), &d); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ns, "dot-1", contestv1alpha1.PhaseOpen, 3)

	// An HPA added later takes over: its floor is raised instead.
	hpa := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: "web-hpa", Namespace: ns},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "contest-web"},
			MinReplicas:    ptr.To[int32](1),
			MaxReplicas:    10,
		},
	}
	if err := env.Client.Create(context.Background(), hpa); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "HPA minReplicas 3", func() (bool, string) {
		var got autoscalingv2.HorizontalPodAutoscaler
		if err := env.Client.Get(context.Background(), client.ObjectKeyFromObject(hpa), &got); err != nil {
			return false, err.Error()
		}
		return *got.Spec.MinReplicas == 3, fmt.Sprint(*got.Spec.MinReplicas)
	})
}

// One test on the real clock: a round opening 2 s from now is Open, with its Deployment
// scaled, within a second of opensAt. The measured skew goes to docs/BENCHMARKS.md.
func TestManagerOpensOnTimeWithTheRealClock(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	// metav1.Time keeps whole seconds: open at the second that is at least 2 s away.
	opensAt := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	newRound(t, ns, "soon", opensAt, opensAt.Add(time.Hour), func(r *contestv1alpha1.ContestRound) {
		r.Spec.Web.Prewarm = &metav1.Duration{Duration: 0}
	})
	startManager(t, ns, RealClock{})

	var openSeen, scaledSeen time.Time
	deadline := opensAt.Add(5 * time.Second)
	for time.Now().Before(deadline) && (openSeen.IsZero() || scaledSeen.IsZero()) {
		now := time.Now()
		if openSeen.IsZero() && getRound(t, ns, "soon").Status.Phase == contestv1alpha1.PhaseOpen {
			openSeen = now
		}
		if scaledSeen.IsZero() && replicasOf(t, ns, "contest-web") == 3 {
			scaledSeen = now
		}
		time.Sleep(5 * time.Millisecond)
	}
	if openSeen.IsZero() || scaledSeen.IsZero() {
		t.Fatalf("not open and scaled 5 s after opensAt (open seen %v, scaled seen %v)", openSeen, scaledSeen)
	}
	if openSeen.Before(opensAt) {
		t.Fatalf("opened %v early", opensAt.Sub(openSeen))
	}
	openSkew, scaleSkew := openSeen.Sub(opensAt), scaledSeen.Sub(opensAt)
	t.Logf("real clock: Open observed %v after opensAt, Deployment scaled %v after opensAt", openSkew, scaleSkew)
	// The target is 1 s (measured: about 30 ms, docs/BENCHMARKS.md); the bound is generous so
	// a loaded CI machine does not make it flaky.
	if openSkew > 2*time.Second || scaleSkew > 2*time.Second {
		t.Errorf("skew too large: open %v, scaled %v (bound 2 s)", openSkew, scaleSkew)
	}
}

package controllers

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// racingClient is the reconciler's client on the real API server, with someone else
// writing the round right after the reconciler first reads it: the reconciler then holds a
// stale copy, and its status patch conflicts.
type racingClient struct {
	client.Client
	round client.ObjectKey
	once  sync.Once
	write func()
}

func (c *racingClient) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	err := c.Client.Get(ctx, key, obj, opts...)
	if _, isRound := obj.(*contestv1alpha1.ContestRound); isRound && key == c.round && err == nil {
		c.once.Do(c.write)
	}
	return err
}

// A condition written by someone else (another tool, a person with kubectl) between the
// reconciler's read and its patch survives the patch: the reconciler applies its change to
// a fresh read instead of writing the status it computed from the stale one.
func TestStatusWrittenByOthersIsKept(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	newRound(t, ns, "dot-1", opens1, closes1)
	h := newHarness(t, opens1.Add(-time.Minute)) // prewarmed: the reconcile at opening only opens
	h.reconcileAt(opens1.Add(-time.Minute), ns, "dot-1")
	h.events()

	key := client.ObjectKey{Namespace: ns, Name: "dot-1"}
	h.r.Client = &racingClient{Client: env.Client, round: key, write: func() {
		round := getRound(t, ns, "dot-1")
		meta.SetStatusCondition(&round.Status.Conditions, metav1.Condition{Type: "Reviewed", Status: metav1.ConditionTrue,
			Reason: "CommitteeChecked", Message: "the committee checked the round's settings", LastTransitionTime: metav1.Now()})
		if err := env.Client.Status().Update(context.Background(), round); err != nil {
			t.Errorf("write the status as someone else: %v", err)
		}
	}}

	res := h.reconcileAt(opens1, ns, "dot-1")
	st := getRound(t, ns, "dot-1").Status
	if c := meta.FindStatusCondition(st.Conditions, "Reviewed"); c == nil || c.Reason != "CommitteeChecked" {
		t.Errorf("the condition someone else wrote was clobbered: conditions %+v", st.Conditions)
	}
	if st.Phase != contestv1alpha1.PhaseOpen || st.OpenedAt == nil || res.RequeueAfter != closes1.Sub(opens1) {
		t.Errorf("after the conflict: phase %s, openedAt %v, requeue %v; want Open, set, %v", st.Phase, st.OpenedAt, res.RequeueAfter, closes1.Sub(opens1))
	}
	if got := reasons(h.events()); strings.Join(got, ",") != EventRoundOpened {
		t.Errorf("events %v, want [%s] once", got, EventRoundOpened)
	}
}

// When the spec changed between the read and the patch, the status computed from the old
// spec is never written: the reconcile fails with the conflict and the next one describes
// the new spec.
func TestStatusFromAStaleSpecIsNotWritten(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	newRound(t, ns, "dot-1", opens1, closes1)
	h := newHarness(t, opens1.Add(time.Hour))
	h.reconcileAt(opens1.Add(time.Hour), ns, "dot-1")
	h.events()

	extended := closes1.Add(48 * time.Hour)
	key := client.ObjectKey{Namespace: ns, Name: "dot-1"}
	h.r.Client = &racingClient{Client: env.Client, round: key, write: func() {
		round := getRound(t, ns, "dot-1")
		round.Spec.ClosesAt = metav1.NewTime(extended)
		if err := env.Client.Update(context.Background(), round); err != nil {
			t.Errorf("extend closesAt as someone else: %v", err)
		}
	}}

	now := closes1.Add(time.Minute) // closed by the spec the reconciler read, open by the new one
	h.clock.Set(now)
	_, err := h.r.Reconcile(context.Background(), ctrl.Request{NamespacedName: types.NamespacedName(key)})
	st := getRound(t, ns, "dot-1").Status
	if st.Phase != contestv1alpha1.PhaseOpen || st.ClosedAt != nil {
		t.Errorf("status written from the stale spec: phase %s, closedAt %v (reconcile error %v)", st.Phase, st.ClosedAt, err)
	}
	if !apierrors.IsConflict(err) {
		t.Errorf("reconcile error %v, want the conflict (the round is reconciled again)", err)
	}
	if evs := h.events(); len(evs) != 0 {
		t.Errorf("events about the stale spec: %v", evs)
	}

	res := h.reconcileAt(now, ns, "dot-1")
	if st := getRound(t, ns, "dot-1").Status; st.Phase != contestv1alpha1.PhaseOpen || res.RequeueAfter != extended.Sub(now) {
		t.Errorf("next reconcile: phase %s, requeue %v; want Open until %v", st.Phase, res.RequeueAfter, extended)
	}
}

package controllers

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// ContestRoundReconciler opens and closes rounds on schedule and scales the exam web app.
//
// It is level-triggered: every pass computes, from the spec and the clock alone, the phase
// the round is in and the replicas its Deployment should have, makes it so, and asks to be
// called again exactly at the next boundary (prewarm, opening, closing, drained).
type ContestRoundReconciler struct {
	client.Client
	Scheme   *runtime.Scheme
	Clock    Clock
	Recorder events.EventRecorder
	Metrics  *Metrics
	// Location is where times in messages are shown (contestv1alpha1.TimeZone()).
	Location *time.Location
	// APIReader reads around the cache: to adopt a Job the cache has not seen yet, and to
	// re-read a round after a conflict.
	APIReader client.Reader
	// RankJob says how ranking Jobs are run.
	RankJob RankJobConfig
}

// Reconcile brings one round's status and its web Deployment in line with the clock.
func (r *ContestRoundReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	logger := log.FromContext(ctx)

	var round contestv1alpha1.ContestRound
	if err := r.Get(ctx, req.NamespacedName, &round); err != nil {
		if apierrors.IsNotFound(err) {
			r.Metrics.forget(req.Namespace, req.Name)
			return ctrl.Result{}, nil
		}
		return ctrl.Result{}, fmt.Errorf("get round: %w", err)
	}
	if round.DeletionTimestamp != nil {
		return ctrl.Result{}, nil
	}

	now := r.Clock.Now()
	state := schedule.At(round.Window(), now)

	answerKey, answerKeyErr := r.answerKeyCondition(ctx, &round)

	var scaled *metav1.Condition
	var scaleErr error
	if round.Spec.Web != nil {
		var cond metav1.Condition
		cond, scaleErr = r.scale(ctx, &round, now)
		scaled = &cond
	}

	var ranking rankingOutcome
	var rankErr error
	if state.Drained {
		ranking, rankErr = r.reconcileRanking(ctx, &round)
	}

	// change is everything this pass decided about the status, written as a change to the
	// stored status rather than as a whole status: after a conflict, patchStatus applies it
	// again to a fresh read, so what someone else wrote meanwhile is kept.
	change := func(s *contestv1alpha1.ContestRoundStatus) {
		r.scheduleStatus(s, &round, state, now)
		if answerKeyErr == nil {
			setCondition(s, answerKey, round.Generation, now)
		}
		if scaled != nil {
			setCondition(s, *scaled, round.Generation, now)
		} else {
			removeCondition(s, contestv1alpha1.ConditionScaled)
		}
		ranking.apply(s, round.Generation, now)
		s.Phase = contestv1alpha1.PhaseOf(state, ranking.state)
	}
	replaced, written, err := r.patchStatus(ctx, &round, change)
	if err != nil {
		return ctrl.Result{}, err
	}
	if replaced != nil {
		r.recordTransitions(&round, replaced, written, state, now)
	}
	r.Metrics.setPhase(round.Namespace, round.Name, written.Phase)

	if scaleErr != nil {
		return ctrl.Result{}, scaleErr
	}
	if answerKeyErr != nil {
		return ctrl.Result{}, answerKeyErr
	}
	if rankErr != nil {
		return ctrl.Result{}, rankErr
	}
	if state.Next.IsZero() {
		logger.V(1).Info("no further boundary", "phase", written.Phase)
		return ctrl.Result{}, nil
	}
	after := state.Next.Sub(now) // > 0: schedule.At only returns boundaries after now
	logger.V(1).Info("requeue at next boundary", "phase", written.Phase, "next", state.Next, "after", after)
	return ctrl.Result{RequeueAfter: after}, nil
}

package controllers

import (
	"context"
	"fmt"
	"maps"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// statusPatchAttempts bounds how often one reconcile re-applies its change after conflicts
// before it gives up and is retried by the work queue.
const statusPatchAttempts = 5

// scheduleStatus sets what time alone says about the round at now: the observed opening and
// closing, the next boundary, the Open condition, and no results before the round is drained.
// The phase is set last, by PhaseOf, once the ranking is known.
func (r *ContestRoundReconciler) scheduleStatus(s *contestv1alpha1.ContestRoundStatus, round *contestv1alpha1.ContestRound, st schedule.State, now time.Time) {
	s.ObservedGeneration = round.Generation
	stamp := metav1.NewTime(now).Rfc3339Copy()

	switch {
	case st.Phase == schedule.Open && s.OpenedAt == nil:
		s.OpenedAt = &stamp
	case st.Phase == schedule.Closed && !st.Suspended && s.ClosedAt == nil:
		s.ClosedAt = &stamp
	case st.Phase != schedule.Closed && s.ClosedAt != nil:
		// closesAt was extended after the round closed: it is open (or scheduled) again.
		s.ClosedAt = nil
	}

	if !st.Drained {
		// Not (or no longer, after closesAt was extended) ready for ranking: no results yet.
		s.Winners, s.Report = nil, nil
		s.Participants, s.Attempts, s.PerfectScores = 0, 0, 0
		removeCondition(s, contestv1alpha1.ConditionRankingComplete)
		removeCondition(s, contestv1alpha1.ConditionPrizesDecided)
	}

	s.NextTransitionTime = nil
	if !st.Next.IsZero() {
		next := metav1.NewTime(st.Next)
		s.NextTransitionTime = &next
	}

	opens, closes := r.show(round.Spec.OpensAt.Time), r.show(round.Spec.ClosesAt.Time)
	var open metav1.Condition
	switch {
	case st.Phase == schedule.Scheduled:
		open = metav1.Condition{Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonNotYetOpen,
			Message: fmt.Sprintf("the round opens at %s and closes at %s", opens, closes)}
	case st.Suspended:
		open = metav1.Condition{Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonSuspended,
			Message: fmt.Sprintf("spec.suspend is true: no new attempt can start (attempts under way may still be saved and submitted until their deadlines); set it to false to resume until %s", closes)}
	case st.Phase == schedule.Open:
		open = metav1.Condition{Status: metav1.ConditionTrue, Reason: contestv1alpha1.ReasonRoundOpen,
			Message: fmt.Sprintf("contestants can start attempts until %s", closes)}
	default:
		open = metav1.Condition{Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonRoundClosed,
			Message: fmt.Sprintf("the round closed at %s; extend spec.closesAt to reopen it", closes)}
	}
	open.Type = contestv1alpha1.ConditionOpen
	setCondition(s, open, round.Generation, now)
}

// setCondition stamps the condition with the round's generation and our clock's time (so
// tests at a fixed instant see fixed timestamps) and sets it; the transition time only moves
// when the status does.
func setCondition(s *contestv1alpha1.ContestRoundStatus, c metav1.Condition, generation int64, now time.Time) {
	c.ObservedGeneration = generation
	c.LastTransitionTime = metav1.NewTime(now).Rfc3339Copy()
	meta.SetStatusCondition(&s.Conditions, c)
}

func removeCondition(s *contestv1alpha1.ContestRoundStatus, conditionType string) {
	meta.RemoveStatusCondition(&s.Conditions, conditionType)
}

// patchStatus applies the reconcile's change to the stored status and writes the result
// only when it differs, with an optimistic lock: an unchanged reconcile costs no API write
// and no new resourceVersion. On a conflict someone else wrote the round after it was read;
// the round is read again from the API server and the change applied to that, so their write
// is kept and no status computed from the stale read is ever written. If the spec or the
// annotations changed meanwhile, the change itself is stale: the conflict is returned and
// the reconcile starts over from the new round.
//
// It returns the status it replaced, or nil when it wrote nothing, so transitions are judged
// against what was really stored and a reconcile working from a stale cache emits no second
// event; and the status now stored.
func (r *ContestRoundReconciler) patchStatus(ctx context.Context, round *contestv1alpha1.ContestRound, change func(*contestv1alpha1.ContestRoundStatus)) (*contestv1alpha1.ContestRoundStatus, *contestv1alpha1.ContestRoundStatus, error) {
	latest := round
	for attempt := 1; ; attempt++ {
		desired := latest.Status.DeepCopy()
		change(desired)
		if equality.Semantic.DeepEqual(latest.Status, *desired) {
			return nil, desired, nil
		}
		patched := latest.DeepCopy()
		patch := client.MergeFromWithOptions(latest.DeepCopy(), client.MergeFromWithOptimisticLock{})
		patched.Status = *desired
		err := r.Status().Patch(ctx, patched, patch)
		if err == nil {
			return latest.Status.DeepCopy(), desired, nil
		}
		if !apierrors.IsConflict(err) || attempt == statusPatchAttempts {
			return nil, nil, fmt.Errorf("patch round status: %w", err)
		}
		fresh := &contestv1alpha1.ContestRound{}
		if err := r.freshReader().Get(ctx, client.ObjectKeyFromObject(round), fresh); err != nil {
			return nil, nil, fmt.Errorf("read round again after a conflict: %w", err)
		}
		if fresh.Generation != round.Generation || !maps.Equal(fresh.Annotations, round.Annotations) {
			return nil, nil, fmt.Errorf("patch round status: the round changed since it was read and is reconciled again: %w", err)
		}
		latest = fresh
	}
}

// freshReader reads from the API server, not the cache that may be why a write conflicted.
// A reconciler built without one (in tests) reads through its client.
func (r *ContestRoundReconciler) freshReader() client.Reader {
	if r.APIReader != nil {
		return r.APIReader
	}
	return r.Client
}

// show formats an instant in the contest's time zone for people reading status and events.
func (r *ContestRoundReconciler) show(t time.Time) string {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04:05 -07:00")
}

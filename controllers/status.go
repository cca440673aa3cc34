package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

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

// patchStatus applies the reconcile's change to the status it read and writes the result
// only when it changed, with an optimistic lock, retrying on conflict: an unchanged
// reconcile costs no API write and no new resourceVersion. It returns the status it
// replaced, or nil when it wrote nothing, so transitions are judged against what was really
// stored and a reconcile working from a stale cache emits no second event; and the status
// now stored.
func (r *ContestRoundReconciler) patchStatus(ctx context.Context, round *contestv1alpha1.ContestRound, change func(*contestv1alpha1.ContestRoundStatus)) (*contestv1alpha1.ContestRoundStatus, *contestv1alpha1.ContestRoundStatus, error) {
	desired := round.Status.DeepCopy()
	change(desired)
	var replaced *contestv1alpha1.ContestRoundStatus
	latest := round
	first := true
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		if !first {
			latest = &contestv1alpha1.ContestRound{}
			if err := r.Get(ctx, client.ObjectKeyFromObject(round), latest); err != nil {
				return err
			}
		}
		first = false
		if equality.Semantic.DeepEqual(latest.Status, *desired) {
			replaced = nil
			return nil
		}
		replaced = latest.Status.DeepCopy()
		patch := client.MergeFromWithOptions(latest.DeepCopy(), client.MergeFromWithOptimisticLock{})
		latest.Status = *desired.DeepCopy()
		return r.Status().Patch(ctx, latest, patch)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("patch round status: %w", err)
	}
	return replaced, desired, nil
}

// show formats an instant in the contest's time zone for people reading status and events.
func (r *ContestRoundReconciler) show(t time.Time) string {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04:05 -07:00")
}

package controllers

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// Event reasons. Events are emitted on transitions only, so retries never flood.
const (
	EventRoundScheduled = "RoundScheduled"
	EventRoundOpened    = "RoundOpened"
	EventRoundClosed    = "RoundClosed"
	EventRoundSuspended = "RoundSuspended"
	EventRoundResumed   = "RoundResumed"
	EventScaledUp       = "ScaledUp"
	EventScaledDown     = "ScaledDown"
	EventTargetMissing  = "TargetMissing"
	EventRankingStarted = "RankingStarted"
	EventRankingDone    = "RankingComplete"
	EventRankingFailed  = "RankingFailed"
	// EventAnswerKeyShared warns that the round's bank version is shared with another round
	// of the contest, so the web app withholds the correct answers longer.
	EventAnswerKeyShared = "AnswerKeyShared"
)

// recordTransitions emits events and transition metrics for what changed between the
// status before this reconcile and the one it wrote.
func (r *ContestRoundReconciler) recordTransitions(round *contestv1alpha1.ContestRound, old, next *contestv1alpha1.ContestRoundStatus, st schedule.State, now time.Time) {
	wasSuspended := hasReason(old, contestv1alpha1.ConditionOpen, contestv1alpha1.ReasonSuspended)
	if old.Phase != next.Phase || wasSuspended != st.Suspended {
		switch {
		case next.Phase == contestv1alpha1.PhaseScheduled:
			r.Recorder.Eventf(round, nil, corev1.EventTypeNormal, EventRoundScheduled, "Schedule",
				"round opens at %s and closes at %s", r.show(round.Spec.OpensAt.Time), r.show(round.Spec.ClosesAt.Time))
		case next.Phase == contestv1alpha1.PhaseOpen && wasSuspended:
			r.Recorder.Eventf(round, nil, corev1.EventTypeNormal, EventRoundResumed, "Resume",
				"spec.suspend cleared: round open again until %s", r.show(round.Spec.ClosesAt.Time))
		case next.Phase == contestv1alpha1.PhaseOpen:
			r.Recorder.Eventf(round, nil, corev1.EventTypeNormal, EventRoundOpened, "Open",
				"round opened (declared %s)", r.show(round.Spec.OpensAt.Time))
		case next.Phase == contestv1alpha1.PhaseRanked:
			r.Recorder.Eventf(round, nil, corev1.EventTypeNormal, EventRankingDone, "Rank",
				"round ranked: %d participants, %d perfect results, %d winners", next.Participants, next.PerfectScores, len(next.Winners))
		case next.Phase == contestv1alpha1.PhaseFailed:
			msg := "ranking failed"
			if c := meta.FindStatusCondition(next.Conditions, contestv1alpha1.ConditionRankingComplete); c != nil {
				msg = c.Message
			}
			r.Recorder.Eventf(round, nil, corev1.EventTypeWarning, EventRankingFailed, "Rank", "%s", msg)
		case next.Phase == contestv1alpha1.PhaseRanking:
			// RankingStarted is emitted when the Job is created.
		case st.Suspended:
			r.Recorder.Eventf(round, nil, corev1.EventTypeWarning, EventRoundSuspended, "Suspend",
				"spec.suspend is true: round closed until it is cleared")
		case next.Phase == contestv1alpha1.PhaseClosed:
			r.Recorder.Eventf(round, nil, corev1.EventTypeNormal, EventRoundClosed, "Close",
				"round closed (declared %s)", r.show(round.Spec.ClosesAt.Time))
		}
		if old.Phase != next.Phase {
			r.observeSkew(round, old.Phase, next.Phase, st, now)
		}
	}

	if !hasReason(old, contestv1alpha1.ConditionAnswerKeyExclusive, contestv1alpha1.ReasonBankSharedWithRound) && hasReason(next, contestv1alpha1.ConditionAnswerKeyExclusive, contestv1alpha1.ReasonBankSharedWithRound) {
		c := meta.FindStatusCondition(next.Conditions, contestv1alpha1.ConditionAnswerKeyExclusive)
		r.Recorder.Eventf(round, nil, corev1.EventTypeWarning, EventAnswerKeyShared, "CheckAnswerKey", "%s", c.Message)
	}

	if !hasReason(old, contestv1alpha1.ConditionScaled, contestv1alpha1.ReasonTargetMissing) && hasReason(next, contestv1alpha1.ConditionScaled, contestv1alpha1.ReasonTargetMissing) {
		c := meta.FindStatusCondition(next.Conditions, contestv1alpha1.ConditionScaled)
		r.Recorder.Eventf(round, nil, corev1.EventTypeWarning, EventTargetMissing, "Scale", "%s", c.Message)
	}
}

// observeSkew records how late the operator saw a declared transition. A round first seen
// already past a boundary (just created, or the operator was down) says nothing about skew.
func (r *ContestRoundReconciler) observeSkew(round *contestv1alpha1.ContestRound, from, to contestv1alpha1.RoundPhase, st schedule.State, now time.Time) {
	declared := from != ""
	var at time.Time
	switch {
	case to == contestv1alpha1.PhaseOpen && from == contestv1alpha1.PhaseScheduled:
		at = round.Spec.OpensAt.Time
	case to == contestv1alpha1.PhaseClosed && from == contestv1alpha1.PhaseOpen && !st.Suspended:
		at = round.Spec.ClosesAt.Time
	default:
		declared = false
	}
	r.Metrics.transition(to, now.Sub(at).Seconds(), declared)
}

func hasReason(s *contestv1alpha1.ContestRoundStatus, conditionType, reason string) bool {
	c := meta.FindStatusCondition(s.Conditions, conditionType)
	return c != nil && c.Reason == reason
}

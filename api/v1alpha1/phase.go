package v1alpha1

import "github.com/dxcontest/contest-platform/internal/schedule"

// RankingState is how far a round's ranking has got, as the operator reads its Job.
type RankingState string

const (
	// RankingNone: no ranking Job (the round is not drained yet, or the operator has no
	// ranking image).
	RankingNone RankingState = ""
	// RankingRunning: the Job is running.
	RankingRunning RankingState = "Running"
	// RankingSucceeded: the Job succeeded and its summary belongs to the round.
	RankingSucceeded RankingState = "Succeeded"
	// RankingFailed: the Job failed, or succeeded without a summary of the round.
	RankingFailed RankingState = "Failed"
)

// PhaseOf is the one mapping to status.phase. Time alone decides Scheduled, Open and Closed
// (a suspended round is Closed); once the round is drained, its ranking, if there is one,
// decides Ranking, Ranked or Failed. A ranking state before the drain is ignored: a round
// whose closesAt was extended after it was ranked is open again.
func PhaseOf(st schedule.State, ranking RankingState) RoundPhase {
	if st.Drained {
		switch ranking {
		case RankingRunning:
			return PhaseRanking
		case RankingSucceeded:
			return PhaseRanked
		case RankingFailed:
			return PhaseFailed
		}
	}
	switch st.Phase {
	case schedule.Scheduled:
		return PhaseScheduled
	case schedule.Open:
		return PhaseOpen
	default:
		return PhaseClosed
	}
}

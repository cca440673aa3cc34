package v1alpha1

// The status conditions of a ContestRound, with their reasons. They are part of the API: the
// operator writes them and the web app, kubectl users and alerts read them, so they are
// defined once, here.

// Condition types.
const (
	// ConditionOpen is True while contestants can start attempts.
	ConditionOpen = "Open"
	// ConditionScaled is True when the exam web app has the replicas the rounds want.
	ConditionScaled = "Scaled"
	// ConditionAnswerKeyExclusive is True when revealing this round's correct answers gives
	// no other round its answer key: no other round of the contest uses the same bank
	// version, or the round never reveals them.
	ConditionAnswerKeyExclusive = "AnswerKeyExclusive"
	// ConditionRankingComplete is True once the ranking Job succeeded and its summary is in
	// the status.
	ConditionRankingComplete = "RankingComplete"
	// ConditionPrizesDecided is True when the rules decided every prize place; False when a
	// tie at a prize boundary leaves places to the organizers.
	ConditionPrizesDecided = "PrizesDecided"
)

// Open condition reasons.
const (
	ReasonNotYetOpen  = "NotYetOpen"
	ReasonRoundOpen   = "RoundOpen"
	ReasonSuspended   = "Suspended"
	ReasonRoundClosed = "RoundClosed"
)

// Scaled condition reasons.
const (
	ReasonReplicasSet       = "ReplicasSet"
	ReasonHPAMinReplicasSet = "HPAMinReplicasSet"
	ReasonTargetMissing     = "TargetMissing"
	ReasonScaleFailed       = "ScaleFailed"
)

// AnswerKeyExclusive condition reasons.
const (
	ReasonBankNotShared        = "BankNotShared"
	ReasonAnswersNeverRevealed = "AnswersNeverRevealed"
	ReasonBankSharedWithRound  = "BankSharedWithRound"
)

// RankingComplete condition reasons.
const (
	ReasonJobRunning   = "JobRunning"
	ReasonJobSucceeded = "JobSucceeded"
	ReasonJobFailed    = "JobFailed"
	// ReasonSummaryMissing: the Job succeeded but left no summary of this round.
	ReasonSummaryMissing = "SummaryMissing"
	// ReasonRankingNotConfigured: the operator runs without a ranking image.
	ReasonRankingNotConfigured = "RankingNotConfigured"
)

// PrizesDecided condition reasons.
const (
	ReasonAllPrizesDecided = "AllPrizesDecided"
	ReasonBoundaryTie      = "BoundaryTie"
)

// Reasons lists every condition reason the operator sets, for those that explain them (the
// console's labels).
func Reasons() []string {
	return []string{ReasonNotYetOpen, ReasonRoundOpen, ReasonSuspended, ReasonRoundClosed, ReasonReplicasSet,
		ReasonHPAMinReplicasSet, ReasonTargetMissing, ReasonScaleFailed, ReasonBankNotShared, ReasonAnswersNeverRevealed,
		ReasonBankSharedWithRound, ReasonJobRunning, ReasonJobSucceeded, ReasonJobFailed, ReasonSummaryMissing,
		ReasonRankingNotConfigured, ReasonAllPrizesDecided, ReasonBoundaryTie}
}

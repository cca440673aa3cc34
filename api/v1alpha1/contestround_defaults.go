package v1alpha1

import "time"

// Fallbacks used when a field is absent, e.g. in an object that did not pass through the
// API server's defaulting (a rounds file, a fake). They equal the CRD's +kubebuilder:default
// markers; a test keeps them in step.
const (
	DefaultTimeLimit      = 30 * time.Minute
	DefaultPrewarm        = 30 * time.Minute
	DefaultOpenReplicas   = int32(3)
	DefaultClosedReplicas = int32(1)
	DefaultMaxAttempts    = int32(3)
	DefaultTotalQuestions = int32(15)
	DefaultRevealPolicy   = RevealAfterClose
)

// AttemptTimeLimit is how long one attempt may last.
func (e *ExamRules) AttemptTimeLimit() time.Duration {
	if e.TimeLimit == nil {
		return DefaultTimeLimit
	}
	return e.TimeLimit.Duration
}

// AttemptsAllowed is how many attempts one person may take.
func (e *ExamRules) AttemptsAllowed() int32 {
	if e.MaxAttempts == 0 {
		return DefaultMaxAttempts
	}
	return e.MaxAttempts
}

// RevealPolicy says when contestants may see the correct options of their attempts.
func (e *ExamRules) RevealPolicy() RevealPolicy {
	if e.RevealAnswers == "" {
		return DefaultRevealPolicy
	}
	return e.RevealAnswers
}

// PrewarmDuration is how long before opening the web app is scaled up.
func (w *WebScaling) PrewarmDuration() time.Duration {
	if w.Prewarm == nil {
		return DefaultPrewarm
	}
	return w.Prewarm.Duration
}

// ReplicasWhen returns the replicas the round wants for its web Deployment.
func (w *WebScaling) ReplicasWhen(openCapacity bool) int32 {
	if openCapacity {
		if w.OpenReplicas == nil {
			return DefaultOpenReplicas
		}
		return *w.OpenReplicas
	}
	if w.ClosedReplicas == nil {
		return DefaultClosedReplicas
	}
	return *w.ClosedReplicas
}

// DefaultPrizes are the plan's prizes, as the CRD's default for spec.prizes declares them:
// 1 first, 2 second, 3 third and 5 consolation prizes, without conditions.
func DefaultPrizes() []Prize {
	return []Prize{{Name: "Giải Nhất", Count: 1}, {Name: "Giải Nhì", Count: 2}, {Name: "Giải Ba", Count: 3}, {Name: "Giải Khuyến khích", Count: 5}}
}

// PrizeList is the round's prizes in the order they are awarded: the declared ones, or
// DefaultPrizes when none are (a round that did not pass through the API server).
func (s *ContestRoundSpec) PrizeList() []Prize {
	if len(s.Prizes) == 0 {
		return DefaultPrizes()
	}
	return s.Prizes
}

// Questions is the number of multiple-choice questions in an attempt.
func (e *ExamRules) Questions() int32 {
	if e.TotalQuestions == 0 {
		return DefaultTotalQuestions
	}
	return e.TotalQuestions
}

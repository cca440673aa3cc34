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

package rankjob

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// durationOf keeps millisecond precision: enough to explain a tie-break to a person, and
// what the status can carry without noise.
func durationOf(d time.Duration) metav1.Duration {
	return metav1.Duration{Duration: d.Round(time.Millisecond)}
}

func timeOf(t time.Time) metav1.Time { return metav1.NewTime(t.UTC()) }

package schedule

import "time"

// AnswersVisibleAt is the earliest instant at which the correct answers of a bank version
// may be shown, given the windows of every round that uses that version: once the last of
// them is drained, no attempt that could use them can still be answered. Zero when no round
// uses it.
func AnswersVisibleAt(rounds []Window) time.Time {
	var at time.Time
	for _, w := range rounds {
		if d := w.DrainedAt(); d.After(at) {
			at = d
		}
	}
	return at
}

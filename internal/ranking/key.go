package ranking

// Key is one tie-break key of the order between people. The values are the same strings as
// the ContestRound API's TieBreakKey, so callers convert with Key(k).
type Key string

const (
	// KeyCorrect orders by correct answers, most first.
	KeyCorrect Key = "Correct"
	// KeyPredictionDistance orders by |Prediction − Actual|, smallest first.
	KeyPredictionDistance Key = "PredictionDistance"
	// KeyTimeUsed orders by the time the recognized attempt took, shortest first.
	KeyTimeUsed Key = "TimeUsed"
	// KeySubmittedAt orders by when the recognized attempt was submitted, earliest first.
	KeySubmittedAt Key = "SubmittedAt"
)

// DefaultTieBreak returns the plan's order between people: Correct, PredictionDistance,
// TimeUsed, SubmittedAt. It returns a new slice on every call.
func DefaultTieBreak() []Key {
	return []Key{KeyCorrect, KeyPredictionDistance, KeyTimeUsed, KeySubmittedAt}
}

// keyID is the compiled form of a Key, so the hot comparison switches on a byte, not a string.
type keyID uint8

const (
	keyCorrect keyID = iota
	keyPredictionDistance
	keyTimeUsed
	keySubmittedAt
)

// id reports the compiled form of k and whether k is a known key.
func (k Key) id() (keyID, bool) {
	switch k {
	case KeyCorrect:
		return keyCorrect, true
	case KeyPredictionDistance:
		return keyPredictionDistance, true
	case KeyTimeUsed:
		return keyTimeUsed, true
	case KeySubmittedAt:
		return keySubmittedAt, true
	}
	return 0, false
}

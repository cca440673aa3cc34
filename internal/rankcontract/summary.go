package rankcontract

import (
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// SummaryKey is the ConfigMap key holding the summary JSON.
const SummaryKey = "summary.json"

// Summary is what the Job reports to the operator (through a ConfigMap owned by the round).
type Summary struct {
	// Round is the round's key (ContestRound.RoundKey): the operator ignores a summary of
	// another round.
	Round        string                   `json:"round"`
	ComputedAt   time.Time                `json:"computedAt"`
	Participants int64                    `json:"participants"`
	Attempts     int64                    `json:"attempts"`
	Perfect      int64                    `json:"perfect"`
	Winners      []contestv1alpha1.Winner `json:"winners"`
	BoundaryTies []BoundaryTie            `json:"boundaryTies,omitempty"`
	// Vacant are the prize places given to nobody, nor held for a tie: too few eligible
	// people met the prize's condition (minCorrect) or took part.
	Vacant []Vacancy `json:"vacant,omitempty"`
}

// Vacancy is a number of places of one prize that nobody took.
type Vacancy struct {
	Prize      string `json:"prize"`
	Count      int    `json:"count"`
	MinCorrect int    `json:"minCorrect,omitempty"`
}

// BoundaryTie is a tie the rules cannot decide, as organizers read it.
type BoundaryTie struct {
	Rank   int      `json:"rank"`
	People []string `json:"people"` // masked national IDs
	Places string   `json:"places"` // e.g. "1 Giải Ba, 1 Giải Khuyến khích"
}

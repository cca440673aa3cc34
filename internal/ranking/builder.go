package ranking

import (
	"fmt"
	"math"
	"time"
)

// Builder collects a round's attempts one at a time and ranks them. It keeps one record
// per person (their best attempt so far), never the raw attempts. A Builder is not safe
// for concurrent use.
type Builder struct {
	rules    compiled
	records  []record
	index    map[int64]int32 // person id → position in records
	attempts int
}

// NewBuilder validates rules and returns an empty Builder that ranks by them.
func NewBuilder(rules Rules) (*Builder, error) {
	c, err := compile(rules)
	if err != nil {
		return nil, err
	}
	return &Builder{rules: c, index: make(map[int64]int32)}, nil
}

// Grow makes room for about people more participants, so that a caller who knows the
// count (e.g. from a COUNT query) avoids rehashing while streaming.
func (b *Builder) Grow(people int) {
	if people <= 0 {
		return
	}
	b.records = append(make([]record, 0, len(b.records)+people), b.records...)
	if len(b.index) == 0 {
		b.index = make(map[int64]int32, people)
	}
}

// Participants is the number of people with at least one accepted attempt so far.
func (b *Builder) Participants() int { return len(b.records) }

// Attempts is the number of attempts accepted so far.
func (b *Builder) Attempts() int { return b.attempts }

// bounds of SubmittedAt that fit int64 Unix nanoseconds (years 1678..2262), with margin.
const (
	minUnixSeconds = math.MinInt64/int64(time.Second) + 1
	maxUnixSeconds = math.MaxInt64/int64(time.Second) - 1
)

// Add takes one submitted attempt into account. It refuses (and ignores) an attempt whose
// values cannot be right, so that a data error stops the ranking instead of deciding it.
func (b *Builder) Add(a Attempt) error {
	switch {
	case a.Total < 0 || a.Total > math.MaxInt32:
		return fmt.Errorf("ranking: attempt %d of person %d has %d questions: must be between 0 and %d", a.AttemptID, a.PersonID, a.Total, math.MaxInt32)
	case a.Correct < 0 || a.Correct > a.Total:
		return fmt.Errorf("ranking: attempt %d of person %d has %d correct of %d questions: correct must be between 0 and the number of questions", a.AttemptID, a.PersonID, a.Correct, a.Total)
	case a.Prediction < 0:
		return fmt.Errorf("ranking: attempt %d of person %d predicts %d: a prediction is a count of people and cannot be negative", a.AttemptID, a.PersonID, a.Prediction)
	case a.TimeUsed < 0:
		return fmt.Errorf("ranking: attempt %d of person %d used negative time %s", a.AttemptID, a.PersonID, a.TimeUsed)
	case a.SubmittedAt.Unix() < minUnixSeconds || a.SubmittedAt.Unix() > maxUnixSeconds:
		return fmt.Errorf("ranking: attempt %d of person %d has submission time %s: missing or out of range", a.AttemptID, a.PersonID, a.SubmittedAt)
	}
	r := record{
		person:     a.PersonID,
		attempt:    a.AttemptID,
		prediction: a.Prediction,
		submitted:  a.SubmittedAt.UnixNano(),
		timeUsed:   int64(a.TimeUsed),
		correct:    int32(a.Correct),
		total:      int32(a.Total),
	}
	if i, ok := b.index[a.PersonID]; ok {
		if better(&r, &b.records[i]) {
			b.records[i] = r
		}
		b.attempts++
		return nil
	}
	if len(b.records) == math.MaxInt32 {
		return fmt.Errorf("ranking: more than %d participants", math.MaxInt32)
	}
	b.index[a.PersonID] = int32(len(b.records))
	b.records = append(b.records, r)
	b.attempts++
	return nil
}

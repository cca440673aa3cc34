package ranking

import "time"

// Attempt is one submitted attempt of a round, as read from the database.
type Attempt struct {
	PersonID  int64
	AttemptID int64
	// Correct is the number of questions answered right, 0..Total.
	Correct int
	// Total is the number of questions in the attempt.
	Total int
	// Prediction is the person's answer to the prediction question (a count, >= 0).
	Prediction int64
	// TimeUsed is submitted_at − started_at, both from the database clock.
	TimeUsed    time.Duration
	SubmittedAt time.Time
}

// Person is what eligibility needs to know about one contestant.
type Person struct {
	ID           int64
	Organization string
	// UnitCode is the unit chosen from the contest's list, "" when none was.
	UnitCode string
	// Ineligible is set by organizers for a person who may not take a prize; FlagNote is
	// their reason, carried into the ranking's reason.
	Ineligible bool
	FlagNote   string
}

// People looks up a person by id; ok is false when the id is unknown.
type People func(id int64) (p Person, ok bool)

// FromMap returns a People that looks people up in m.
func FromMap(m map[int64]Person) People {
	return func(id int64) (Person, bool) {
		p, ok := m[id]
		return p, ok
	}
}

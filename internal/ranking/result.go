package ranking

import "time"

// Result is a round's ranking.
type Result struct {
	// TieBreak is the order of keys that was applied (the default filled in).
	TieBreak []Key
	// Actual is the number of people whose recognized result is perfect: the true answer
	// to the prediction question.
	Actual int64
	// Participants is the number of people with at least one attempt.
	Participants int
	// Attempts is the number of attempts taken into account.
	Attempts int
	// Entries lists every participant in ranking order (ties listed by PersonID).
	Entries []Entry
	// Winners lists the people given a prize, in prize order and in ranking order within a
	// prize. That is ranking order too, unless someone ranked above a winner was below a
	// higher prize's condition and took a lower prize (possible only when Correct is not the
	// first tie-break key).
	Winners []Entry
	// BoundaryTies lists the ties the rules could not decide; their places are reserved
	// and not in Winners. Organizers must decide them before results are published.
	BoundaryTies []BoundaryTie
}

// Decided reports whether every prize place went to someone by the rules alone.
func (r *Result) Decided() bool { return len(r.BoundaryTies) == 0 }

// Entry is one person's line in the ranking, with the values that placed them.
type Entry struct {
	PersonID int64
	// AttemptID is the recognized (best) attempt.
	AttemptID int64
	// Rank is shared by people equal on every tie-break key (1, 2, 2, 4).
	Rank       int
	Correct    int
	Total      int
	Prediction int64
	// Distance is |Prediction − Result.Actual|.
	Distance int64
	TimeUsed time.Duration
	// SubmittedAt is in UTC; format it in the round's zone for people.
	SubmittedAt time.Time
	// Eligible is false for people who take part but may not take a prize.
	Eligible bool
	// IneligibleReason says why Eligible is false, e.g. `flagged by organizers`.
	IneligibleReason string
	// Prize is the prize name given by the rules, empty if none.
	Prize string
	// TieAtBoundary marks an eligible person in a BoundaryTie: a prize place may be
	// theirs, but which one (or whether) is for the organizers to decide.
	TieAtBoundary bool
	// BelowCondition names the first prize this eligible person was passed over for because
	// they had fewer correct answers than its MinCorrect while within reach of its places
	// (see awardPrizes); empty otherwise. They may still have a lower prize in Prize.
	BelowCondition string
}

// BoundaryTie is a group of eligible people who share a rank while the prize places they
// reach are not all of one prize: they straddle two prize levels, or run past the last
// place. None of them is given a prize; Places are held for them.
type BoundaryTie struct {
	Rank int
	// PersonIDs are the eligible people sharing Rank, in listing order.
	PersonIDs []int64
	// Places are the prize places the group reaches, in prize order. Their counts add up to
	// len(PersonIDs) when the group straddles two levels, and to fewer when it runs past
	// the last place (then that many of the group get no prize).
	Places []Place
}

// Place is a number of places of one prize.
type Place struct {
	Prize string
	Count int
}

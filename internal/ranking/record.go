package ranking

// record is the compact state kept per person: their best attempt so far (48 bytes).
// Times are int64 nanoseconds so the record holds no pointers and the garbage collector
// never scans the slice of half a million of them.
type record struct {
	person     int64
	attempt    int64
	prediction int64
	submitted  int64 // Unix nanoseconds
	timeUsed   int64 // nanoseconds
	correct    int32
	total      int32
}

// perfect reports whether every question of the attempt was answered right.
func (r *record) perfect() bool { return r.total > 0 && r.correct == r.total }

// better reports whether attempt a is a better recognized result than b for one person:
// more correct, then earlier SubmittedAt, then less TimeUsed, then smaller AttemptID.
// With unique attempt ids this is a total order, so the best attempt does not depend on
// the order in which attempts arrive.
func better(a, b *record) bool {
	if a.correct != b.correct {
		return a.correct > b.correct
	}
	if a.submitted != b.submitted {
		return a.submitted < b.submitted
	}
	if a.timeUsed != b.timeUsed {
		return a.timeUsed < b.timeUsed
	}
	return a.attempt < b.attempt
}

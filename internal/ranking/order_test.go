package ranking

import "testing"

func TestOrder(t *testing.T) {
	// Unless a case says otherwise, three people are perfect (persons 90..92, predicting 3,
	// far below everyone in the table) so that Actual = 3.
	perfect := []Attempt{att(90, 90, 15, 3, 900, 900), att(91, 91, 15, 3, 900, 900), att(92, 92, 15, 3, 900, 900)}
	tests := []struct {
		name     string
		keys     []Key
		attempts []Attempt
		noFiller bool
		want     []string // the entries of persons < 90, in order
	}{
		{name: "more correct first", attempts: []Attempt{
			att(1, 1, 12, 3, 10, 10), att(2, 2, 14, 500, 900, 900)},
			want: []string{"2#4 -", "1#5 -"}},
		{name: "equal correct: smaller distance first", attempts: []Attempt{
			att(1, 1, 14, 7, 10, 10), att(2, 2, 14, 4, 900, 900)},
			want: []string{"2#4 -", "1#5 -"}},
		{name: "equal correct and distance: less time first", attempts: []Attempt{
			att(1, 1, 14, 4, 61, 10), att(2, 2, 14, 4, 60, 900)},
			want: []string{"2#4 -", "1#5 -"}},
		{name: "equal down to time: earlier submission first", attempts: []Attempt{
			att(1, 1, 14, 4, 60, 11), att(2, 2, 14, 4, 60, 10)},
			want: []string{"2#4 -", "1#5 -"}},
		{name: "equal on every key: shared rank, listed by person id", attempts: []Attempt{
			att(2, 1, 14, 4, 60, 10), att(1, 2, 14, 4, 60, 10)},
			want: []string{"1#4 -", "2#4 -"}},
		{name: "over and under by the same amount tie", attempts: []Attempt{
			att(1, 1, 14, 5, 60, 10), att(2, 2, 14, 1, 60, 10), att(3, 3, 14, 3, 60, 10)},
			want: []string{"3#4 -", "1#5 -", "2#5 -"}},
		{name: "competition ranking 1,2,2,4", noFiller: true, attempts: []Attempt{
			att(4, 1, 12, 0, 60, 10), att(3, 2, 13, 0, 60, 10), att(2, 3, 13, 0, 60, 10), att(1, 4, 14, 0, 60, 10)},
			want: []string{"1#1 -", "2#2 -", "3#2 -", "4#4 -"}},
		{name: "custom order: time first", keys: []Key{KeyTimeUsed, KeyCorrect}, noFiller: true, attempts: []Attempt{
			att(1, 1, 15, 0, 90, 10), att(2, 2, 10, 0, 30, 50), att(3, 3, 12, 0, 30, 40)},
			want: []string{"3#1 -", "2#2 -", "1#3 -"}},
		{name: "custom order: submission before distance", keys: []Key{KeyCorrect, KeySubmittedAt, KeyPredictionDistance}, attempts: []Attempt{
			att(1, 1, 14, 3, 60, 20), att(2, 2, 14, 100, 60, 10)},
			want: []string{"2#4 -", "1#5 -"}},
		{name: "a key left out does not break ties", keys: []Key{KeyCorrect}, noFiller: true, attempts: []Attempt{
			att(3, 1, 14, 0, 10, 10), att(1, 2, 14, 9, 90, 90), att(2, 3, 13, 0, 1, 1)},
			want: []string{"1#1 -", "3#1 -", "2#3 -"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attempts := tt.attempts
			if !tt.noFiller {
				attempts = append(append([]Attempt(nil), perfect...), attempts...)
			}
			r := rankAll(t, Rules{TieBreak: tt.keys}, nil, attempts...)
			var got []string
			for _, e := range r.Entries {
				if e.PersonID < 90 {
					got = append(got, lines([]Entry{e})[0])
				}
			}
			sameLines(t, "order", got, tt.want)
		})
	}
}

func TestActual(t *testing.T) {
	tests := []struct {
		name     string
		attempts []Attempt
		actual   int64
		dist     []int64 // Distance of each entry, in order
	}{
		{name: "empty round"},
		{name: "nobody perfect: distance is the prediction", attempts: []Attempt{
			att(1, 1, 14, 0, 60, 10), att(2, 2, 14, 2, 60, 10), att(3, 3, 13, 1, 60, 10)},
			actual: 0, dist: []int64{0, 2, 1}},
		{name: "counted on the best attempt, once per person", attempts: []Attempt{
			att(1, 1, 15, 2, 60, 10), att(1, 2, 15, 2, 50, 20), att(2, 3, 14, 2, 60, 10), att(2, 4, 15, 2, 70, 30), att(3, 5, 14, 0, 60, 10)},
			actual: 2, dist: []int64{0, 0, 2}},
		{name: "no questions is never perfect", attempts: []Attempt{
			{PersonID: 1, AttemptID: 1, Prediction: 1, SubmittedAt: opens}},
			actual: 0, dist: []int64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rankAll(t, Rules{Prizes: planPrizes()}, nil, tt.attempts...)
			if r.Actual != tt.actual {
				t.Errorf("Actual = %d, want %d", r.Actual, tt.actual)
			}
			var dist []int64
			for _, e := range r.Entries {
				dist = append(dist, e.Distance)
			}
			if len(dist) != len(tt.dist) {
				t.Fatalf("distances %v, want %v", dist, tt.dist)
			}
			for i := range dist {
				if dist[i] != tt.dist[i] {
					t.Fatalf("distances %v, want %v", dist, tt.dist)
				}
			}
			if len(tt.attempts) == 0 && (r.Participants != 0 || len(r.Entries) != 0 || len(r.Winners) != 0 || !r.Decided()) {
				t.Errorf("empty round gave %+v", r)
			}
		})
	}
}

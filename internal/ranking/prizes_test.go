package ranking

import (
	"fmt"
	"strings"
	"testing"
)

func TestPrizes(t *testing.T) {
	// Ranked by Correct only, so a person's number of correct answers alone places them.
	// c(person, correct) is one attempt.
	c := func(person int64, correct int) Attempt { return att(person, person, correct, 0, 60, 60) }
	small := []Prize{{Name: "A", Count: 1}, {Name: "B", Count: 2}, {Name: "C", Count: 1}}
	tests := []struct {
		name     string
		prizes   []Prize
		people   map[int64]Person // default: everyone eligible, no organization
		orgs     []string
		attempts []Attempt
		want     []string
		ties     string // fmt %v of BoundaryTies
	}{
		{name: "no ties", prizes: small,
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 13), c(4, 12), c(5, 11), c(6, 10)},
			want:     []string{"1#1 A", "2#2 B", "3#3 B", "4#4 C", "5#5 -", "6#6 -"}, ties: "[]"},
		{name: "tie inside one prize level: both take it", prizes: small,
			attempts: []Attempt{c(1, 15), c(3, 14), c(2, 14), c(4, 12), c(5, 11)},
			want:     []string{"1#1 A", "2#2 B", "3#2 B", "4#4 C", "5#5 -"}, ties: "[]"},
		{name: "tie between two prize levels: held, later people go on after it", prizes: small,
			attempts: []Attempt{c(1, 15), c(2, 15), c(3, 14), c(4, 13), c(5, 12)},
			want:     []string{"1#1 ?", "2#1 ?", "3#3 B", "4#4 C", "5#5 -"},
			ties:     "[{1 [1 2] [{A 1} {B 1}]}]"},
		{name: "tie at the last place", prizes: small,
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 13), c(4, 12), c(5, 12), c(6, 12), c(7, 11)},
			want:     []string{"1#1 A", "2#2 B", "3#3 B", "4#4 ?", "5#4 ?", "6#4 ?", "7#7 -"},
			ties:     "[{4 [4 5 6] [{C 1}]}]"},
		{name: "tie filling the last places exactly", prizes: small,
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 14), c(4, 12), c(5, 11)},
			want:     []string{"1#1 A", "2#2 B", "3#2 B", "4#4 C", "5#5 -"}, ties: "[]"},
		{name: "tie across every level and past the end", prizes: small,
			attempts: []Attempt{c(5, 15), c(4, 15), c(3, 15), c(2, 15), c(1, 15), c(6, 14)},
			want:     []string{"1#1 ?", "2#1 ?", "3#1 ?", "4#1 ?", "5#1 ?", "6#6 -"},
			ties:     "[{1 [1 2 3 4 5] [{A 1} {B 2} {C 1}]}]"},
		{name: "two boundary ties", prizes: small,
			attempts: []Attempt{c(1, 15), c(2, 15), c(3, 14), c(4, 13), c(5, 13)},
			want:     []string{"1#1 ?", "2#1 ?", "3#3 B", "4#4 ?", "5#4 ?"},
			ties:     "[{1 [1 2] [{A 1} {B 1}]} {4 [4 5] [{C 1}]}]"},
		{name: "flagged person above the line takes no place", prizes: small,
			people:   map[int64]Person{1: {ID: 1, Ineligible: true}},
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 13), c(4, 12), c(5, 11), c(6, 10)},
			want:     []string{"1#1 x", "2#2 A", "3#3 B", "4#4 B", "5#5 C", "6#6 -"}, ties: "[]"},
		{name: "excluded organizations, any case and spacing", prizes: small,
			orgs: []string{"Sở Thông tin và Truyền thông", "Ban Tổ chức"},
			people: map[int64]Person{
				1: {ID: 1, Organization: "  SỞ THÔNG TIN  VÀ TRUYỀN THÔNG "},
				2: {ID: 2, Organization: "sở thông tin\tvà truyền thông"},
				3: {ID: 3, Organization: "Sở Thông tin và Truyền thông tỉnh Bình Định"}, // another one
				4: {ID: 4, Organization: "ban tổ CHỨC"},
			},
			attempts: []Attempt{c(1, 15), c(2, 15), c(3, 14), c(4, 14), c(5, 13), c(6, 12), c(7, 11)},
			want:     []string{"1#1 x", "2#1 x", "3#3 A", "4#3 x", "5#5 B", "6#6 B", "7#7 C"}, ties: "[]"},
		{name: "an ineligible member does not make a tie", prizes: small,
			people:   map[int64]Person{1: {ID: 1, Ineligible: true}},
			attempts: []Attempt{c(1, 15), c(2, 15), c(3, 14), c(4, 14), c(5, 13)},
			want:     []string{"1#1 x", "2#1 A", "3#3 B", "4#3 B", "5#5 C"}, ties: "[]"},
		{name: "ineligible members left out of a boundary tie", prizes: small,
			people:   map[int64]Person{5: {ID: 5, Ineligible: true}},
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 13), c(4, 12), c(5, 12), c(6, 12)},
			want:     []string{"1#1 A", "2#2 B", "3#3 B", "4#4 ?", "5#4 x", "6#4 ?"},
			ties:     "[{4 [4 6] [{C 1}]}]"},
		{name: "fewer eligible people than prizes", prizes: small,
			people:   map[int64]Person{2: {ID: 2, Ineligible: true}},
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 13)},
			want:     []string{"1#1 A", "2#2 x", "3#3 B"}, ties: "[]"},
		{name: "fewer people than prizes, tied", prizes: small,
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 14)},
			want:     []string{"1#1 A", "2#2 B", "3#2 B"}, ties: "[]"},
		{name: "no prizes declared",
			attempts: []Attempt{c(1, 15), c(2, 15)},
			want:     []string{"1#1 -", "2#1 -"}, ties: "[]"},
		{name: "plan prizes", prizes: planPrizes(),
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 14), c(4, 13), c(5, 13), c(6, 13), c(7, 12), c(8, 11), c(9, 10), c(10, 9), c(11, 9), c(12, 9)},
			want:     []string{"1#1 Nhất", "2#2 Nhì", "3#2 Nhì", "4#4 Ba", "5#4 Ba", "6#4 Ba", "7#7 KK", "8#8 KK", "9#9 KK", "10#10 ?", "11#10 ?", "12#10 ?"},
			ties:     "[{10 [10 11 12] [{KK 2}]}]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			people := People(plainPeople)
			if tt.people != nil {
				people = func(id int64) (Person, bool) {
					if p, ok := tt.people[id]; ok {
						return p, true
					}
					return Person{ID: id}, true
				}
			}
			rules := Rules{TieBreak: []Key{KeyCorrect}, Prizes: tt.prizes, IneligibleOrganizations: tt.orgs}
			r := rankAll(t, rules, people, tt.attempts...)
			sameLines(t, "entries", lines(r.Entries), tt.want)
			if got := fmt.Sprint(r.BoundaryTies); got != tt.ties && !(got == "[]" && tt.ties == "") {
				t.Errorf("BoundaryTies = %s, want %s", got, tt.ties)
			}
			if r.Decided() != (len(r.BoundaryTies) == 0) {
				t.Errorf("Decided() = %v with %d ties", r.Decided(), len(r.BoundaryTies))
			}
			checkWinners(t, r)
		})
	}
}

// checkWinners checks that Winners are exactly the entries given a prize, in prize order
// and in ranking order within a prize, and that the flags agree.
func checkWinners(t *testing.T, r Result) {
	t.Helper()
	var withPrize []Entry
	var order []string // prize names in the order Winners first shows them
	for _, w := range r.Winners {
		if len(order) == 0 || order[len(order)-1] != w.Prize {
			order = append(order, w.Prize)
		}
	}
	for _, name := range order {
		for _, e := range r.Entries {
			if e.Prize == name {
				withPrize = append(withPrize, e)
			}
		}
	}
	for _, e := range r.Entries {
		if e.BelowCondition != "" && (!e.Eligible || e.Prize == e.BelowCondition) {
			t.Errorf("entry %+v is below the condition of a prize it has, or ineligible", e)
		}
		if e.Prize != "" {
			if !e.Eligible || e.TieAtBoundary {
				t.Errorf("entry %+v has a prize but is ineligible or in a boundary tie", e)
			}
		}
		if e.TieAtBoundary && !e.Eligible {
			t.Errorf("ineligible entry %+v is in a boundary tie", e)
		}
		if !e.Eligible && e.IneligibleReason == "" {
			t.Errorf("ineligible entry %+v gives no reason", e)
		}
	}
	if len(withPrize) != len(r.Winners) {
		t.Fatalf("%d entries have a prize, %d winners", len(withPrize), len(r.Winners))
	}
	for i := range withPrize {
		if withPrize[i] != r.Winners[i] {
			t.Errorf("winner %d is %+v, entry is %+v", i, r.Winners[i], withPrize[i])
		}
	}
}

func TestIneligibleReason(t *testing.T) {
	rules := Rules{Prizes: []Prize{{Name: "A", Count: 1}}, IneligibleOrganizations: []string{" Sở TT&TT "}}
	people := FromMap(map[int64]Person{
		1: {ID: 1, Ineligible: true},
		2: {ID: 2, Organization: "sở tt&tt"},
		3: {ID: 3, Organization: "SỞ TT&TT", Ineligible: true, FlagNote: "Cán bộ Tổ thư ký; trực tiếp ra đề"},
		4: {ID: 4, Organization: "Trường THPT Phan Bội Châu"},
	})
	r := rankAll(t, rules, people, att(1, 1, 15, 0, 1, 1), att(2, 2, 15, 0, 2, 2), att(3, 3, 15, 0, 3, 3), att(4, 4, 15, 0, 4, 4))
	want := []string{
		"flagged by organizers",
		`organization "Sở TT&TT" is excluded`,
		`flagged by organizers: Cán bộ Tổ thư ký, trực tiếp ra đề; organization "Sở TT&TT" is excluded`,
		"",
	}
	for i, e := range r.Entries {
		if e.IneligibleReason != want[i] || e.Eligible != (want[i] == "") {
			t.Errorf("person %d: eligible %v reason %q, want reason %q", e.PersonID, e.Eligible, e.IneligibleReason, want[i])
		}
	}
	if len(r.Winners) != 1 || r.Winners[0].PersonID != 4 {
		t.Errorf("winners %v, want person 4 alone", lines(r.Winners))
	}
}

func TestPrizeConditions(t *testing.T) {
	c := func(person int64, correct int) Attempt { return att(person, person, correct, 0, 60, 60) }
	// A needs 14, B needs 12, C none.
	cond := []Prize{{Name: "A", Count: 1, MinCorrect: 14}, {Name: "B", Count: 2, MinCorrect: 12}, {Name: "C", Count: 2}}
	tests := []struct {
		name     string
		keys     []Key
		prizes   []Prize
		attempts []Attempt
		want     []string
		below    string // "person:prize ..." of every BelowCondition, in listing order
		ties     string
	}{
		{name: "everyone meets the conditions: as without them", prizes: cond,
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 13), c(4, 12), c(5, 11), c(6, 10)},
			want:     []string{"1#1 A", "2#2 B", "3#3 B", "4#4 C", "5#5 C", "6#6 -"}},
		{name: "nobody meets the first prize's: it stays vacant, the best take the next", prizes: cond,
			attempts: []Attempt{c(1, 13), c(2, 12), c(3, 12), c(4, 2)},
			want:     []string{"1#1 B", "2#2 ?", "3#2 ?", "4#4 C"},
			below:    "1:A", ties: "[{2 [2 3] [{B 1} {C 1}]}]"},
		{name: "a place of a prize is never moved to another one", prizes: cond,
			attempts: []Attempt{c(1, 11), c(2, 10), c(3, 9)},
			want:     []string{"1#1 C", "2#2 C", "3#3 -"},
			below:    "1:A 2:B"},
		{name: "the demo's defect: 2 of 15 takes nothing when every prize asks for 10",
			prizes:   []Prize{{Name: "A", Count: 1, MinCorrect: 10}, {Name: "B", Count: 5, MinCorrect: 10}},
			attempts: []Attempt{c(1, 12), c(2, 2), c(3, 0)},
			want:     []string{"1#1 A", "2#2 -", "3#3 -"},
			below:    "2:B 3:B"},
		{name: "a tie partly below a condition: those who meet it take it alone",
			keys:     []Key{KeyPredictionDistance}, // everyone shares one rank whatever they answered
			prizes:   []Prize{{Name: "A", Count: 2, MinCorrect: 14}, {Name: "B", Count: 1}},
			attempts: []Attempt{c(1, 15), c(2, 14), c(3, 9)},
			want:     []string{"1#1 A", "2#1 A", "3#1 B"},
			below:    "3:A"},
		{name: "ranked first but below the condition: takes the lower prize after a lower-ranked person takes the higher",
			keys:     []Key{KeyTimeUsed},
			prizes:   []Prize{{Name: "A", Count: 1, MinCorrect: 15}, {Name: "B", Count: 1}},
			attempts: []Attempt{att(1, 1, 12, 0, 30, 60), att(2, 2, 15, 0, 40, 60), att(3, 3, 15, 0, 50, 60)},
			want:     []string{"1#1 B", "2#2 A", "3#3 -"},
			below:    "1:A"},
		{name: "only those within reach are said to be below a condition",
			prizes:   []Prize{{Name: "A", Count: 1, MinCorrect: 15}, {Name: "B", Count: 2, MinCorrect: 12}, {Name: "C", Count: 1}},
			attempts: []Attempt{c(1, 14), c(2, 14), c(3, 13), c(4, 10)},
			want:     []string{"1#1 B", "2#1 B", "3#3 C", "4#4 -"},
			below:    "1:A 2:A"},
		{name: "a tie past the condition's reach leaves the rest of the level vacant", prizes: cond,
			attempts: []Attempt{c(1, 14), c(2, 12), c(3, 9), c(4, 9), c(5, 9)},
			want:     []string{"1#1 A", "2#2 B", "3#3 ?", "4#3 ?", "5#3 ?"},
			below:    "3:B 4:B 5:B", ties: "[{3 [3 4 5] [{C 2}]}]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := tt.keys
			if keys == nil {
				keys = []Key{KeyCorrect}
			}
			r := rankAll(t, Rules{TieBreak: keys, Prizes: tt.prizes}, nil, tt.attempts...)
			sameLines(t, "entries", lines(r.Entries), tt.want)
			var below []string
			for _, e := range r.Entries {
				if e.BelowCondition != "" {
					below = append(below, fmt.Sprintf("%d:%s", e.PersonID, e.BelowCondition))
				}
			}
			if got := strings.Join(below, " "); got != tt.below {
				t.Errorf("below conditions %q, want %q", got, tt.below)
			}
			if got := fmt.Sprint(r.BoundaryTies); got != tt.ties && !(got == "[]" && tt.ties == "") {
				t.Errorf("BoundaryTies = %s, want %s", got, tt.ties)
			}
			checkWinners(t, r)
			people := map[int64]Person{}
			for _, a := range tt.attempts {
				people[a.PersonID] = Person{ID: a.PersonID}
			}
			agree(t, Rules{TieBreak: keys, Prizes: tt.prizes}, people, tt.attempts)
		})
	}
}

package ranking

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/unit"
)

// randomRound draws a small round where ties are common: few values per field.
func randomRound(rng *rand.Rand) (Rules, map[int64]Person, []Attempt) {
	var rules Rules
	if rng.IntN(4) > 0 { // sometimes the default order
		all := DefaultTieBreak()
		rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		rules.TieBreak = all[:1+rng.IntN(len(all))]
	}
	// Conditions (half the rounds): each prize asks for at most what the one before asks.
	conditions := rng.IntN(2) == 0
	need := rng.IntN(4)
	for k := range rng.IntN(5) {
		rules.Prizes = append(rules.Prizes, Prize{Name: fmt.Sprintf("P%d", k), Count: 1 + rng.IntN(3)})
		if conditions {
			need -= rng.IntN(2)
			rules.Prizes[k].MinCorrect = max(0, need)
		}
	}
	orgs := []string{"Sở TT&TT", "  sở tt&tt ", "SỞ  TT&TT", "Trường A", "trường a", "", "Ban B"}
	if rng.IntN(2) == 0 {
		rules.IneligibleOrganizations = []string{"Sở TT&TT"}
		if rng.IntN(2) == 0 {
			rules.IneligibleOrganizations = append(rules.IneligibleOrganizations, "TRƯỜNG A")
		}
	}
	units := testUnits()
	unitCodes := []string{"", "", "S", "S-VP", "S-VP-1", "T", "T-1", "B"}
	if rng.IntN(2) == 0 {
		rules.Units = units
		for _, c := range []string{"S-VP", "T", "B", "S"} {
			if rng.IntN(4) == 0 {
				rules.IneligibleUnits = append(rules.IneligibleUnits, c)
			}
		}
		// Names that name units: by a name without diacritics, by an alias in capitals, and a
		// name two units share.
		for _, o := range []string{"so thong tin", "SỞ TT", "Văn  phòng"} {
			if rng.IntN(4) == 0 {
				rules.IneligibleOrganizations = append(rules.IneligibleOrganizations, o)
			}
		}
	}
	n := rng.IntN(30)
	total := 3
	if rng.IntN(10) == 0 {
		total = rng.IntN(3) // 0 questions: nobody can be perfect
	}
	people := map[int64]Person{}
	var attempts []Attempt
	for p := range n {
		id := int64(p*7%31 + 1) // ids not in attempt order
		people[id] = Person{ID: id, Organization: orgs[rng.IntN(len(orgs))], Ineligible: rng.IntN(8) == 0,
			FlagNote: []string{"", "ghi chú", "a; b;c", "  nhiều   dòng\nkhác  "}[rng.IntN(4)]}
		if rules.Units != nil {
			p := people[id]
			p.UnitCode = unitCodes[rng.IntN(len(unitCodes))]
			people[id] = p
		}
		for range 1 + rng.IntN(3) {
			attempts = append(attempts, Attempt{
				PersonID:    id,
				Correct:     rng.IntN(total + 1),
				Total:       total,
				Prediction:  int64(rng.IntN(6)),
				TimeUsed:    time.Duration(1+rng.IntN(3)) * time.Second,
				SubmittedAt: opens.Add(time.Duration(rng.IntN(4)) * time.Second),
			})
		}
	}
	ids := rng.Perm(len(attempts)) // unique attempt ids, unrelated to arrival order
	for i := range attempts {
		attempts[i].AttemptID = int64(ids[i] + 1)
	}
	rng.Shuffle(len(attempts), func(i, j int) { attempts[i], attempts[j] = attempts[j], attempts[i] })
	return rules, people, attempts
}

// agree ranks with the package and the reference, reports any difference and returns
// the package's result.
func agree(t *testing.T, rules Rules, people map[int64]Person, attempts []Attempt) Result {
	t.Helper()
	b, err := NewBuilder(rules)
	if err != nil {
		t.Fatalf("NewBuilder(%+v): %v", rules, err)
	}
	for _, a := range attempts {
		if err := b.Add(a); err != nil {
			t.Fatalf("Add(%+v): %v", a, err)
		}
	}
	got, err := b.Rank(FromMap(people))
	if err != nil {
		t.Fatalf("Rank: %v", err)
	}
	want := reference(rules, people, attempts)
	got, want = canonical(got), canonical(want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("package and reference disagree\nrules %+v\nattempts %+v\n got  %s\n want %s",
			rules, attempts, describe(got), describe(want))
	}
	checkWinners(t, got)
	return got
}

// describe renders a result one entry per line, for failure messages.
func describe(r Result) string {
	var s strings.Builder
	fmt.Fprintf(&s, "actual %d participants %d attempts %d keys %v ties %v\n", r.Actual, r.Participants, r.Attempts, r.TieBreak, r.BoundaryTies)
	for _, e := range r.Entries {
		fmt.Fprintf(&s, "  %+v\n", e)
	}
	fmt.Fprintf(&s, "  winners %v\n", lines(r.Winners))
	return s.String()
}

func TestAgreesWithReference(t *testing.T) {
	iterations := 5000
	if testing.Short() {
		iterations = 500
	}
	rng := rand.New(rand.NewPCG(2937, 2024))
	// Count the situations the rules care about, so a generator that stopped producing
	// them would fail here instead of passing vacuously.
	var empty, noPerfect, shared, ineligible, byOrg, byUnit, underUnit, winners, boundary, below, belowLower, vacant, outOfOrder int
	for range iterations {
		rules, people, attempts := randomRound(rng)
		r := agree(t, rules, people, attempts)
		if len(attempts) == 0 {
			empty++
		} else if r.Actual == 0 {
			noPerfect++
		}
		seen := map[string]bool{}
		for i, e := range r.Entries {
			if i > 0 && r.Entries[i-1].Rank == e.Rank {
				seen["shared"] = true
			}
			if !e.Eligible {
				seen["ineligible"] = true
				if strings.Contains(e.IneligibleReason, "organization") {
					seen["org"] = true
				}
				if strings.Contains(e.IneligibleReason, "unit") {
					seen["unit"] = true
				}
				if strings.Contains(e.IneligibleReason, "under excluded unit") {
					seen["under"] = true
				}
			}
		}
		shared += b2i(seen["shared"])
		ineligible += b2i(seen["ineligible"])
		byOrg += b2i(seen["org"])
		byUnit += b2i(seen["unit"])
		underUnit += b2i(seen["under"])
		for i, e := range r.Entries {
			if e.BelowCondition != "" {
				seen["below"] = true
				if e.Prize != "" || e.TieAtBoundary {
					seen["belowLower"] = true
				}
			}
			if i > 0 && e.Prize != "" && r.Entries[i-1].Prize != "" && prizeIndex(rules, e.Prize) < prizeIndex(rules, r.Entries[i-1].Prize) {
				seen["outOfOrder"] = true
			}
		}
		held := 0
		for _, t := range r.BoundaryTies {
			for _, p := range t.Places {
				held += p.Count
			}
		}
		declared := 0
		for _, p := range rules.Prizes {
			declared += p.Count
		}
		eligible := 0
		for _, e := range r.Entries {
			eligible += b2i(e.Eligible)
		}
		below += b2i(seen["below"])
		belowLower += b2i(seen["belowLower"])
		vacant += b2i(len(r.Winners)+held < min(declared, eligible))
		outOfOrder += b2i(seen["outOfOrder"])
		winners += b2i(len(r.Winners) > 0)
		boundary += b2i(len(r.BoundaryTies) > 0)
	}
	t.Logf("rounds: %d empty, %d with nobody perfect, %d with shared ranks, %d with ineligible people (%d by organization, %d by unit, %d under a unit), %d with winners, %d with boundary ties, "+
		"%d with someone below a prize's condition (%d of them taking or tied for a lower prize), %d with places left vacant by the conditions, %d with a winner ranked above a higher prize's",
		empty, noPerfect, shared, ineligible, byOrg, byUnit, underUnit, winners, boundary, below, belowLower, vacant, outOfOrder)
	for name, n := range map[string]int{"empty": empty, "no perfect": noPerfect, "shared": shared, "ineligible": ineligible, "by organization": byOrg,
		"by unit": byUnit, "under a unit": underUnit, "winners": winners, "boundary ties": boundary,
		"someone below a condition": below, "someone below a condition taking a lower prize": belowLower, "vacant places": vacant, "prizes out of ranking order": outOfOrder} {
		if n == 0 {
			t.Errorf("the generator produced no round with %s", name)
		}
	}
}

// testUnits is a small unit tree: a department with a division and its team, a school
// named like a free-text organization of the rounds, with a division named like the
// department's, and a board.
func testUnits() []unit.Unit {
	return []unit.Unit{
		{Code: "S", Name: "Sở Thông tin", Type: unit.TypeAgency, Aliases: []string{"Sở TT"}},
		{Code: "S-VP", Name: "Văn phòng", ParentCode: "S", Type: unit.TypeAgency},
		{Code: "S-VP-1", Name: "Tổ Một", ParentCode: "S-VP", Type: unit.TypeAgency},
		{Code: "T", Name: "Trường A", Type: unit.TypeSchool},
		{Code: "T-1", Name: "Văn phòng", ParentCode: "T", Type: unit.TypeSchool},
		{Code: "B", Name: "Ban B", Type: unit.TypeOther},
	}
}

// prizeIndex is the place of a prize in the rules' order.
func prizeIndex(rules Rules, name string) int {
	for i, p := range rules.Prizes {
		if p.Name == name {
			return i
		}
	}
	return -1
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func FuzzAgreesWithReference(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add([]byte{0xff, 0x10, 0x20, 0x30, 0x10, 0x20, 0x30, 0x10, 0x21, 0x30})
	f.Add([]byte{0x35, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 3, 3, 5, 3, 3, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		// First byte: rules; then 4 bytes per attempt.
		h := data[0]
		var rules Rules
		keys := DefaultTieBreak()
		if h&3 != 0 {
			rules.TieBreak = []Key{keys[h>>2&3], keys[(h>>2+1)&3], keys[(h>>2+2)&3]}[:h&3]
		}
		rules.Prizes = []Prize{{Name: "A", Count: 1}, {Name: "B", Count: 1 + int(h>>4&1)}, {Name: "C", Count: 1 + int(h>>5&3)}}[:1+int(h>>6)%3]
		if len(data) > 1 && data[len(data)-1]&1 != 0 { // conditions from the last byte: A ≥ B ≥ C
			c := data[len(data)-1]
			need := []int{int(c>>1&3) + int(c>>3&1) + int(c>>4&1), int(c>>1&3) + int(c>>3&1), int(c >> 1 & 3)}
			for i := range rules.Prizes {
				rules.Prizes[i].MinCorrect = need[i]
			}
		}
		rules.IneligibleOrganizations = []string{"Org X"}
		if h&1 != 0 {
			rules.Units, rules.IneligibleUnits = testUnits(), []string{"S-VP"}
			if h&2 != 0 {
				rules.IneligibleOrganizations = append(rules.IneligibleOrganizations, "truong a")
			}
		}
		people := map[int64]Person{}
		var attempts []Attempt
		for i, d := 0, data[1:]; len(d) >= 4 && i < 200; i, d = i+1, d[4:] {
			id := int64(d[0] % 12)
			people[id] = Person{ID: id, Ineligible: id == 11, Organization: []string{"", "org  x", "Org Y"}[id%3]}
			if rules.Units != nil {
				p := people[id]
				p.UnitCode = []string{"", "S", "S-VP", "S-VP-1", "T", "T-1", "B"}[id%7]
				people[id] = p
			}
			attempts = append(attempts, Attempt{
				PersonID:    id,
				AttemptID:   int64(1000 - i),
				Correct:     int(d[1] % 4),
				Total:       3,
				Prediction:  int64(d[2] % 5),
				TimeUsed:    time.Duration(d[3]%3) * time.Second,
				SubmittedAt: opens.Add(time.Duration(d[3]/3%3) * time.Second),
			})
		}
		agree(t, rules, people, attempts)
	})
}

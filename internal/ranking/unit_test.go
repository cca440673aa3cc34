package ranking

import (
	"strings"
	"testing"
)

// People are excluded by the unit they chose: the unit listed, or a unit above it; a person
// of another unit is not, however their organization was typed.
func TestIneligibleUnits(t *testing.T) {
	rules := Rules{Prizes: []Prize{{Name: "A", Count: 10}}, Units: testUnits(), IneligibleUnits: []string{"S-VP"}}
	people := FromMap(map[int64]Person{
		1: {ID: 1, UnitCode: "S-VP"},                            // the unit listed
		2: {ID: 2, UnitCode: "S-VP-1"},                          // a team of it
		3: {ID: 3, UnitCode: "S"},                               // the department above it: not listed
		4: {ID: 4, UnitCode: "T-1", Organization: "Văn phòng"},  // another unit of the same name
		5: {ID: 5, Organization: "Văn phòng"},                   // free text only
		6: {ID: 6, UnitCode: "S-VP-1", Ineligible: true},        // flagged as well
		7: {ID: 7, UnitCode: "B", Organization: "Sở Thông tin"}, // a different unit, whatever the text
	})
	r := rankAll(t, rules, people, att(1, 1, 15, 0, 1, 1), att(2, 2, 15, 0, 2, 2), att(3, 3, 15, 0, 3, 3),
		att(4, 4, 15, 0, 4, 4), att(5, 5, 15, 0, 5, 5), att(6, 6, 15, 0, 6, 6), att(7, 7, 15, 0, 7, 7))
	want := []string{
		`unit "S-VP" is excluded`,
		`unit "S-VP-1" is under excluded unit "S-VP"`,
		"", "", "",
		`flagged by organizers; unit "S-VP-1" is under excluded unit "S-VP"`,
		"",
	}
	checkReasons(t, r, want)
	if len(r.Winners) != 4 {
		t.Errorf("winners %v, want people 3, 4, 5 and 7", lines(r.Winners))
	}
}

// An ineligible organization's name counts as every unit it names by name or alias,
// without case or diacritics, and as free text as before; the unit is looked at first.
func TestIneligibleOrganizationNamesUnits(t *testing.T) {
	rules := Rules{Prizes: []Prize{{Name: "A", Count: 10}}, Units: testUnits(), IneligibleOrganizations: []string{"SO TT"}}
	people := FromMap(map[int64]Person{
		1: {ID: 1, UnitCode: "S", Organization: "Sở Thông tin"}, // the unit the alias names
		2: {ID: 2, UnitCode: "S-VP-1"},                          // under it
		3: {ID: 3, Organization: "so  tt"},                      // free text, as before
		4: {ID: 4, Organization: "Sở TT"},                       // free text with diacritics: a different spelling for the free-text rule
		5: {ID: 5, UnitCode: "T"},
	})
	r := rankAll(t, rules, people, att(1, 1, 15, 0, 1, 1), att(2, 2, 15, 0, 2, 2), att(3, 3, 15, 0, 3, 3),
		att(4, 4, 15, 0, 4, 4), att(5, 5, 15, 0, 5, 5))
	checkReasons(t, r, []string{
		`unit "S" is excluded`,
		`unit "S-VP-1" is under excluded unit "S"`,
		`organization "SO TT" is excluded`,
		"", "",
	})

	// A name two units share names both: as the free-text rule excludes everyone who typed it.
	rules.IneligibleOrganizations = []string{"văn phòng"}
	r = rankAll(t, rules, FromMap(map[int64]Person{1: {ID: 1, UnitCode: "S-VP"}, 2: {ID: 2, UnitCode: "T-1"}, 3: {ID: 3, UnitCode: "T"}}),
		att(1, 1, 15, 0, 1, 1), att(2, 2, 15, 0, 2, 2), att(3, 3, 15, 0, 3, 3))
	checkReasons(t, r, []string{`unit "S-VP" is excluded`, `unit "T-1" is excluded`, ""})
}

func TestIneligibleUnitMustBeInTheList(t *testing.T) {
	for _, rules := range []Rules{
		{IneligibleUnits: []string{"S-VP"}},
		{IneligibleUnits: []string{"S-VP", "NOPE"}, Units: testUnits()},
	} {
		_, err := NewBuilder(rules)
		if err == nil || !strings.Contains(err.Error(), `ineligible unit "`) || !strings.Contains(err.Error(), "is not in the contest's unit list") {
			t.Errorf("rules %+v: error %v", rules.IneligibleUnits, err)
		}
	}
}

func checkReasons(t *testing.T, r Result, want []string) {
	t.Helper()
	if len(r.Entries) != len(want) {
		t.Fatalf("%d entries, want %d", len(r.Entries), len(want))
	}
	for i, e := range r.Entries {
		if e.IneligibleReason != want[i] || e.Eligible != (want[i] == "") {
			t.Errorf("person %d: eligible %v reason %q, want reason %q", e.PersonID, e.Eligible, e.IneligibleReason, want[i])
		}
	}
}

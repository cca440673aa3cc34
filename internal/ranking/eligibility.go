package ranking

import (
	"fmt"
	"strings"
)

// ReasonFlagged is the IneligibleReason of a person flagged by organizers.
const ReasonFlagged = "flagged by organizers"

// eligibility decides who may take a prize. It caches the verdict per raw organization
// string, since half a million people share a few thousand organizations and normalizing
// each one would allocate.
type eligibility struct {
	excluded map[string]string // normalized → spelling in the rules
	verdict  map[string]string // raw organization → matched rules spelling, "" if none
	units    map[string]bool   // excluded unit codes
	parents  map[string]string // unit tree
	unitWhy  map[string]string // unit code → reason, "" if eligible
}

func newEligibility(c compiled) *eligibility {
	return &eligibility{excluded: c.excluded, verdict: make(map[string]string),
		units: c.excludedUnits, parents: c.parents, unitWhy: make(map[string]string)}
}

// check returns whether p is eligible and, if not, why: flagged by organizers, and the
// first of their unit (chosen from the list) and their organization (as typed) that is
// excluded. The unit comes first; the typed text is only looked at when the unit does not
// exclude, so a person is not listed twice for one department.
func (e *eligibility) check(p Person) (bool, string) {
	why := e.excludedUnit(p.UnitCode)
	if why == "" {
		if org := e.excludedOrganization(p.Organization); org != "" {
			why = fmt.Sprintf("organization %q is excluded", org)
		}
	}
	flagged := ReasonFlagged
	if note := flagNote(p.FlagNote); note != "" {
		flagged += ": " + note
	}
	switch {
	case p.Ineligible && why != "":
		return false, flagged + "; " + why
	case p.Ineligible:
		return false, flagged
	case why != "":
		return false, why
	}
	return true, ""
}

// flagNote is the organizers' reason as it can stand in a reason text, whose parts are
// separated by "; ": one line, no semicolon, at most 200 characters.
func flagNote(s string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ";", ",")), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// Matcher says whether the rules exclude a person of an organization (as typed) and a unit
// (chosen from the list), and why: the verdict the ranking gives, without ranking, for the
// screens that show who a rule matches.
type Matcher struct{ e *eligibility }

// NewMatcher compiles the rules.
func NewMatcher(r Rules) (*Matcher, error) {
	c, err := compile(r)
	if err != nil {
		return nil, err
	}
	return &Matcher{e: newEligibility(c)}, nil
}

// Excluded is why the rules exclude such a person, or "".
func (m *Matcher) Excluded(organization, unitCode string) string {
	_, why := m.e.check(Person{Organization: organization, UnitCode: unitCode})
	return why
}

// excludedUnit returns why a person of unit code is excluded — the unit is, or a unit
// above it is (the nearest one named) — or "".
func (e *eligibility) excludedUnit(code string) string {
	if code == "" || len(e.units) == 0 {
		return ""
	}
	if v, ok := e.unitWhy[code]; ok {
		return v
	}
	v := ""
	if e.units[code] {
		v = fmt.Sprintf("unit %q is excluded", code)
	} else {
		// Bounded by the tree's size, should a list built in code hold a cycle.
		for p, steps := e.parents[code], 0; p != "" && steps <= len(e.parents); p, steps = e.parents[p], steps+1 {
			if e.units[p] {
				v = fmt.Sprintf("unit %q is under excluded unit %q", code, p)
				break
			}
		}
	}
	e.unitWhy[code] = v
	return v
}

// excludedOrganization returns the rules' spelling of the excluded organization that org
// matches, or "".
func (e *eligibility) excludedOrganization(org string) string {
	if len(e.excluded) == 0 {
		return ""
	}
	if v, ok := e.verdict[org]; ok {
		return v
	}
	v := e.excluded[normalizeOrganization(org)]
	e.verdict[org] = v
	return v
}

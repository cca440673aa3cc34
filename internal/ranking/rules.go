package ranking

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/dxcontest/contest-platform/internal/unit"
)

// Prize is one prize level: Count places named Name, for people with at least
// MinCorrect correct answers (0: no condition).
type Prize struct {
	Name  string
	Count int
	// MinCorrect is the prize's condition. A lower prize may not ask for more than a
	// higher one (Validate), so whoever meets a prize's condition meets every later one's.
	MinCorrect int
}

// Rules are a round's ranking rules.
type Rules struct {
	// TieBreak is the order of keys between people; empty means DefaultTieBreak (the same
	// default the ContestRound API applies).
	TieBreak []Key
	// Prizes are filled in this order. An empty list ranks without awarding anything.
	Prizes []Prize
	// IneligibleOrganizations are organizations whose people take part but never take a
	// prize. They are compared normalized (see normalizeOrganization): surrounding space
	// trimmed, inner runs of space collapsed to one, letters case-folded.
	IneligibleOrganizations []string
	// IneligibleUnits are codes of the contest's unit list whose people, and the people of
	// every unit under them (a department's divisions), take part but never take a prize.
	IneligibleUnits []string
	// Units is the contest's unit list: the tree IneligibleUnits are looked up in, and the
	// names and aliases through which an entry of IneligibleOrganizations names units.
	Units []unit.Unit
}

// Validate reports every problem in r at once, each saying what to fix.
func (r Rules) Validate() error {
	var errs []error
	seenKey := make(map[Key]int, len(r.TieBreak))
	for i, k := range r.TieBreak {
		if _, ok := k.id(); !ok {
			errs = append(errs, fmt.Errorf("tie-break key %d is %q: not a known key (known: %s, %s, %s, %s)",
				i+1, k, KeyCorrect, KeyPredictionDistance, KeyTimeUsed, KeySubmittedAt))
			continue
		}
		if j, dup := seenKey[k]; dup {
			errs = append(errs, fmt.Errorf("tie-break key %q is listed twice (positions %d and %d): list each key once", k, j+1, i+1))
			continue
		}
		seenKey[k] = i
	}
	seenPrize := make(map[string]int, len(r.Prizes))
	places := 0
	for i, p := range r.Prizes {
		if strings.TrimSpace(p.Name) == "" {
			errs = append(errs, fmt.Errorf("prize %d has no name: every prize needs one", i+1))
		} else if j, dup := seenPrize[p.Name]; dup {
			errs = append(errs, fmt.Errorf("prize name %q is used twice (prizes %d and %d): prize names must be unique", p.Name, j+1, i+1))
		} else {
			seenPrize[p.Name] = i
		}
		if p.Count < 1 {
			errs = append(errs, fmt.Errorf("prize %d (%q) has count %d: a prize needs at least 1 place", i+1, p.Name, p.Count))
			continue
		}
		if p.MinCorrect < 0 {
			errs = append(errs, fmt.Errorf("prize %d (%q) asks for %d correct answers: the condition must be 0 (none) or more", i+1, p.Name, p.MinCorrect))
		} else if i > 0 && p.MinCorrect > r.Prizes[i-1].MinCorrect {
			// The order of prizes is the order of merit: a lower prize asking for more would
			// turn people who meet the higher condition away from the lower prize.
			errs = append(errs, fmt.Errorf("prize %d (%q) asks for %d correct answers, more than prize %d (%q) before it asks (%d): a lower prize may not ask for more",
				i+1, p.Name, p.MinCorrect, i, r.Prizes[i-1].Name, r.Prizes[i-1].MinCorrect))
		}
		// Bounded so that place arithmetic can never overflow.
		if p.Count > math.MaxInt32-places {
			errs = append(errs, fmt.Errorf("prize %d (%q) has count %d: the prizes add up to more than %d places", i+1, p.Name, p.Count, math.MaxInt32))
			continue
		}
		places += p.Count
	}
	for i, o := range r.IneligibleOrganizations {
		// A blank entry would match every person who gave no organization.
		if normalizeOrganization(o) == "" {
			errs = append(errs, fmt.Errorf("ineligible organization %d is blank: remove it or give the organization's name", i+1))
		}
	}
	known := make(map[string]bool, len(r.Units))
	for _, u := range r.Units {
		known[u.Code] = true
	}
	for _, code := range r.IneligibleUnits {
		// A code the list lacks would exclude nobody, silently: a typo must stop the ranking.
		if !known[code] {
			errs = append(errs, fmt.Errorf("ineligible unit %q is not in the contest's unit list: import the list, or correct the code", code))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("ranking rules: %w", errors.Join(errs...))
}

// compiled is a validated, private copy of Rules in the form the builder uses.
type compiled struct {
	tieBreak []Key
	keys     []keyID
	prizes   []Prize
	// excluded maps a normalized organization to its spelling in the rules, for the reason text.
	excluded map[string]string
	// excludedUnits are the codes whose people, and their sub-units' people, are excluded:
	// IneligibleUnits and the units IneligibleOrganizations name.
	excludedUnits map[string]bool
	// parents is the unit tree: code → parent code.
	parents map[string]string
}

func compile(r Rules) (compiled, error) {
	if err := r.Validate(); err != nil {
		return compiled{}, err
	}
	tb := r.TieBreak
	if len(tb) == 0 {
		tb = DefaultTieBreak()
	}
	c := compiled{
		tieBreak: append([]Key(nil), tb...),
		keys:     make([]keyID, len(tb)),
		prizes:   append([]Prize(nil), r.Prizes...),
		excluded: make(map[string]string, len(r.IneligibleOrganizations)),
	}
	for i, k := range tb {
		c.keys[i], _ = k.id()
	}
	for _, o := range r.IneligibleOrganizations {
		n := normalizeOrganization(o)
		if _, dup := c.excluded[n]; !dup {
			c.excluded[n] = strings.TrimSpace(o)
		}
	}
	c.excludedUnits, c.parents = excludedUnits(r)
	return c, nil
}

// excludedUnits resolves the rules' exclusions to unit codes: the codes listed, and every
// unit an ineligible organization's name names by name or alias (unit.Index.Named: whole
// names without case or diacritics; a name two units share names both, as the free-text
// rule excludes everyone who typed it).
func excludedUnits(r Rules) (excluded map[string]bool, parents map[string]string) {
	excluded = make(map[string]bool, len(r.IneligibleUnits))
	for _, code := range r.IneligibleUnits {
		excluded[code] = true
	}
	if len(r.Units) == 0 {
		return excluded, nil
	}
	ix := unit.NewIndex(r.Units)
	for _, o := range r.IneligibleOrganizations {
		for _, m := range ix.Named(o) {
			excluded[m.Unit.Code] = true
		}
	}
	return excluded, unit.Parents(r.Units)
}

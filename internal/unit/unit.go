// Package unit reads a contest's list of units ("cơ quan, đơn vị"): the agencies, schools,
// communes and enterprises contestants work or study in, which organizers count
// participation by and name in the ranking's eligibility rule. Units are data per contest,
// never code, like localities: each contest imports its own list (CSV or XLSX).
//
// A unit has a code, a name, an optional parent (the tree of agencies: a department and
// its divisions), a type from a small closed set, an optional headcount and optional
// aliases (other spellings and abbreviations, "Sở TTTT"). A name typed by a person is
// matched to units by exact code, by name or by alias, comparing whole names without case
// or diacritics; never by likeness, so nobody is silently mapped to the wrong unit.
//
// data/binh-thuan-2024.csv is the sample contest's list (see data/README.md).
package unit

import (
	"errors"
	"fmt"
	"regexp"
	"unicode/utf8"
)

// Unit is one unit of a contest's list. ParentCode is empty for a top-level unit.
// Headcount is nil when the list does not say how many people the unit has.
type Unit struct {
	Code       string
	Name       string
	ParentCode string
	Type       Type
	Headcount  *int
	Aliases    []string
}

// Limits: codes appear in forms, URLs and the ContestRound's spec; names in phones' lists
// and in the contestant's organization column (300 characters).
const (
	MaxCodeLength = 32
	MaxNameRunes  = 300
	MaxAliases    = 20
	MaxHeadcount  = 10_000_000
	// MaxDepth bounds the tree: a province's agencies are three or four levels deep.
	MaxDepth = 8
	// MaxUnits bounds a list: a province has a few thousand units.
	MaxUnits = 50_000
	// MaxFileBytes bounds what a parser reads.
	MaxFileBytes = 8 << 20
)

// CodePattern is what a unit code looks like; the ContestRound's ineligibleUnits uses the
// same pattern.
const CodePattern = `^[A-Za-z0-9][A-Za-z0-9_.-]*$`

var codeRE = regexp.MustCompile(CodePattern)

// ValidCode reports whether code is a well-formed unit code.
func ValidCode(code string) bool {
	return len(code) <= MaxCodeLength && codeRE.MatchString(code)
}

// Validate checks a list built in code against what Parse guarantees: valid, unique codes,
// names in stored form and distinct within a parent, known types, parents in the list, no
// cycle, at most MaxDepth levels, headcounts within bounds and aliases that name one unit
// only. It reports every problem, naming the codes.
func Validate(us []Unit) error {
	if len(us) > MaxUnits {
		return fmt.Errorf("%d units: at most %d", len(us), MaxUnits)
	}
	byCode := make(map[string]int, len(us))
	var errs []error
	for i, u := range us {
		switch _, dup := byCode[u.Code]; {
		case !ValidCode(u.Code):
			errs = append(errs, fmt.Errorf("unit code %q is not valid", u.Code))
		case dup:
			errs = append(errs, fmt.Errorf("unit %s: code appears twice", u.Code))
		default:
			byCode[u.Code] = i
		}
		if problem := nameProblem(u.Name); problem != "" || NormalizeName(u.Name) != u.Name {
			errs = append(errs, fmt.Errorf("unit %s: name %q is not a valid stored name", u.Code, u.Name))
		}
		if !u.Type.Valid() {
			errs = append(errs, fmt.Errorf("unit %s: type %q is not one of %v", u.Code, u.Type, Types()))
		}
		if u.Headcount != nil && (*u.Headcount < 0 || *u.Headcount > MaxHeadcount) {
			errs = append(errs, fmt.Errorf("unit %s: headcount %d is outside 0..%d", u.Code, *u.Headcount, MaxHeadcount))
		}
		if len(u.Aliases) > MaxAliases {
			errs = append(errs, fmt.Errorf("unit %s: %d aliases, at most %d", u.Code, len(u.Aliases), MaxAliases))
		}
		for _, a := range u.Aliases {
			if problem := nameProblem(a); problem != "" || NormalizeName(a) != a {
				errs = append(errs, fmt.Errorf("unit %s: alias %q is not a valid stored name", u.Code, a))
			}
		}
	}
	parents := make(map[string]string, len(us))
	for _, u := range us {
		if u.ParentCode == "" {
			continue
		}
		if _, ok := byCode[u.ParentCode]; !ok {
			errs = append(errs, fmt.Errorf("unit %s: parent %s is not in the list", u.Code, u.ParentCode))
			continue
		}
		parents[u.Code] = u.ParentCode
	}
	depth := depths(parents)
	for _, u := range us {
		d, ok := depth[u.Code]
		if !ok {
			d = 1 // a top-level unit nobody names as parent
		}
		switch {
		case d < 0:
			errs = append(errs, fmt.Errorf("unit %s: its parents lead into a cycle", u.Code))
		case d > MaxDepth:
			errs = append(errs, fmt.Errorf("unit %s: %d levels deep, at most %d", u.Code, d, MaxDepth))
		}
	}
	errs = append(errs, nameClashes(us)...)
	return errors.Join(errs...)
}

// nameClashes finds two units of one parent with the same name, and an alias naming
// another unit as well (two units with one alias, or an alias that is another unit's name).
func nameClashes(us []Unit) []error {
	var errs []error
	siblings := map[[2]string]string{} // (parent, name key) → code
	owner := map[string]string{}       // name or alias key → code
	for _, u := range us {
		k := [2]string{u.ParentCode, Key(u.Name)}
		if other, dup := siblings[k]; dup {
			errs = append(errs, fmt.Errorf("unit %s: same name as unit %s of the same parent", u.Code, other))
		} else {
			siblings[k] = u.Code
		}
		if _, taken := owner[Key(u.Name)]; !taken {
			owner[Key(u.Name)] = u.Code
		}
	}
	for _, u := range us {
		for _, a := range u.Aliases {
			k := Key(a)
			if other, taken := owner[k]; taken && other != u.Code {
				errs = append(errs, fmt.Errorf("unit %s: alias %q also names unit %s", u.Code, a, other))
				continue
			}
			owner[k] = u.Code
		}
	}
	return errs
}

// nameProblem is the reason a cleaned name cannot be stored, or "".
func nameProblem(name string) string {
	switch {
	case !utf8.ValidString(name):
		return reasonEncoding
	case name == "":
		return reasonEmpty("tên")
	case hasLineBreak(name):
		return reasonLineBreak
	case hasControl(name):
		return reasonControlChar
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return reasonTooLong(utf8.RuneCountInString(name))
	}
	return ""
}

package person

import (
	"strings"
	"time"
)

// NormalizeNationalID drops spaces, dots and dashes typed between the digits and
// checks that 12 digits remain.
func NormalizeNationalID(s string) (string, *FieldError) {
	s = stripSeparators(s)
	switch {
	case s == "":
		return "", errp(FieldNationalID, CodeNationalIDRequired)
	case !allDigits(s):
		return "", errp(FieldNationalID, CodeNationalIDFormat)
	case len(s) == 9:
		return "", errp(FieldNationalID, CodeNationalIDOldCard)
	case len(s) != 12:
		return "", errp(FieldNationalID, CodeNationalIDFormat)
	}
	return s, nil
}

// CheckNationalID checks a national ID (CCCD) against the date of birth and gender it
// encodes: digit 4 gives century and gender, digits 5–6 the last two digits of the
// birth year. Each disagreement is reported separately on the national_id field, its
// message naming the other field. A zero birth skips the date checks and an invalid g
// the gender check, so callers can pass what they have.
func CheckNationalID(id string, birth time.Time, g Gender) []FieldError {
	id, fe := NormalizeNationalID(id)
	if fe != nil {
		return []FieldError{*fe}
	}
	var out []FieldError
	code := int(id[3] - '0')
	if !birth.IsZero() {
		year := birth.Year()
		if centuryStart(code) != year-year%100 {
			out = append(out, newError(FieldNationalID, CodeNationalIDCentury))
		}
		if int(id[4]-'0')*10+int(id[5]-'0') != year%100 {
			out = append(out, newError(FieldNationalID, CodeNationalIDBirthYear))
		}
	}
	if g.Valid() && genderOf(code) != g {
		out = append(out, newError(FieldNationalID, CodeNationalIDGender))
	}
	return out
}

// centuryStart is the first year of the century that a century/gender digit encodes
// (Circular 07/2016/TT-BCA): 0–1 → 1900, 2–3 → 2000, ... 8–9 → 2300.
func centuryStart(digit int) int { return 1900 + 100*(digit/2) }

// genderOf is the gender a century/gender digit encodes: even male, odd female.
func genderOf(digit int) Gender {
	if digit%2 == 0 {
		return Male
	}
	return Female
}

// stripSeparators removes whitespace, dots and dashes, which people type to group
// digits.
func stripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '.', '-', '\u00a0', '\u202f':
			return -1
		}
		return r
	}, s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func errp(field, code string) *FieldError {
	fe := newError(field, code)
	return &fe
}

package person

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Gender as stored (contestant.gender).
type Gender string

const (
	Male   Gender = "male"
	Female Gender = "female"
)

// Valid reports whether g is one of the stored values.
func (g Gender) Valid() bool { return g == Male || g == Female }

// Label is the Vietnamese label ("Nam", "Nữ").
func (g Gender) Label() string {
	switch g {
	case Male:
		return "Nam"
	case Female:
		return "Nữ"
	}
	return ""
}

// LabelEnglish is the English label.
func (g Gender) LabelEnglish() string {
	switch g {
	case Male:
		return "Male"
	case Female:
		return "Female"
	}
	return ""
}

// ParseGender reads a form value: the stored value or either label, any case.
func ParseGender(s string) (Gender, bool) {
	s = strings.ToLower(norm.NFC.String(strings.TrimSpace(s)))
	switch s {
	case "male", "nam":
		return Male, true
	case "female", "nữ":
		return Female, true
	}
	return "", false
}

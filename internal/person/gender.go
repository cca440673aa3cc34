package person

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/dxcontest/contest-platform/internal/locale"
)

// Gender as stored (contestant.gender).
type Gender string

const (
	Male   Gender = "male"
	Female Gender = "female"
)

// Valid reports whether g is one of the stored values.
func (g Gender) Valid() bool { return g == Male || g == Female }

// Label is the Vietnamese label ("Nam", "Nữ"; "" for an unknown gender).
func (g Gender) Label() string { return g.label(locale.Vietnamese) }

// LabelEnglish is the English label.
func (g Gender) LabelEnglish() string { return g.label(locale.English) }

// label is the catalog's gender.<value>, which the registration form shows too.
func (g Gender) label(lang string) string {
	if !g.Valid() {
		return ""
	}
	return locale.T(lang, "gender."+string(g))
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

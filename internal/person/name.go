package person

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Name length limits, in characters.
const (
	MinNameRunes = 2
	MaxNameRunes = 100
)

// NormalizeName trims the name, collapses inner whitespace to single spaces, writes
// apostrophes as ' and normalizes to NFC, then checks it: 2–100 characters, letters
// (any script, with their diacritics), spaces, apostrophes and hyphens only, starting
// and ending with a letter. The case is kept as typed. The normalized name is
// returned even when it is invalid, so a form can show it back.
func NormalizeName(s string) (string, *FieldError) {
	// Invalid UTF-8 becomes U+FFFD before NFC, which must see it (or a combining mark after
	// it stays unnormalized until a second pass); apostrophes are mapped after NFC, which
	// makes some of them (U+1FEF GREEK VARIA becomes a backtick): mapped before, a second
	// pass changed the name again.
	s = cleanText(strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.Map(func(r rune) rune {
		if r == '\u2019' || r == '\u02bc' || r == '`' {
			return '\'' // typographic and modifier apostrophes, as in "H’Hen"
		}
		return r
	}, s)
	n := utf8.RuneCountInString(s)
	switch {
	case s == "":
		return s, errp(FieldFullName, CodeNameRequired)
	case n < MinNameRunes:
		return s, errp(FieldFullName, CodeNameTooShort)
	case n > MaxNameRunes:
		return s, errp(FieldFullName, CodeNameTooLong)
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.M, r) && r != ' ' && r != '\'' && r != '-' {
			return s, errp(FieldFullName, CodeNameCharacters)
		}
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if !unicode.IsLetter(first) || !(unicode.IsLetter(last) || unicode.Is(unicode.M, last)) {
		return s, errp(FieldFullName, CodeNameEdges)
	}
	return s, nil
}

// cleanText normalizes free text: NFC, trimmed, every run of whitespace one space.
func cleanText(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

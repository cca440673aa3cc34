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
	// Apostrophes first: strings.Map also turns invalid UTF-8 into U+FFFD, which NFC must
	// then see, or a combining mark after it stays unnormalized until a second pass.
	s = strings.Map(func(r rune) rune {
		if r == '\u2019' || r == '\u02bc' || r == '`' {
			return '\'' // typographic and modifier apostrophes, as in "H’Hen"
		}
		return r
	}, s)
	s = cleanText(s)
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

package bank

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// cleanCell trims surrounding white space, unifies line endings and composes
// text to NFC, so that Vietnamese typed with different input methods
// (precomposed on Windows, decomposed on macOS) is stored and compared alike.
// Invalid UTF-8 is only trimmed: the validator must see it to report it,
// rather than have it silently "repaired" into replacement characters.
func cleanCell(s string) string {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return norm.NFC.String(s)
}

// textKey is the identity used to find duplicate questions and options:
// NFC, case-folded, runs of white space collapsed to one space. Two texts
// with the same key read the same to a contestant.
func textKey(s string) string {
	s = cases.Fold().String(norm.NFC.String(s))
	return norm.NFC.String(strings.Join(strings.Fields(s), " "))
}

// headerKey reduces a header cell to lower-case ASCII words joined by "_",
// so "Phương án A", "phuong an a" and "PHUONG_AN_A" all match "phuong_an_a".
// Organizers type headers by hand, with or without diacritics.
func headerKey(s string) string {
	s = norm.NFD.String(strings.TrimPrefix(strings.TrimSpace(s), "\ufeff"))
	var b strings.Builder
	pendingSep := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining diacritic left by NFD
		case r == 'đ' || r == 'Đ':
			r = 'd' // đ has no decomposition
		}
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			pendingSep = b.Len() > 0
			continue
		}
		if pendingSep {
			b.WriteByte('_')
			pendingSep = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// runeCount is the length limits' unit: characters as a person counts them,
// not bytes (a Vietnamese letter is 2–3 bytes in UTF-8).
func runeCount(s string) int { return utf8.RuneCountInString(s) }

func lower(s string) string { return strings.ToLower(s) }

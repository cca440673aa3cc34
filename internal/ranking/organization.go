package ranking

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalizeOrganization is the form in which organizations are compared: leading and
// trailing space trimmed, every inner run of space (any Unicode space, including the
// no-break space that copy-paste brings) collapsed to one ASCII space, and every letter
// replaced by a canonical member of its simple case-folding class, so two names match
// exactly when strings.EqualFold would say so after collapsing space ("SỞ THÔNG TIN" and
// "sở  thông tin" match).
//
// It first brings the text to Unicode NFC, so a name typed with combining diacritics (as
// some keyboards and files produce) matches the same name precomposed. Abbreviations
// ("Sở TT&TT") are a different name: organizers flag such people instead.
func normalizeOrganization(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, f := range strings.Fields(s) {
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, r := range f {
			b.WriteRune(foldRune(r))
		}
	}
	return b.String()
}

// foldRune returns the smallest rune of r's simple case-folding orbit, a canonical
// representative: two runes fold equal exactly when unicode.SimpleFold links them.
func foldRune(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < m {
			m = f
		}
	}
	return m
}

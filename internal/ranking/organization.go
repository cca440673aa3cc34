package ranking

import (
	"strings"
	"unicode"
)

// normalizeOrganization is the form in which organizations are compared: leading and
// trailing space trimmed, every inner run of space (any Unicode space, including the
// no-break space that copy-paste brings) collapsed to one ASCII space, and every letter
// replaced by a canonical member of its simple case-folding class, so two names match
// exactly when strings.EqualFold would say so after collapsing space ("SỞ THÔNG TIN" and
// "sở  thông tin" match).
//
// It does not apply Unicode normalization: a name typed with combining diacritics (NFD)
// does not match the same name precomposed (NFC). The caller should store organizations
// in NFC, or pick them from a list.
func normalizeOrganization(s string) string {
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

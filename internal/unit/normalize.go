package unit

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeName is a name's stored form: Unicode NFC (Vietnamese typed on Windows and on
// macOS compares equal), surrounding space trimmed, inner runs of space (the no-break
// space that copy-paste brings included) collapsed to one space. Invalid UTF-8 is left as
// it is, for the validator to report.
func NormalizeName(s string) string {
	if !utfValid(s) {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// Key is the form in which names and aliases are compared: NormalizeName, then without
// case and without diacritics (đ read as d). Two names match when their keys are equal;
// there is no other likeness, so "Sở TTTT" matches "SỞ TTTT" and "so tttt" but not
// "Sở TT&TT" unless the list names it as an alias.
func Key(s string) string {
	s = norm.NFD.String(NormalizeName(s))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining diacritic left by NFD
		case r == 'đ' || r == 'Đ':
			r = 'd' // đ has no decomposition
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// headerKey reduces a header or a type cell to lower-case ASCII words joined by "_", so
// "Mã đơn vị", "ma don vi" and "MA_DON_VI" all read "ma_don_vi".
func headerKey(s string) string {
	s = norm.NFD.String(strings.TrimPrefix(strings.TrimSpace(s), "\ufeff"))
	var b strings.Builder
	pendingSep := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
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

func hasLineBreak(s string) bool { return strings.ContainsAny(s, "\r\n\u2028\u2029") }

// hasControl finds characters a list cannot show: control characters (NUL among them,
// which PostgreSQL refuses in text) and the invisible format characters that make two
// names look alike while differing (zero-width space, direction marks).
func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0
}

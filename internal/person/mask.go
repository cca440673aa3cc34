package person

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskNationalID hides a national ID for public pages, keeping the first 3 digits
// (the birth province, shared by a whole province) and the last 2, so a winner can
// recognize their entry: "060*******34". Anything that is not a valid ID is hidden
// whole.
func MaskNationalID(id string) string {
	n, fe := NormalizeNationalID(id)
	if fe != nil {
		return strings.Repeat("*", 12)
	}
	return n[:3] + strings.Repeat("*", 7) + n[10:]
}

// MaskPhone hides a phone number for public pages, keeping the prefix (4 digits, the
// carrier) and the last 3: "0912***678". Anything that is not a valid mobile number
// is hidden whole.
func MaskPhone(phone string) string {
	n, fe := NormalizePhone(phone)
	if fe != nil {
		return strings.Repeat("*", 10)
	}
	return n[:4] + "***" + n[7:]
}

// MaskEmail hides an email address for logs and pages, keeping the first character of the
// mailbox and the domain (shared by thousands): "k***@example.vn". Anything that is not an
// address with one @ is hidden whole.
func MaskEmail(email string) string {
	at := strings.IndexByte(email, '@')
	if at <= 0 || at != strings.LastIndexByte(email, '@') || at == len(email)-1 {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(email)
	return string(r) + "***" + email[at:]
}

// MaskName shortens a full name to the family name and initials: "Nguyễn Văn An" →
// "Nguyễn V. A.". Vietnamese family names are shared by millions, so this identifies
// no one to strangers while the person still recognizes themself. A one-word name
// becomes its initial. It assumes family-name-first order, as Vietnamese names are
// written.
func MaskName(name string) string {
	words := strings.Fields(cleanText(name))
	if len(words) == 0 {
		return ""
	}
	var b strings.Builder
	if len(words) > 1 {
		b.WriteString(words[0])
		words = words[1:]
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToUpper(r))
		b.WriteByte('.')
	}
	return b.String()
}

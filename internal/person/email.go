package person

import (
	"net/mail"
	"strings"
)

// MaxEmailLength is the longest address accepted (RFC 5321's path limit; the
// contestant table's check constraint).
const MaxEmailLength = 254

// NormalizeEmail checks an optional email address: empty is fine; otherwise one bare
// address (no display name) of at most 254 bytes whose domain has a dot.
func NormalizeEmail(s string) (string, *FieldError) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) > MaxEmailLength {
		return s, errp(FieldEmail, CodeEmailTooLong)
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return s, errp(FieldEmail, CodeEmailInvalid)
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.HasPrefix(domain, "[") {
		return s, errp(FieldEmail, CodeEmailInvalid)
	}
	return s, nil
}

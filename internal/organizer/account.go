package organizer

import (
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Password rules for organizer accounts: long, since one account can publish results.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 1024
)

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$`)

// CheckUsername says what is wrong with a username: 3–64 lower-case letters, digits, dots,
// dashes or underscores, starting and ending with a letter or digit (it appears in logs,
// the audit log and URLs, so no spaces and no look-alike characters).
func CheckUsername(s string) error {
	if !usernamePattern.MatchString(s) {
		return fmt.Errorf("username %q: use 3 to 64 lower-case letters, digits, '.', '-' or '_', starting and ending with a letter or digit", s)
	}
	return nil
}

// CheckPassword says what is wrong with a new password.
func CheckPassword(pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return fmt.Errorf("the password needs at least %d characters", MinPasswordLength)
	case len(pw) > MaxPasswordBytes:
		return fmt.Errorf("the password is too long (at most %d bytes)", MaxPasswordBytes)
	case strings.TrimSpace(pw) == "":
		return errors.New("the password is blank")
	}
	return nil
}

// oneTimeAlphabet has no look-alikes (no 0/O, 1/l/I): a one-time password is read out
// from a screen or over the phone.
const oneTimeAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// OneTimePassword draws a password to hand over once, which the person must change at
// their first sign-in: four groups of four characters (about 79 bits).
func OneTimePassword() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	var out strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(oneTimeAlphabet[int(x)%len(oneTimeAlphabet)])
	}
	return out.String()
}

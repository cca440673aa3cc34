package person

import (
	"strconv"
	"strings"
	"time"
)

// Age limits for contestants, in whole years at registration.
const (
	MinAge = 6
	MaxAge = 120
)

// ParseBirthDate reads a date of birth written day first ("05/09/1990", "5/9/1990",
// "05.09.1990", "05-09-1990") or as an HTML date input sends it ("1990-09-05"). The
// result is midnight UTC of that calendar date.
func ParseBirthDate(s string) (time.Time, *FieldError) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errp(FieldBirthDate, CodeBirthDateRequired)
	}
	sep := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if sep < 0 || !strings.ContainsRune("/.-", rune(s[sep])) {
		return time.Time{}, errp(FieldBirthDate, CodeBirthDateFormat)
	}
	parts := strings.Split(s, s[sep:sep+1])
	if len(parts) != 3 {
		return time.Time{}, errp(FieldBirthDate, CodeBirthDateFormat)
	}
	d, m, y := parts[0], parts[1], parts[2]
	if len(d) == 4 && s[sep] == '-' {
		y, d = d, y // yyyy-mm-dd
	}
	if len(d) < 1 || len(d) > 2 || len(m) < 1 || len(m) > 2 || len(y) != 4 {
		return time.Time{}, errp(FieldBirthDate, CodeBirthDateFormat)
	}
	day, e1 := number(d)
	month, e2 := number(m)
	year, e3 := number(y)
	if !e1 || !e2 || !e3 {
		return time.Time{}, errp(FieldBirthDate, CodeBirthDateFormat)
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month || t.Year() != year {
		return time.Time{}, errp(FieldBirthDate, CodeBirthDateInvalid) // 31/02, 00/13
	}
	return t, nil
}

// number parses a non-empty run of ASCII digits.
func number(s string) (int, bool) {
	if s == "" || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// Age is the age in whole years on now's date in Vietnam, of someone born on
// birth's calendar date (read in birth's own location). Someone born on 29 February
// turns a year older on 1 March in common years.
func Age(birth, now time.Time) int {
	by, bm, bd := birth.Date()
	ty, tm, td := vietnamDate(now)
	age := ty - by
	if tm < bm || tm == bm && td < bd {
		age--
	}
	return age
}

// CheckBirthDate checks a date of birth: known, not in the future, and an age from
// MinAge to MaxAge years at now.
func CheckBirthDate(birth, now time.Time) *FieldError {
	if birth.IsZero() {
		return errp(FieldBirthDate, CodeBirthDateRequired)
	}
	by, bm, bd := birth.Date()
	ty, tm, td := vietnamDate(now)
	if time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC).After(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)) {
		return errp(FieldBirthDate, CodeBirthDateFuture)
	}
	switch age := Age(birth, now); {
	case age < MinAge:
		return errp(FieldBirthDate, CodeBirthDateTooYoung)
	case age > MaxAge:
		return errp(FieldBirthDate, CodeBirthDateTooOld)
	}
	return nil
}

// vietnamDate is t's calendar date in Vietnam (UTC+7 all year, no daylight saving),
// computed without a time zone database.
func vietnamDate(t time.Time) (int, time.Month, int) {
	return t.UTC().Add(7 * time.Hour).Date()
}

package person

import "strings"

// NormalizePhone reads a Vietnamese mobile number in any usual spelling ("+84 912 345
// 678", "84912345678", "0084 912…", "0912.345.678", "0912-345-678", "(091) 2345678",
// or without the leading 0: "912 345 678") and returns it as stored: 10 digits
// starting with 0, prefix 03, 05, 07, 08 or 09. Landlines, old 11-digit mobile
// numbers and wrong lengths each get their own message.
func NormalizePhone(s string) (string, *FieldError) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errp(FieldPhone, CodePhoneRequired)
	}
	plus := strings.HasPrefix(s, "+")
	d := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '.', '-', '(', ')', '\u00a0', '\u202f':
			return -1
		}
		return r
	}, strings.TrimPrefix(s, "+"))
	if d == "" || !allDigits(d) {
		return "", errp(FieldPhone, CodePhoneCharacters)
	}
	switch {
	case plus && !strings.HasPrefix(d, "84"):
		return "", errp(FieldPhone, CodePhonePrefix) // a foreign number
	case plus:
		d = national(d[2:])
	case strings.HasPrefix(d, "0084"):
		d = national(d[4:])
	case strings.HasPrefix(d, "84") && (len(d) == 11 || len(d) == 12 && d[2] == '0'):
		d = national(d[2:])
	case len(d) == 9 && isMobileDigit(d[0]):
		d = "0" + d // typed without the trunk 0, as after +84
	}
	switch {
	case len(d) >= 2 && d[:2] == "02" && (len(d) == 10 || len(d) == 11):
		return "", errp(FieldPhone, CodePhoneLandline)
	case len(d) == 11 && d[:2] == "01":
		return "", errp(FieldPhone, CodePhoneOldPrefix)
	case len(d) != 10 || d[0] != '0':
		return "", errp(FieldPhone, CodePhoneLength)
	case !isMobileDigit(d[1]):
		return "", errp(FieldPhone, CodePhonePrefix)
	}
	return d, nil
}

// national turns the digits after the country code into the domestic form,
// tolerating a trunk 0 written after +84 ("+84 (0) 912…").
func national(rest string) string {
	if strings.HasPrefix(rest, "0") {
		return rest
	}
	return "0" + rest
}

// isMobileDigit reports whether c follows the trunk 0 of a mobile number.
func isMobileDigit(c byte) bool {
	return c == '3' || c == '5' || c == '7' || c == '8' || c == '9'
}

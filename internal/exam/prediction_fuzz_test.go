package exam

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/dxcontest/contest-platform/internal/locale"
)

// The prediction answer is typed by contestants. Whatever they type, it is either a number
// in range whose digits are exactly the ones typed, or refused with a known code; and the
// numbers it yields read back the same when written plainly or with Vietnamese grouping.
func FuzzParsePrediction(f *testing.F) {
	for _, s := range []string{
		"0", "15", "  1234 ", "007", "1.234", "12.500", "1.234.567", "1 234", "1 234 567", "1\u00a0234", "1\u202f234",
		"1000000000", "1.000.000.000", "", "   ", "-5", "−5", "-0", "+5", "abc", "12a", "1e3", "１２", "1,234", "1,5",
		"12.5", "1234.5", ".5", "1.23", "1.2345", "1234.567", "1.234.56", "1.", "1..234", "1  234", "1.234 567", "12 34",
		"1000000001", "99999999999999999999999", "00000000000000000042",
		// Tricky: NUL, invalid UTF-8, combining marks, other digits and spaces, huge groupings.
		"\x00", "1\x00", "\xff", "1\xc3", "1\u0301", "٣", "1\u2009234", "1\u3000234", strings.Repeat("0", 10000) + "1",
		strings.Repeat("1.000", 5), "\u00a01\u00a0", "9.223.372.036.854.775.807", "18446744073709551616",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParsePrediction(s)
		if err != nil {
			var pe *PredictionError
			if !errors.As(err, &pe) || pe.Code == "" || pe.Message != locale.T(locale.Vietnamese, pe.Code) || locale.T(locale.English, pe.Code) == pe.Code {
				t.Fatalf("ParsePrediction(%q): error %v, want a *PredictionError with a known code", s, err)
			}
			if n != 0 {
				t.Fatalf("ParsePrediction(%q) refused but returned %d", s, n)
			}
			return
		}
		if n < 0 || n > MaxPrediction {
			t.Fatalf("ParsePrediction(%q) = %d, out of range", s, n)
		}
		// The digits typed, separators dropped, are the number.
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		if want, err := strconv.ParseInt(strings.TrimLeft(digits, "0")+"0", 10, 64); err != nil || want/10 != n {
			t.Fatalf("ParsePrediction(%q) = %d, but its digits are %s", s, n, digits)
		}
		for _, written := range []string{strconv.FormatInt(n, 10), grouped(n, "."), grouped(n, " "), grouped(n, "\u00a0")} {
			if again, err := ParsePrediction(written); err != nil || again != n {
				t.Fatalf("ParsePrediction(%q) = %d, %v; want %d", written, again, err, n)
			}
		}
	})
}

// grouped writes n with sep between groups of three digits, as Vietnamese does.
func grouped(n int64, sep string) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

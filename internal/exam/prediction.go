package exam

import (
	"strings"
	"unicode"

	"github.com/dxcontest/contest-platform/internal/locale"
)

// MaxPrediction bounds the prediction answer: far above any round's participation,
// small enough that no arithmetic on it can overflow.
const MaxPrediction = 1_000_000_000

// ParsePrediction reads the answer to the prediction question (how many people will
// answer every question right): a whole number from 0 to MaxPrediction.
//
// Vietnamese writes thousands with dots or spaces ("1.234", "1 234") and decimals with
// a comma. So dots and spaces (also no-break and thin spaces) are accepted as
// thousands separators when they split the digits into groups of three, one kind of
// separator per number; "12.5" is refused as a decimal. A comma is refused outright:
// "1,234" means 1.234 to a Vietnamese reader and 1234 to an English one, and a
// misread prediction would silently change the ranking, so the person is asked to
// retype it. Signs, letters and empty input are refused. Errors are *PredictionError
// with a Vietnamese message.
func ParsePrediction(s string) (int64, error) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	switch {
	case s == "":
		return 0, predictionError(CodePredictionRequired)
	case strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−"): // hyphen-minus or U+2212
		return 0, predictionError(CodePredictionNegative)
	}
	var (
		n       int64
		digits  int  // digits in the current group
		groups  int  // separators seen
		sep     rune // the separator kind in use
		badSize bool // a group (after the first) is not three digits, or the first is more than three
	)
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			n = n*10 + int64(r-'0')
			if n > MaxPrediction {
				return 0, predictionError(CodePredictionTooLarge)
			}
		case r == ',':
			return 0, predictionError(CodePredictionComma)
		case r == '.' || r == ' ' || r == '\u00a0' || r == '\u202f':
			if sep != 0 && r != sep {
				return 0, predictionError(CodePredictionGrouping)
			}
			if digits == 0 || (groups == 0 && digits > 3) || (groups > 0 && digits != 3) {
				badSize = true
			}
			sep = r
			groups++
			digits = 0
		default:
			return 0, predictionError(CodePredictionFormat)
		}
	}
	if groups > 0 && (badSize || digits != 3) {
		if sep == '.' && groups == 1 && digits > 0 && digits < 3 {
			return 0, predictionError(CodePredictionDecimal) // "12.5", "3.25"
		}
		return 0, predictionError(CodePredictionGrouping)
	}
	return n, nil
}

// PredictionError says why a prediction answer was refused.
type PredictionError struct {
	Code    string
	Message string // Vietnamese, for the contestant
}

func (e *PredictionError) Error() string { return e.Message }

func predictionError(code string) *PredictionError {
	return &PredictionError{Code: code, Message: locale.T(locale.Vietnamese, code)}
}

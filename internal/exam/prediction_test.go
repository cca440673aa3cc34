package exam

import (
	"errors"
	"testing"

	"github.com/dxcontest/contest-platform/internal/locale"
)

func TestParsePrediction(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		code string
	}{
		{"0", 0, ""},
		{"15", 15, ""},
		{"  1234 ", 1234, ""},
		{"007", 7, ""},
		{"1.234", 1234, ""},
		{"12.500", 12500, ""},
		{"1.234.567", 1234567, ""},
		{"1 234", 1234, ""},
		{"1 234 567", 1234567, ""},
		{"1\u00a0234", 1234, ""},
		{"1\u202f234", 1234, ""},
		{"1000000000", 1_000_000_000, ""},
		{"1.000.000.000", 1_000_000_000, ""},
		{"", 0, CodePredictionRequired},
		{"   ", 0, CodePredictionRequired},
		{"-5", 0, CodePredictionNegative},
		{"−5", 0, CodePredictionNegative},
		{"-0", 0, CodePredictionNegative},
		{"+5", 0, CodePredictionFormat},
		{"abc", 0, CodePredictionFormat},
		{"12a", 0, CodePredictionFormat},
		{"1e3", 0, CodePredictionFormat},
		{"１２", 0, CodePredictionFormat},
		{"1,234", 0, CodePredictionComma},
		{"1,5", 0, CodePredictionComma},
		{"12.5", 0, CodePredictionDecimal},
		{"1234.5", 0, CodePredictionDecimal},
		{".5", 0, CodePredictionDecimal},
		{"1.23", 0, CodePredictionDecimal},
		{"1.2345", 0, CodePredictionGrouping},
		{"1234.567", 0, CodePredictionGrouping},
		{"1.234.56", 0, CodePredictionGrouping},
		{"1.", 0, CodePredictionGrouping},
		{"1..234", 0, CodePredictionGrouping},
		{"1  234", 0, CodePredictionGrouping},
		{"1.234 567", 0, CodePredictionGrouping},
		{"12 34", 0, CodePredictionGrouping},
		{"1000000001", 0, CodePredictionTooLarge},
		{"99999999999999999999999", 0, CodePredictionTooLarge},
		{"00000000000000000042", 42, ""},
	}
	for _, tt := range tests {
		got, err := ParsePrediction(tt.in)
		if tt.code == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParsePrediction(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			continue
		}
		var pe *PredictionError
		if !errors.As(err, &pe) || pe.Code != tt.code {
			t.Errorf("ParsePrediction(%q) = %d, %v; want code %s", tt.in, got, err, tt.code)
			continue
		}
		if en, ok := locale.Lookup(locale.English, tt.code); pe.Message == "" || pe.Message != locale.T(locale.Vietnamese, tt.code) || !ok {
			t.Errorf("%s: message %q / English %q", tt.code, pe.Message, en)
		}
	}
}

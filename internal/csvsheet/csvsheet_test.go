package csvsheet

import (
	"encoding/csv"
	"errors"
	"strings"
	"testing"
)

func TestSeparator(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       rune
	}{
		{"comma", "a,b,c\n1;2", ','},
		{"semicolon (Excel, Vietnamese settings)", "a;b;c\n", ';'},
		{"tab", "a\tb\tc", '\t'},
		{"none: comma", "cot_duy_nhat\n", ','},
		{"separators inside quotes do not count", "\"a;b;c;d\",x,y\n", ','},
		{"only the first line counts", "a,b\n;;;;;;\n", ','},
		{"a tie keeps the earlier of comma, semicolon, tab", "a,b;c\n", ','},
	} {
		if got := Separator([]byte(tc.data)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestLeadingBlankLines(t *testing.T) {
	for data, want := range map[string]int{"": 0, "a\n": 0, "\n\na": 2, "\r\n\na": 2, " \na": 0} {
		if got := LeadingBlankLines([]byte(data)); got != want {
			t.Errorf("%q: %d, want %d", data, got, want)
		}
	}
}

func TestErrorDetail(t *testing.T) {
	read := func(s string) *csv.ParseError {
		_, err := csv.NewReader(strings.NewReader(s)).ReadAll()
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("%q: %v", s, err)
		}
		return pe
	}
	if got := ErrorDetail(read("a,\"b\nc,d\n")); !strings.Contains(got, "thiếu dấu ngoặc kép đóng ô (bắt đầu ở dòng văn bản 1)") {
		t.Errorf("unclosed quote: %q", got)
	}
	if got := ErrorDetail(read("a,b\nc,d\"e\n")); !strings.Contains(got, "dấu ngoặc kép đặt sai chỗ ở dòng văn bản 2") {
		t.Errorf("bare quote: %q", got)
	}
}

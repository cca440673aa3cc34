package printable

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Sở Thông tin và Truyền thông", "Sở Thông tin và Truyền thông"},
		{"", ""},
		{"a b", "a b"},
		{"S\xf4 A", `S\xf4 A`},
		{"a\x00b", `a\x00b`},
		{"hai\ndòng", `hai\ndòng`},
		{"tab\there", `tab\there`},
		{`dấu "ngoặc"`, `dấu "ngoặc"`},
		{"a:T\xb4t100000", `a:T\xb4t100000`},
		{"\u200b", `\u200b`},
	} {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCut(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc…"},
		{"ạạ", 4, "ạ…"}, // ạ is 3 bytes: the split one is dropped, not escaped
		{"a\x00bcdef", 3, `a\x00b…`},
		{"\xff\xfe\xfd\xfc", 2, `\xff\xfe…`}, // invalid bytes are shown, not dropped
		{"ab\xe1\xba", 3, `ab\xe1…`},         // an invalid sequence is not a split character
	} {
		if got := Cut(tt.in, tt.max); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestErrorIsBoundedReadableText(t *testing.T) {
	err := errors.New("XML syntax error on line 2: invalid XML name: " + strings.Repeat("\xb4", 10_000))
	got := Error(err)
	if !utf8.ValidString(got) || strings.ContainsRune(got, 0) || !strings.HasPrefix(got, "XML syntax error on line 2: invalid XML name: \\xb4") {
		t.Fatalf("Error = %q", got)
	}
	// Escaping can make the text up to 4 times the bytes it quotes, never more.
	if len(got) > 4*DetailBytes+len("…") {
		t.Fatalf("Error is %d bytes", len(got))
	}
}

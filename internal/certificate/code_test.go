package certificate

import (
	"regexp"
	"strings"
	"testing"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func TestCodes(t *testing.T) {
	codes := NewCodes(key)
	prize := Subject{Round: "contest/dot-1", Contestant: 123456, Kind: Prize, Prize: "Giải Nhất"}
	code := codes.Code(prize)
	if !regexp.MustCompile(`^([A-Z2-7]{4}-){5}[A-Z2-7]{3}$`).MatchString(code) {
		t.Fatalf("code %q is not six groups of base32", code)
	}
	cases := []struct {
		name  string
		typed string
		s     Subject
		match bool
	}{
		{"as printed", code, prize, true},
		{"typed lower case, spaced", strings.ToLower(strings.ReplaceAll(code, "-", " ")), prize, true},
		{"typed without dashes", strings.ReplaceAll(code, "-", ""), prize, true},
		{"another prize", code, Subject{Round: prize.Round, Contestant: prize.Contestant, Kind: Prize, Prize: "Giải Nhì"}, false},
		{"participation", code, Subject{Round: prize.Round, Contestant: prize.Contestant, Kind: Participation}, false},
		{"another round", code, Subject{Round: "contest/dot-2", Contestant: prize.Contestant, Kind: Prize, Prize: "Giải Nhất"}, false},
		{"another person", code, Subject{Round: prize.Round, Contestant: 123457, Kind: Prize, Prize: "Giải Nhất"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl, err := ParseCode(tc.typed)
			if err != nil {
				t.Fatalf("ParseCode(%q): %v", tc.typed, err)
			}
			if cl.Contestant != prize.Contestant {
				t.Errorf("contestant %d, want %d", cl.Contestant, prize.Contestant)
			}
			if got := codes.Match(cl, tc.s); got != tc.match {
				t.Errorf("Match = %v, want %v", got, tc.match)
			}
		})
	}
	// Another key makes another code, and the first key's code does not match under it.
	other := NewCodes([]byte("another key of thirty-two bytes!"))
	if other.Code(prize) == code {
		t.Error("two keys made one code")
	}
	cl, _ := ParseCode(code)
	if other.Match(cl, prize) {
		t.Error("a code matched under another key")
	}
	// Each character matters: changing any one breaks the code.
	raw := strings.ReplaceAll(code, "-", "")
	for i := range len(raw) - 1 { // the last character holds 3 bits of padding
		b := []byte(raw)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		if cl, err := ParseCode(string(b)); err == nil && codes.Match(cl, prize) {
			t.Errorf("the code with character %d changed still matches", i)
		}
	}
}

func TestParseCodeRefuses(t *testing.T) {
	codes := NewCodes(key)
	good := codes.Code(Subject{Round: "r", Contestant: 1, Kind: Participation})
	for _, s := range []string{"", "ABCD", "abcd-efgh", good + "AAAA", good[:len(good)-4], "0000-0000-0000-0000-0000-000",
		strings.Repeat("A", 1000), "ÀBCD-EFGH-IJKL-MNOP-QRST-UVW", "AAAA-AAAA-AAAA-AAAA-AAAA-AAA"} {
		if _, err := ParseCode(s); err == nil {
			t.Errorf("ParseCode(%.30q) accepted", s)
		}
	}
}

// A code is short enough to type from paper, for any contestant id a contest will have.
func TestCodeLength(t *testing.T) {
	codes := NewCodes(key)
	for _, id := range []int64{1, 127, 128, 2_000_000} {
		c := codes.Code(Subject{Round: "r", Contestant: id, Kind: Participation})
		if len(c) > 28 {
			t.Errorf("id %d: code %q has %d characters", id, c, len(c))
		}
		cl, err := ParseCode(c)
		if err != nil || cl.Contestant != id {
			t.Errorf("id %d: read back %d, %v", id, cl.Contestant, err)
		}
	}
}

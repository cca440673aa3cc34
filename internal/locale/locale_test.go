package locale

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestCatalogsLoad(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if n := len(Keys(Vietnamese)); n < 300 {
		t.Fatalf("the Vietnamese catalog has %d keys", n)
	}
}

// Every key is in every language: a key only in Vietnamese would show Vietnamese on an
// English page, a key only in English would never be read.
func TestLanguagesHaveTheSameKeys(t *testing.T) {
	ref := Keys(Vietnamese)
	for _, lang := range Languages()[1:] {
		keys := Keys(lang)
		for _, k := range ref {
			if _, ok := slices.BinarySearch(keys, k); !ok {
				t.Errorf("%s is in vi.yaml but not in %s.yaml", k, lang)
			}
		}
		for _, k := range keys {
			if _, ok := slices.BinarySearch(ref, k); !ok {
				t.Errorf("%s is in %s.yaml but not in vi.yaml", k, lang)
			}
		}
	}
}

// verb matches one fmt verb, with its flags, width, precision and argument index.
var verb = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[a-zA-Z%]`)

// verbs lists the fmt verbs of a text in order, leaving out %% (a percent sign).
func verbs(s string) []string {
	var out []string
	for _, v := range verb.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

// The same arguments go into every language's text: a verb missing, added or swapped
// would print %!d(MISSING) or the wrong value in one language only.
func TestTextsTakeTheSameVerbs(t *testing.T) {
	for _, key := range Keys(Vietnamese) {
		vi, _ := Lookup(Vietnamese, key)
		for _, lang := range Languages()[1:] {
			text, ok := Lookup(lang, key)
			if ok && !slices.Equal(verbs(vi), verbs(text)) {
				t.Errorf("%s: Vietnamese takes %v, %s takes %v", key, verbs(vi), lang, verbs(text))
			}
		}
	}
}

func TestVerbs(t *testing.T) {
	for in, want := range map[string][]string{
		"Từ %s đến %s":          {"%s", "%s"},
		"%d × %s":               {"%d", "%s"},
		"trường %q (câu %d)":    {"%q", "%d"},
		"100%% và %5.2f, %[1]d": {"%5.2f", "%[1]d"},
		"không có":              nil,
	} {
		if got := verbs(in); !slices.Equal(got, want) {
			t.Errorf("verbs(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestT(t *testing.T) {
	if got := T(Vietnamese, "nav.home"); got != "Trang chủ" {
		t.Errorf("vi nav.home = %q", got)
	}
	if got := T(English, "nav.home"); got != "Home" {
		t.Errorf("en nav.home = %q", got)
	}
	if got := T(English, "round.window", "a", "b"); got != "From a to b" {
		t.Errorf("en round.window = %q", got)
	}
	if got := T("fr", "nav.home"); got != "Trang chủ" {
		t.Errorf("an unknown language reads %q, want Vietnamese", got)
	}
	if got := T(English, "no.such.key"); got != "no.such.key" {
		t.Errorf("an unknown key reads %q, want the key", got)
	}
	if _, ok := Lookup(English, "no.such.key"); ok {
		t.Error("Lookup finds an unknown key")
	}
}

// The fallback is for a key missing in English only; the catalogs never need it (see
// TestLanguagesHaveTheSameKeys), so it is tried on a catalog made for the test.
func TestFallsBackToVietnamese(t *testing.T) {
	c := catalog{
		Vietnamese: {"a.only": "chỉ tiếng Việt %d", "a.both": "cả hai"},
		English:    {"a.both": "both"},
	}
	for _, tt := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{English, "a.both", nil, "both"},
		{English, "a.only", []any{7}, "chỉ tiếng Việt 7"},
		{Vietnamese, "a.only", []any{7}, "chỉ tiếng Việt 7"},
		{English, "a.none", nil, "a.none"},
	} {
		if got := c.t(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("t(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

// What a hand edit can get wrong is refused with the file, the key and what to do.
func TestParseRefusesBrokenCatalogs(t *testing.T) {
	for _, tt := range []struct{ name, yaml, want string }{
		{"a key twice", "nav:\n  nav.home: \"a\"\n  nav.home: \"b\"\n", `mapping key "nav.home" already defined`},
		{"a section twice", "nav:\n  nav.home: \"a\"\nnav:\n  nav.me: \"b\"\n", `mapping key "nav" already defined`},
		{"a key in another section", "nav:\n  home.title: \"a\"\n", `key "home.title" is in section "nav"`},
		{"a short key", "nav:\n  nav: \"a\"\n", `key "nav" is in section "nav"`},
		{"a key ending with a dot", "nav:\n  nav.: \"a\"\n", `key "nav." is in section "nav"`},
		{"a dotted section", "nav.x:\n  nav.x.y: \"a\"\n", `section "nav.x"`},
		{"an unquoted true", "cond:\n  cond.true: true\n", "cond.true: the text true is not a string: write it in double quotes"},
		{"a number", "cond:\n  cond.n: 12\n", "cond.n: the text 12 is not a string"},
		{"an empty text", "nav:\n  nav.home: \" \"\n", "nav.home: the text is empty"},
		{"a missing text", "nav:\n  nav.home:\n", "nav.home: the text <nil> is not a string"},
		{"a flat file", "nav.home: \"a\"\n", "test.yaml"},
	} {
		_, err := parse("test.yaml", []byte(tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "test.yaml") {
			t.Errorf("%s: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
	texts, err := parse("test.yaml", []byte("# a comment\nnav:\n  nav.home: \"Trang chủ\" # another\n  nav.me: Bài thi của tôi\n"))
	if err != nil || len(texts) != 2 || texts["nav.home"] != "Trang chủ" || texts["nav.me"] != "Bài thi của tôi" {
		t.Errorf("a good catalog reads %v, %v", texts, err)
	}
}

package exam

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dxcontest/contest-platform/internal/locale"
)

func TestParseAnswerFields(t *testing.T) {
	for _, tt := range []struct {
		form  string // as posted
		want  Answers
		code  string
		field string
	}{
		{form: "", want: Answers{}},
		{form: "q0=A&q1=J&q999=C&csrf=tok&prediction=1.234&work=17", want: Answers{0: "A", 1: "J", 999: "C"}},
		{form: "q0=&q1=B", want: Answers{1: "B"}},
		{form: "q0=%00", code: CodeBadAnswerLetter, field: "q0"},
		{form: "q0=A%00", code: CodeBadAnswerLetter, field: "q0"},
		{form: "q0=" + strings.Repeat("A", 10_000), code: CodeBadAnswerLetter, field: "q0"},
		{form: "q3=a", code: CodeBadAnswerLetter, field: "q3"},
		{form: "q3=K", code: CodeBadAnswerLetter, field: "q3"},
		{form: "q3=%E1%BA%A0", code: CodeBadAnswerLetter, field: "q3"},
		{form: "q3=+A", code: CodeBadAnswerLetter, field: "q3"},
		{form: "q99999=A", code: CodeBadAnswerField, field: "q99999"},
		{form: "q1000=A", code: CodeBadAnswerField, field: "q1000"},
		{form: "qx=A", code: CodeBadAnswerField, field: "qx"},
		{form: "q=A", code: CodeBadAnswerField, field: "q"},
		{form: "q01=A", code: CodeBadAnswerField, field: "q01"},
		{form: "q-1=A", code: CodeBadAnswerField, field: "q-1"},
		{form: "q%2B1=A", code: CodeBadAnswerField, field: "q+1"},
		{form: "q1%20=A", code: CodeBadAnswerField, field: "q1 "},
		{form: "q%00=A", code: CodeBadAnswerField, field: "q\x00"},
		{form: "q%D9%A3=A", code: CodeBadAnswerField, field: "q٣"},
		{form: "q" + strings.Repeat("9", 100) + "=A", code: CodeBadAnswerField, field: "q" + strings.Repeat("9", 23) + "…"},
		{form: "q0=A&q0=A", code: CodeRepeatedAnswerField, field: "q0"},
		{form: "q0=&q0=B", code: CodeRepeatedAnswerField, field: "q0"},
		// The first bad field in name order is the one reported.
		{form: "q2=Z&q10=%00&qz=A", code: CodeBadAnswerLetter, field: "q10"},
	} {
		form, err := url.ParseQuery(tt.form)
		if err != nil {
			t.Fatalf("%.40q: %v", tt.form, err)
		}
		got, err := ParseAnswerFields(form)
		if tt.code == "" {
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%.60q: %v, %v; want %v", tt.form, got, err, tt.want)
			}
			continue
		}
		var fe *AnswerFieldError
		if !errors.As(err, &fe) || fe.Code != tt.code || fe.Field != tt.field || got != nil {
			t.Errorf("%.60q: %v, %#v; want %s on %q", tt.form, got, err, tt.code, tt.field)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, strconv.Quote(tt.field)) || !utf8.ValidString(msg) {
			t.Errorf("%.60q: message %q does not name %q", tt.form, msg, tt.field)
		}
		for _, lang := range locale.Languages() {
			if _, ok := locale.Lookup(lang, fe.Code); !ok {
				t.Errorf("%s has no text in %s", fe.Code, lang)
			}
		}
	}
}

func TestParseAnswerFieldsBoundsTheForm(t *testing.T) {
	// Every item answered, the page's fields and others up to the bound.
	full := map[string][]string{"csrf": {"t"}, "prediction": {"1"}}
	for i := range MaxAnswerItems {
		full["q"+strconv.Itoa(i)] = []string{"B"}
	}
	for i := range MaxFormValues - MaxAnswerItems - 2 {
		full["f"+strconv.Itoa(i)] = []string{"x"}
	}
	got, err := ParseAnswerFields(full)
	if err != nil || len(got) != MaxAnswerItems {
		t.Fatalf("a form of %d values: %d answers, %v", MaxFormValues, len(got), err)
	}
	for name, form := range map[string]map[string][]string{
		"one field more":  mapWith(full, "extra", "x"),
		"one value more":  mapWith(full, "csrf", "t", "u"),
		"many fields":     manyFields(10_000),
		"many values":     {"q0": slicesRepeat("A", 10_000)},
		"empty repeated":  {"x": slicesRepeat("", MaxFormValues+1)},
		"fields, no vals": manyEmpty(MaxFormValues + 1),
	} {
		var fe *AnswerFieldError
		if _, err := ParseAnswerFields(form); !errors.As(err, &fe) || fe.Code != CodeTooManyFields {
			t.Errorf("%s: %v, want %s", name, err, CodeTooManyFields)
		}
	}
}

func mapWith(m map[string][]string, k string, vs ...string) map[string][]string {
	c := make(map[string][]string, len(m)+1)
	for key, v := range m {
		c[key] = v
	}
	c[k] = vs
	return c
}

func manyFields(n int) map[string][]string {
	m := map[string][]string{}
	for i := range n {
		m[fmt.Sprintf("q%d", i)] = []string{"A"}
	}
	return m
}

func manyEmpty(n int) map[string][]string {
	m := map[string][]string{}
	for i := range n {
		m[fmt.Sprintf("f%d", i)] = nil
	}
	return m
}

func slicesRepeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// FuzzParseAnswerFields posts arbitrary forms: what is accepted holds only answer items and
// letters that were sent as such, and encodes back to a form that reads the same; what is
// refused is refused with a known code and a short, printable message.
func FuzzParseAnswerFields(f *testing.F) {
	for _, s := range []string{
		"q0=A&q1=B&q14=D&csrf=abc&prediction=1.234",
		"q0=&q1=", "q999=J", "q1000=A", "q0=K", "q0=a",
		"q0=%00", "q0=A%00", "q%00=A", "q99999=A", "qx=A", "q=A", "q01=A", "q-1=A", "q%2B1=A",
		"q0=A&q0=B", "q0=%E1%BA%A0", "q%D9%A3=A", "q0=" + strings.Repeat("A", 300),
		"q0=A;q1=B", "q0=%zz&q1=A", "&&&=&q2=C", strings.Repeat("q1=A&", 1100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		// A form Go cannot read in full still reaches the parser with what it could read.
		form, _ := url.ParseQuery(body)
		got, err := ParseAnswerFields(form)
		if err != nil {
			var fe *AnswerFieldError
			if !errors.As(err, &fe) || got != nil {
				t.Fatalf("%q: %v, %#v", body, got, err)
			}
			switch fe.Code {
			case CodeBadAnswerField, CodeBadAnswerLetter, CodeRepeatedAnswerField, CodeTooManyFields:
			default:
				t.Fatalf("%q: unknown code %s", body, fe.Code)
			}
			if msg := err.Error(); !utf8.ValidString(msg) || len(msg) > 200 || strings.ContainsRune(msg, 0) {
				t.Fatalf("%q: message %q", body, msg)
			}
			return
		}
		back := url.Values{}
		for item, letter := range got {
			if item < 0 || item >= MaxAnswerItems || len(letter) != 1 || letter[0] < 'A' || letter[0] > 'J' {
				t.Fatalf("%q: accepted %d=%q", body, item, letter)
			}
			name := "q" + strconv.Itoa(item)
			if vs := form[name]; len(vs) != 1 || vs[0] != letter {
				t.Fatalf("%q: answer %s=%s, the form sent %q", body, name, letter, vs)
			}
			back.Set(name, letter)
		}
		again, err := url.ParseQuery(back.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if reread, err := ParseAnswerFields(again); err != nil || !reflect.DeepEqual(reread, got) {
			t.Fatalf("%q: %v encoded as %q reads %v, %v", body, got, back.Encode(), reread, err)
		}
	})
}

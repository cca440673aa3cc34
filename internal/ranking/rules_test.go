package ranking

import (
	"slices"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		rules Rules
		want  []string // substrings of the error; none means valid
	}{
		{name: "zero rules are valid (default order, no prizes)"},
		{name: "plan defaults", rules: Rules{TieBreak: DefaultTieBreak(), Prizes: planPrizes(), IneligibleOrganizations: []string{"Sở TT&TT"}}},
		{name: "custom order", rules: Rules{TieBreak: []Key{KeyTimeUsed, KeyCorrect}}},
		{name: "unknown key", rules: Rules{TieBreak: []Key{KeyCorrect, "Speed"}},
			want: []string{`tie-break key 2 is "Speed": not a known key`}},
		{name: "wrong case is unknown", rules: Rules{TieBreak: []Key{"correct"}},
			want: []string{`"correct": not a known key`}},
		{name: "duplicate key", rules: Rules{TieBreak: []Key{KeyCorrect, KeyTimeUsed, KeyCorrect}},
			want: []string{`"Correct" is listed twice (positions 1 and 3)`}},
		{name: "prize count zero", rules: Rules{Prizes: []Prize{{Name: "Nhất", Count: 1}, {Name: "Nhì", Count: 0}}},
			want: []string{`prize 2 ("Nhì") has count 0`}},
		{name: "prize count negative", rules: Rules{Prizes: []Prize{{Name: "Nhất", Count: -1}}},
			want: []string{`prize 1 ("Nhất") has count -1`}},
		{name: "prize without name", rules: Rules{Prizes: []Prize{{Name: " ", Count: 1}}},
			want: []string{"prize 1 has no name"}},
		{name: "duplicate prize name", rules: Rules{Prizes: []Prize{{Name: "Nhất", Count: 1}, {Name: "Nhất", Count: 2}}},
			want: []string{`prize name "Nhất" is used twice`}},
		{name: "conditions falling along the prizes", rules: Rules{Prizes: []Prize{{Name: "Nhất", Count: 1, MinCorrect: 15}, {Name: "Nhì", Count: 2, MinCorrect: 15}, {Name: "KK", Count: 5}}}},
		{name: "negative condition", rules: Rules{Prizes: []Prize{{Name: "Nhất", Count: 1, MinCorrect: -1}}},
			want: []string{`prize 1 ("Nhất") asks for -1 correct answers: the condition must be 0 (none) or more`}},
		{name: "lower prize asks for more", rules: Rules{Prizes: []Prize{{Name: "Nhất", Count: 1, MinCorrect: 12}, {Name: "Nhì", Count: 2, MinCorrect: 13}}},
			want: []string{`prize 2 ("Nhì") asks for 13 correct answers, more than prize 1 ("Nhất") before it asks (12): a lower prize may not ask for more`}},
		{name: "blank organization", rules: Rules{IneligibleOrganizations: []string{"A", " \t "}},
			want: []string{"ineligible organization 2 is blank"}},
		{name: "every problem reported at once", rules: Rules{TieBreak: []Key{"X", KeyTimeUsed, KeyTimeUsed}, Prizes: []Prize{{Name: "A", Count: 0}}},
			want: []string{`"X"`, "listed twice", "count 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rules.Validate()
			_, nbErr := NewBuilder(tt.rules)
			if len(tt.want) == 0 {
				if err != nil || nbErr != nil {
					t.Fatalf("Validate() = %v, NewBuilder error = %v; want valid", err, nbErr)
				}
				return
			}
			if err == nil || nbErr == nil {
				t.Fatalf("Validate() = %v, NewBuilder error = %v; want errors containing %q", err, nbErr, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestKeysMatchAPIStrings(t *testing.T) {
	// The API's TieBreakKey values, spelled out here because this package may not import it.
	want := []string{"Correct", "PredictionDistance", "TimeUsed", "SubmittedAt"}
	var got []string
	for _, k := range DefaultTieBreak() {
		got = append(got, string(k))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("DefaultTieBreak() = %q, want %q", got, want)
	}
}

func TestRulesAreCopied(t *testing.T) {
	rules := Rules{TieBreak: []Key{KeyCorrect}, Prizes: []Prize{{Name: "A", Count: 1}}}
	b, err := NewBuilder(rules)
	if err != nil {
		t.Fatal(err)
	}
	rules.TieBreak[0] = KeyTimeUsed
	rules.Prizes[0].Name = "changed"
	b.Add(att(1, 1, 15, 0, 10, 10))
	r, err := b.Rank(plainPeople)
	if err != nil {
		t.Fatal(err)
	}
	if r.TieBreak[0] != KeyCorrect || r.Winners[0].Prize != "A" {
		t.Fatalf("builder saw the caller's later change: %+v", r)
	}
	if r2 := rankAll(t, Rules{}, nil); !slices.Equal(r2.TieBreak, DefaultTieBreak()) {
		t.Fatalf("empty TieBreak ranked by %q, want the default", r2.TieBreak)
	}
}

package bank

import (
	"slices"
	"testing"
)

func checksumBank() *Bank {
	return &Bank{
		Name:    "thu",
		Version: 1,
		Topics:  []Topic{{Code: "a", Title: "Chủ đề A"}, {Code: "b", Title: "Chủ đề B"}},
		Questions: []Question{
			{ID: "q1", Topic: "a", Text: "Một?", Options: []Option{{Text: "x", Correct: true}, {Text: "y"}}, Explanation: "vì"},
			{ID: "q2", Topic: "b", Text: "Hai?", Options: []Option{{Text: "x"}, {Text: "y", Correct: true}}},
		},
	}
}

func TestChecksum(t *testing.T) {
	base := checksumBank().Checksum()
	// A golden value: the checksum identifies stored bank versions, so the
	// encoding must not change by accident.
	const golden = "b4791220fefd4ac5b9917fbb9129c19d051601745d721d11ae6e7227ac879a3e"
	if base != golden {
		t.Errorf("Checksum() = %s, want %s (changing the encoding needs a new checksumVersion)", base, golden)
	}
	if again := checksumBank().Checksum(); again != base {
		t.Errorf("checksum not stable: %s then %s", base, again)
	}

	same := map[string]func(b *Bank){
		"name":           func(b *Bank) { b.Name = "khac" },
		"version":        func(b *Bank) { b.Version = 2 },
		"question order": func(b *Bank) { slices.Reverse(b.Questions) },
		"topic order":    func(b *Bank) { slices.Reverse(b.Topics) },
	}
	for name, change := range same {
		b := checksumBank()
		change(b)
		if b.Checksum() != base {
			t.Errorf("changing %s changed the checksum", name)
		}
	}

	different := map[string]func(b *Bank){
		"question text":  func(b *Bank) { b.Questions[0].Text = "Một!" },
		"option text":    func(b *Bank) { b.Questions[0].Options[1].Text = "z" },
		"option order":   func(b *Bank) { slices.Reverse(b.Questions[0].Options) },
		"correct option": func(b *Bank) { b.Questions[1].Options[0].Correct, b.Questions[1].Options[1].Correct = true, false },
		"explanation":    func(b *Bank) { b.Questions[1].Explanation = "vì thế" },
		"topic":          func(b *Bank) { b.Questions[1].Topic = "a" },
		"topic title":    func(b *Bank) { b.Topics[0].Title = "Khác" },
		"id":             func(b *Bank) { b.Questions[0].ID = "q9" },
		"extra question": func(b *Bank) {
			b.Questions = append(b.Questions, Question{ID: "q3", Topic: "a", Text: "Ba?", Options: []Option{{Text: "x", Correct: true}, {Text: "y"}}})
		},
		// Length prefixes keep field boundaries: moving text between two
		// adjacent fields must not collide.
		"field boundary": func(b *Bank) { b.Questions[1].Text, b.Questions[1].Options[0].Text = "Hai?x", "" },
	}
	seen := map[string]string{base: "base"}
	for name, change := range different {
		b := checksumBank()
		change(b)
		sum := b.Checksum()
		if prev, dup := seen[sum]; dup {
			t.Errorf("changing %s gives the same checksum as %s", name, prev)
		}
		seen[sum] = name
	}
}

func TestSampleChecksumStable(t *testing.T) {
	a, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	if a.Checksum() != b.Checksum() || len(a.Checksum()) != 64 {
		t.Errorf("sample checksum %q / %q", a.Checksum(), b.Checksum())
	}
}

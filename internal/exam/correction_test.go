package exam

import (
	"strings"
	"testing"
)

func TestScoreWithCorrections(t *testing.T) {
	b := testBank(1, 3, 4) // t1-001 key at bank 0, t1-002 at 1, t1-003 at 2
	p := Paper{Items: []Item{
		{QuestionID: "t1-001", At: 0, Order: "1230"}, // bank 0 shown as D, bank 2 as B
		{QuestionID: "t1-002", At: 1, Order: "1023"}, // bank 1 shown as A
		{QuestionID: "t1-003", At: 2, Order: "3012"}, // bank 2 shown as D
	}}
	answers := Answers{0: "D", 1: "B", 2: "A"} // right, wrong (bank 0), wrong (bank 3)
	tests := []struct {
		name      string
		corr      Corrections
		correct   int
		keys      []string
		corrected []bool
	}{
		{"none", nil, 1, []string{"D", "A", "D"}, []bool{false, false, false}},
		{"a new key makes a right answer wrong", Corrections{"t1-001": {Option: 2}}, 0, []string{"B", "A", "D"}, []bool{true, false, false}},
		{"and a wrong answer right", Corrections{"t1-002": {Option: 0}}, 2, []string{"D", "B", "D"}, []bool{false, true, false}},
		{"any answer", Corrections{"t1-003": AnyKey}, 2, []string{"D", "A", ""}, []bool{false, false, true}},
		{"the bank's own key", Corrections{"t1-001": {Option: 0}}, 1, []string{"D", "A", "D"}, []bool{true, false, false}},
		{"a question not in the paper", Corrections{"t1-999": AnyKey}, 1, []string{"D", "A", "D"}, []bool{false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ScoreWith(p, b, answers, tt.corr)
			if err != nil {
				t.Fatal(err)
			}
			if res.Correct != tt.correct {
				t.Errorf("correct %d, want %d", res.Correct, tt.correct)
			}
			for i, it := range res.PerItem {
				if it.CorrectOption != tt.keys[i] || it.Corrected != tt.corrected[i] {
					t.Errorf("item %d: key %q corrected %v, want %q %v", i, it.CorrectOption, it.Corrected, tt.keys[i], tt.corrected[i])
				}
				if it.AnyAccepted != (it.Corrected && tt.keys[i] == "") {
					t.Errorf("item %d: any accepted %v", i, it.AnyAccepted)
				}
				// What the item analysis stores is the bank option chosen, whatever the key.
				if it.Question != i || it.Option != []int{0, 0, 3}[i] {
					t.Errorf("item %d: question %d option %d, want %d and the bank option chosen", i, it.Question, it.Option, i)
				}
			}
		})
	}
	// Accepting any answer does not make an unanswered question right.
	res, err := ScoreWith(p, b, Answers{0: "D"}, Corrections{"t1-003": AnyKey})
	if err != nil || res.Correct != 1 || res.PerItem[2].IsCorrect {
		t.Errorf("unanswered under any: %+v %v", res, err)
	}
	// A correction naming an option the question lacks is a data error, not a score.
	if _, err := ScoreWith(p, b, answers, Corrections{"t1-002": {Option: 4}}); err == nil || !strings.Contains(err.Error(), "đáp án điều chỉnh E") {
		t.Errorf("out-of-range correction: %v", err)
	}
}

func TestKeys(t *testing.T) {
	for _, s := range []string{"A", "F", "J", "any"} {
		k, err := ParseKey(s)
		if err != nil || k.String() != s {
			t.Errorf("ParseKey(%q) = %v, %v", s, k, err)
		}
	}
	for _, s := range []string{"", "a", "K", "AB", "Any", "*"} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
	b := testBank(1, 1, 4)
	q := &b.Questions[0]
	if KeyOf(q) != (Key{Option: 0}) {
		t.Errorf("KeyOf = %v", KeyOf(q))
	}
	if err := CheckKey(q, Key{Option: 3}); err != nil {
		t.Error(err)
	}
	if err := CheckKey(q, AnyKey); err != nil {
		t.Error(err)
	}
	if err := CheckKey(q, Key{Option: 4}); err == nil || !strings.Contains(err.Error(), "options A to D") {
		t.Errorf("CheckKey(E) = %v", err)
	}
}

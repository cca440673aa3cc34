package exam

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestScore(t *testing.T) {
	b := testBank(1, 3, 4) // t1-001 key at bank 0, t1-002 at 1, t1-003 at 2
	p := Paper{Items: []Item{
		{QuestionID: "t1-001", At: 0, Order: "1230"}, // key (bank 0) shown as D
		{QuestionID: "t1-002", At: 1, Order: "1023"}, // key (bank 1) shown as A
		{QuestionID: "t1-003", At: 2, Order: "3012"}, // key (bank 2) shown as D
	}}
	keys := []string{"D", "A", "D"}
	tests := []struct {
		name    string
		answers Answers
		correct int
		chosen  []string
		options []int // the bank's option chosen, -1 for none
	}{
		{"all right", Answers{0: "D", 1: "A", 2: "D"}, 3, []string{"D", "A", "D"}, []int{0, 1, 2}},
		{"all wrong", Answers{0: "A", 1: "B", 2: "C"}, 0, []string{"A", "B", "C"}, []int{1, 0, 1}},
		{"unanswered is wrong", Answers{1: "A"}, 1, []string{"", "A", ""}, []int{-1, 1, -1}},
		{"nothing answered", nil, 0, []string{"", "", ""}, []int{-1, -1, -1}},
		{"invalid option counts as wrong", Answers{0: "E", 1: "a", 2: "DD"}, 0, []string{"", "", ""}, []int{-1, -1, -1}},
		{"answers beyond the paper are ignored", Answers{0: "D", 3: "A", -1: "A"}, 1, []string{"D", "", ""}, []int{0, -1, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Score(p, b, tt.answers)
			if err != nil {
				t.Fatal(err)
			}
			if res.Correct != tt.correct || res.Total != 3 {
				t.Errorf("score %d/%d, want %d/3", res.Correct, res.Total, tt.correct)
			}
			for i, r := range res.PerItem {
				if r.CorrectOption != keys[i] || r.Chosen != tt.chosen[i] || r.IsCorrect != (r.Chosen == keys[i]) ||
					r.Question != i || r.Option != tt.options[i] {
					t.Errorf("item %d: %+v, want key %s chosen %q (bank option %d of question %d)", i, r, keys[i], tt.chosen[i], tt.options[i], i)
				}
			}
		})
	}
}

// Scoring a drawn paper with the revealed key gives full marks, for any draw.
func TestScoreDrawnPapers(t *testing.T) {
	b := testBank(5, 100, 5)
	for seed := uint64(0); seed < 200; seed++ {
		p, _ := Draw(b, evenQuotas(b, 3), seeded(seed))
		perfect := Answers{}
		for i := range p.Items {
			perfect[i] = correctLetter(p, b, i)
		}
		res, err := Score(p, b, perfect)
		if err != nil || res.Correct != 15 || res.Total != 15 {
			t.Fatalf("seed %d: %+v %v", seed, res, err)
		}
	}
}

// The bank position of an item's question is the one its ID names, whatever the hint says.
func TestScoreLocatesStaleHints(t *testing.T) {
	b := testBank(1, 3, 4)
	p := Paper{Items: []Item{{QuestionID: "t1-002", At: 2, Order: "3210"}, {QuestionID: "t1-003", At: 99, Order: "0123"}}}
	res, err := Score(p, b, Answers{0: "B", 1: "C"})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.PerItem; r[0].Question != 1 || r[0].Option != 2 || r[1].Question != 2 || r[1].Option != 2 || res.Correct != 1 {
		t.Errorf("%+v", res)
	}
}

func TestScoreRefusesBrokenKey(t *testing.T) {
	b := testBank(1, 1, 4)
	b.Questions[0].Options[1].Correct = true // two correct options
	p := Paper{Items: []Item{{QuestionID: "t1-001", At: 0, Order: "0123"}}}
	var pe *PaperError
	if _, err := Score(p, b, Answers{0: "A"}); !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *PaperError", err)
	}
}

func TestAnswersJSON(t *testing.T) {
	raw, _ := json.Marshal(Answers{0: "B", 12: "A"})
	if string(raw) != `{"0":"B","12":"A"}` {
		t.Fatalf("answers JSON = %s", raw)
	}
	var a Answers
	if err := json.Unmarshal(raw, &a); err != nil || !reflect.DeepEqual(a, Answers{0: "B", 12: "A"}) {
		t.Fatalf("round trip = %v, %v", a, err)
	}
}

func TestValidateAnswer(t *testing.T) {
	p := Paper{Items: []Item{{QuestionID: "q1", Order: "1032"}, {QuestionID: "q2", Order: "10"}}}
	tests := []struct {
		item    int
		option  string
		code    string
		message string
	}{
		{0, "A", "", ""},
		{0, "D", "", ""},
		{1, "B", "", ""},
		{1, "C", CodeUnknownOption, `câu 2 không có phương án "C" (chọn một trong các phương án từ A đến B)`},
		{0, "E", CodeUnknownOption, "từ A đến D"},
		{0, "a", CodeUnknownOption, `"a"`},
		{0, "", CodeUnknownOption, `""`},
		{0, "AB", CodeUnknownOption, `"AB"`},
		{0, "0", CodeUnknownOption, `"0"`},
		{2, "A", CodeUnknownItem, "bài thi không có câu số 3 (bài thi có 2 câu)"},
		{-1, "A", CodeUnknownItem, "câu số 0"},
	}
	for _, tt := range tests {
		err := p.Shape().Validate(Answers{tt.item: tt.option})
		if tt.code == "" {
			if err != nil {
				t.Errorf("Validate(%d: %q) = %v", tt.item, tt.option, err)
			}
			continue
		}
		var ae *AnswerError
		if !errors.As(err, &ae) || ae.Code != tt.code || !strings.Contains(err.Error(), tt.message) {
			t.Errorf("ValidateAnswer(%d, %q) = %v, want %s containing %q", tt.item, tt.option, err, tt.code, tt.message)
		}
	}
	if err := ValidateAnswers(p, Answers{0: "B", 1: "A"}); err != nil {
		t.Errorf("ValidateAnswers = %v", err)
	}
	if err := ValidateAnswers(p, Answers{5: "A", 1: "Z"}); err == nil || !strings.Contains(err.Error(), "câu 2") {
		t.Errorf("ValidateAnswers reports %v, want the first problem in item order (câu 2)", err)
	}
}

package bank

import (
	"slices"
	"testing"
)

func TestHeaderKey(t *testing.T) {
	tests := map[string]string{
		"Phương án A":         "phuong_an_a",
		"PHUONG_AN_A":         "phuong_an_a",
		" phuong  an-a ":      "phuong_an_a",
		"\ufeffMã câu hỏi":    "ma_cau_hoi",
		"Đáp án đúng":         "dap_an_dung",
		"Chủ đề":              "chu_de",
		"Giải thích (nếu có)": "giai_thich_neu_co",
		// Decomposed input (macOS) gives the same key.
		"Ca\u0302u ho\u0309i": "cau_hoi",
	}
	for in, want := range tests {
		if got := headerKey(in); got != want {
			t.Errorf("headerKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		in      string
		letters []int
		ok      bool
	}{
		{"", nil, true},
		{"  ", nil, true},
		{"A", []int{0}, true},
		{" d ", []int{3}, true},
		{"F", []int{5}, true},
		{"(B)", []int{1}, true},
		{"C.", []int{2}, true},
		{"A,A", []int{0}, true},
		{"A, B", []int{0, 1}, true},
		{"A;C", []int{0, 2}, true},
		{"BD", []int{1, 3}, true},
		{"G", nil, false},
		{"1", nil, false},
		{"Phương án A", nil, false},
		{",", nil, false},
	}
	for _, tt := range tests {
		letters, ok := parseAnswer(tt.in)
		if ok != tt.ok || !slices.Equal(letters, tt.letters) {
			t.Errorf("parseAnswer(%q) = %v, %v; want %v, %v", tt.in, letters, ok, tt.letters, tt.ok)
		}
	}
}

func TestBankLookups(t *testing.T) {
	b := &Bank{
		Topics: PlanTopics(),
		Questions: []Question{
			{ID: "1", Topic: "tinh"},
			{ID: "2", Topic: "tong-quan"},
			{ID: "3", Topic: "tinh"},
		},
	}
	if got := b.QuestionsByTopic("tinh"); len(got) != 2 || got[0].ID != "1" || got[1].ID != "3" {
		t.Errorf("QuestionsByTopic(tinh) = %v", got)
	}
	counts := b.CountByTopic()
	if counts["tinh"] != 2 || counts["tong-quan"] != 1 || counts["an-toan-thong-tin"] != 0 || len(counts) != 5 {
		t.Errorf("CountByTopic = %v", counts)
	}
	if tp, ok := b.Topic("nen-tang-so"); !ok || tp.Title != "Khai thác, sử dụng hệ thống thông tin, nền tảng số" {
		t.Errorf("Topic(nen-tang-so) = %v, %v", tp, ok)
	}
	if _, ok := b.Topic("xyz"); ok {
		t.Error("Topic(xyz) found")
	}

	q := Question{Options: []Option{{Text: "a"}, {Text: "b", Correct: true}, {Text: "c"}}}
	if q.CorrectIndex() != 1 {
		t.Errorf("CorrectIndex = %d, want 1", q.CorrectIndex())
	}
	q.Options[2].Correct = true
	if q.CorrectIndex() != -1 {
		t.Errorf("CorrectIndex with two correct = %d, want -1", q.CorrectIndex())
	}
}

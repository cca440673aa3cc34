package person

import (
	"strings"
	"testing"
)

func TestNormalizeName(t *testing.T) {
	decomposed := "Nguye\u0302\u0303n Va\u0306n A\u0301nh" // "Nguyễn Văn Ánh" with combining marks
	tests := []struct {
		in, want, code string
	}{
		{"Nguyễn Văn An", "Nguyễn Văn An", ""},
		{"  nguyễn   văn  an ", "nguyễn văn an", ""},
		{"Nguyễn\tThị\u00a0Minh Khai", "Nguyễn Thị Minh Khai", ""},
		{decomposed, "Nguyễn Văn Ánh", ""},
		{"H'Hen Niê", "H'Hen Niê", ""},
		{"H’Hen Niê", "H'Hen Niê", ""},
		{"Trần Lê-Anh", "Trần Lê-Anh", ""},
		{"Đặng Thị Ngọc Hân", "Đặng Thị Ngọc Hân", ""},
		{"Lý", "Lý", ""},
		{"Ka Ly", "Ka Ly", ""},
		{"", "", CodeNameRequired},
		{"   ", "", CodeNameRequired},
		{"A", "A", CodeNameTooShort},
		{strings.Repeat("Ư", 100), strings.Repeat("Ư", 100), ""},
		{strings.Repeat("Ư", 101), strings.Repeat("Ư", 101), CodeNameTooLong},
		{"Nguyễn Văn 2", "Nguyễn Văn 2", CodeNameCharacters},
		{"Nguyễn Văn A.", "Nguyễn Văn A.", CodeNameCharacters},
		{"Nguyễn, Văn", "Nguyễn, Văn", CodeNameCharacters},
		{"<script>", "<script>", CodeNameCharacters},
		{"Nguyễn 🙂", "Nguyễn 🙂", CodeNameCharacters},
		{"-Nguyễn An", "-Nguyễn An", CodeNameEdges},
		{"Nguyễn An'", "Nguyễn An'", CodeNameEdges},
	}
	for _, tt := range tests {
		got, fe := NormalizeName(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.code == "" && fe != nil || tt.code != "" && (fe == nil || fe.Code != tt.code || fe.Field != FieldFullName) {
			t.Errorf("NormalizeName(%q) error = %v, want %q", tt.in, fe, tt.code)
		}
	}
}

package controllers

import (
	"testing"

	"github.com/dxcontest/contest-platform/internal/rankcontract"
)

func TestVacantNote(t *testing.T) {
	tests := []struct {
		vacant []rankcontract.Vacancy
		want   string
	}{
		{nil, ""},
		{[]rankcontract.Vacancy{{Prize: "Giải Nhất", Count: 1, MinCorrect: 15}, {Prize: "Giải Khuyến khích", Count: 3}},
			"; not awarded: 1 Giải Nhất (needs 15 correct), 3 Giải Khuyến khích"},
	}
	for _, tt := range tests {
		if got := vacantNote(tt.vacant); got != tt.want {
			t.Errorf("vacantNote(%v) = %q, want %q", tt.vacant, got, tt.want)
		}
	}
}

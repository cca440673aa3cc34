package report

import "testing"

func TestNeutralize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Nguyễn Văn An", "Nguyễn Văn An"},
		{`=HYPERLINK("http://x")`, `'=HYPERLINK("http://x")`},
		{"+84 group", "'+84 group"},
		{"-1", "'-1"},
		{"@admin", "'@admin"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"\n=1+1", "'\n=1+1"},
		{"  =1+1", "'  =1+1"},
		{"a=b", "a=b"},
		{"Sở Thông tin - Truyền thông", "Sở Thông tin - Truyền thông"},
		{"'quoted", "'quoted"},
		{"   ", "   "},
	}
	for _, tt := range tests {
		if got := Neutralize(tt.in); got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package ranking

import "testing"

func TestNormalizeOrganization(t *testing.T) {
	const rule = "Sở Thông tin và Truyền thông"
	tests := []struct {
		in    string
		match bool
	}{
		{"Sở Thông tin và Truyền thông", true},
		{"  sở thông tin và truyền thông  ", true},
		{"SỞ THÔNG TIN VÀ TRUYỀN THÔNG", true},
		{"Sở  Thông\ttin và\nTruyền   thông", true},
		{"Sở\u00a0Thông tin và Truyền thông", true}, // no-break space from copy-paste
		{"Sở Thông tin và Truyền thông tỉnh Bình Thuận", false},
		{"So Thong tin va Truyen thong", false},            // diacritics matter
		{"So\u031b\u0309 Thông tin và Truyền thông", true}, // "Sở" in NFD (combining marks) matches its NFC form
		{"", false},
	}
	want := normalizeOrganization(rule)
	for _, tt := range tests {
		if got := normalizeOrganization(tt.in) == want; got != tt.match {
			t.Errorf("normalizeOrganization(%q) matches %q: %v, want %v", tt.in, rule, got, tt.match)
		}
	}
	if normalizeOrganization("Đ") != normalizeOrganization("đ") {
		t.Error("Đ and đ should fold equal")
	}
	if normalizeOrganization("K") != normalizeOrganization("\u212a") { // Kelvin sign folds with K
		t.Error("K and the Kelvin sign should fold equal, as strings.EqualFold says")
	}
}

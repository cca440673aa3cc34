package unit

import (
	"reflect"
	"testing"
)

func testIndex(t *testing.T) *Index {
	t.Helper()
	us := []Unit{
		{Code: "STTTT", Name: "Sở Thông tin và Truyền thông", Type: TypeAgency, Aliases: []string{"Sở TTTT", "Sở TT&TT"}},
		{Code: "STTTT-VP", Name: "Văn phòng Sở", ParentCode: "STTTT", Type: TypeAgency},
		{Code: "STTTT-VP-1", Name: "Tổ một", ParentCode: "STTTT-VP", Type: TypeAgency},
		{Code: "H1", Name: "UBND huyện Một", Type: TypeAgency},
		{Code: "H2", Name: "UBND huyện Hai", Type: TypeAgency},
		{Code: "H1-TP", Name: "Phòng Tư pháp", ParentCode: "H1", Type: TypeAgency},
		{Code: "H2-TP", Name: "Phòng Tư pháp", ParentCode: "H2", Type: TypeAgency},
	}
	if err := Validate(us); err != nil {
		t.Fatal(err)
	}
	return NewIndex(us)
}

func codes(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Unit.Code+":"+string(m.By))
	}
	return out
}

func TestMatch(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		typed string
		want  []string
	}{
		{"STTTT", []string{"STTTT:code"}},
		{" STTTT ", []string{"STTTT:code"}},
		{"sttttt", nil},
		{"stttt", nil}, // codes are exact; "stttt" is no name either
		{"Sở Thông tin và Truyền thông", []string{"STTTT:name"}},
		{"SỞ  THÔNG TIN VÀ TRUYỀN THÔNG", []string{"STTTT:name"}},
		{"so thong tin va truyen thong", []string{"STTTT:name"}},
		{"Sở Thông tin và Truye\u0302\u0300n thông", []string{"STTTT:name"}},
		{"Sở TTTT", []string{"STTTT:alias"}},
		{"sở tt&tt", []string{"STTTT:alias"}},
		{"Sở TT & TT", nil},                                     // a different name: no likeness
		{"Sở Thông tin", nil},                                   // a part is not the whole
		{"Sở Thông tin và Truyền", nil},                         // neither is a prefix
		{"Phòng Tư pháp", []string{"H1-TP:name", "H2-TP:name"}}, // ambiguous: both
		{"", nil},
		{"   ", nil},
	}
	for _, tt := range tests {
		if got := codes(ix.Match(tt.typed)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Match(%q) = %v, want %v", tt.typed, got, tt.want)
		}
	}
	if got := codes(ix.Named("STTTT")); got != nil {
		t.Errorf("Named matches a code: %v", got)
	}
}

func TestAncestors(t *testing.T) {
	ix := testIndex(t)
	if got := ix.Ancestors("STTTT-VP-1"); !reflect.DeepEqual(got, []string{"STTTT-VP", "STTTT"}) {
		t.Errorf("Ancestors = %v", got)
	}
	if got := ix.Ancestors("STTTT"); got != nil {
		t.Errorf("a top-level unit has ancestors %v", got)
	}
	if got := ix.Ancestors("nope"); got != nil {
		t.Errorf("an unknown unit has ancestors %v", got)
	}
	// A cycle built in code (Validate refuses it) cannot hang the walk.
	loop := NewIndex([]Unit{{Code: "A", ParentCode: "B"}, {Code: "B", ParentCode: "A"}})
	if n := len(loop.Ancestors("A")); n != MaxUnits {
		t.Errorf("walk of a cycle took %d steps", n)
	}
}

func TestKey(t *testing.T) {
	for _, pair := range [][2]string{
		{"Đoàn Thanh niên", "doan thanh nien"},
		{"  Sở\u00a0Y   tế ", "so y te"},
		{"Hòa", "Hoà"}, // old and new tone placement read alike once diacritics are gone
	} {
		if Key(pair[0]) != Key(pair[1]) {
			t.Errorf("Key(%q) = %q, Key(%q) = %q", pair[0], Key(pair[0]), pair[1], Key(pair[1]))
		}
	}
	if Key("Sở TT&TT") == Key("Sở TTTT") {
		t.Error("punctuation is part of a name")
	}
}

func TestParseType(t *testing.T) {
	for cell, want := range map[string]Type{"": TypeOther, "agency": TypeAgency, "AGENCY": TypeAgency, "Cơ quan nhà nước": TypeAgency,
		"co quan nha nuoc": TypeAgency, "Trường học": TypeSchool, "school": TypeSchool, "UBND xã": TypeCommune,
		"Lực lượng vũ trang": TypeArmedForces, "armed_forces": TypeArmedForces, "Doanh nghiệp": TypeEnterprise, "Khác": TypeOther} {
		if got, ok := parseType(cell); !ok || got != want {
			t.Errorf("parseType(%q) = %q, %v; want %q", cell, got, ok, want)
		}
	}
	if _, ok := parseType("bộ"); ok {
		t.Error("an unknown type was accepted")
	}
}

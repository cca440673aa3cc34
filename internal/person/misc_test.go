package person

import (
	"strings"
	"testing"

	"github.com/dxcontest/contest-platform/internal/locale"
	"github.com/dxcontest/contest-platform/internal/testutil/gosource"
)

func TestNormalizeEmail(t *testing.T) {
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".vn" // 254 bytes
	tests := []struct {
		in, want, code string
	}{
		{"", "", ""},
		{"   ", "", ""},
		{"an.nguyen@binhthuan.gov.vn", "an.nguyen@binhthuan.gov.vn", ""},
		{" an+thi@gmail.com ", "an+thi@gmail.com", ""},
		{long, long, ""},
		{long + "n", "", CodeEmailTooLong},
		{"an", "", CodeEmailInvalid},
		{"an@", "", CodeEmailInvalid},
		{"@gmail.com", "", CodeEmailInvalid},
		{"an@localhost", "", CodeEmailInvalid},
		{"an@gmail.", "", CodeEmailInvalid},
		{"an@@gmail.com", "", CodeEmailInvalid},
		{"an nguyen@gmail.com", "", CodeEmailInvalid},
		{"An <an@gmail.com>", "", CodeEmailInvalid},
		{"an@gmail.com, binh@gmail.com", "", CodeEmailInvalid},
		{"an@[127.0.0.1]", "", CodeEmailInvalid},
	}
	for _, tt := range tests {
		got, fe := NormalizeEmail(tt.in)
		if tt.code == "" {
			if fe != nil || got != tt.want {
				t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, fe, tt.want)
			}
			continue
		}
		if fe == nil || fe.Code != tt.code || fe.Field != FieldEmail {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %s", tt.in, got, fe, tt.code)
		}
	}
}

func TestMasks(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{MaskNationalID("060090123434"), "060*******34"},
		{MaskNationalID("060 090 123 434"), "060*******34"},
		{MaskNationalID("12345"), "************"},
		{MaskPhone("0912345678"), "0912***678"},
		{MaskPhone("+84 912 345 678"), "0912***678"},
		{MaskPhone("024 3825 1234"), "**********"},
		{MaskEmail("khai.nguyen@example.vn"), "k***@example.vn"},
		{MaskEmail("đào@example.vn"), "đ***@example.vn"},
		{MaskEmail("x@y"), "x***@y"},
		{MaskEmail("@example.vn"), "***"},
		{MaskEmail("a@b@c"), "***"},
		{MaskEmail("khai@"), "***"},
		{MaskEmail(""), "***"},
		{MaskName("Nguyễn Văn An"), "Nguyễn V. A."},
		{MaskName("  Đặng   thị ngọc ánh "), "Đặng T. N. Á."},
		{MaskName("Lý"), "L."},
		{MaskName("đinh"), "Đ."},
		{MaskName("H'Hen Niê"), "H'Hen N."},
		{MaskName(""), ""},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestEnums(t *testing.T) {
	want := []string{"official", "armed_forces", "student", "resident"} // the DB check constraint
	groups := Groups()
	if len(groups) != len(want) {
		t.Fatalf("Groups() = %v", groups)
	}
	for i, g := range groups {
		if string(g) != want[i] || !g.Valid() || g.Label() == "" || g.LabelEnglish() == "" {
			t.Errorf("group %q: valid %v, labels %q / %q", g, g.Valid(), g.Label(), g.LabelEnglish())
		}
		if p, ok := ParseGroup(" " + strings.ToUpper(string(g)) + " "); !ok || p != g {
			t.Errorf("ParseGroup(%q) = %q, %v", g, p, ok)
		}
	}
	if GroupOfficial.Label() != "Cán bộ, công chức, viên chức, người lao động" || GroupResident.Label() != "Người dân" {
		t.Error("group labels differ from the plan's words")
	}
	if _, ok := ParseGroup("teacher"); ok || ParticipantGroup("x").Valid() {
		t.Error("an unknown group is accepted")
	}
	for in, want := range map[string]Gender{"male": Male, "Female": Female, "Nam": Male, "NỮ": Female, "nu\u031b\u0303": Female} {
		if g, ok := ParseGender(in); !ok || g != want {
			t.Errorf("ParseGender(%q) = %q, %v", in, g, ok)
		}
	}
	if _, ok := ParseGender("other"); ok || Gender("x").Valid() {
		t.Error("an unknown gender is accepted")
	}
	if Male.Label() != "Nam" || Female.Label() != "Nữ" || Male.LabelEnglish() != "Male" {
		t.Error("gender labels")
	}
}

// Every code is one problem, names the field it is about and has a text in every language.
func TestCodesHaveTexts(t *testing.T) {
	seen := map[string]string{}
	for name, code := range gosource.StringConstants(t, ".") {
		if !strings.HasPrefix(name, "Code") {
			continue
		}
		if other, ok := seen[code]; ok {
			t.Errorf("%s and %s are both %q", name, other, code)
		}
		seen[code] = name
		if field, _, _ := strings.Cut(code, "."); fieldOrder(field) == 9 || !strings.Contains(code, ".") {
			t.Errorf("%s = %q does not start with a field name", name, code)
		}
		for _, lang := range locale.Languages() {
			if _, ok := locale.Lookup(lang, code); !ok {
				t.Errorf("%s = %q has no text in %s", name, code, lang)
			}
		}
	}
	if len(seen) < 30 {
		t.Errorf("found %d codes", len(seen))
	}
}

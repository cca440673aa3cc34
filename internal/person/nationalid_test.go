package person

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/locale"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func codes(fes []FieldError) []string {
	var out []string
	for _, fe := range fes {
		out = append(out, fe.Code)
	}
	return out
}

func TestCheckNationalID(t *testing.T) {
	tests := []struct {
		name  string
		id    string
		birth time.Time
		g     Gender
		want  []string
	}{
		{"male 1990", "060090123456", date(1990, 9, 5), Male, nil},
		{"female 1985", "060185123456", date(1985, 1, 1), Female, nil},
		{"male 2008", "079208000001", date(2008, 12, 31), Male, nil},
		{"female 2000", "001300999999", date(2000, 2, 29), Female, nil},
		{"male 2100 (digit 4)", "060400000001", date(2100, 1, 1), Male, nil},
		{"female 2199 (digit 5)", "060599000001", date(2199, 1, 1), Female, nil},
		{"spaces and dots are dropped", "060 090.123-456", date(1990, 9, 5), Male, nil},
		{"no birth date: only gender checked", "060090123456", time.Time{}, Female, []string{CodeNationalIDGender}},
		{"no gender: only date checked", "060090123456", date(1991, 1, 1), "", []string{CodeNationalIDBirthYear}},

		{"empty", "", date(1990, 1, 1), Male, []string{CodeNationalIDRequired}},
		{"11 digits", "06009012345", date(1990, 1, 1), Male, []string{CodeNationalIDFormat}},
		{"13 digits", "0600901234567", date(1990, 1, 1), Male, []string{CodeNationalIDFormat}},
		{"letters", "06009012345A", date(1990, 1, 1), Male, []string{CodeNationalIDFormat}},
		{"full-width digits", "０６００９０１２３４５６", date(1990, 1, 1), Male, []string{CodeNationalIDFormat}},
		{"old 9-digit CMND", "261234567", date(1990, 1, 1), Male, []string{CodeNationalIDOldCard}},

		{"century: 1900s code, born 2005", "060205123456", date(2005, 3, 3), Male, nil},
		{"century: code 0 but born 2005", "060005123456", date(2005, 3, 3), Male, []string{CodeNationalIDCentury}},
		{"century: code 2 but born 1990", "060290123456", date(1990, 3, 3), Male, []string{CodeNationalIDCentury}},
		{"century: code 3 but born 1990, female", "060390123456", date(1990, 3, 3), Female, []string{CodeNationalIDCentury}},
		{"century: code 8 (2300s) for born 1990", "060890123456", date(1990, 3, 3), Male, []string{CodeNationalIDCentury}},
		{"century: code 9 (2300s) for born 1999", "060999123456", date(1999, 3, 3), Female, []string{CodeNationalIDCentury}},
		{"gender: code 0 (male) but female", "060090123456", date(1990, 9, 5), Female, []string{CodeNationalIDGender}},
		{"gender: code 3 (female) but male", "060308123456", date(2008, 9, 5), Male, []string{CodeNationalIDGender}},
		{"year: digits 91 but born 1990", "060091123456", date(1990, 9, 5), Male, []string{CodeNationalIDBirthYear}},
		{"year: digits 09 but born 2008", "060209123456", date(2008, 9, 5), Male, []string{CodeNationalIDBirthYear}},
		{"century and year wrong", "060291123456", date(1990, 9, 5), Male, []string{CodeNationalIDCentury, CodeNationalIDBirthYear}},
		{"every part wrong", "060391123456", date(1990, 9, 5), Male,
			[]string{CodeNationalIDCentury, CodeNationalIDBirthYear, CodeNationalIDGender}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckNationalID(tt.id, tt.birth, tt.g)
			if !reflect.DeepEqual(codes(got), tt.want) {
				t.Fatalf("codes = %v, want %v", codes(got), tt.want)
			}
			for _, fe := range got {
				if fe.Field != FieldNationalID || fe.Message == "" || fe.Message != locale.T(locale.Vietnamese, fe.Code) {
					t.Errorf("bad FieldError %+v", fe)
				}
			}
		})
	}
}

// The messages say which other field disagrees.
func TestNationalIDMessagesNameTheOtherField(t *testing.T) {
	for code, want := range map[string]string{
		CodeNationalIDCentury:   "năm sinh",
		CodeNationalIDBirthYear: "năm sinh",
		CodeNationalIDGender:    "giới tính",
	} {
		if vi := locale.T(locale.Vietnamese, code); !contains(vi, want) {
			t.Errorf("%s: %q does not mention %q", code, vi, want)
		}
	}
	if !contains(locale.T(locale.English, CodeNationalIDGender), "gender") || !contains(locale.T(locale.English, CodeNationalIDBirthYear), "date of birth") {
		t.Error("English messages do not name the other field")
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestProvinces(t *testing.T) {
	ps := Provinces()
	seen := map[string]bool{}
	for _, p := range ps {
		if len(p.Code) != 3 || !allDigits(p.Code) || p.Code < "001" || p.Code > "096" || seen[p.Code] || p.Name == "" {
			t.Errorf("bad province %+v", p)
		}
		seen[p.Code] = true
	}
	if n, ok := ProvinceName("060090123456"); !ok || n != "Bình Thuận" {
		t.Errorf("ProvinceName(060…) = %q, %v", n, ok)
	}
	for id, want := range map[string]string{
		"001090123456": "", "096090123456": "", "079090123456": "",
		"003090123456": CodeNationalIDProvince, "097090123456": CodeNationalIDProvince, "000090123456": CodeNationalIDProvince,
		"12345": CodeNationalIDFormat,
	} {
		fe := CheckProvince(id)
		if (fe == nil) != (want == "") || fe != nil && fe.Code != want {
			t.Errorf("CheckProvince(%s) = %v, want %q", id, fe, want)
		}
	}
}

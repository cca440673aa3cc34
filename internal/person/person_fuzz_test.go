package person

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/dxcontest/contest-platform/internal/locale"
)

// Every field of the registration form comes from a stranger. The fuzz targets check what
// the parsers promise about any input, not only that they do not panic: an accepted value is
// in its stored form (normalizing it again changes nothing, and it fits the contestant
// table's checks), and a refused one gets an error naming its field and code.
// `make fuzz` runs them; their seeds are the table tests' inputs and tricky text.

// trickySeeds are inputs no form should trip over.
var trickySeeds = []string{
	"", " ", "\x00", "0\x00912345678", "\xff\xfe", "\xc3\x28", "Nguy\xe1\xbb", "\u00a0\u202f\u3000",
	"Nguye\u0302\u0303n", "\u0301\u0301\u0301", "e" + strings.Repeat("\u0301", 300), "\u200b\u200d", "\ufeff0912345678",
	"99999999999999999999999999999999", "-1", "+", "٠١٢٣٤٥٦٧٨٩", "０９１２３４５６７８", strings.Repeat("9", 1000),
	"1e9", "0x10", "<script>", "'; DROP TABLE contestant;--", "\r\n", "\t",
}

func checkFieldError(t *testing.T, fe *FieldError, field string) {
	t.Helper()
	if fe.Field != field || fe.Code == "" || fe.Message == "" || fe.Message != locale.T(locale.Vietnamese, fe.Code) {
		t.Fatalf("error %+v: want field %s and a known code with its message", *fe, field)
	}
}

var nationalIDColumn = regexp.MustCompile(`^[0-9]{12}$`)

func FuzzNormalizeNationalID(f *testing.F) {
	for _, s := range append([]string{"060090123456", "060185123456", "079208000001", "060 090.123-456", "06009012345",
		"0600901234567", "06009012345A", "０６００９０１２３４５６", "261234567", "060391123456", "060\u00a0090\u202f123456"}, trickySeeds...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, fe := NormalizeNationalID(s)
		if fe != nil {
			checkFieldError(t, fe, FieldNationalID)
			return
		}
		if !nationalIDColumn.MatchString(id) {
			t.Fatalf("accepted %q as %q, which the contestant table refuses", s, id)
		}
		if again, fe := NormalizeNationalID(id); fe != nil || again != id {
			t.Fatalf("normalizing %q again gave %q, %v", id, again, fe)
		}
		// The ID's own digits are checked against any date and gender without panicking,
		// each problem on the national_id field.
		for _, g := range []Gender{Male, Female, ""} {
			for _, fe := range CheckNationalID(s, date(1990, 1, 1), g) {
				checkFieldError(t, &fe, FieldNationalID)
			}
		}
	})
}

var phoneColumn = regexp.MustCompile(`^0[35789][0-9]{8}$`)

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range append([]string{"0912345678", "+84 912 345 678", "+84912345678", "84912345678", "0084 912 345 678",
		"+84 (0) 912 345 678", "840912345678", "0912.345.678", "0912-345-678", "(091) 2345678", "  0912 345 678  ",
		"0912\u00a0345\u00a0678", "912345678", "0352 123 456", "091234567a", "0912/345/678", "091234567", "09123456789",
		"+84 91234567", "0252 3822 123", "+84 252 3822 123", "0168 123 4567", "0412345678", "+1 415 555 0100", "612345678",
		"++84912345678", "+840", "84", "0084"}, trickySeeds...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, fe := NormalizePhone(s)
		if fe != nil {
			checkFieldError(t, fe, FieldPhone)
			return
		}
		if !phoneColumn.MatchString(p) {
			t.Fatalf("accepted %q as %q, not a 10-digit mobile number", s, p)
		}
		if again, fe := NormalizePhone(p); fe != nil || again != p {
			t.Fatalf("normalizing %q again gave %q, %v", p, again, fe)
		}
		// The digits typed are the stored number's, bar the country code and trunk 0.
		typed := strings.TrimLeft(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s), "0")
		if !strings.HasSuffix(typed, p[1:]) {
			t.Fatalf("accepted %q as %q: digits were changed", s, p)
		}
	})
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range append([]string{"Nguyễn Văn An", "  nguyễn   văn  an ", "Nguyễn\tThị\u00a0Minh Khai",
		"Nguye\u0302\u0303n Va\u0306n A\u0301nh", "H'Hen Niê", "H’Hen Niê", "Trần Lê-Anh", "Đặng Thị Ngọc Hân", "Lý", "Ka Ly",
		"A", strings.Repeat("Ư", 100), strings.Repeat("Ư", 101), "Nguyễn Văn 2", "Nguyễn Văn A.", "Nguyễn, Văn",
		"Nguyễn 🙂", "-Nguyễn An", "Nguyễn An'", "A\u0301", "a`b", "Ê\u0323", "ʼa ʼ"}, trickySeeds...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, fe := NormalizeName(s)
		// Normalizing is idempotent, accepted or not: a form shows the value back and the
		// person may submit it again.
		again, fe2 := NormalizeName(name)
		if again != name {
			t.Fatalf("NormalizeName(%q) = %q, but NormalizeName(%q) = %q", s, name, name, again)
		}
		if (fe == nil) != (fe2 == nil) || fe != nil && fe.Code != fe2.Code {
			t.Fatalf("%q judged %v, its normalized form %q judged %v", s, fe, name, fe2)
		}
		if fe != nil {
			checkFieldError(t, fe, FieldFullName)
			return
		}
		n := utf8.RuneCountInString(name)
		switch {
		case !utf8.ValidString(name) || !norm.NFC.IsNormalString(name):
			t.Fatalf("accepted %q as %q: not valid NFC UTF-8", s, name)
		case n < MinNameRunes || n > MaxNameRunes:
			t.Fatalf("accepted %q: %d characters", name, n)
		case name != strings.TrimSpace(name) || strings.Contains(name, "  ") || strings.ContainsAny(name, "\t\r\n\x00"):
			t.Fatalf("accepted %q with stray white space", name)
		}
	})
}

func FuzzParseBirthDate(f *testing.F) {
	for _, s := range append([]string{"05/09/1990", "5/9/1990", " 05/09/1990 ", "05.09.1990", "05-09-1990", "1990-09-05",
		"29/02/2000", "31/12/2018", "05091990", "05/09/90", "1990/09/05", "05/09-1990", "05 09 1990", "/05/09/1990",
		"005/09/1990", "a5/09/1990", "09/05/1990 10:00", "31/02/2000", "29/02/2001", "00/01/2000", "12/13/2000",
		"2000-02-30", "00/00/0000", "31/12/9999", "01/01/0000", "0000-01-01", "5ế/9/1990", "05/09/1990\x00"}, trickySeeds...) {
		f.Add(s)
	}
	now := time.Date(2024, 8, 17, 2, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, fe := ParseBirthDate(s)
		if fe != nil {
			checkFieldError(t, fe, FieldBirthDate)
			if !d.IsZero() {
				t.Fatalf("refused %q but returned %v", s, d)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseBirthDate(%q) = %v, not midnight UTC", s, d)
		}
		// The date written back both ways reads the same.
		for _, layout := range []string{"02/01/2006", "2006-01-02"} {
			if again, fe := ParseBirthDate(d.Format(layout)); fe != nil || !again.Equal(d) {
				t.Fatalf("ParseBirthDate(%q) = %v, %v; want %v", d.Format(layout), again, fe, d)
			}
		}
		if fe := CheckBirthDate(d, now); fe != nil {
			checkFieldError(t, fe, FieldBirthDate)
		}
	})
}

func FuzzFormParse(f *testing.F) {
	f.Add("060 090 123 434", "0912.345.678", "Nguyễn Văn An", "05/09/1990", "male", "", "official", "Sở Y tế", "22960")
	f.Add("060090123434", "+84 912 345 678", "Nguye\u0302\u0303n Va\u0306n An", "1990-09-05", "Nam", "an@example.com", "student", "", "22960")
	f.Add("060390123434", "0168 123 4567", "A", "05/09/2001", "female", "a@b", "teacher", "", "")
	f.Add("060090123434", "0912345678", "Nguyễn Văn An", "5 tháng 9", "x", "an@example.com", "armed_forces", "\x00", "\x00")
	f.Add("", "", "", "", "", "", "", "", "")
	f.Add("\xff", "\xff", "\xff", "\xff", "\xff", "\xff@example.com", "\xff", "\xff", "\xff")
	f.Add("060090123434", "0912345678", "Nguyễn Văn An", "05/09/1990", " MALE ", "\"a b\"@example.com", "RESIDENT", strings.Repeat("Ư", 301), " 22960 ")
	now := time.Date(2024, 8, 17, 2, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, nationalID, phone, name, birth, gender, email, group, org, locality string) {
		form := Form{NationalID: nationalID, Phone: phone, FullName: name, BirthDate: birth, Gender: gender,
			Email: email, Group: group, Organization: org, Locality: locality}
		r, errs := form.Parse(now)
		seen := map[string]bool{}
		for i, fe := range errs {
			checkFieldError(t, &fe, fe.Field)
			if fieldOrder(fe.Field) == fieldOrder("") {
				t.Fatalf("error on unknown field %q", fe.Field)
			}
			if i > 0 && fieldOrder(errs[i-1].Field) > fieldOrder(fe.Field) {
				t.Fatalf("errors out of form order: %v", codes(errs))
			}
			// One mistake, one message: only the ID collects several (each names the field it disagrees with).
			if seen[fe.Field] && fe.Field != FieldNationalID {
				t.Fatalf("two errors on %s: %v", fe.Field, codes(errs))
			}
			seen[fe.Field] = true
		}
		if len(errs) > 0 {
			return
		}
		if again := r.Normalized(); again != r {
			t.Fatalf("accepted registration is not in its stored form:\n%+v\n%+v", r, again)
		}
		if errs := r.Validate(now); errs != nil {
			t.Fatalf("accepted registration fails Validate: %v", codes(errs))
		}
		// What is stored passes the contestant table's checks, and PostgreSQL's text type
		// (valid UTF-8 without NUL), so an accepted form never turns into a database error.
		switch {
		case !nationalIDColumn.MatchString(r.NationalID) || !phoneColumn.MatchString(r.Phone):
			t.Fatalf("stored ID %q, phone %q", r.NationalID, r.Phone)
		case utf8.RuneCountInString(r.FullName) > 200 || len(r.Email) > MaxEmailLength ||
			utf8.RuneCountInString(r.Organization) > MaxOrganizationRunes:
			t.Fatalf("stored text too long: %+v", r)
		case !r.Gender.Valid() || !r.Group.Valid() || !slices.Contains(Groups(), r.Group):
			t.Fatalf("stored gender %q, group %q", r.Gender, r.Group)
		}
		// (The locality code is looked up in the contest's list by the caller.)
		for _, s := range []string{r.FullName, r.Email, r.Organization} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("accepted %q, which PostgreSQL's text type refuses", s)
			}
		}
	})
}

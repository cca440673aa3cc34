package person

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/locale"
)

// 17 Aug 2024 09:00 in Vietnam: the first round's opening day.
var testNow = time.Date(2024, 8, 17, 2, 0, 0, 0, time.UTC)

func validRegistration() Registration {
	return Registration{
		NationalID:   "060090123434",
		Phone:        "0912345678",
		FullName:     "Nguyễn Văn An",
		BirthDate:    date(1990, 9, 5),
		Gender:       Male,
		Email:        "an@example.com",
		Group:        GroupOfficial,
		Organization: "UBND xã Hàm Nhơn",
		Locality:     "22960",
	}
}

func TestRegistrationValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Registration)
		want   []string
	}{
		{"valid", func(*Registration) {}, nil},
		{"valid in other spellings", func(r *Registration) {
			r.NationalID, r.Phone, r.FullName = "060 090 123 434", "+84 912 345 678", "  Nguyễn  Văn An "
		}, nil},
		{"resident needs no organization, email optional", func(r *Registration) {
			r.Group, r.Organization, r.Email = GroupResident, "", ""
		}, nil},
		{"student needs no organization", func(r *Registration) { r.Group, r.Organization = GroupStudent, "" }, nil},
		{"official needs an organization", func(r *Registration) { r.Organization = "  " }, []string{CodeOrganizationRequired}},
		{"armed forces need an organization", func(r *Registration) { r.Group, r.Organization = GroupArmedForces, "" }, []string{CodeOrganizationRequired}},
		{"organization too long", func(r *Registration) { r.Organization = strings.Repeat("ơ", 301) }, []string{CodeOrganizationTooLong}},
		{"organization with control characters", func(r *Registration) { r.Organization = "UBND\x00" }, []string{CodeOrganizationCharacters}},
		{"no locality", func(r *Registration) { r.Locality = " " }, []string{CodeLocalityRequired}},
		{"ID disagrees with gender", func(r *Registration) { r.Gender = Female }, []string{CodeNationalIDGender}},
		{"ID disagrees with birth year", func(r *Registration) { r.BirthDate = date(1991, 9, 5) }, []string{CodeNationalIDBirthYear}},
		{"ID disagrees with century", func(r *Registration) { r.NationalID = "060290123434" }, []string{CodeNationalIDCentury}},
		{"a wrong birth date is not also blamed on the ID", func(r *Registration) { r.BirthDate = date(2020, 9, 5) }, []string{CodeBirthDateTooYoung}},
		{"an invalid gender is not also blamed on the ID", func(r *Registration) { r.Gender = "x" }, []string{CodeGenderInvalid}},
		{"everything empty", func(r *Registration) { *r = Registration{} }, []string{
			CodeNationalIDRequired, CodeNameRequired, CodeBirthDateRequired, CodeGenderRequired,
			CodePhoneRequired, CodeGroupRequired, CodeLocalityRequired}},
		{"every field wrong at once, in form order", func(r *Registration) {
			*r = Registration{NationalID: "123", Phone: "024 3825 1234", FullName: "A1", BirthDate: date(2030, 1, 1),
				Gender: "?", Email: "x@", Group: "teacher", Organization: strings.Repeat("a", 301), Locality: ""}
		}, []string{CodeNationalIDFormat, CodeNameCharacters, CodeBirthDateFuture, CodeGenderInvalid, CodePhoneLandline,
			CodeEmailInvalid, CodeGroupInvalid, CodeOrganizationTooLong, CodeLocalityRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRegistration()
			tt.change(&r)
			got := r.Validate(testNow)
			if !reflect.DeepEqual(codes(got), tt.want) {
				t.Fatalf("codes = %v, want %v", codes(got), tt.want)
			}
			for _, fe := range got {
				if !strings.HasPrefix(fe.Code, fe.Field+".") || fe.Message == "" {
					t.Errorf("bad FieldError %+v", fe)
				}
			}
		})
	}
}

func TestRegistrationNormalized(t *testing.T) {
	r := Registration{
		NationalID: " 060 090 123 434", Phone: "+84 912-345-678", FullName: " nguye\u0302\u0303n  văn an ",
		BirthDate: time.Date(1990, 9, 5, 13, 45, 0, 0, time.FixedZone("ICT", 7*3600)), Gender: Male,
		Email: " an@example.com ", Group: GroupStudent, Organization: "  Trường   THPT Phan Bội Châu ", Locality: " 22960 ",
	}
	want := Registration{
		NationalID: "060090123434", Phone: "0912345678", FullName: "nguyễn văn an",
		BirthDate: date(1990, 9, 5), Gender: Male, Email: "an@example.com", Group: GroupStudent,
		Organization: "Trường THPT Phan Bội Châu", Locality: "22960",
	}
	if got := r.Normalized(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Normalized() =\n%+v\nwant\n%+v", got, want)
	}
	bad := Registration{NationalID: "12 3", Phone: "abc"}
	if got := bad.Normalized(); got.NationalID != "12 3" || got.Phone != "abc" {
		t.Errorf("unnormalizable fields changed: %+v", got)
	}
}

func TestFormParse(t *testing.T) {
	good := Form{
		NationalID: "060 090 123 434", Phone: "0912.345.678", FullName: "Nguyễn Văn An", BirthDate: "05/09/1990",
		Gender: "male", Email: "", Group: "official", Organization: "Sở Y tế", Locality: "22960",
	}
	r, errs := good.Parse(testNow)
	if errs != nil {
		t.Fatalf("errors %v", errs)
	}
	want := Registration{NationalID: "060090123434", Phone: "0912345678", FullName: "Nguyễn Văn An",
		BirthDate: date(1990, 9, 5), Gender: Male, Group: GroupOfficial, Organization: "Sở Y tế", Locality: "22960"}
	if !reflect.DeepEqual(r, want) {
		t.Fatalf("Parse() = %+v, want %+v", r, want)
	}

	tests := []struct {
		name   string
		change func(*Form)
		want   []string
	}{
		{"html date input", func(f *Form) { f.BirthDate = "1990-09-05" }, nil},
		{"Vietnamese gender label", func(f *Form) { f.Gender = "Nam" }, nil},
		{"unreadable date: one message, no ID cross-check", func(f *Form) { f.BirthDate = "5 tháng 9" }, []string{CodeBirthDateFormat}},
		{"impossible date", func(f *Form) { f.BirthDate = "31/02/1990" }, []string{CodeBirthDateInvalid}},
		{"empty date", func(f *Form) { f.BirthDate = "" }, []string{CodeBirthDateRequired}},
		{"unknown gender", func(f *Form) { f.Gender = "x" }, []string{CodeGenderInvalid}},
		{"missing gender", func(f *Form) { f.Gender = "" }, []string{CodeGenderRequired}},
		{"unknown group: organization not required", func(f *Form) { f.Group, f.Organization = "teacher", "" }, []string{CodeGroupInvalid}},
		{"missing group", func(f *Form) { f.Group = "" }, []string{CodeGroupRequired}},
		{"ID and date disagree", func(f *Form) { f.BirthDate = "05/09/1991" }, []string{CodeNationalIDBirthYear}},
		{"ID, gender and date all disagree, with other errors", func(f *Form) {
			f.BirthDate, f.Gender, f.Phone = "05/09/2001", "female", "0168 123 4567"
		}, []string{CodeNationalIDCentury, CodeNationalIDBirthYear, CodeNationalIDGender, CodePhoneOldPrefix}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := good
			tt.change(&f)
			_, errs := f.Parse(testNow)
			if !reflect.DeepEqual(codes(errs), tt.want) {
				t.Fatalf("codes = %v, want %v", codes(errs), tt.want)
			}
		})
	}
}

func TestFieldErrorError(t *testing.T) {
	fe := newError(FieldPhone, CodePhoneLandline)
	if fe.Error() != "phone: "+locale.T(locale.Vietnamese, CodePhoneLandline) {
		t.Errorf("Error() = %q", fe.Error())
	}
}

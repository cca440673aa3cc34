package person

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxOrganizationRunes bounds the organization's name (the contestant table allows 300).
const MaxOrganizationRunes = 300

// Registration is one person's registration for a contest, with values in their
// stored form (see [Registration.Normalized]).
type Registration struct {
	NationalID string
	Phone      string
	FullName   string
	// BirthDate is a calendar date; only its year, month and day (in its own
	// location) are used.
	BirthDate    time.Time
	Gender       Gender
	Email        string // optional
	Group        ParticipantGroup
	Organization string // required for groups that NeedsOrganization
	// Locality is the code of the person's locality in the contest's list; whether the
	// code exists is the caller's check (localities are data per contest).
	Locality string
}

// Normalized returns r with every field in its stored spelling: national ID and phone
// as bare digits, names and organization trimmed with single spaces and NFC, the
// birth date as midnight UTC. A field that cannot be normalized is left as it is, for
// Validate to report.
func (r Registration) Normalized() Registration {
	if n, fe := NormalizeNationalID(r.NationalID); fe == nil {
		r.NationalID = n
	}
	if n, fe := NormalizePhone(r.Phone); fe == nil {
		r.Phone = n
	}
	r.FullName, _ = NormalizeName(r.FullName)
	r.Email = strings.TrimSpace(r.Email)
	r.Organization = cleanText(r.Organization)
	r.Locality = strings.TrimSpace(r.Locality)
	if !r.BirthDate.IsZero() {
		y, m, d := r.BirthDate.Date()
		r.BirthDate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return r
}

// Validate returns every problem of the registration at once, in form order, judged
// at now (the date of birth's age limits). Values may be in any spelling the
// Normalize functions accept; store r.Normalized().
func (r Registration) Validate(now time.Time) []FieldError {
	return r.validate(now, &errs{})
}

func (r Registration) validate(now time.Time, e *errs) []FieldError {
	if e.ok(FieldNationalID) {
		_, fe := NormalizeNationalID(r.NationalID)
		e.add(fe)
	}
	if e.ok(FieldFullName) {
		_, fe := NormalizeName(r.FullName)
		e.add(fe)
	}
	if e.ok(FieldBirthDate) {
		e.add(CheckBirthDate(r.BirthDate, now))
	}
	if e.ok(FieldGender) {
		switch {
		case r.Gender == "":
			e.add(errp(FieldGender, CodeGenderRequired))
		case !r.Gender.Valid():
			e.add(errp(FieldGender, CodeGenderInvalid))
		}
	}
	if e.ok(FieldPhone) {
		_, fe := NormalizePhone(r.Phone)
		e.add(fe)
	}
	if e.ok(FieldEmail) {
		_, fe := NormalizeEmail(r.Email)
		e.add(fe)
	}
	if e.ok(FieldGroup) {
		switch {
		case r.Group == "":
			e.add(errp(FieldGroup, CodeGroupRequired))
		case !r.Group.Valid():
			e.add(errp(FieldGroup, CodeGroupInvalid))
		}
	}
	if e.ok(FieldOrganization) {
		e.add(checkOrganization(r.Organization, r.Group))
	}
	if e.ok(FieldLocality) && strings.TrimSpace(r.Locality) == "" {
		e.add(errp(FieldLocality, CodeLocalityRequired))
	}
	// The ID's own digits are compared only with a birth date and gender that passed
	// their own checks, so one mistake is not reported twice.
	if e.ok(FieldNationalID) {
		var birth time.Time
		var g Gender
		if e.ok(FieldBirthDate) {
			birth = r.BirthDate
		}
		if e.ok(FieldGender) {
			g = r.Gender
		}
		for _, fe := range CheckNationalID(r.NationalID, birth, g) {
			e.add(&fe)
		}
	}
	slices.SortStableFunc(e.list, func(a, b FieldError) int { return fieldOrder(a.Field) - fieldOrder(b.Field) })
	return e.list
}

// fieldOrder is the fields' order on the registration form.
func fieldOrder(field string) int {
	order := [...]string{FieldNationalID, FieldFullName, FieldBirthDate, FieldGender, FieldPhone,
		FieldEmail, FieldGroup, FieldOrganization, FieldLocality}
	if i := slices.Index(order[:], field); i >= 0 {
		return i
	}
	return len(order)
}

func checkOrganization(org string, g ParticipantGroup) *FieldError {
	org = cleanText(org)
	switch {
	case org == "" && g.NeedsOrganization():
		return errp(FieldOrganization, CodeOrganizationRequired)
	case utf8.RuneCountInString(org) > MaxOrganizationRunes:
		return errp(FieldOrganization, CodeOrganizationTooLong)
	case !utf8.ValidString(org) || strings.IndexFunc(org, unicode.IsControl) >= 0:
		return errp(FieldOrganization, CodeOrganizationCharacters)
	}
	return nil
}

// Form is a registration as typed into the web form: every field a string.
type Form struct {
	NationalID   string
	Phone        string
	FullName     string
	BirthDate    string // "dd/mm/yyyy" or "yyyy-mm-dd"
	Gender       string // "male"/"female" (or "Nam"/"Nữ")
	Email        string
	Group        string // a ParticipantGroup value
	Organization string
	Locality     string
}

// Parse turns the form into a normalized Registration and returns every problem at
// once, in form order. The Registration is returned even when there are problems.
func (f Form) Parse(now time.Time) (Registration, []FieldError) {
	e := &errs{}
	birth, fe := ParseBirthDate(f.BirthDate)
	e.add(fe)
	var g Gender
	if strings.TrimSpace(f.Gender) != "" {
		var ok bool
		if g, ok = ParseGender(f.Gender); !ok {
			e.add(errp(FieldGender, CodeGenderInvalid))
		}
	}
	var grp ParticipantGroup
	if strings.TrimSpace(f.Group) != "" {
		var ok bool
		if grp, ok = ParseGroup(f.Group); !ok {
			e.add(errp(FieldGroup, CodeGroupInvalid))
		}
	}
	r := Registration{
		NationalID:   f.NationalID,
		Phone:        f.Phone,
		FullName:     f.FullName,
		BirthDate:    birth,
		Gender:       g,
		Email:        f.Email,
		Group:        grp,
		Organization: f.Organization,
		Locality:     f.Locality,
	}.Normalized()
	return r, r.validate(now, e)
}

package person

import "github.com/dxcontest/contest-platform/internal/locale"

// FieldError is one problem with one field of a registration.
type FieldError struct {
	// Field is the form field and database column: "national_id", "phone",
	// "full_name", "birth_date", "gender", "email", "participant_group",
	// "organization" or "locality_code".
	Field string
	// Code is a stable key, e.g. "national_id.birth_year_mismatch", for translation
	// tables and tests.
	Code string
	// Message is the Vietnamese text shown to the person.
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Field names, the same as the contestant table's columns.
const (
	FieldNationalID   = "national_id"
	FieldPhone        = "phone"
	FieldFullName     = "full_name"
	FieldBirthDate    = "birth_date"
	FieldGender       = "gender"
	FieldEmail        = "email"
	FieldGroup        = "participant_group"
	FieldOrganization = "organization"
	FieldLocality     = "locality_code"
)

// newError builds the FieldError of a code, with its Vietnamese message.
func newError(field, code string) FieldError {
	return FieldError{Field: field, Code: code, Message: locale.T(locale.Vietnamese, code)}
}

// errs accumulates FieldErrors; it remembers which fields already failed so a later
// cross-field check does not pile a second message on the same mistake.
type errs struct {
	list   []FieldError
	failed map[string]bool
}

func (e *errs) add(fe *FieldError) {
	if fe == nil {
		return
	}
	e.list = append(e.list, *fe)
	if e.failed == nil {
		e.failed = map[string]bool{}
	}
	e.failed[fe.Field] = true
}

func (e *errs) ok(field string) bool { return !e.failed[field] }

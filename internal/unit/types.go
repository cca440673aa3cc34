package unit

import (
	"slices"

	"github.com/dxcontest/contest-platform/internal/locale"
)

// Type is a unit's kind, a small closed set: the registration page groups units by it and
// reports can filter on it. The values are stored (unit.type's check constraint).
type Type string

const (
	// TypeAgency: a state agency — a provincial department (Sở), board, district
	// People's Committee or one of their divisions (phòng).
	TypeAgency Type = "agency"
	// TypeCommune: a commune-level People's Committee (xã, phường, thị trấn).
	TypeCommune Type = "commune"
	// TypeSchool: a school, college or university.
	TypeSchool Type = "school"
	// TypeEnterprise: an enterprise, state-owned or private.
	TypeEnterprise Type = "enterprise"
	// TypeArmedForces: a unit of the police or the military.
	TypeArmedForces Type = "armed_forces"
	// TypeOther: anything else (mass organizations, associations); the default.
	TypeOther Type = "other"
)

// Types returns every type in the order a form groups them.
func Types() []Type {
	return []Type{TypeAgency, TypeCommune, TypeSchool, TypeEnterprise, TypeArmedForces, TypeOther}
}

// Valid reports whether t is one of the stored values.
func (t Type) Valid() bool { return slices.Contains(Types(), t) }

// LabelKey is the catalog key of the type's label (unit.type.<value>).
func (t Type) LabelKey() string { return "unit.type." + string(t) }

// Label is the type's label in lang ("vi" or "en").
func (t Type) Label(lang string) string {
	if !t.Valid() {
		return string(t)
	}
	return locale.T(lang, t.LabelKey())
}

// parseType reads a type cell: the stored value or its Vietnamese or English label, in any
// case, with or without diacritics; empty means TypeOther.
func parseType(cell string) (Type, bool) {
	if cell == "" {
		return TypeOther, true
	}
	k := headerKey(cell)
	for _, t := range Types() {
		if k == string(t) || k == headerKey(t.Label(locale.Vietnamese)) || k == headerKey(t.Label(locale.English)) {
			return t, true
		}
	}
	for t, words := range typeWords {
		if slices.Contains(words, k) {
			return t, true
		}
	}
	return "", false
}

// typeWords are the short words organizers write in a type column.
var typeWords = map[Type][]string{
	TypeAgency:      {"co_quan", "co_quan_nha_nuoc", "so", "phong", "ban"},
	TypeCommune:     {"xa", "ubnd_xa", "cap_xa"},
	TypeSchool:      {"truong", "truong_hoc"},
	TypeEnterprise:  {"doanh_nghiep", "cong_ty"},
	TypeArmedForces: {"luc_luong_vu_trang", "llvt", "cong_an", "quan_doi", "quan_su"},
	TypeOther:       {"khac"},
}

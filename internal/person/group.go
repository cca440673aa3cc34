package person

import (
	"slices"
	"strings"

	"github.com/dxcontest/contest-platform/internal/locale"
)

// ParticipantGroup is the plan's category of contestant (contestant.participant_group;
// the values match the table's check constraint).
type ParticipantGroup string

const (
	// GroupOfficial: cadres, civil servants, public employees and workers.
	GroupOfficial ParticipantGroup = "official"
	// GroupArmedForces: members of the armed forces.
	GroupArmedForces ParticipantGroup = "armed_forces"
	// GroupStudent: pupils and students.
	GroupStudent ParticipantGroup = "student"
	// GroupResident: other residents.
	GroupResident ParticipantGroup = "resident"
)

// Groups returns every group in the order a form lists them.
func Groups() []ParticipantGroup {
	return []ParticipantGroup{GroupOfficial, GroupArmedForces, GroupStudent, GroupResident}
}

// Valid reports whether g is one of the stored values.
func (g ParticipantGroup) Valid() bool { return slices.Contains(Groups(), g) }

// Label is the Vietnamese label, in the plan's words ("" for an unknown group).
func (g ParticipantGroup) Label() string { return g.label(locale.Vietnamese) }

// LabelEnglish is the English label.
func (g ParticipantGroup) LabelEnglish() string { return g.label(locale.English) }

// label is the catalog's participant_group.<value>.
func (g ParticipantGroup) label(lang string) string {
	if !g.Valid() {
		return ""
	}
	return locale.T(lang, "participant_group."+string(g))
}

// NeedsOrganization reports whether people of the group must name their agency or
// unit: the plan excludes the staff of one department, so for those who work in an
// agency the unit has to be known.
func (g ParticipantGroup) NeedsOrganization() bool {
	return g == GroupOfficial || g == GroupArmedForces
}

// ParseGroup reads a form value (the stored value, any case).
func ParseGroup(s string) (ParticipantGroup, bool) {
	g := ParticipantGroup(strings.ToLower(strings.TrimSpace(s)))
	return g, g.Valid()
}

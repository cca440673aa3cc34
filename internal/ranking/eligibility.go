package ranking

import "fmt"

// ReasonFlagged is the IneligibleReason of a person flagged by organizers.
const ReasonFlagged = "flagged by organizers"

// eligibility decides who may take a prize. It caches the verdict per raw organization
// string, since half a million people share a few thousand organizations and normalizing
// each one would allocate.
type eligibility struct {
	excluded map[string]string // normalized → spelling in the rules
	verdict  map[string]string // raw organization → matched rules spelling, "" if none
}

func newEligibility(excluded map[string]string) *eligibility {
	return &eligibility{excluded: excluded, verdict: make(map[string]string)}
}

// check returns whether p is eligible and, if not, why.
func (e *eligibility) check(p Person) (bool, string) {
	org := e.excludedOrganization(p.Organization)
	switch {
	case p.Ineligible && org != "":
		return false, fmt.Sprintf("%s; organization %q is excluded", ReasonFlagged, org)
	case p.Ineligible:
		return false, ReasonFlagged
	case org != "":
		return false, fmt.Sprintf("organization %q is excluded", org)
	}
	return true, ""
}

// excludedOrganization returns the rules' spelling of the excluded organization that org
// matches, or "".
func (e *eligibility) excludedOrganization(org string) string {
	if len(e.excluded) == 0 {
		return ""
	}
	if v, ok := e.verdict[org]; ok {
		return v
	}
	v := e.excluded[normalizeOrganization(org)]
	e.verdict[org] = v
	return v
}

// Package locality reads a contest's list of localities: the administrative units a
// contestant registers under and organizers report participation by. Localities are data per
// contest, never code (units are merged and renamed), so each contest imports its own list.
//
// The import format is a CSV file with the header ma_huyen,ten_huyen,ma_xa,ten_xa: one row
// per commune-level unit, naming its district-level unit. Districts become top-level
// localities and communes their children. data/binh-thuan-2024.csv is the sample contest's
// list (see data/README.md for its source).
package locality

import (
	"errors"
	"fmt"
	"regexp"
)

// Locality is one administrative unit. ParentCode is empty for a top-level unit (a
// district) and the district's code for a commune.
type Locality struct {
	Code       string
	Name       string
	ParentCode string
}

// Limits: codes appear in forms and URLs, names in phones' drop-down lists.
const (
	MaxCodeLength = 32
	MaxNameRunes  = 200
	// MaxFileBytes bounds what Parse reads; all of Vietnam's communes take under 1 MB.
	MaxFileBytes = 8 << 20
)

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

func validCode(code string) bool {
	return len(code) <= MaxCodeLength && codePattern.MatchString(code)
}

// Validate checks a list built in code against what Parse guarantees: valid, unique codes,
// non-empty names, and two levels, every parent being a top-level locality of the list. It
// reports every problem, naming the codes.
func Validate(ls []Locality) error {
	byCode := make(map[string]Locality, len(ls))
	var errs []error
	for _, l := range ls {
		switch _, dup := byCode[l.Code]; {
		case !validCode(l.Code):
			errs = append(errs, fmt.Errorf("locality code %q is not valid", l.Code))
		case dup:
			errs = append(errs, fmt.Errorf("locality %s: code appears twice", l.Code))
		default:
			byCode[l.Code] = l
		}
		if l.Name == "" {
			errs = append(errs, fmt.Errorf("locality %s: empty name", l.Code))
		}
	}
	for _, l := range ls {
		if l.ParentCode == "" {
			continue
		}
		parent, ok := byCode[l.ParentCode]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("locality %s: parent %s is not in the list", l.Code, l.ParentCode))
		case parent.ParentCode != "":
			errs = append(errs, fmt.Errorf("locality %s: parent %s is not a top-level locality", l.Code, l.ParentCode))
		}
	}
	return errors.Join(errs...)
}

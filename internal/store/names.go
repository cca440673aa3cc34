package store

import (
	"fmt"
	"math"
	"regexp"
)

// dnsLabel is the rule ContestRound applies to bank names and contest IDs (and the
// question_bank.name CHECK in the schema). Checking it here turns a constraint violation
// into a message that says what to type instead.
var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

const maxNameLength = 63

func checkName(what, name string) error {
	if len(name) > maxNameLength || !dnsLabel.MatchString(name) {
		return fmt.Errorf("%s %q is not valid: use 1–%d lower-case letters, digits and dashes, starting and ending with a letter or digit", what, name, maxNameLength)
	}
	return nil
}

// CheckBankKey says what is wrong with a bank name and version, or returns nil, so callers
// (the import command, the upload form) can refuse them before reading a file.
func CheckBankKey(name string, version int) error {
	if err := checkName("question bank name", name); err != nil {
		return err
	}
	// version is an integer column and an int32 in ContestRound.
	if version < 1 || version > math.MaxInt32 {
		return fmt.Errorf("question bank version %d is not valid: use a whole number from 1", version)
	}
	return nil
}

// CheckContestID says what is wrong with a contest ID, or returns nil.
func CheckContestID(id string) error { return checkName("contest ID", id) }

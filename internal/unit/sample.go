package unit

import (
	_ "embed"
	"fmt"
	"strings"
)

// sampleCSV is the sample contest's list (data/README.md says what it holds). A string,
// so that no caller can modify it.
//
//go:embed data/binh-thuan-2024.csv
var sampleCSV string

// Sample parses the shipped list of units for the Bình Thuận 2024 contest. Each call
// returns a new slice. An error means the embedded file is broken, which the tests rule out.
func Sample() ([]Unit, error) {
	us, err := Parse(strings.NewReader(sampleCSV))
	if err != nil {
		return nil, fmt.Errorf("unit: sample list: %w", err)
	}
	return us, nil
}

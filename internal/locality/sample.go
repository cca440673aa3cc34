package locality

import (
	_ "embed"
	"fmt"
	"strings"
)

// sampleCSV is the sample contest's list (data/README.md gives its source). It is a string
// so that no caller can modify it.
//
//go:embed data/binh-thuan-2024.csv
var sampleCSV string

// Sample parses the shipped list of Bình Thuận's districts and communes (2024). Each call
// returns a new slice. An error means the embedded file is broken, which the tests rule out.
func Sample() ([]Locality, error) {
	ls, err := Parse(strings.NewReader(sampleCSV))
	if err != nil {
		return nil, fmt.Errorf("locality: sample list: %w", err)
	}
	return ls, nil
}

package bank

import (
	_ "embed"
	"fmt"
	"strings"
)

// The sample bank: NGÂN HÀNG CÂU HỎI MẪU — chỉ để thử nghiệm. It lets the
// platform be demonstrated and tested end to end before the organizers load
// their real bank; its questions come only from the plan and from the facts
// in docs/facts-for-sample-questions.md, and every ID starts with "mau-".
const (
	SampleName    = "mau"
	SampleVersion = 1
)

// sampleCSV is a string, not a []byte, so that it cannot be modified.
//
//go:embed sample/ngan-hang-cau-hoi-mau.csv
var sampleCSV string

// Sample parses the embedded sample bank, on the plan's five topics. Each
// call returns a new Bank. An error means the embedded file is broken, which
// the package tests rule out.
func Sample() (*Bank, error) {
	b, err := ParseCSV(strings.NewReader(sampleCSV), ParseOptions{
		Name:    SampleName,
		Version: SampleVersion,
		Topics:  PlanTopics(),
	})
	if err != nil {
		return nil, fmt.Errorf("bank: sample bank: %w", err)
	}
	return b, nil
}

// SampleCSV returns the sample bank file, for organizers to download as a
// template of the import format.
func SampleCSV() []byte { return []byte(sampleCSV) }

package itemstats_test

import (
	"bytes"
	"testing"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
)

// The stored format is a contract with rows already written: it must not drift.
func TestResponsesFormat(t *testing.T) {
	r := exam.Result{PerItem: []exam.ItemResult{{Question: 3, Option: 1}, {Question: 300, Option: -1}, {Question: 0, Option: 5}}}
	if got, want := itemstats.Responses(r), []byte{1, 3, 2, 0xac, 0x02, 0, 0, 6}; !bytes.Equal(got, want) {
		t.Fatalf("responses % x, want % x", got, want)
	}
}

// Stored responses that are not what Responses writes are refused whole: nothing of them
// is counted.
func TestResponsesRefused(t *testing.T) {
	b := testBank([]int{0, 1}, 4, 2)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"nothing", nil},
		{"empty", []byte{}},
		{"another format", []byte{2, 0, 1}},
		{"a position cut short", []byte{1, 0x80}},
		{"no option byte", []byte{1, 0, 1, 1}},
		{"a position beyond the bank", []byte{1, 0, 1, 9, 1}},
		{"an option the question lacks", []byte{1, 0, 1, 1, 3}},
		{"an option far beyond", []byte{1, 0, 200}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := itemstats.NewTally(b)
			counted, err := tl.AddResponses(tc.data, 1)
			if err == nil || counted {
				t.Fatalf("accepted: counted %v, %v", counted, err)
			}
			a, err := tl.Analyze()
			if err != nil || a.Attempts != 0 || len(a.Items) != 0 {
				t.Errorf("something was counted: %+v %v", a, err)
			}
		})
	}
	tl := itemstats.NewTally(b)
	if counted, err := tl.AddResponses([]byte{1, 0, 0, 1, 0}, 0); err != nil || counted {
		t.Errorf("an attempt without any answer: counted %v, %v", counted, err)
	}
	if counted, err := tl.AddResponses([]byte{1}, 0); err != nil || counted {
		t.Errorf("an attempt without items: counted %v, %v", counted, err)
	}
	if counted, err := tl.AddResponses([]byte{1, 0, 1, 1, 0}, 1); err != nil || !counted {
		t.Errorf("an attempt with one answer: counted %v, %v", counted, err)
	}
	a, _ := tl.Analyze()
	if a.Attempts != 1 || len(a.Items) != 2 || a.Items[0].Correct != 1 || a.Items[1].Blank != 1 {
		t.Errorf("%+v", a)
	}
}

package report

import (
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                     "0:00:00",
		9*time.Minute + 1500*time.Millisecond: "0:09:01",
		time.Hour + 2*time.Minute + 3*time.Second: "1:02:03",
		3 * time.Hour: "3:00:00",
	} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSeconds(t *testing.T) {
	d := 11*time.Minute + 500*time.Microsecond
	if got := seconds(d, 3).String(); got != "660.001" { // rounded for reading
		t.Errorf("3 decimals: %q", got)
	}
	if got := seconds(d, 6).String(); got != "660.000500" { // exact, as compared
		t.Errorf("6 decimals: %q", got)
	}
}

func TestReasonLabel(t *testing.T) {
	for in, want := range map[string]string{
		"":                                    "",
		"flagged by organizers":               "Ban Tổ chức đánh dấu không xét giải",
		`organization "Sở TT&TT" is excluded`: "Đơn vị “Sở TT&TT” không thuộc đối tượng xét giải",
		`flagged by organizers; organization "Sở TT&TT" is excluded`: "Ban Tổ chức đánh dấu không xét giải; Đơn vị “Sở TT&TT” không thuộc đối tượng xét giải",
		`unit "STTTT" is excluded`:                                   "Đơn vị mã STTTT không thuộc đối tượng xét giải",
		`unit "STTTT-VP" is under excluded unit "STTTT"`:             "Đơn vị mã STTTT-VP trực thuộc đơn vị mã STTTT, không thuộc đối tượng xét giải",
		`flagged by organizers; unit "STTTT" is excluded`:            "Ban Tổ chức đánh dấu không xét giải; Đơn vị mã STTTT không thuộc đối tượng xét giải",
		"something new": "something new",
	} {
		if got := reasonLabel(in); got != want {
			t.Errorf("reasonLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

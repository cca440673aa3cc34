package report

import (
	"testing"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// The day columns are the window's calendar days in Vietnam so far, at most
// MaxDailyColumns of them.
func TestDailyDays(t *testing.T) {
	vn := contestv1alpha1.TimeZone()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, vn)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	format := func(days []time.Time) []string {
		var out []string
		for _, d := range days {
			out = append(out, d.Format(time.DateOnly))
		}
		return out
	}
	tests := []struct {
		name          string
		from, to, now string
		first, last   string
		n             int
	}{
		{"open, so far", "2024-08-17 07:00", "2024-08-31 23:59", "2024-08-19 00:10", "2024-08-17", "2024-08-19", 3},
		{"closed", "2024-08-17 07:00", "2024-08-31 23:59", "2024-09-20 10:00", "2024-08-17", "2024-08-31", 15},
		// 23:30 in Vietnam is 16:30 UTC: the day is Vietnam's.
		{"opens late in the evening", "2024-08-17 23:30", "2024-08-18 01:00", "2024-09-01 00:00", "2024-08-17", "2024-08-18", 2},
		{"not open yet", "2024-08-17 07:00", "2024-08-31 23:59", "2024-08-16 10:00", "", "", 0},
		{"longer than the columns", "2024-09-01 07:00", "2024-12-31 23:00", "2025-01-10 00:00", "2024-10-31", "2024-12-31", MaxDailyColumns},
	}
	for _, tt := range tests {
		days := format(dailyDays(DailyOptions{From: at(tt.from), To: at(tt.to), Now: at(tt.now), Location: vn}))
		if len(days) != tt.n || (tt.n > 0 && (days[0] != tt.first || days[len(days)-1] != tt.last)) {
			t.Errorf("%s: %d days %v, want %d from %s to %s", tt.name, len(days), days, tt.n, tt.first, tt.last)
		}
	}
}

package schedule

import (
	"testing"
	"time"
)

func TestAt(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	opens := time.Date(2024, 8, 17, 0, 0, 0, 0, ict)
	closes := time.Date(2024, 9, 1, 0, 0, 0, 0, ict)
	w := Window{OpensAt: opens, ClosesAt: closes, TimeLimit: 30 * time.Minute, Prewarm: time.Hour}
	suspended := w
	suspended.Suspended = true
	noPrewarm := w
	noPrewarm.Prewarm = 0

	tests := []struct {
		name          string
		w             Window
		now           time.Time
		phase         Phase
		capacity      bool
		drained       bool
		wantSuspended bool
		next          time.Time
	}{
		{"long before", w, opens.Add(-48 * time.Hour), Scheduled, false, false, false, opens.Add(-time.Hour)},
		{"a nanosecond before prewarm", w, opens.Add(-time.Hour - 1), Scheduled, false, false, false, opens.Add(-time.Hour)},
		{"at prewarm", w, opens.Add(-time.Hour), Scheduled, true, false, false, opens},
		{"a nanosecond before opening", w, opens.Add(-1), Scheduled, true, false, false, opens},
		{"at opening", w, opens, Open, true, false, false, closes},
		{"during", w, opens.Add(5 * 24 * time.Hour), Open, true, false, false, closes},
		{"a nanosecond before closing", w, closes.Add(-1), Open, true, false, false, closes},
		{"at closing", w, closes, Closed, true, false, false, closes.Add(30 * time.Minute)},
		{"draining", w, closes.Add(29 * time.Minute), Closed, true, false, false, closes.Add(30 * time.Minute)},
		{"at drained", w, closes.Add(30 * time.Minute), Closed, false, true, false, time.Time{}},
		{"long after", w, closes.Add(90 * 24 * time.Hour), Closed, false, true, false, time.Time{}},
		{"suspended before opening stays scheduled", suspended, opens.Add(-time.Minute), Scheduled, true, false, false, opens},
		{"suspended while open is closed", suspended, opens.Add(time.Minute), Closed, true, false, true, closes},
		{"suspended after closing", suspended, closes.Add(time.Minute), Closed, true, false, false, closes.Add(30 * time.Minute)},
		{"no prewarm: prewarm and opening coincide", noPrewarm, opens.Add(-time.Second), Scheduled, false, false, false, opens},
		{"no prewarm: at opening", noPrewarm, opens, Open, true, false, false, closes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := At(tt.w, tt.now)
			if s.Phase != tt.phase || s.WantsOpenCapacity != tt.capacity || s.Drained != tt.drained || s.Suspended != tt.wantSuspended {
				t.Errorf("At = %+v, want phase %s capacity %v drained %v suspended %v", s, tt.phase, tt.capacity, tt.drained, tt.wantSuspended)
			}
			if !s.Next.Equal(tt.next) {
				t.Errorf("Next = %v, want %v", s.Next, tt.next)
			}
			if !s.Next.IsZero() && !s.Next.After(tt.now) {
				t.Errorf("Next %v is not after now %v", s.Next, tt.now)
			}
		})
	}
}

package schedule

import (
	"testing"
	"time"
)

func TestAt(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	opens := time.Date(2024, 8, 17, 0, 0, 0, 0, ict)
	closes := time.Date(2024, 9, 1, 0, 0, 0, 0, ict)
	w := Window{OpensAt: opens, ClosesAt: closes, Prewarm: time.Hour}
	drained := closes.Add(SettleDelay)
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
		{"at closing", w, closes, Closed, true, false, false, drained},
		{"settling", w, closes.Add(SettleDelay / 2), Closed, true, false, false, drained},
		{"a nanosecond before drained", w, drained.Add(-1), Closed, true, false, false, drained},
		{"at drained", w, drained, Closed, false, true, false, time.Time{}},
		{"an attempt's time limit after closing is long drained", w, closes.Add(30 * time.Minute), Closed, false, true, false, time.Time{}},
		{"long after", w, closes.Add(90 * 24 * time.Hour), Closed, false, true, false, time.Time{}},
		{"suspended before opening stays scheduled", suspended, opens.Add(-time.Minute), Scheduled, true, false, false, opens},
		{"suspended while open is closed", suspended, opens.Add(time.Minute), Closed, true, false, true, closes},
		{"suspended while settling", suspended, closes.Add(time.Second), Closed, true, false, false, drained},
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

// The round drains a fixed settle delay after closing, whatever its attempts' time limit:
// the web app cuts every attempt's deadline at closesAt, so nothing is answered after it.
func TestDrainedAtIsCloseAndSettle(t *testing.T) {
	closes := time.Date(2024, 9, 1, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	w := Window{OpensAt: closes.Add(-15 * 24 * time.Hour), ClosesAt: closes}
	if got, want := w.DrainedAt(), closes.Add(SettleDelay); !got.Equal(want) {
		t.Fatalf("DrainedAt = %v, want %v", got, want)
	}
	if SettleDelay <= 0 || SettleDelay > time.Minute {
		t.Fatalf("SettleDelay %v: it must be positive (a transaction begun before the deadline commits after it) and short (ranking waits for it)", SettleDelay)
	}
}

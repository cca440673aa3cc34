package v1alpha1

import (
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/schedule"
)

// PhaseOf is the only place status.phase is decided: every combination of where the round
// is in time and how its ranking went has exactly one answer.
func TestPhaseOf(t *testing.T) {
	scheduled := schedule.State{Phase: schedule.Scheduled}
	open := schedule.State{Phase: schedule.Open}
	suspended := schedule.State{Phase: schedule.Closed, Suspended: true}
	closed := schedule.State{Phase: schedule.Closed}
	drained := schedule.State{Phase: schedule.Closed, Drained: true}
	tests := []struct {
		name    string
		st      schedule.State
		ranking RankingState
		want    RoundPhase
	}{
		{"before opening", scheduled, RankingNone, PhaseScheduled},
		{"open", open, RankingNone, PhaseOpen},
		{"suspended is closed", suspended, RankingNone, PhaseClosed},
		{"closed, settling", closed, RankingNone, PhaseClosed},
		{"drained without a ranking Job", drained, RankingNone, PhaseClosed},
		{"drained, Job running", drained, RankingRunning, PhaseRanking},
		{"drained, Job succeeded", drained, RankingSucceeded, PhaseRanked},
		{"drained, Job failed", drained, RankingFailed, PhaseFailed},
		// closesAt extended after the ranking: time decides again.
		{"reopened after a ranking", open, RankingSucceeded, PhaseOpen},
		{"closed again, not yet drained", closed, RankingFailed, PhaseClosed},
		{"suspended, ranking ignored", suspended, RankingRunning, PhaseClosed},
		{"scheduled, ranking ignored", scheduled, RankingSucceeded, PhaseScheduled},
	}
	for _, tt := range tests {
		if got := PhaseOf(tt.st, tt.ranking); got != tt.want {
			t.Errorf("%s: PhaseOf(%+v, %q) = %s, want %s", tt.name, tt.st, tt.ranking, got, tt.want)
		}
	}
}

// Along a real round's life, schedule.At and PhaseOf agree with the boundaries.
func TestPhaseOfAlongTheSchedule(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	opens := time.Date(2024, 8, 17, 0, 0, 0, 0, ict)
	closes := time.Date(2024, 9, 1, 0, 0, 0, 0, ict)
	w := schedule.Window{OpensAt: opens, ClosesAt: closes, Prewarm: time.Hour}
	for _, tt := range []struct {
		now  time.Time
		want RoundPhase
	}{
		{opens.Add(-1), PhaseScheduled},
		{opens, PhaseOpen},
		{closes.Add(-1), PhaseOpen},
		{closes, PhaseClosed},
		{closes.Add(schedule.SettleDelay - 1), PhaseClosed},
		{closes.Add(schedule.SettleDelay), PhaseRanking},
	} {
		if got := PhaseOf(schedule.At(w, tt.now), RankingRunning); got != tt.want {
			t.Errorf("at %s with a running Job: %s, want %s", tt.now, got, tt.want)
		}
	}
}

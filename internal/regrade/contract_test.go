package regrade_test

import (
	"testing"

	"github.com/dxcontest/contest-platform/internal/rankjob"
	"github.com/dxcontest/contest-platform/internal/regrade"
)

// The preview ranks a missing prediction as the ranking job does.
func TestNoPredictionAsTheRankingJob(t *testing.T) {
	if regrade.NoPrediction != rankjob.NoPrediction {
		t.Errorf("NoPrediction %d, the ranking job's %d", regrade.NoPrediction, rankjob.NoPrediction)
	}
}

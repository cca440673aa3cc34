package chart

import (
	"strings"
	"testing"
)

// The chart's defaults keep the web app's own anti-robot difficulty (16 bits): they never
// pass --challenge-bits. An installation may raise it (web.extraArgs); a lower one is for a
// load test's throwaway server at most, and `make bench` does not need one: the load tool
// solves the real difficulty (docs/BENCHMARKS.md).
func TestChartDefaultsKeepTheChallengeDifficulty(t *testing.T) {
	manifest, err := helmTemplate(t)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(manifest, "challenge-bits") {
		t.Error("the chart's defaults set --challenge-bits; the web app's default, 16, is the production difficulty")
	}
}

package loadtest

import (
	"strings"
	"testing"
	"time"
)

func msDuration(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestReplaceSection(t *testing.T) {
	section := BeginMarker + "\nnew\n" + EndMarker + "\n"
	got, err := ReplaceSection("# Doc\n\ntext\n", section)
	if err != nil || got != "# Doc\n\ntext\n\n"+section {
		t.Fatalf("appended: %q %v", got, err)
	}
	got, err = ReplaceSection("# Doc\n\n"+BeginMarker+"\nold\n"+EndMarker+"\n\n## After\n", section)
	if err != nil || got != "# Doc\n\n"+section+"\n## After\n" {
		t.Fatalf("replaced: %q %v", got, err)
	}
	if _, err := ReplaceSection(EndMarker+"\n"+BeginMarker, section); err == nil {
		t.Fatal("damaged markers accepted")
	}
}

// Each figure is the median of the runs, with the lowest and highest; ratios pair run i of
// the load tool with run i of pgbench.
func TestSummaryMedians(t *testing.T) {
	load := func(rate, app, pg float64) *Report {
		return &Report{Phases: []PhaseReport{{Name: "flow", PerSecond: rate, CPU: []CPUUse{{Name: "tool", PerOp: 100}, {Name: "app", PerOp: app}, {Name: "postgres", PerOp: pg}},
			Steps: []StepSummary{{Name: "submit", Count: 1, P99: rate / 10}}}}}
	}
	pgb := func(rate, cpu float64) *PgbenchReport {
		return &PgbenchReport{PerSecond: rate, PostgresCPU: CPUUse{Name: "postgres", PerOp: cpu}, Settings: map[string]string{}}
	}
	s := Summary{Title: "T", When: time.Unix(0, 0),
		Load:    []*Report{load(300, 3000, 1000), load(100, 3000, 1000), load(200, 1000, 1000)},
		Pgbench: []*PgbenchReport{pgb(600, 1000), pgb(400, 1000), pgb(400, 1000)}}
	md := s.Markdown()
	for _, want := range []string{
		"| app over HTTP (): flows | **200.0/s** | 100.0/s–300.0/s |",
		"| flow step `submit` p99 | **20.0 ms** | 10.0 ms–30.0 ms |",
		// 1000 / (3000 + 1000) twice, 1000 / (1000 + 1000) once.
		"| server efficiency: PostgreSQL CPU per flow under pgbench ÷ (app + PostgreSQL) CPU per flow under the load tool | **0.25** | 0.25–0.50 |",
		// 300/600, 100/400, 200/400.
		"| throughput: app flows/s ÷ pgbench flows/s | **0.50** | 0.25–0.50 |",
		"| registrations | – | |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in\n%s", want, md)
		}
	}
	if !strings.HasPrefix(md, BeginMarker) || !strings.HasSuffix(md, EndMarker+"\n") {
		t.Error("the section is not between its markers")
	}
}

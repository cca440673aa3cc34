package loadtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/loadtest"
)

func errorsOf(rep *loadtest.Report) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, ph := range rep.Phases {
		for _, st := range ph.Steps {
			if len(st.Errors) > 0 {
				out[ph.Name+"."+st.Name] = st.Errors
			}
		}
	}
	return out
}

// A small run of every phase, closed model, against the real app: nothing fails, every
// step is measured, and the SQL check finds every acknowledged submit stored once.
func TestClosedRunAgainstTheApp(t *testing.T) {
	s := newSite(t, 8, "r1", "r2", "start")
	ctx := context.Background()
	since, err := loadtest.DatabaseNow(ctx, s.pool)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := loadtest.Run(ctx, loadtest.Config{
		Client: loadtest.ClientOptions{BaseURL: s.url, ForwardedFor: true},
		Rounds: []string{"r1", "r2"}, BurstRound: "start", People: 8, RegisterFrom: 500, Register: 2,
		Concurrency: 4, Model: "closed", Flows: 12, Duration: time.Minute, Burst: 6, BurstWindow: 200 * time.Millisecond,
		PersonGap: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if e := errorsOf(rep); len(e) > 0 {
		t.Fatalf("failures: %v", e)
	}
	want := map[string]int{"register": 2, "signin": 8, "flow": 12, "burst": 6}
	for name, n := range want {
		ph, ok := rep.Phase(name)
		if !ok || ph.Done != n {
			t.Fatalf("phase %s: %+v", name, ph)
		}
		for _, st := range ph.Steps {
			if st.Count == 0 {
				t.Errorf("%s.%s measured nothing", name, st.Name)
			}
		}
	}
	if flow, _ := rep.Phase("flow"); flow.CPU[0].Name != "tool" || flow.CPU[0].Seconds <= 0 {
		t.Errorf("the tool's own CPU is not measured: %+v", flow.CPU)
	}
	if save, _ := mustPhase(t, rep, "flow").Step("save"); save.Count != 3*12 {
		t.Errorf("%d autosaves for 12 flows", save.Count)
	}
	if len(rep.Acknowledged) != 12 {
		t.Fatalf("%d acknowledged submits", len(rep.Acknowledged))
	}
	check, err := loadtest.Check(ctx, s.pool, since, namespace, []string{"r1", "r2", "start"}, 3, rep.Acknowledged, rep.Unknown)
	if err != nil {
		t.Fatal(err)
	}
	if !check.OK || check.Acknowledged != 12 {
		t.Fatalf("check: %+v", check)
	}
	// The burst's people hold one attempt each in their round, in progress.
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM attempt WHERE round = $1 AND status = 'in_progress'`, namespace+"/start").Scan(&n); err != nil || n != 6 {
		t.Fatalf("burst round: %d attempts in progress (%v)", n, err)
	}
}

// The open model: people arrive on their own schedule and every flow completes.
func TestOpenRunAgainstTheApp(t *testing.T) {
	s := newSite(t, 6, "r1")
	rep, err := loadtest.Run(context.Background(), loadtest.Config{
		Client: loadtest.ClientOptions{BaseURL: s.url},
		Rounds: []string{"r1"}, People: 6, Concurrency: 3, Model: "open", Rate: 20, Flows: 6, Duration: time.Minute,
		PersonGap: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if e := errorsOf(rep); len(e) > 0 {
		t.Fatalf("failures: %v", e)
	}
	if ph := mustPhase(t, rep, "flow"); ph.Done != 6 {
		t.Fatalf("open model: %+v", ph)
	}
}

func mustPhase(t *testing.T, rep *loadtest.Report, name string) *loadtest.PhaseReport {
	t.Helper()
	ph, ok := rep.Phase(name)
	if !ok {
		t.Fatalf("no phase %s", name)
	}
	return ph
}

// A configuration the tool cannot play is refused before any request, with every problem.
func TestRunRefusesBadConfig(t *testing.T) {
	_, err := loadtest.Run(context.Background(), loadtest.Config{
		Client: loadtest.ClientOptions{BaseURL: "http://127.0.0.1:1"}, Model: "open", People: 3, Burst: 5, BurstRound: "b",
	})
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"--rate", "--round", "the burst needs 5 signed-in people"} {
		if !contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}

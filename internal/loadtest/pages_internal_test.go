package loadtest

import (
	"slices"
	"testing"
)

func TestPageScans(t *testing.T) {
	form := []byte(`<form><input type="hidden" name="challenge" value="abc|1&#43;2.mac" data-bits="16"><select id="locality" name="locality">` +
		`<option value="">choose</option><optgroup label="X"><option value="22963">A</option><option value="22966" selected>B</option></optgroup></select>`)
	if tok, bits, ok := challengeOf(form); !ok || tok != "abc|1+2.mac" || bits != 16 {
		t.Errorf("challenge: %q %d %v", tok, bits, ok)
	}
	if _, _, ok := challengeOf([]byte(`<input name="challenge" value="x">`)); ok {
		t.Error("a challenge without its difficulty is read")
	}
	if got := communesOf(form); !slices.Equal(got, []string{"22963", "22966"}) {
		t.Errorf("communes: %v", got)
	}
	exam := []byte(`<input type="radio" name="q0" value="A"><input type="radio" name="q0" value="B">` +
		`<input type="radio" name="q1" value="A"><input type="radio" name="q1" value="B"><input type="radio" name="q1" value="C">`)
	if got := questionsOf(exam); !slices.Equal(got, []int{2, 3}) {
		t.Errorf("questions: %v", got)
	}
	if got := questionsOf([]byte(`<input type="radio" name="qx" value="A">`)); got != nil {
		t.Errorf("a field that is not a question is counted: %v", got)
	}
	for loc, want := range map[string]int64{"/attempts/42": 42, "/attempts/": 0, "/attempts/4x": 0, "/rounds/1": 0} {
		if id, _ := attemptPath(loc); id != want {
			t.Errorf("attemptPath(%q) = %d", loc, id)
		}
	}
}

func TestBounds(t *testing.T) {
	var b Bounds
	for _, bad := range []string{"flow.submit", "nothing=1s", "flow.submit=soon", "flow.submit=-1s"} {
		if err := b.ParseP99(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := b.ParseP99("flow.submit=100ms"); err != nil {
		t.Fatal(err)
	}
	if err := b.ParseP99("signin.post=1s"); err != nil {
		t.Fatal(err)
	}
	b.MaxErrors = 1
	rep := &Report{Phases: []PhaseReport{{Name: "flow", Steps: []StepSummary{
		{Name: "submit", Count: 10, P99: 150, Errors: map[string]int{"status 503": 2}},
	}}}}
	got := b.Breaches(rep)
	want := []string{
		"p99 of flow.submit is 150.0 ms, over its bound of 100ms",
		"p99 of signin.post: bounded to 1s but nothing was measured",
		"2 failed requests, over the bound of 1: flow.submit status 503 ×2",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("breaches:\n%q\nwant\n%q", got, want)
	}
	b.MaxErrors = -1
	rep.Phases[0].Steps[0].P99 = 99
	rep.Phases = append(rep.Phases, PhaseReport{Name: "signin", Steps: []StepSummary{{Name: "post", Count: 1, P99: 10}}})
	if got := b.Breaches(rep); len(got) != 0 {
		t.Fatalf("within bounds: %v", got)
	}
}

func TestStepPercentiles(t *testing.T) {
	s := newStep("x")
	for i := 1; i <= 1000; i++ {
		s.Record(msDuration(i))
	}
	s.Fail("timeout")
	sum := s.summary()
	near := func(got, want float64) bool { return got >= want*0.999 && got <= want*1.001 }
	if sum.Count != 1000 || !near(sum.P50, 500) || !near(sum.P99, 990) || !near(sum.Max, 1000) || sum.Errors["timeout"] != 1 || sum.HDR == "" {
		t.Fatalf("%+v", sum)
	}
}

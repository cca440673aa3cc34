package loadtest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Bounds are what a run must stay within for the command to succeed.
type Bounds struct {
	// P99 bounds the 99th percentile of steps named "phase.step" (flow.submit,
	// signin.post, burst.delivered, …).
	P99 map[string]time.Duration
	// MaxErrors bounds the failed steps of all phases together (negative: no bound).
	MaxErrors int
}

// StepNames lists every "phase.step" a bound may name.
func StepNames() []string {
	var out []string
	for _, ph := range []struct {
		name  string
		steps []string
	}{{"register", formSteps}, {"signin", formSteps}, {"flow", flowSteps}, {"burst", burstSteps}} {
		for _, s := range ph.steps {
			out = append(out, ph.name+"."+s)
		}
	}
	return out
}

// ParseP99 reads STEP=DURATION (flow.submit=500ms) into b.
func (b *Bounds) ParseP99(s string) error {
	name, dur, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("%q: want STEP=DURATION, e.g. flow.submit=500ms", s)
	}
	if !slices.Contains(StepNames(), name) {
		return fmt.Errorf("%q: no step %q; the steps are %s", s, name, strings.Join(StepNames(), ", "))
	}
	d, err := time.ParseDuration(dur)
	if err != nil || d <= 0 {
		return fmt.Errorf("%q: %q is not a positive duration (500ms, 2s)", s, dur)
	}
	if b.P99 == nil {
		b.P99 = map[string]time.Duration{}
	}
	b.P99[name] = d
	return nil
}

// Breaches lists, in words, every bound the report breaks. A step with a bound and no
// measurement breaks it: a bound on a phase that did not run is a mistake to hear about.
func (b Bounds) Breaches(rep *Report) []string {
	var out []string
	names := make([]string, 0, len(b.P99))
	for n := range b.P99 {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		limit := b.P99[name]
		phaseName, stepName, _ := strings.Cut(name, ".")
		ph, ok := rep.Phase(phaseName)
		var st StepSummary
		if ok {
			st, ok = ph.Step(stepName)
		}
		switch {
		case !ok || st.Count == 0:
			out = append(out, fmt.Sprintf("p99 of %s: bounded to %s but nothing was measured", name, limit))
		case time.Duration(st.P99*float64(time.Millisecond)) > limit:
			out = append(out, fmt.Sprintf("p99 of %s is %s, over its bound of %s", name, ms(st.P99), limit))
		}
	}
	if b.MaxErrors >= 0 {
		total := 0
		var kinds []string
		for _, ph := range rep.Phases {
			for _, st := range ph.Steps {
				total += st.ErrorCount()
				for k, n := range st.Errors {
					kinds = append(kinds, fmt.Sprintf("%s.%s %s ×%d", ph.Name, st.Name, k, n))
				}
			}
		}
		if total > b.MaxErrors {
			slices.Sort(kinds)
			out = append(out, fmt.Sprintf("%d failed requests, over the bound of %d: %s", total, b.MaxErrors, strings.Join(kinds, ", ")))
		}
	}
	return out
}

// ms writes milliseconds readably: 0.84 ms, 12.3 ms, 1,234 ms.
func ms(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 1000:
		return fmt.Sprintf("%.1f ms", v)
	default:
		return fmt.Sprintf("%s ms", thousands(int64(v+0.5)))
	}
}

// thousands writes n with commas between groups of three digits, as the project's docs do.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

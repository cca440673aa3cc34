package loadtest

import (
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Step is one kind of request of a phase (a page, a post) or a whole flow: an HDR
// histogram of the successful ones' durations, in microseconds from 1 µs to 10 minutes at
// 3 significant digits (0.1 % error at any size), and its failures by kind.
type Step struct {
	name    string
	mu      sync.Mutex
	hist    *hdrhistogram.Histogram
	errors  map[string]int
	retries int
}

const maxRecordable = int64(10 * time.Minute / time.Microsecond)

func newStep(name string) *Step {
	return &Step{name: name, hist: hdrhistogram.New(1, maxRecordable, 3), errors: map[string]int{}}
}

// Record adds a success that took d.
func (s *Step) Record(d time.Duration) {
	us := max(int64(d/time.Microsecond), 1)
	s.mu.Lock()
	_ = s.hist.RecordValue(min(us, maxRecordable))
	s.mu.Unlock()
}

// Fail counts a failure of a kind.
func (s *Step) Fail(kind string) {
	s.mu.Lock()
	s.errors[kind]++
	s.mu.Unlock()
}

// Retry counts a request sent again, as the page's script does after 503, 429 or a
// harder challenge; the step's duration includes the wait.
func (s *Step) Retry() {
	s.mu.Lock()
	s.retries++
	s.mu.Unlock()
}

// StepSummary is a step as reported: durations in milliseconds.
type StepSummary struct {
	Name    string         `json:"name"`
	Count   int64          `json:"count"`
	P50     float64        `json:"p50_ms"`
	P95     float64        `json:"p95_ms"`
	P99     float64        `json:"p99_ms"`
	Max     float64        `json:"max_ms"`
	Errors  map[string]int `json:"errors,omitempty"`
	Retries int            `json:"retries,omitempty"`
	// HDR is the histogram itself (HdrHistogram's V2 compressed base64 form), for merging
	// runs or plotting.
	HDR string `json:"hdr,omitempty"`
}

// ErrorCount is the step's failures of every kind.
func (s StepSummary) ErrorCount() int {
	n := 0
	for _, v := range s.Errors {
		n += v
	}
	return n
}

func (s *Step) summary() StepSummary {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms := func(us int64) float64 { return float64(us) / 1000 }
	out := StepSummary{Name: s.name, Count: s.hist.TotalCount(), Retries: s.retries}
	if out.Count > 0 {
		out.P50, out.P95, out.P99 = ms(s.hist.ValueAtQuantile(50)), ms(s.hist.ValueAtQuantile(95)), ms(s.hist.ValueAtQuantile(99))
		out.Max = ms(s.hist.Max())
		if enc, err := s.hist.EncodeV2(); err == nil {
			out.HDR = string(enc)
		}
	}
	if len(s.errors) > 0 {
		out.Errors = maps.Clone(s.errors)
	}
	return out
}

// Stats are a phase's steps, made before the phase starts (so looking one up takes no lock).
type Stats struct {
	steps map[string]*Step
	order []string
}

func newStats(names ...string) *Stats {
	st := &Stats{steps: map[string]*Step{}, order: slices.Clone(names)}
	for _, n := range names {
		st.steps[n] = newStep(n)
	}
	return st
}

// Step returns the named step; asking for a step the phase did not declare is a bug.
func (st *Stats) Step(name string) *Step {
	s, ok := st.steps[name]
	if !ok {
		panic("loadtest: undeclared step " + name)
	}
	return s
}

func (st *Stats) summaries() []StepSummary {
	out := make([]StepSummary, 0, len(st.order))
	for _, n := range st.order {
		out = append(out, st.steps[n].summary())
	}
	return out
}

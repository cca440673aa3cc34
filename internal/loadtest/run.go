package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config is one run of the load tool: which phases, with how many people, in which model.
type Config struct {
	Client ClientOptions
	// Rounds are the rounds the exam flow takes attempts in (names, as in their URLs);
	// BurstRound is the round of the synchronized start, where the burst's people have no
	// attempt yet.
	Rounds     []string
	BurstRound string
	// MaxAttempts is each round's attempt cap: a person takes at most that many attempts
	// per round.
	MaxAttempts int
	Password    string
	// People are prepared people (Prepare) PeopleFrom, PeopleFrom+1, …: all are signed in
	// (the sign-in phase), then take attempts.
	PeopleFrom, People int
	// Register people RegisterFrom, … register through the registration page first (the
	// registration phase); they then take attempts too.
	RegisterFrom, Register int
	// Concurrency is how many people act at once in the registration and sign-in phases and
	// in the closed model.
	Concurrency int
	// Model of the exam flow phase: "closed" (Concurrency phones, each starting a flow when
	// its last one ends), "open" (people arriving at Rate a second, a Poisson process,
	// whatever the app's speed) or "none".
	Model string
	Rate  float64
	// The flow phase lasts Duration, or until Flows flows were started when Flows > 0.
	Duration time.Duration
	Flows    int
	// MaxInFlight bounds the open model's flows at once; arrivals beyond are dropped and
	// counted as failures of kind "dropped".
	MaxInFlight int
	// Burst people (the first signed-in ones) press start within BurstWindow.
	Burst       int
	BurstWindow time.Duration
	Flow        FlowOptions
	// PersonGap is the least time between two flows of one person, so that the app's
	// per-person limit (3 requests a second, burst 30) never answers 429 (default 2 s).
	PersonGap time.Duration
	// Watches are the processes whose CPU is reported per phase.
	Watches []Watch
	// Log receives a line as each phase starts and ends (nil: none).
	Log io.Writer
}

// PhaseReport is what one phase measured.
type PhaseReport struct {
	Name  string `json:"name"`
	Model string `json:"model"`
	// Seconds is the phase's wall time, Done the operations it completed (registrations,
	// sign-ins, flows, exam pages delivered), Failed those that failed, PerSecond Done per
	// second.
	Seconds   float64  `json:"seconds"`
	Done      int      `json:"done"`
	Failed    int      `json:"failed"`
	PerSecond float64  `json:"per_second"`
	CPU       []CPUUse `json:"cpu"`
	// LoadPeak and LoadEnd are the 1-minute load average's highest value during the phase
	// and its value at the end.
	LoadPeak float64            `json:"loadavg1_peak"`
	LoadEnd  float64            `json:"loadavg1_end"`
	Steps    []StepSummary      `json:"steps"`
	Extra    map[string]float64 `json:"extra,omitempty"`
	// Waits counts flows that waited for their person's gap (more people avoid it).
	Waits int `json:"person_waits,omitempty"`
}

// Step returns the phase's step of that name.
func (p *PhaseReport) Step(name string) (StepSummary, bool) {
	for _, s := range p.Steps {
		if s.Name == name {
			return s, true
		}
	}
	return StepSummary{}, false
}

// Errors is the number of failed steps of the phase.
func (p *PhaseReport) Errors() int {
	n := 0
	for _, s := range p.Steps {
		n += s.ErrorCount()
	}
	return n
}

// Machine is where the tool ran.
type Machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	CPUModel   string `json:"cpu_model,omitempty"`
}

// Report is a run's result. Submits (what the SQL check needs) stay out of the JSON.
type Report struct {
	Started  time.Time     `json:"started"`
	Site     string        `json:"site"`
	Machine  Machine       `json:"machine"`
	Settings Settings      `json:"settings"`
	Phases   []PhaseReport `json:"phases"`
	Check    *CheckReport  `json:"check,omitempty"`
	Breaches []string      `json:"breaches,omitempty"`

	Acknowledged []Submit `json:"-"`
	Unknown      []Submit `json:"-"`
}

// Settings are the run's shape, recorded with its figures.
type Settings struct {
	Rounds      []string `json:"rounds"`
	BurstRound  string   `json:"burst_round,omitempty"`
	People      int      `json:"people"`
	Register    int      `json:"register"`
	Concurrency int      `json:"concurrency"`
	Model       string   `json:"model"`
	Rate        float64  `json:"rate,omitempty"`
	Duration    float64  `json:"duration_s"`
	Burst       int      `json:"burst"`
	BurstWindow float64  `json:"burst_window_s"`
	Think       float64  `json:"think_s"`
	Saves       int      `json:"saves"`
	Forwarded   bool     `json:"forwarded_for"`
}

// Phase returns the report's phase of that name.
func (r *Report) Phase(name string) (*PhaseReport, bool) {
	for i := range r.Phases {
		if r.Phases[i].Name == name {
			return &r.Phases[i], true
		}
	}
	return nil, false
}

func (c *Config) check() error {
	var problems []string
	if c.Concurrency <= 0 {
		c.Concurrency = 16
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 3
	}
	if c.PersonGap == 0 {
		c.PersonGap = 2 * time.Second
	}
	if c.Flow.Saves == 0 {
		c.Flow.Saves = 3
	}
	if c.Password == "" {
		c.Password = DefaultPassword
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = 10000
	}
	if err := checkRange("--people", c.PeopleFrom, c.People); err != nil {
		problems = append(problems, err.Error())
	}
	if err := checkRange("--register", c.RegisterFrom, c.Register); err != nil {
		problems = append(problems, err.Error())
	}
	if c.People > 0 && c.Register > 0 && c.RegisterFrom < c.PeopleFrom+c.People && c.PeopleFrom < c.RegisterFrom+c.Register {
		problems = append(problems, "the people to register overlap the prepared people: move --register-from")
	}
	switch c.Model {
	case "closed", "none":
	case "open":
		if c.Rate <= 0 {
			problems = append(problems, "the open model needs --rate (arrivals a second)")
		}
	default:
		problems = append(problems, fmt.Sprintf("--model %q: want closed, open or none", c.Model))
	}
	if c.Model != "none" {
		if len(c.Rounds) == 0 {
			problems = append(problems, "the exam flow needs a round: --round NAME")
		}
		if c.Duration <= 0 && c.Flows <= 0 {
			problems = append(problems, "the exam flow needs --duration or --flows")
		}
	}
	if c.Burst > 0 {
		if c.BurstRound == "" {
			problems = append(problems, "the burst needs its own round: --burst-round NAME")
		}
		if slices.Contains(c.Rounds, c.BurstRound) {
			problems = append(problems, "the burst's round must not be a flow round (its people must have no attempt in it)")
		}
		if c.Burst > c.People+c.Register {
			problems = append(problems, fmt.Sprintf("the burst needs %d signed-in people; --people and --register give %d", c.Burst, c.People+c.Register))
		}
	}
	if c.People+c.Register == 0 {
		problems = append(problems, "no people: give --people (prepared) or --register")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// Run plays the phases Config asks for, in order: registration, sign-in, the exam flow,
// the synchronized start. It returns an error only when the run could not be made (a bad
// configuration, an unreachable site); failures of requests are in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	client, err := NewClient(cfg.Client)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	r := &runner{cfg: cfg, client: client, log: cfg.Log}
	if r.log == nil {
		r.log = io.Discard
	}
	rep := &Report{Started: time.Now(), Site: client.base, Machine: machine(), Settings: Settings{
		Rounds: cfg.Rounds, BurstRound: cfg.BurstRound, People: cfg.People, Register: cfg.Register,
		Concurrency: cfg.Concurrency, Model: cfg.Model, Rate: cfg.Rate, Duration: cfg.Duration.Seconds(),
		Burst: cfg.Burst, BurstWindow: cfg.BurstWindow.Seconds(), Think: cfg.Flow.Think.Seconds(), Saves: cfg.Flow.Saves,
		Forwarded: cfg.Client.ForwardedFor,
	}}
	var people []*Person
	if cfg.Register > 0 {
		ph, registered := r.forEachPerson(ctx, "register", cfg.RegisterFrom, cfg.Register, client.Register)
		rep.Phases = append(rep.Phases, ph)
		people = append(people, registered...)
	}
	if cfg.People > 0 && ctx.Err() == nil {
		ph, signed := r.forEachPerson(ctx, "signin", cfg.PeopleFrom, cfg.People, client.SignIn)
		rep.Phases = append(rep.Phases, ph)
		people = append(signed, people...)
	}
	if cfg.Model != "none" && len(people) > 0 && ctx.Err() == nil {
		rep.Phases = append(rep.Phases, r.flows(ctx, people))
	}
	if cfg.Burst > 0 && ctx.Err() == nil {
		rep.Phases = append(rep.Phases, r.burst(ctx, people[:min(cfg.Burst, len(people))]))
	}
	rep.Acknowledged, rep.Unknown = r.acked, r.unknown
	return rep, nil
}

type runner struct {
	cfg    Config
	client *Client
	log    io.Writer

	mu      sync.Mutex
	acked   []Submit
	unknown []Submit
}

// phase measures one phase: its steps, CPU and load average.
type phase struct {
	name, model string
	stats       *Stats
	started     time.Time
	cpu         cpuReading
	load        *loadSampler
}

func (r *runner) begin(ctx context.Context, name, model string, steps []string) *phase {
	fmt.Fprintf(r.log, "%s: %s\n", name, model)
	return &phase{name: name, model: model, stats: newStats(steps...), started: time.Now(),
		cpu: readCPU(r.cfg.Watches), load: sampleLoad(ctx)}
}

func (r *runner) end(ph *phase, done, failed int) PhaseReport {
	elapsed := time.Since(ph.started)
	cpu := readCPU(r.cfg.Watches)
	peak, last := ph.load.finish()
	rep := PhaseReport{Name: ph.name, Model: ph.model, Seconds: elapsed.Seconds(), Done: done, Failed: failed,
		CPU: cpuBetween(r.cfg.Watches, ph.cpu, cpu, done), LoadPeak: peak, LoadEnd: last, Steps: ph.stats.summaries()}
	if elapsed > 0 {
		rep.PerSecond = float64(done) / elapsed.Seconds()
	}
	fmt.Fprintf(r.log, "%s: %d done, %d failed in %.1f s (%.1f/s)\n", ph.name, done, failed, rep.Seconds, rep.PerSecond)
	return rep
}

// forEachPerson runs act (registration or sign-in) for people first … first+n-1,
// Concurrency at a time, and returns the people it succeeded for.
func (r *runner) forEachPerson(ctx context.Context, name string, first, n int, act func(context.Context, *Person, *Stats) error) (PhaseReport, []*Person) {
	ph := r.begin(ctx, name, fmt.Sprintf("closed, %d at once, %d people", min(r.cfg.Concurrency, n), n), formSteps)
	ok := make([]*Person, n)
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	for range min(r.cfg.Concurrency, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				p := r.client.NewPerson(first+i, r.cfg.Password)
				if act(ctx, p, ph.stats) == nil {
					ok[i] = p
				} else {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	people := slices.DeleteFunc(ok, func(p *Person) bool { return p == nil })
	return r.end(ph, len(people), int(failed.Load())), people
}

// tickets hand out (person, round) pairs for flows: every person once in the first round,
// then once in the next, …, then again for their next attempt, so a person's flows are as
// far apart as the people allow, and no one goes beyond the cap.
type tickets struct {
	mu          sync.Mutex
	people      []*Person
	rounds      []string
	maxAttempts int
	next        int
}

func (t *tickets) take() (*Person, string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	per := len(t.people) * len(t.rounds)
	if t.next >= per*t.maxAttempts {
		return nil, "", false
	}
	n := t.next
	t.next++
	rest := n % per
	return t.people[rest%len(t.people)], t.rounds[rest/len(t.people)], true
}

// flows runs the exam flow phase in the configured model.
func (r *runner) flows(ctx context.Context, people []*Person) PhaseReport {
	cfg := r.cfg
	model := fmt.Sprintf("closed, %d phones", cfg.Concurrency)
	if cfg.Model == "open" {
		model = fmt.Sprintf("open, %.1f arrivals/s (Poisson)", cfg.Rate)
	}
	if cfg.Duration > 0 {
		model += fmt.Sprintf(", %s", cfg.Duration)
	}
	if cfg.Flows > 0 {
		model += fmt.Sprintf(", up to %d flows", cfg.Flows)
	}
	ph := r.begin(ctx, "flow", model, flowSteps)
	t := &tickets{people: people, rounds: cfg.Rounds, maxAttempts: cfg.MaxAttempts}
	var started, done, failed, waits atomic.Int64
	var deadline time.Time
	if cfg.Duration > 0 {
		deadline = time.Now().Add(cfg.Duration)
	}
	more := func() bool {
		return ctx.Err() == nil && (deadline.IsZero() || time.Now().Before(deadline)) &&
			(cfg.Flows <= 0 || started.Load() < int64(cfg.Flows))
	}
	one := func(p *Person, round string) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if wait := time.Until(p.readyAt); wait > 0 {
			waits.Add(1)
			if sleep(ctx, wait) != nil {
				return
			}
		}
		sub, outcome, err := r.client.ExamFlow(ctx, p, round, ph.stats, cfg.Flow)
		p.readyAt = time.Now().Add(cfg.PersonGap)
		r.mu.Lock()
		switch outcome {
		case Acknowledged:
			r.acked = append(r.acked, sub)
		case Unknown:
			r.unknown = append(r.unknown, sub)
		}
		r.mu.Unlock()
		if err == nil {
			done.Add(1)
		} else {
			failed.Add(1)
		}
	}
	var wg sync.WaitGroup
	ranOut := false
	switch cfg.Model {
	case "closed":
		var out atomic.Bool
		for range cfg.Concurrency {
			wg.Go(func() {
				for more() {
					if n := started.Add(1); cfg.Flows > 0 && n > int64(cfg.Flows) {
						return // another phone took the last flow since more() said yes
					}
					p, round, ok := t.take()
					if !ok {
						out.Store(true)
						return
					}
					one(p, round)
				}
			})
		}
		wg.Wait()
		ranOut = out.Load()
	case "open":
		inFlight := make(chan struct{}, cfg.MaxInFlight)
		next := time.Now()
		for more() {
			next = next.Add(time.Duration(rand.ExpFloat64() / cfg.Rate * float64(time.Second)))
			if sleep(ctx, time.Until(next)) != nil || !more() {
				break
			}
			started.Add(1)
			select {
			case inFlight <- struct{}{}:
			default:
				ph.stats.Step("total").Fail("dropped")
				failed.Add(1)
				continue
			}
			p, round, ok := t.take()
			if !ok {
				<-inFlight
				ranOut = true
				break
			}
			wg.Go(func() {
				defer func() { <-inFlight }()
				one(p, round)
			})
		}
		wg.Wait()
	}
	rep := r.end(ph, int(done.Load()), int(failed.Load()))
	rep.Waits = int(waits.Load())
	if ranOut {
		fmt.Fprintf(r.log, "flow: every person took %d attempts in every round: prepare more people for a longer run\n", cfg.MaxAttempts)
		rep.Extra = map[string]float64{"ran_out_of_people": 1}
	}
	return rep
}

// burst has people press start within the window, at uniformly random instants from the
// first arrival: how long each start takes, and when each exam page has arrived, counted
// from the first arrival.
func (r *runner) burst(ctx context.Context, people []*Person) PhaseReport {
	cfg := r.cfg
	ph := r.begin(ctx, "burst", fmt.Sprintf("%d people start within %s", len(people), cfg.BurstWindow), burstSteps)
	offsets := make([]time.Duration, len(people))
	for i := range offsets {
		if cfg.BurstWindow > 0 {
			offsets[i] = rand.N(cfg.BurstWindow)
		}
	}
	first := slices.Min(offsets)
	t0 := time.Now().Add(100 * time.Millisecond)
	var done, failed atomic.Int64
	var lastNs atomic.Int64
	delivered := ph.stats.Step("delivered")
	var wg sync.WaitGroup
	for i, p := range people {
		at := t0.Add(offsets[i] - first)
		wg.Go(func() {
			if sleep(ctx, time.Until(at)) != nil {
				return
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			if _, _, err := r.client.startAndOpen(ctx, p, cfg.BurstRound, ph.stats.Step("start"), ph.stats.Step("exam")); err != nil {
				failed.Add(1)
				return
			}
			since := time.Since(t0)
			delivered.Record(since)
			for {
				old := lastNs.Load()
				if int64(since) <= old || lastNs.CompareAndSwap(old, int64(since)) {
					break
				}
			}
			done.Add(1)
		})
	}
	wg.Wait()
	rep := r.end(ph, int(done.Load()), int(failed.Load()))
	// Starts per second over the window the people arrived in, and the instant the last
	// exam page arrived.
	rep.Extra = map[string]float64{"window_s": cfg.BurstWindow.Seconds(), "last_delivered_s": time.Duration(lastNs.Load()).Seconds()}
	return rep
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Watch is a process whose CPU time the run reports per phase: the app (`contest web`)
// or, with Tree, a process and its children, as PostgreSQL's postmaster and backends.
type Watch struct {
	Name string `json:"name"`
	PID  int    `json:"pid"`
	Tree bool   `json:"tree"`
}

// ParseWatch reads NAME=PID.
func ParseWatch(s string, tree bool) (Watch, error) {
	name, pid, ok := strings.Cut(s, "=")
	n, err := strconv.Atoi(pid)
	if !ok || name == "" || err != nil || n <= 0 {
		return Watch{}, fmt.Errorf("%q: want NAME=PID, e.g. app=1234", s)
	}
	return Watch{Name: name, PID: n, Tree: tree}, nil
}

// ticksPerSecond is Linux's USER_HZ, the unit of /proc/PID/stat's times (100 on every
// architecture Go runs on).
const ticksPerSecond = 100

// statFields returns /proc/PID/stat's fields after the command name: field 0 is the state,
// 1 the parent, 11–14 utime, stime, cutime, cstime.
func statFields(pid string) []string {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return nil
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 15 {
		return nil
	}
	return f
}

func ticks(fs ...string) int64 {
	var t int64
	for _, f := range fs {
		n, _ := strconv.ParseInt(f, 10, 64)
		t += n
	}
	return t
}

// ProcessCPU is the CPU time (user + system) w's process has used; with Tree also its
// live children's and the children it has reaped (PostgreSQL backends that exited), so
// the difference of two readings is what the tree used in between.
func ProcessCPU(w Watch) (time.Duration, error) {
	pid := strconv.Itoa(w.PID)
	f := statFields(pid)
	if f == nil {
		return 0, fmt.Errorf("%s: no process %d", w.Name, w.PID)
	}
	t := ticks(f[11], f[12])
	if w.Tree {
		t += ticks(f[13], f[14])
		entries, err := os.ReadDir("/proc")
		if err != nil {
			return 0, fmt.Errorf("%s: %w", w.Name, err)
		}
		for _, e := range entries {
			if n := e.Name(); n[0] >= '0' && n[0] <= '9' {
				if c := statFields(n); c != nil && c[1] == pid {
					t += ticks(c[11], c[12])
				}
			}
		}
	}
	return time.Duration(t) * time.Second / ticksPerSecond, nil
}

// selfCPU is the CPU time this process has used, to the microsecond.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuReading is the CPU used so far by the tool and by each watched process.
type cpuReading struct {
	tool    time.Duration
	watched []time.Duration
	errs    []error
}

func readCPU(watches []Watch) cpuReading {
	r := cpuReading{tool: selfCPU(), watched: make([]time.Duration, len(watches)), errs: make([]error, len(watches))}
	for i, w := range watches {
		r.watched[i], r.errs[i] = ProcessCPU(w)
	}
	return r
}

// CPUUse is the CPU one process (or tree) used during a phase, and per operation.
type CPUUse struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	// PerOp is microseconds per operation the phase counts (flow, sign-in, registration,
	// start).
	PerOp float64 `json:"per_op_us"`
	Error string  `json:"error,omitempty"`
}

// cpuBetween reports the tool's and every watched process's use between two readings.
func cpuBetween(watches []Watch, a, b cpuReading, ops int) []CPUUse {
	per := func(d time.Duration) float64 {
		if ops == 0 {
			return 0
		}
		return float64(d.Microseconds()) / float64(ops)
	}
	out := []CPUUse{{Name: "tool", Seconds: (b.tool - a.tool).Seconds(), PerOp: per(b.tool - a.tool)}}
	for i, w := range watches {
		u := CPUUse{Name: w.Name}
		if err := firstErr(a.errs[i], b.errs[i]); err != nil {
			u.Error = err.Error()
		} else {
			d := b.watched[i] - a.watched[i]
			u.Seconds, u.PerOp = d.Seconds(), per(d)
		}
		out = append(out, u)
	}
	return out
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// loadAverage reads the 1-minute load average.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// loadSampler keeps the highest 1-minute load average seen, read every second.
type loadSampler struct {
	mu   sync.Mutex
	peak float64
	stop context.CancelFunc
	done chan struct{}
}

func sampleLoad(ctx context.Context) *loadSampler {
	ctx, cancel := context.WithCancel(ctx)
	s := &loadSampler{peak: loadAverage(), stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				v := loadAverage()
				s.mu.Lock()
				s.peak = max(s.peak, v)
				s.mu.Unlock()
			}
		}
	}()
	return s
}

// finish stops sampling and returns the peak and the value now.
func (s *loadSampler) finish() (peak, end float64) {
	s.stop()
	<-s.done
	end = loadAverage()
	s.mu.Lock()
	defer s.mu.Unlock()
	return max(s.peak, end), end
}

package password

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The gate never admits more memory than its budget, whatever the number of callers.
func TestGateBoundsConcurrentChecks(t *testing.T) {
	g := NewGate(3*MemoryKiB, 1000, time.Minute)
	if g.Slots() != 3 {
		t.Fatalf("Slots = %d, want 3", g.Slots())
	}
	var running, peak atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := g.Acquire(context.Background(), MemoryKiB)
			if err != nil {
				t.Error(err)
				return
			}
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
			running.Add(-1)
			release()
			release() // a second release gives nothing back twice
		}()
	}
	wg.Wait()
	if peak.Load() > 3 {
		t.Fatalf("%d checks ran at once with room for 3", peak.Load())
	}
	if g.InUseKiB() != 0 || g.Waiting() != 0 {
		t.Fatalf("after all released: in use %d KiB, %d waiting", g.InUseKiB(), g.Waiting())
	}
}

func TestGateBusy(t *testing.T) {
	cases := []struct {
		name       string
		maxWaiters int
		maxWait    time.Duration
	}{
		{"no room to wait", 0, time.Minute},
		{"the wait runs out", 10, 20 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGate(MemoryKiB, tc.maxWaiters, tc.maxWait)
			hold, err := g.Acquire(context.Background(), MemoryKiB)
			if err != nil {
				t.Fatal(err)
			}
			defer hold()
			if _, err := g.Acquire(context.Background(), MemoryKiB); !errors.Is(err, ErrBusy) {
				t.Fatalf("Acquire on a full gate = %v, want ErrBusy", err)
			}
		})
	}
}

func TestGateRequestGone(t *testing.T) {
	g := NewGate(MemoryKiB, 10, time.Minute)
	hold, _ := g.Acquire(context.Background(), MemoryKiB)
	defer hold()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Acquire(ctx, MemoryKiB); !errors.Is(err, context.Canceled) {
		t.Fatalf("Acquire with a cancelled request = %v, want context.Canceled", err)
	}
}

// A stored hash that asks for more memory than the whole budget still gets the whole
// budget, not a deadlock; one that asks for an absurd amount is refused before waiting.
func TestGateHugeCost(t *testing.T) {
	g := NewGate(2*MemoryKiB, 10, time.Second)
	release, err := g.Acquire(context.Background(), 100*1024)
	if err != nil {
		t.Fatal(err)
	}
	if g.InUseKiB() != 2*MemoryKiB {
		t.Fatalf("in use %d KiB, want the whole budget", g.InUseKiB())
	}
	release()
	if _, err := g.Check(context.Background(), "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$a2V5", "x"); !errors.Is(err, ErrMalformed) {
		t.Fatalf("Check of an absurd hash = %v, want ErrMalformed", err)
	}
}

// The line is paced: with checks known to take 100 ms and 2 slots, the 20th in line would
// wait about a second. With a wait of 500 ms it is refused at once, told to come back when
// the line ahead has gone, rather than waiting 500 ms to be refused; the 9th still waits.
func TestGatePacesTheLine(t *testing.T) {
	g := NewGate(2*MemoryKiB, 100, 500*time.Millisecond)
	g.observe(100 * time.Millisecond)
	for i := 0; i < 2; i++ {
		hold, err := g.Acquire(context.Background(), MemoryKiB)
		if err != nil {
			t.Fatal(err)
		}
		defer hold()
	}
	cases := []struct {
		waiting   int64
		refused   bool
		retryFrom time.Duration
	}{
		{waiting: 8, refused: false},
		{waiting: 19, refused: true, retryFrom: time.Second},
		{waiting: 99, refused: true, retryFrom: 5 * time.Second},
	}
	for _, tc := range cases {
		g.waiting.Store(tc.waiting)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		// A refusal that waited would end with the request's deadline, not a BusyError.
		_, err := g.Acquire(ctx, MemoryKiB)
		cancel()
		var busy *BusyError
		switch {
		case !tc.refused && !errors.Is(err, context.DeadlineExceeded):
			t.Errorf("%d waiting: %v, want to wait in line (until the request went away)", tc.waiting, err)
		case tc.refused && !errors.As(err, &busy):
			t.Errorf("%d waiting: %v, want a BusyError", tc.waiting, err)
		case tc.refused && (busy.RetryAfter < tc.retryFrom || busy.RetryAfter > tc.retryFrom+200*time.Millisecond):
			t.Errorf("%d waiting: retry after %v, want about %v", tc.waiting, busy.RetryAfter, tc.retryFrom)
		}
	}
	g.waiting.Store(0)
}

func TestGateMovingAverage(t *testing.T) {
	g := NewGate(MemoryKiB, 10, time.Second)
	g.observe(80 * time.Millisecond)
	if got := g.expectedWait(1); got != 80*time.Millisecond {
		t.Fatalf("first observation: %v", got)
	}
	for range 100 {
		g.observe(20 * time.Millisecond)
	}
	if got := g.expectedWait(1); got < 19*time.Millisecond || got > 21*time.Millisecond {
		t.Fatalf("after many 20 ms checks: %v", got)
	}
}

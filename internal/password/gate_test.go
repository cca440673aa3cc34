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

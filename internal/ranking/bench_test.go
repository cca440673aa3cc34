package ranking

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// benchRound generates a round of the size the platform must handle: people contestants
// with attempts submitted attempts in all (1 to 3 each), values spread as a real round
// would be (scores skewed high, predictions in the thousands, microsecond timestamps over
// 15 days), in an order unrelated to person id, as a database cursor might return them.
func benchRound(people, attempts int) []Attempt {
	rng := rand.New(rand.NewPCG(17, 8))
	out := make([]Attempt, 0, attempts)
	ids := rng.Perm(people)
	for i := range attempts {
		var pid int64
		if i < people {
			pid = int64(ids[i])*7 + 1 // everyone has at least one attempt
		} else {
			pid = int64(rng.IntN(people))*7 + 1
		}
		out = append(out, Attempt{
			PersonID:    pid,
			AttemptID:   int64(i + 1),
			Correct:     15 - min(15, int(rng.ExpFloat64()*3)),
			Total:       15,
			Prediction:  int64(rng.IntN(20000)),
			TimeUsed:    time.Duration(30+rng.IntN(1800)) * time.Second,
			SubmittedAt: opens.Add(time.Duration(rng.Int64N(int64(15*24*time.Hour))) / time.Microsecond * time.Microsecond),
		})
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// benchPeople knows everyone without holding a map: a few thousand organizations, one
// of them excluded, and one person in a thousand flagged.
func benchPeople(orgs []string) People {
	return func(id int64) (Person, bool) {
		return Person{ID: id, Organization: orgs[id%int64(len(orgs))], Ineligible: id%1000 == 0}, true
	}
}

func BenchmarkAddRank(b *testing.B) {
	for _, bc := range []struct {
		name             string
		people, attempts int
		grow             bool
	}{
		{"500k-people-1M-attempts", 500_000, 1_000_000, false},
		{"500k-people-1M-attempts-grow", 500_000, 1_000_000, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			data := benchRound(bc.people, bc.attempts)
			orgs := make([]string, 3000)
			for i := range orgs {
				orgs[i] = "Đơn vị số " + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
			}
			rules := Rules{Prizes: planPrizes(), IneligibleOrganizations: []string{orgs[5]}}
			people := benchPeople(orgs)
			var before, after runtime.MemStats
			var rankTime time.Duration
			var live uint64
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				runtime.ReadMemStats(&before)
				bl, err := NewBuilder(rules)
				if err != nil {
					b.Fatal(err)
				}
				if bc.grow {
					bl.Grow(bc.people)
				}
				for _, a := range data {
					if err := bl.Add(a); err != nil {
						b.Fatal(err)
					}
				}
				start := time.Now()
				r, err := bl.Rank(people)
				rankTime += time.Since(start)
				if err != nil || len(r.Entries) != bc.people {
					b.Fatalf("Rank: %v, %d entries", err, len(r.Entries))
				}
				b.StopTimer()
				// Live heap while the builder and its result are both held: close to the peak.
				runtime.GC()
				runtime.ReadMemStats(&after)
				live = max(live, after.HeapAlloc-min(after.HeapAlloc, before.HeapAlloc))
				runtime.KeepAlive(bl)
				runtime.KeepAlive(r)
				b.StartTimer()
			}
			b.ReportMetric(float64(rankTime.Milliseconds())/float64(b.N), "rank-ms/op")
			b.ReportMetric(float64(live)/(1<<20), "live-MiB")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc-MiB/op")
		})
	}
}

package webapp

import (
	"strconv"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/pow"
)

// The per-person token bucket on every start, save and submit: what it costs a request.
func BenchmarkContestantLimiter(b *testing.B) {
	l := newKeyLimiter(3, 30)
	keys := make([]string, 10000)
	for i := range keys {
		keys[i] = "c" + strconv.Itoa(i)
	}
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		l.allow(keys[i%len(keys)], now.Add(time.Duration(i)*time.Millisecond))
	}
}

// What checking a solved proof of work costs the server (one SHA-256), against what
// solving it costs the client at the base and at the escalated difficulty.
func BenchmarkChallengeVerify(b *testing.B) {
	token := "k2bS0lq4yX1v7mQ.cZ9rN3aP1dQ8uW2e"
	work := pow.Solve(token, 16)
	b.ReportAllocs()
	for range b.N {
		if pow.LeadingZeroBits(token, work) < 16 {
			b.Fatal("not solved")
		}
	}
}

func BenchmarkChallengeSolve(b *testing.B) {
	for _, bits := range []int{16, 18, 20} {
		b.Run(strconv.Itoa(bits)+"bits", func(b *testing.B) {
			hashes := 0
			for i := range b.N {
				token := "token-" + strconv.Itoa(i)
				w := pow.Solve(token, bits)
				n, _ := strconv.Atoi(w)
				hashes += n + 1
			}
			b.ReportMetric(float64(hashes)/float64(b.N), "hashes/op")
		})
	}
}

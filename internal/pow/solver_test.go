package pow

import (
	"strings"
	"testing"
)

// The solver's answers are Solve's, for tokens whose ":" falls in the first block, at a
// block's end and further on (the state of the full blocks is reused).
func TestSolverAgreesWithSolve(t *testing.T) {
	var s Solver
	for n := 0; n < 200; n += 7 {
		for _, extra := range []int{0, 62, 63, 64, 127} {
			token := strings.Repeat("t", n+extra)
			if got, want := s.Solve(token, 9), Solve(token, 9); got != want {
				t.Fatalf("token of %d bytes: Solver %q, Solve %q", len(token), got, want)
			}
		}
	}
}

func BenchmarkSolver(b *testing.B) {
	token := strings.Repeat("x", 90)
	b.Run("Solve", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			Solve(token+string(rune('a'+i%26)), 12)
		}
	})
	b.Run("Solver", func(b *testing.B) {
		var s Solver
		for i := 0; b.Loop(); i++ {
			s.Solve(token+string(rune('a'+i%26)), 12)
		}
	})
}

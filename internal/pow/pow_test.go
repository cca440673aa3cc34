package pow

import (
	"strconv"
	"testing"
)

func TestSolveFindsTheFirstAnswer(t *testing.T) {
	for _, bits := range []int{0, 1, 8, 12} {
		token := "token-" + strconv.Itoa(bits)
		w := Solve(token, bits)
		if LeadingZeroBits(token, w) < bits {
			t.Fatalf("%d bits: %q does not solve", bits, w)
		}
		n, _ := strconv.Atoi(w)
		for i := 0; i < n; i++ {
			if LeadingZeroBits(token, strconv.Itoa(i)) >= bits {
				t.Fatalf("%d bits: %d solves before %d", bits, i, n)
			}
		}
	}
}

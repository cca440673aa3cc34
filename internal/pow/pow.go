// Package pow is the anti-robot proof of work the sign-in and registration forms carry:
// find a counter whose SHA-256 with the form's token has enough leading zero bits. The web
// app checks it (one hash); the page's script, the load tool and the tests solve it.
package pow

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
	"strconv"
)

// LeadingZeroBits counts the leading zero bits of SHA-256(token ":" work).
func LeadingZeroBits(token, work string) int {
	sum := sha256.Sum256([]byte(token + ":" + work))
	n := 0
	for i := 0; i < len(sum); i += 8 {
		w := binary.BigEndian.Uint64(sum[i : i+8])
		n += bits.LeadingZeros64(w)
		if w != 0 {
			break
		}
	}
	return n
}

// Solve finds the first counter that gives need leading zero bits, as the page's script
// does: about 2^need hashes.
func Solve(token string, need int) string {
	for i := 0; ; i++ {
		w := strconv.Itoa(i)
		if LeadingZeroBits(token, w) >= need {
			return w
		}
	}
}

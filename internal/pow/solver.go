package pow

import (
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"hash"
	"math/bits"
)

// Solver finds the same answer as Solve at about half the cost and without allocating per
// try, for a program that solves many challenges (the load tool plays thousands of
// browsers on the cores it shares with the server): the token's full 64-byte blocks are
// hashed once and their state restored for each counter, as the page's script does.
// A Solver is not safe for concurrent use; keep one per goroutine.
type Solver struct {
	h     hash.Hash
	state []byte
	tail  []byte
	sum   [sha256.Size]byte
}

// Solve returns the first counter whose SHA-256 with token has need leading zero bits.
func (s *Solver) Solve(token string, need int) string {
	if s.h == nil {
		s.h = sha256.New()
	}
	// The token's full blocks are hashed once; the rest of it, ":" and the counter are
	// hashed for each try.
	full := len(token) / sha256.BlockSize * sha256.BlockSize
	s.h.Reset()
	s.h.Write([]byte(token[:full]))
	var err error
	if s.state, err = s.h.(encoding.BinaryAppender).AppendBinary(s.state[:0]); err != nil {
		return Solve(token, need) // cannot happen with the standard library's SHA-256
	}
	s.tail = append(append(s.tail[:0], token[full:]...), ':', '0')
	base := len(s.tail) - 1
	for ; ; s.tail = increment(s.tail, base) {
		if err := s.h.(encoding.BinaryUnmarshaler).UnmarshalBinary(s.state); err != nil {
			return Solve(token, need)
		}
		s.h.Write(s.tail)
		if zeroBits(s.h.Sum(s.sum[:0])) >= need {
			return string(s.tail[base:])
		}
	}
}

// increment adds one to the decimal counter written from base on, in place.
func increment(b []byte, base int) []byte {
	for i := len(b) - 1; i >= base; i-- {
		if b[i] < '9' {
			b[i]++
			return b
		}
		b[i] = '0'
	}
	b = append(b, '0')
	b[base] = '1'
	return b
}

// zeroBits counts the leading zero bits of a SHA-256 sum, as LeadingZeroBits does.
func zeroBits(sum []byte) int {
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

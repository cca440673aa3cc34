package webapp

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/dxcontest/contest-platform/internal/store"
)

// The self-hosted anti-robot challenge on registration and sign-in. With JavaScript the
// browser solves a small proof of work (find a counter whose SHA-256 with the token has
// `bits` leading zero bits: about 2^bits hashes, under a second on a phone); without it
// the person answers a sum written in words. Tokens are signed, expire, and are spent once.
type challenge struct {
	Token string
	Bits  int
	// A and B make the no-script question "A + B = ?".
	A, B int
}

const (
	challengePurpose = "challenge"
	mathPurpose      = "challenge-math"
	challengeTTL     = 15 * time.Minute
)

var (
	errChallengeMissing  = errors.New("challenge.missing")
	errChallengeInvalid  = errors.New("challenge.invalid")
	errChallengeExpired  = errors.New("challenge.expired")
	errChallengeReplayed = errors.New("challenge.replayed")
)

func (a *App) newChallenge() challenge {
	nonce := randomToken(12)
	x, y := 1+rand.IntN(9), 1+rand.IntN(9)
	exp := a.now().Add(challengeTTL).Unix()
	value := strings.Join([]string{nonce, strconv.FormatInt(exp, 10), strconv.Itoa(a.cfg.ChallengeBits),
		a.signer.mac(mathPurpose, nonce+"|"+strconv.Itoa(x+y))}, "|")
	return challenge{Token: a.signer.sign(challengePurpose, value), Bits: a.cfg.ChallengeBits, A: x, B: y}
}

// checkChallenge accepts a solved proof of work or the right sum, once.
func (a *App) checkChallenge(ctx context.Context, token, work, sum string) error {
	if token == "" {
		return errChallengeMissing
	}
	value, ok := a.signer.verify(challengePurpose, token)
	if !ok {
		return errChallengeInvalid
	}
	parts := strings.Split(value, "|")
	if len(parts) != 4 {
		return errChallengeInvalid
	}
	nonce := parts[0]
	exp, err1 := strconv.ParseInt(parts[1], 10, 64)
	need, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil {
		return errChallengeInvalid
	}
	expires := time.Unix(exp, 0)
	if !a.now().Before(expires) {
		return errChallengeExpired
	}
	switch {
	case work != "":
		if leadingZeroBits(token, work) < need {
			return errChallengeInvalid
		}
	case sum != "":
		if a.signer.mac(mathPurpose, nonce+"|"+strings.TrimSpace(sum)) != parts[3] {
			return errChallengeInvalid
		}
	default:
		return errChallengeMissing
	}
	fresh, err := store.SpendChallenge(ctx, a.cfg.Pool, nonce, expires)
	if err != nil {
		return fmt.Errorf("spend challenge: %w", err)
	}
	if !fresh {
		return errChallengeReplayed
	}
	return nil
}

// leadingZeroBits counts the leading zero bits of SHA-256(token ":" work).
func leadingZeroBits(token, work string) int {
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

// solveChallenge is what the browser does, for tests and the load tool.
func solveChallenge(token string, need int) string {
	for i := 0; ; i++ {
		w := strconv.Itoa(i)
		if leadingZeroBits(token, w) >= need {
			return w
		}
	}
}

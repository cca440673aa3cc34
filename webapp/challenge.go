package webapp

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dxcontest/contest-platform/internal/pow"
	"github.com/dxcontest/contest-platform/internal/store"
)

// The self-hosted anti-robot challenge on registration and sign-in (docs/decisions.md says
// why it is ours). With JavaScript the browser solves a proof of work: find a counter
// whose SHA-256 with the token has `bits` leading zero bits, about 2^bits hashes. Without
// it the person types the digits of a distorted picture (<noscript>, so scripted browsers
// never download it). A token is signed, expires, and is spent by its first check, right
// or wrong: a wrong guess costs a new token. The difficulty a token must have rises for a
// network that misbehaves (see guard.go), and a picture answer must wait longer there.
type challenge struct {
	Token string
	Bits  int
	// Image is the no-script picture's URL.
	Image string
}

// issuedChallenge is a token's content once its signature is checked.
type issuedChallenge struct {
	nonce   string
	issued  time.Time
	expires time.Time
	bits    int
}

const (
	challengePurpose = "challenge"
	digitsPurpose    = "challenge-digits"
	challengeTTL     = 15 * time.Minute
	challengeDigits  = 6
	// pictureMinAge is how long a picture must have been on screen before its answer
	// counts (a person reads and types six digits; a script would answer at once).
	pictureMinAge = 3 * time.Second
)

var (
	errChallengeMissing  = errors.New("challenge.missing")
	errChallengeInvalid  = errors.New("challenge.invalid")
	errChallengeExpired  = errors.New("challenge.expired")
	errChallengeReplayed = errors.New("challenge.replayed")
	errChallengeTooFast  = errors.New("challenge.tooFast")
	// errChallengeHarder: the token is good but easier than this network must now solve.
	errChallengeHarder = errors.New("challenge.harder")
)

func (a *App) newChallenge(bits int) challenge {
	now := a.now()
	value := strings.Join([]string{randomToken(12), strconv.FormatInt(now.Unix(), 10),
		strconv.FormatInt(now.Add(challengeTTL).Unix(), 10), strconv.Itoa(bits)}, "|")
	token := a.signer.sign(challengePurpose, value)
	return challenge{Token: token, Bits: bits, Image: "/challenge.png?t=" + token}
}

// parseChallenge checks a token's signature and expiry; it reads no database.
func (a *App) parseChallenge(token string) (issuedChallenge, error) {
	if token == "" {
		return issuedChallenge{}, errChallengeMissing
	}
	if len(token) > 256 {
		return issuedChallenge{}, errChallengeInvalid
	}
	value, ok := a.signer.verify(challengePurpose, token)
	if !ok {
		return issuedChallenge{}, errChallengeInvalid
	}
	parts := strings.Split(value, "|")
	if len(parts) != 4 {
		return issuedChallenge{}, errChallengeInvalid
	}
	issued, err1 := strconv.ParseInt(parts[1], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	need, err3 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil || err3 != nil {
		return issuedChallenge{}, errChallengeInvalid
	}
	ch := issuedChallenge{nonce: parts[0], issued: time.Unix(issued, 0), expires: time.Unix(exp, 0), bits: need}
	if !a.now().Before(ch.expires) {
		return ch, errChallengeExpired
	}
	return ch, nil
}

// challengeAnswer is what the form sent back.
type challengeAnswer struct {
	token, work, digits string
}

// checkChallenge accepts a solved proof of work of at least need bits, or the picture's
// digits typed after the picture's minimum time (longer for a network under suspicion:
// extra is how many bits above the base difficulty it must solve). The token is spent
// before its answer is looked at.
func (a *App) checkChallenge(ctx context.Context, ch issuedChallenge, ans challengeAnswer, need, extra int) error {
	switch {
	case ans.work != "":
		if ch.bits < need {
			return errChallengeHarder
		}
	case ans.digits != "":
		if a.now().Sub(ch.issued) < pictureMinAge<<min(extra, 4) {
			return errChallengeTooFast
		}
	default:
		return errChallengeMissing
	}
	fresh, err := store.SpendChallenge(ctx, a.cfg.Pool, ch.nonce, ch.expires)
	if err != nil {
		return fmt.Errorf("spend challenge: %w", err)
	}
	if !fresh {
		return errChallengeReplayed
	}
	if ans.work != "" {
		if len(ans.work) > 20 || pow.LeadingZeroBits(ans.token, ans.work) < ch.bits {
			return errChallengeInvalid
		}
		return nil
	}
	want := a.challengeDigits(ch.nonce)
	got := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, ans.digits)
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errChallengeInvalid
	}
	return nil
}

// challengeDigits are the picture's digits: derived from the token's nonce with the app's
// key, so every replica draws the same picture and nobody without the key can compute it.
func (a *App) challengeDigits(nonce string) string {
	sum := sha256.Sum256([]byte(a.signer.mac(digitsPurpose, nonce)))
	var b strings.Builder
	for i := 0; i < challengeDigits; i++ {
		b.WriteByte('0' + sum[i]%10)
	}
	return b.String()
}

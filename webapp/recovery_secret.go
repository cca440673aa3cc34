package webapp

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/dxcontest/contest-platform/internal/store"
)

// The secrets of password resets (docs/decisions.md, "Account recovery"): a link token of
// 32 random bytes (43 characters in a URL), or a code of codeDigits digits to type. Only
// their HMAC-SHA256 with the app's key reaches the database, under a purpose of its own so a
// secret of one kind is never taken for another; a code's MAC also binds its contestant,
// since a short code is not unique. Without the key a copy of the table gives nothing, not
// even a way to try the hundred million codes offline.
const (
	resetLinkPurpose = "password-reset-link"
	resetCodePurpose = "password-reset-code"
	// codeDigits: eight digits, so the tries a code allows (maxCodeTries) times the codes one
	// person can be sent in a day (sendsPerDay) give a guesser about one chance in three
	// million a day.
	codeDigits = 8
	// maxTokenBytes bounds the token a request may carry (a real one has 43 bytes).
	maxTokenBytes = 64
)

// digest is the raw HMAC-SHA256 of value under purpose (signer.mac's bytes).
func (s signer) digest(purpose, value string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

func (a *App) linkHash(token string) []byte {
	return a.signer.digest(resetLinkPurpose, token)
}

func (a *App) codeHash(contestantID int64, code string) []byte {
	return a.signer.digest(resetCodePurpose, strconv.FormatInt(contestantID, 10)+"|"+code)
}

// newCode draws a code of codeDigits digits, uniformly.
func newCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(100_000_000)) // crypto/rand never fails on supported platforms
	return fmt.Sprintf("%0*d", codeDigits, n.Int64())
}

// normalizeCode keeps the digits of a typed code (people type "1234 5678" or "1234-5678");
// anything else than codeDigits digits is not a code.
func normalizeCode(s string) (string, bool) {
	if len(s) > 4*codeDigits {
		return "", false
	}
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == ' ' || r == '-' || r == '.':
			return -1
		}
		return 'x'
	}, s)
	if len(digits) != codeDigits || strings.Contains(digits, "x") {
		return "", false
	}
	return digits, true
}

// issueLink records a new link reset for a contestant, valid for ttl by the app's clock, and
// returns its token.
func (a *App) issueLink(ctx context.Context, contestantID int64, channel string, ttl time.Duration) (string, error) {
	token := randomToken(32)
	now := a.now()
	_, err := store.IssuePasswordReset(ctx, a.cfg.Pool, store.NewPasswordReset{ContestID: a.cfg.ContestID, ContestantID: contestantID,
		Kind: store.ResetLink, Channel: channel, SecretHash: a.linkHash(token), Now: now, Expires: now.Add(ttl)})
	if err != nil {
		return "", err
	}
	return token, nil
}

// issueCode records a new code for a contestant, valid for ttl, replacing the contestant's
// older codes, and returns it with its expiry; in q's transaction when q is one. The
// helpdesk issues codes this way too (channel helpdesk, issuedBy the organizer, in the
// transaction of its audit entry), and its code replaces the person's live links as well;
// the person types it on /recover/code.
func (a *App) issueCode(ctx context.Context, q store.Querier, contestantID int64, channel, issuedBy string, ttl time.Duration) (string, time.Time, error) {
	code := newCode()
	now := a.now()
	_, err := store.IssuePasswordReset(ctx, q, store.NewPasswordReset{ContestID: a.cfg.ContestID, ContestantID: contestantID,
		Kind: store.ResetCode, Channel: channel, SecretHash: a.codeHash(contestantID, code), IssuedBy: issuedBy,
		RevokeAll: channel == store.ChannelHelpdesk, Now: now, Expires: now.Add(ttl)})
	if err != nil {
		return "", time.Time{}, err
	}
	return code, now.Add(ttl), nil
}

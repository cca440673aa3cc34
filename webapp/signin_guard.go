package webapp

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/store"
)

// harderHeader marks a form sent back because its challenge was too easy for now.
const harderHeader = "X-Challenge-Harder"

// signinPolicy is how guessing is bounded on one sign-in form.
type signinPolicy struct {
	// kind names the counters (contestants and organizers are counted apart).
	kind string
	// pairLimit is how many tries a login gets from one network per window; beyond it
	// that network waits for the window to end (the owner elsewhere is not affected).
	pairLimit int
	// pairHarder is the try from which the network's challenge gets harder for the login.
	pairHarder int
	// loginHarder is how many tries at one login from every network together make its
	// challenge harder for everyone (an attack spread over many networks).
	loginHarder int
	window      time.Duration
}

var (
	contestantSignin = signinPolicy{kind: "signin", pairLimit: 8, pairHarder: 3, loginHarder: 30, window: 15 * time.Minute}
	organizerSignin  = signinPolicy{kind: "console-signin", pairLimit: 5, pairHarder: 2, loginHarder: 15, window: 15 * time.Minute}
)

// refusal is why a sign-in was not tried, and how to answer.
type refusal struct {
	status int
	code   string
	args   []any
	// retryAfter, in seconds, goes in the Retry-After header when set.
	retryAfter int
	// bits is the difficulty of the challenge the form shown back must carry.
	bits int
	err  error
}

// signinTry is a sign-in that passed the guards: its room to hash is held until finish.
type signinTry struct {
	pair, login store.Counter
	release     func()
}

// beginSignin runs the guards: the counters' reading, the challenge and room to hash (see
// admit), then the try is counted before any password is checked — count first, then
// decide, so concurrent guesses cannot all slip under the limit.
func (a *App) beginSignin(c *gin.Context, p signinPolicy, login string) (*signinTry, *refusal) {
	ctx := c.Request.Context()
	net := clientNet(c)
	t := &signinTry{
		pair:  store.Counter{Key: store.CounterKey(p.kind, login, net), Window: p.window},
		login: store.Counter{Key: store.CounterKey(p.kind+"-login", login), Window: p.window},
	}
	counts, err := store.Counts(ctx, a.cfg.Pool, t.pair, t.login, netFailCounter(net), netRegCounter(net))
	if err != nil {
		return nil, &refusal{err: err}
	}
	pairTries, loginTries := counts[0], counts[1]
	extra := networkExtra(counts[2], counts[3])
	if pairTries >= p.pairHarder {
		extra = max(extra, 2)
	}
	if loginTries >= p.loginHarder {
		extra = max(extra, maxExtraBits)
	}
	need := a.cfg.ChallengeBits + extra
	if pairTries >= p.pairLimit {
		a.metrics.refused(p.kind + "_limit")
		return nil, &refusal{status: http.StatusTooManyRequests, code: "error.accountLocked",
			args: []any{int(p.window.Minutes())}, retryAfter: int(p.window.Seconds()), bits: need}
	}
	release, refused := a.admit(c, need, extra)
	if refused != nil {
		return nil, refused
	}
	tries, err := store.Count(ctx, a.cfg.Pool, t.pair)
	if err == nil {
		_, err = store.Count(ctx, a.cfg.Pool, t.login)
	}
	if err != nil {
		release()
		return nil, &refusal{err: err}
	}
	if tries > p.pairLimit {
		release()
		a.metrics.refused(p.kind + "_limit")
		return nil, &refusal{status: http.StatusTooManyRequests, code: "error.accountLocked",
			args: []any{int(p.window.Minutes())}, retryAfter: int(p.window.Seconds()), bits: need}
	}
	t.release = release
	return t, nil
}

// admit runs the steps that sign-in and registration share, in an order that spends
// nothing a retry would need while the server is busy: the challenge's signature (no
// database), room to hash a password (waiting in line), then the challenge is spent and
// its answer checked. need is the difficulty the network must solve now, extra how far it
// is above the base. It returns the room to hash, to give back when done.
func (a *App) admit(c *gin.Context, need, extra int) (release func(), r *refusal) {
	ctx := c.Request.Context()
	ans := challengeAnswer{token: c.PostForm("challenge"), work: c.PostForm("work"), digits: c.PostForm("digits")}
	ch, err := a.parseChallenge(ans.token)
	if err != nil {
		return nil, a.challengeRefusal(c, err, need)
	}
	release, err = a.hashes.Acquire(ctx, password.MemoryKiB)
	if err != nil {
		return nil, a.busyRefusal(err, need)
	}
	// A token drawn a moment before the network's counters rose is still good for one
	// bit less: people behind a busy address are not sent back for a race they lost.
	if err := a.checkChallenge(ctx, ch, ans, need-1, extra); err != nil {
		release()
		return nil, a.challengeRefusal(c, err, need)
	}
	return release, nil
}

// finish gives the room to hash back and records the outcome: success forgives the
// network's earlier tries at this login, failure counts against the network.
func (t *signinTry) finish(a *App, c *gin.Context, ok bool) {
	t.release()
	if ok {
		if err := store.Reset(context.WithoutCancel(c.Request.Context()), a.cfg.Pool, t.pair); err != nil {
			a.log(c).Warn("reset sign-in counter", "err", err)
		}
		return
	}
	a.suspect(c)
}

// challengeRefusal answers a failed challenge; a failure a script would make counts
// against the network.
func (a *App) challengeRefusal(c *gin.Context, err error, need int) *refusal {
	for _, known := range []error{errChallengeMissing, errChallengeInvalid, errChallengeExpired, errChallengeReplayed, errChallengeTooFast, errChallengeHarder} {
		if errors.Is(err, known) {
			a.metrics.refused("challenge_" + known.Error()[len("challenge."):])
			if known == errChallengeInvalid || known == errChallengeReplayed {
				a.suspect(c)
			}
			return &refusal{status: http.StatusUnprocessableEntity, code: known.Error(), bits: need}
		}
	}
	return &refusal{err: err}
}

// busyRefusal answers when there is no room to hash a password in time: 503 with a
// Retry-After the page's script follows by itself: when the gate expects room, spread over
// up to half as long again so retries do not arrive as one.
func (a *App) busyRefusal(err error, need int) *refusal {
	if !errors.Is(err, password.ErrBusy) {
		return &refusal{err: err}
	}
	a.metrics.refused("busy")
	return &refusal{status: http.StatusServiceUnavailable, code: "error.busy", retryAfter: busyRetryAfter(err), bits: need}
}

// busyRetryAfter is the Retry-After, in seconds, for a refusal of the password gate.
func busyRetryAfter(err error) int {
	wait := 2 * time.Second
	if be, ok := errors.AsType[*password.BusyError](err); ok {
		wait = be.RetryAfter
	}
	secs := int(wait.Round(time.Second) / time.Second)
	return max(secs, 1) + rand.IntN(max(secs, 1)/2+2)
}

// answer writes a refusal: an unexpected error as such, otherwise the form again (show)
// with the message and a fresh challenge of the right difficulty.
func (r *refusal) answer(a *App, c *gin.Context, internal func(error), show func(status int, msg string, ch challenge)) {
	if r.err != nil {
		internal(r.err)
		return
	}
	if r.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(r.retryAfter))
	}
	if r.code == errChallengeHarder.Error() {
		// The page's script solves the harder challenge in the page it gets back and sends
		// the form again by itself.
		c.Header(harderHeader, "1")
	}
	show(r.status, a.translatorFor(c).T(r.code, r.args...), a.newChallenge(r.bits))
}

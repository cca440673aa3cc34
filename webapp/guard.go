package webapp

import (
	"context"
	"math/bits"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/store"
)

// Guards against guessing and floods, shared by every replica (counters in PostgreSQL).
// Many real people share one address (a carrier's CGNAT, an agency's office, a school's
// lab), so an address is never refused outright: a network that misbehaves (failed
// sign-ins, failed challenges, registrations beyond what an office produces) is made to
// solve harder challenges. Guessing a password is bounded per (login, network), so a
// stranger elsewhere cannot lock the owner out, and a login attacked from many networks
// only gets harder challenges, never a lock.
const (
	netWindow = 15 * time.Minute
	regWindow = time.Hour
	// netFreeFailures and netFreeRegistrations are what a busy shared address produces
	// without being suspect; beyond them each doubling adds a bit of difficulty.
	netFreeFailures      = 20
	netFreeRegistrations = 100
	// maxExtraBits bounds the escalation: +4 bits is 16 times the work, a few seconds on
	// an old phone (docs/BENCHMARKS.md).
	maxExtraBits = 4
)

func netFailCounter(net string) store.Counter {
	return store.Counter{Key: store.CounterKey("net-fail", net), Window: netWindow}
}

func netRegCounter(net string) store.Counter {
	return store.Counter{Key: store.CounterKey("net-register", net), Window: regWindow}
}

// doublings is 0 below free, then 1 + how many times n doubled free.
func doublings(n, free int) int {
	if n < free {
		return 0
	}
	return bits.Len(uint(n / free))
}

// networkExtra is how many bits above the base difficulty a network's challenges need.
func networkExtra(failures, registrations int) int {
	return min(maxExtraBits, doublings(failures, netFreeFailures)+doublings(registrations, netFreeRegistrations))
}

// formChallenge is the challenge a form shows this client: the base difficulty plus what
// its network's behaviour adds. When the counters cannot be read, the base is used (the
// check at submission reads them again).
func (a *App) formChallenge(c *gin.Context) challenge {
	net := clientNet(c)
	counts, err := store.Counts(c.Request.Context(), a.cfg.Pool, netFailCounter(net), netRegCounter(net))
	extra := 0
	if err == nil {
		extra = networkExtra(counts[0], counts[1])
	}
	return a.newChallenge(a.cfg.ChallengeBits + extra)
}

// suspect counts one failure (a wrong password, a failed challenge) against the client's
// network. Errors are logged, not shown: the request already failed for its own reason.
func (a *App) suspect(c *gin.Context) {
	if _, err := store.Count(context.WithoutCancel(c.Request.Context()), a.cfg.Pool, netFailCounter(clientNet(c))); err != nil {
		a.log(c).Warn("count a failure", "err", err)
	}
}

package webapp

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// keyLimiter is a token bucket per key (a contestant, an address), per replica on purpose:
// cheap, no database write per request. It is the first line against a script hammering
// one route; the limits that must hold across replicas (sign-in tries, a network's
// failures) are counted in PostgreSQL. Idle buckets are swept, and the number of buckets is
// bounded so a flood of new keys cannot grow memory without limit.
type keyLimiter struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	max     int
	buckets map[string]*keyBucket
	sweep   time.Time
}

type keyBucket struct {
	lim  *rate.Limiter
	last time.Time
}

const maxLimiterKeys = 200_000

func newKeyLimiter(perSecond float64, burst int) *keyLimiter {
	return &keyLimiter{limit: rate.Limit(perSecond), burst: burst, max: maxLimiterKeys, buckets: map[string]*keyBucket{}}
}

// allow takes a token for key, or says how long until one is free.
func (l *keyLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute || len(l.buckets) >= l.max {
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Minute {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.max {
			// Full of keys active this minute: refuse newcomers rather than grow.
			return false, time.Second
		}
		b = &keyBucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.last = now
	if b.lim.AllowN(now, 1) {
		return true, 0
	}
	// Refused: how long until a token is free, without keeping the reservation.
	r := b.lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return false, d
}

// limitContestant bounds how fast one signed-in person may start attempts and save
// answers: per account, never per address, so the many people behind one shared address
// do not share a budget.
func (a *App) limitContestant(c *gin.Context) {
	id, _ := contestantID(c)
	a.limited(c, a.perContestant, "c"+strconv.FormatInt(id, 10), "contestant_rate")
}

// limitAddress bounds a cheap anonymous route per network (the challenge picture).
func (a *App) limitAddress(c *gin.Context) {
	a.limited(c, a.perAddress, clientNet(c), "address_rate")
}

func (a *App) limited(c *gin.Context, l *keyLimiter, key, reason string) {
	ok, wait := l.allow(key, time.Now())
	if ok {
		c.Next()
		return
	}
	a.metrics.refused(reason)
	c.Header("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
	a.fail(c, http.StatusTooManyRequests, "error.rateLimited")
}

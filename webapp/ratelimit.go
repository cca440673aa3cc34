package webapp

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// ipLimiter is a token bucket per client address, the first line against floods. It is
// per replica on purpose (cheap, no database write per request); the limits that must hold
// across replicas — failed sign-ins per account, registrations per address — are counted
// in PostgreSQL (store.Hit).
type ipLimiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newIPLimiter(rate, burst float64) *ipLimiter {
	return &ipLimiter{rate: rate, burst: burst, buckets: map[string]*bucket{}}
}

func (l *ipLimiter) allow(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Minute {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[ip]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[ip] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (a *App) limitIP(c *gin.Context) {
	if !a.limiter.allow(c.ClientIP(), time.Now()) {
		a.metrics.refused("rate_limited")
		c.Header("Retry-After", "2")
		a.fail(c, http.StatusTooManyRequests, "error.rateLimited")
		return
	}
	c.Next()
}

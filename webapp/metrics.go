package webapp

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dxcontest/contest-platform/internal/password"
)

// metrics are the web app's Prometheus metrics.
type metrics struct {
	latency   *prometheus.HistogramVec
	started   *prometheus.CounterVec
	submitted *prometheus.CounterVec
	refusals  *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "contest_web_request_duration_seconds",
			Help:    "HTTP request latency by route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route", "code"}),
		started: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "contest_attempts_started_total", Help: "Attempts started, by round.",
		}, []string{"round"}),
		submitted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "contest_attempts_submitted_total", Help: "Attempts submitted, by round.",
		}, []string{"round"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "contest_refusals_total", Help: "Requests refused by a rule, by reason.",
		}, []string{"reason"}),
	}
	for _, c := range []prometheus.Collector{m.latency, m.started, m.submitted, m.refusals} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) refused(reason string) { m.refusals.WithLabelValues(reason).Inc() }

// watchHashes exports how full the password-hashing gate is: sign-ins waiting in line and
// the memory admitted, against its budget.
func watchHashes(reg prometheus.Registerer, g *password.Gate) error {
	for _, c := range []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "contest_password_hash_waiting",
			Help: "Sign-ins and registrations waiting for room to hash a password."}, func() float64 { return float64(g.Waiting()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "contest_password_hash_memory_bytes",
			Help: "Memory admitted to password hashing now."}, func() float64 { return float64(g.InUseKiB() << 10) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "contest_password_hash_budget_bytes",
			Help: "Memory password hashing may take at once."}, func() float64 { return float64(g.BudgetKiB() << 10) }),
	} {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// measure records each request's latency under its route pattern (never the raw path, so
// attempt ids do not explode the label set).
func (a *App) measure(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	a.metrics.latency.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Observe(time.Since(start).Seconds())
}

func (a *App) serveMetrics(c *gin.Context) {
	a.MetricsHandler().ServeHTTP(c.Writer, c.Request)
}

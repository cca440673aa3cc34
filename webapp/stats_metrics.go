package webapp

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// newStatsHistogram times the counts of round statistics, by result (ok, error).
func newStatsHistogram(reg prometheus.Registerer) (*prometheus.HistogramVec, error) {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "contest_round_stats_count_seconds",
		Help:    "Time to count a round's statistics from scratch (one replica at a time, at most once per --stats-max-age while someone looks, spaced out by --stats-spacing).",
		Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120},
	}, []string{"result"})
	return h, reg.Register(h)
}

func (s *roundStats) observe(result string, took time.Duration) {
	if s.counted != nil {
		s.counted.WithLabelValues(result).Observe(took.Seconds())
	}
}

// poolCollector exports the database pools' use, so that operators see organizers'
// work waiting on its own connections while contestants' do not.
type poolCollector struct {
	pools                         map[string]*pgxpool.Pool // by name: contestants, console, read
	conns, max, waits, waitSecond *prometheus.Desc
}

func newPoolCollector(pools map[string]*pgxpool.Pool) *poolCollector {
	return &poolCollector{pools: pools,
		conns: prometheus.NewDesc("contest_db_pool_connections", "Connections of a database pool by state (acquired, idle).",
			[]string{"pool", "state"}, nil),
		max: prometheus.NewDesc("contest_db_pool_max_connections", "The most connections a database pool opens.",
			[]string{"pool"}, nil),
		waits: prometheus.NewDesc("contest_db_pool_acquire_waits_total", "Acquires that waited for a connection of the pool.",
			[]string{"pool"}, nil),
		waitSecond: prometheus.NewDesc("contest_db_pool_acquire_wait_seconds_total", "Time spent waiting for a connection of the pool.",
			[]string{"pool"}, nil),
	}
}

func (p *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- p.conns
	ch <- p.max
	ch <- p.waits
	ch <- p.waitSecond
}

func (p *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, pool := range p.pools {
		st := pool.Stat()
		ch <- prometheus.MustNewConstMetric(p.conns, prometheus.GaugeValue, float64(st.AcquiredConns()), name, "acquired")
		ch <- prometheus.MustNewConstMetric(p.conns, prometheus.GaugeValue, float64(st.IdleConns()), name, "idle")
		ch <- prometheus.MustNewConstMetric(p.max, prometheus.GaugeValue, float64(st.MaxConns()), name)
		ch <- prometheus.MustNewConstMetric(p.waits, prometheus.CounterValue, float64(st.EmptyAcquireCount()), name)
		ch <- prometheus.MustNewConstMetric(p.waitSecond, prometheus.CounterValue, st.EmptyAcquireWaitTime().Seconds(), name)
	}
}

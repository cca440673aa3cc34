package controllers

import (
	"github.com/prometheus/client_golang/prometheus"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// Metrics are the operator's Prometheus metrics, registered on the manager's registry.
type Metrics struct {
	phase       *prometheus.GaugeVec
	transitions *prometheus.CounterVec
	scaling     *prometheus.CounterVec
	skew        *prometheus.HistogramVec
}

var allPhases = []contestv1alpha1.RoundPhase{
	contestv1alpha1.PhaseScheduled, contestv1alpha1.PhaseOpen, contestv1alpha1.PhaseClosed,
	contestv1alpha1.PhaseRanking, contestv1alpha1.PhaseRanked, contestv1alpha1.PhaseFailed,
}

// NewMetrics creates the metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		phase: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "contest_round_phase",
			Help: "1 for the phase a ContestRound is in, 0 for the others.",
		}, []string{"namespace", "round", "phase"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "contest_round_transitions_total",
			Help: "Phase transitions observed by the operator, by the phase entered.",
		}, []string{"phase"}),
		scaling: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "contest_round_scaling_operations_total",
			Help: "Patches of the exam web Deployment replicas or its HPA's minReplicas.",
		}, []string{"target", "direction", "result"}),
		skew: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "contest_round_transition_skew_seconds",
			Help:    "Observed transition time minus the declared time (opensAt, closesAt).",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300},
		}, []string{"phase"}),
	}
	for _, c := range []prometheus.Collector{m.phase, m.transitions, m.scaling, m.skew} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) setPhase(namespace, round string, phase contestv1alpha1.RoundPhase) {
	if m == nil {
		return
	}
	for _, p := range allPhases {
		v := 0.0
		if p == phase {
			v = 1
		}
		m.phase.WithLabelValues(namespace, round, string(p)).Set(v)
	}
}

func (m *Metrics) forget(namespace, round string) {
	if m == nil {
		return
	}
	m.phase.DeletePartialMatch(prometheus.Labels{"namespace": namespace, "round": round})
}

func (m *Metrics) transition(phase contestv1alpha1.RoundPhase, skewSeconds float64, declared bool) {
	if m == nil {
		return
	}
	m.transitions.WithLabelValues(string(phase)).Inc()
	if declared {
		m.skew.WithLabelValues(string(phase)).Observe(skewSeconds)
	}
}

func (m *Metrics) scaled(target, direction string, err error) {
	if m == nil {
		return
	}
	result := "success"
	if err != nil {
		result = "error"
	}
	m.scaling.WithLabelValues(target, direction, result).Inc()
}

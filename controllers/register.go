package controllers

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/controller"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// ManagerName is the operator's name as reporting controller of its events.
const ManagerName = "contest-operator"

// Config is what the operator's controllers need besides the manager.
type Config struct {
	Clock      Clock
	Registerer prometheus.Registerer
	Controller controller.Options
	RankJob    RankJobConfig
}

// Register adds every controller of the operator to the manager.
func Register(mgr ctrl.Manager, cfg Config) error {
	metrics, err := NewMetrics(cfg.Registerer)
	if err != nil {
		return fmt.Errorf("register metrics: %w", err)
	}
	r := &ContestRoundReconciler{
		Client:    mgr.GetClient(),
		Scheme:    mgr.GetScheme(),
		Clock:     cfg.Clock,
		Recorder:  mgr.GetEventRecorder(ManagerName),
		Metrics:   metrics,
		Location:  contestv1alpha1.TimeZone(),
		APIReader: mgr.GetAPIReader(),
		RankJob:   cfg.RankJob,
	}
	if err := r.SetupWithManager(mgr, cfg.Controller); err != nil {
		return fmt.Errorf("set up ContestRound controller: %w", err)
	}
	return nil
}

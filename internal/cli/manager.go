package cli

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/controllers"
)

func managerCommand() Command {
	const summary = "Run the operator that opens, closes, scales and ranks ContestRounds."
	return Command{
		Name:    "manager",
		Summary: summary,
		Run: func(ctx context.Context, args []string, out IO) int {
			fs := newFlagSet("manager", summary, out)
			metricsAddr := fs.String("metrics-bind-address", "0", "address of the metrics endpoint: :8443 for HTTPS, :8080 for HTTP, 0 to disable")
			secureMetrics := fs.Bool("metrics-secure", true, "serve metrics over HTTPS with Kubernetes authentication and authorization")
			probeAddr := fs.String("health-probe-bind-address", ":8081", "address of the /healthz and /readyz probes")
			leaderElect := fs.Bool("leader-elect", false, "elect a leader so only one replica acts at a time")
			leaderNamespace := fs.String("leader-election-namespace", "", "namespace of the leader election Lease (default: the pod's own)")
			namespaces := fs.String("namespace", "", "comma-separated namespaces to watch (default: all)")
			concurrency := fs.Int("max-concurrent-reconciles", 2, "rounds reconciled in parallel")
			enableHTTP2 := fs.Bool("enable-http2", false, "serve metrics over HTTP/2 (off: HTTP/2 rapid-reset mitigations)")
			rankImage := fs.String("rank-image", envDefault("CONTEST_IMAGE", ""), "image of the ranking Jobs: the platform's own image (env CONTEST_IMAGE); empty disables ranking")
			rankSecret := fs.String("rank-database-secret", "contest-database", "Secret, in each round's namespace, holding the database DSN for ranking Jobs")
			rankSecretKey := fs.String("rank-database-secret-key", "dsn", "key of the DSN in that Secret")
			rankSA := fs.String("rank-service-account", "contest-rank", "service account ranking Jobs run as (the operator grants it per-round access)")
			rankDeadline := fs.Duration("rank-deadline", 30*time.Minute, "how long one ranking Job may run")
			zapOpts := zap.Options{}
			zapOpts.BindFlags(fs)
			if code, done := parseFlags(fs, args, out); done {
				return code
			}
			if *concurrency < 1 {
				fmt.Fprintln(out.Stderr, "contest manager: --max-concurrent-reconciles must be at least 1")
				return ExitUsage
			}
			ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts), zap.WriteTo(out.Stderr)))
			if err := runManager(ctx, managerOptions{
				metricsAddr: *metricsAddr, secureMetrics: *secureMetrics, enableHTTP2: *enableHTTP2,
				probeAddr: *probeAddr, leaderElect: *leaderElect, leaderNamespace: *leaderNamespace,
				namespaces: splitList(*namespaces), concurrency: *concurrency,
				rank: controllers.RankJobConfig{Image: *rankImage, DatabaseSecret: *rankSecret, DatabaseSecretKey: *rankSecretKey,
					ServiceAccount: *rankSA, ActiveDeadline: *rankDeadline, BackoffLimit: 2},
			}); err != nil {
				fmt.Fprintf(out.Stderr, "contest manager: %v\n", err)
				return ExitError
			}
			return ExitOK
		},
	}
}

type managerOptions struct {
	metricsAddr     string
	secureMetrics   bool
	enableHTTP2     bool
	probeAddr       string
	leaderElect     bool
	leaderNamespace string
	namespaces      []string
	concurrency     int
	rank            controllers.RankJobConfig
}

func runManager(ctx context.Context, o managerOptions) error {
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(contestv1alpha1.AddToScheme(scheme))

	var tlsOpts []func(*tls.Config)
	if !o.enableHTTP2 {
		tlsOpts = append(tlsOpts, func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} })
	}
	metricsOpts := metricsserver.Options{BindAddress: o.metricsAddr, SecureServing: o.secureMetrics, TLSOpts: tlsOpts}
	if o.secureMetrics {
		metricsOpts.FilterProvider = filters.WithAuthenticationAndAuthorization
	}
	var cacheOpts cache.Options
	if len(o.namespaces) > 0 {
		cacheOpts.DefaultNamespaces = map[string]cache.Config{}
		for _, ns := range o.namespaces {
			cacheOpts.DefaultNamespaces[ns] = cache.Config{}
		}
	}

	cfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("find the cluster: %w", err)
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                        scheme,
		Metrics:                       metricsOpts,
		HealthProbeBindAddress:        o.probeAddr,
		LeaderElection:                o.leaderElect,
		LeaderElectionID:              "contest-operator.dxcontest.io",
		LeaderElectionNamespace:       o.leaderNamespace,
		LeaderElectionReleaseOnCancel: true,
		Cache:                         cacheOpts,
	})
	if err != nil {
		return fmt.Errorf("create manager: %w", err)
	}
	if err := controllers.Register(mgr, controllers.Config{
		Clock:      controllers.RealClock{},
		Registerer: metrics.Registry,
		Controller: controller.Options{MaxConcurrentReconciles: o.concurrency},
		RankJob:    o.rank,
	}); err != nil {
		return err
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return fmt.Errorf("add health check: %w", err)
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return fmt.Errorf("add ready check: %w", err)
	}
	ctrl.Log.WithName("manager").Info("starting", "namespaces", o.namespaces, "leaderElection", o.leaderElect)
	if err := mgr.Start(ctx); err != nil {
		return fmt.Errorf("run manager: %w", err)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

package cli

import (
	"context"
	"crypto/tls"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
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
			namespaces := fs.String("namespace", "", "comma-separated namespaces whose rounds to run, or * for all (default: all); the installs pass the pod's own namespace")
			concurrency := fs.Int("max-concurrent-reconciles", 2, "rounds reconciled in parallel")
			enableHTTP2 := fs.Bool("enable-http2", false, "serve metrics over HTTP/2 (off: HTTP/2 rapid-reset mitigations)")
			rankImage := fs.String("rank-image", envDefault("CONTEST_IMAGE", ""), "image of the ranking Jobs: the platform's own image (env CONTEST_IMAGE); empty disables ranking")
			rankSecret := fs.String("rank-database-secret", "contest-database", "Secret, in each round's namespace, holding the database DSN for ranking Jobs")
			rankSecretKey := fs.String("rank-database-secret-key", "dsn", "key of the DSN in that Secret")
			rankSA := fs.String("rank-service-account", "contest-rank", "service account ranking Jobs run as (the operator grants it per-round access)")
			rankDeadline := fs.Duration("rank-deadline", 30*time.Minute, "how long one ranking Job may run")
			defaults := controllers.DefaultRankResources()
			rankCPURequest := fs.String("rank-cpu-request", defaults.Requests.Cpu().String(), "CPU the ranking Job's container requests (empty: none)")
			rankMemRequest := fs.String("rank-memory-request", defaults.Requests.Memory().String(), "memory the ranking Job's container requests (empty: none)")
			rankCPULimit := fs.String("rank-cpu-limit", "", "CPU limit of the ranking Job's container (empty: none)")
			rankMemLimit := fs.String("rank-memory-limit", defaults.Limits.Memory().String(), "memory limit of the ranking Job's container; GOMEMLIMIT is set to 90% of it (empty: none)")
			zapOpts := zap.Options{}
			zapOpts.BindFlags(fs)
			if code, done := parseFlags(fs, args, out); done {
				return code
			}
			if *concurrency < 1 {
				fmt.Fprintln(out.Stderr, "contest manager: --max-concurrent-reconciles must be at least 1")
				return ExitUsage
			}
			watch, err := watchNamespaces(*namespaces)
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest manager: %v\n", err)
				return ExitUsage
			}
			rankResources, err := resourceRequirements(*rankCPURequest, *rankMemRequest, *rankCPULimit, *rankMemLimit)
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest manager: ranking Job resources: %v\n", err)
				return ExitUsage
			}
			ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts), zap.WriteTo(out.Stderr)))
			if err := runManager(ctx, managerOptions{
				metricsAddr: *metricsAddr, secureMetrics: *secureMetrics, enableHTTP2: *enableHTTP2,
				probeAddr: *probeAddr, leaderElect: *leaderElect, leaderNamespace: *leaderNamespace,
				namespaces: watch, concurrency: *concurrency,
				rank: controllers.RankJobConfig{Image: *rankImage, DatabaseSecret: *rankSecret, DatabaseSecretKey: *rankSecretKey,
					ServiceAccount: *rankSA, ActiveDeadline: *rankDeadline, BackoffLimit: 2, Resources: &rankResources},
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

// watchNamespaces reads --namespace: a list, or * (or nothing) for every namespace.
func watchNamespaces(flag string) ([]string, error) {
	list := splitList(flag)
	if !slices.Contains(list, "*") {
		return list, nil
	}
	if len(list) > 1 {
		return nil, fmt.Errorf("--namespace=%s: * means every namespace and cannot be listed with others", flag)
	}
	return nil, nil
}

// resourceRequirements builds a container's requests and limits from quantities such as
// 500m or 1Gi; an empty one is left out. A request above its limit is refused here rather
// than by the API server when the Job is created, hours later, at the round's close.
func resourceRequirements(cpuRequest, memRequest, cpuLimit, memLimit string) (corev1.ResourceRequirements, error) {
	var res corev1.ResourceRequirements
	for _, q := range []struct {
		flag, value string
		list        *corev1.ResourceList
		name        corev1.ResourceName
	}{
		{"--rank-cpu-request", cpuRequest, &res.Requests, corev1.ResourceCPU},
		{"--rank-memory-request", memRequest, &res.Requests, corev1.ResourceMemory},
		{"--rank-cpu-limit", cpuLimit, &res.Limits, corev1.ResourceCPU},
		{"--rank-memory-limit", memLimit, &res.Limits, corev1.ResourceMemory},
	} {
		if q.value == "" {
			continue
		}
		v, err := resource.ParseQuantity(q.value)
		if err != nil || v.Sign() <= 0 {
			return res, fmt.Errorf("%s=%s: want a positive quantity such as 500m, 512Mi or 1Gi", q.flag, q.value)
		}
		if *q.list == nil {
			*q.list = corev1.ResourceList{}
		}
		(*q.list)[q.name] = v
	}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := res.Requests[name]
		limit, hasLimit := res.Limits[name]
		if hasReq && hasLimit && req.Cmp(limit) > 0 {
			return res, fmt.Errorf("the %s request %s is above its limit %s", name, req.String(), limit.String())
		}
	}
	return res, nil
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

package cli

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/roundsource"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/webapp"
)

const secretKeyEnv = "CONTEST_SECRET_KEY"

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func webCommand() Command {
	const summary = "Serve the exam web app for contestants."
	return Command{
		Name:    "web",
		Summary: summary,
		Run: func(ctx context.Context, args []string, out IO) int {
			fs := newFlagSet("web", summary, out)
			listen := fs.String("listen", ":8080", "address to serve HTTP on")
			metricsListen := fs.String("metrics-listen", "", "serve /metrics on this address instead of the public one (e.g. :9090), out of the ingress's reach")
			pprofListen := fs.String("pprof-listen", "", "serve Go's profiles (/debug/pprof/) on this loopback address (e.g. 127.0.0.1:6060), for kubectl port-forward; off by default")
			dsn := databaseFlag(fs)
			contest := fs.String("contest", "", "contest id to serve (default: the one all rounds share)")
			var roundFiles, proxies stringList
			fs.Var(&roundFiles, "rounds-file", "ContestRound YAML file to serve instead of watching the cluster (repeatable)")
			namespace := fs.String("namespace", envDefault("POD_NAMESPACE", "default"), "namespace whose ContestRounds to serve")
			fs.Var(&proxies, "trusted-proxy", "address or CIDR of the ingress, whose X-Forwarded-For is trusted (repeatable)")
			secure := fs.Bool("secure-cookies", true, "mark cookies Secure (turn off only for plain-HTTP local runs)")
			bits := fs.Int("challenge-bits", 16, "proof-of-work difficulty of the anti-robot challenge (leading zero bits; a misbehaving network gets up to 4 more)")
			remember := fs.Duration("remember-signin", 30*24*time.Hour, "how long a sign-in lasts when the person ticks \"Ghi nhớ đăng nhập\" (0: the box is not offered)")
			hashMemory := fs.Int("password-hash-memory", 0, "MiB that password checks in flight may take together, 19 MiB each (default: one check per CPU); sign-ins beyond it wait in line, then get 503")
			var origins stringList
			fs.Var(&origins, "trusted-origin", "another origin (https://host) whose pages may post to this app, e.g. behind a second domain (repeatable)")
			migrate := fs.Bool("migrate", false, "apply database migrations before serving")
			drainDelay := fs.Duration("drain-delay", 5*time.Second, "on SIGTERM, how long /readyz fails before the server stops accepting")
			shutdownTimeout := fs.Duration("shutdown-timeout", 30*time.Second, "how long in-flight requests (submits) may take to finish on shutdown")
			recovery := addRecoveryFlags(fs)
			consoleDB := addConsoleDBFlags(fs)
			if code, done := parseFlags(fs, args, out); done {
				return code
			}
			logger := slog.New(slog.NewJSONHandler(out.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
			if *pprofListen != "" {
				if err := checkPprofAddr(*pprofListen); err != nil {
					fmt.Fprintf(out.Stderr, "contest web: %v\n", err)
					return ExitUsage
				}
			}
			key, err := secretKey()
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest web: %v\n", err)
				return ExitUsage
			}
			recoverWith, err := recovery.settings()
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest web: account recovery: %v\n", err)
				return ExitUsage
			}
			pool, code, ok := openDatabase(ctx, "web", *dsn, out)
			if !ok {
				return code
			}
			defer pool.Close()
			organizers, closeConsole, err := consoleDB.open(ctx, *dsn)
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest web: %v\n", err)
				return ExitUsage
			}
			defer closeConsole()
			if *migrate {
				if _, err := store.Migrate(ctx, pool); err != nil {
					fmt.Fprintf(out.Stderr, "contest web: %v\n", err)
					return ExitError
				}
			}
			rounds, err := openRounds(ctx, roundFiles, *namespace)
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest web: %v\n", err)
				return ExitUsage
			}
			if *contest == "" {
				if *contest, err = onlyContest(ctx, rounds); err != nil {
					fmt.Fprintf(out.Stderr, "contest web: %v\n", err)
					return ExitUsage
				}
			}
			if err := provisionAccounts(ctx, pool, logger); err != nil {
				fmt.Fprintf(out.Stderr, "contest web: organizer accounts: %v\n", err)
				return ExitError
			}
			reg := prometheus.NewRegistry()
			reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
			cfg := webapp.Config{
				Pool: pool, Rounds: rounds, ContestID: *contest, SecretKey: key, Logger: logger,
				Registerer: reg, Gatherer: reg, SeparateMetrics: *metricsListen != "", ChallengeBits: *bits, RememberTTL: rememberTTL(*remember), SecureCookies: *secure, TrustedProxies: proxies,
				TrustedOrigins: origins, PasswordHashMemoryMiB: *hashMemory,
				Attempts: attempt.New(store.NewAttempts(pool), func(ctx context.Context, name string, version int) (*bank.Bank, error) {
					return store.LoadBank(ctx, pool, name, version)
				}),
				Localities: webapp.CachedLocalities(func(ctx context.Context, id string) ([]locality.Locality, error) {
					return store.ListLocalities(ctx, pool, id)
				}, 5*time.Minute),
				ConsoleDB: organizers,
			}
			recoverWith.set(&cfg)
			logRecovery(logger, cfg)
			app, err := webapp.New(cfg)
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest web: %v\n", err)
				return ExitError
			}
			for _, p := range app.CheckRounds(ctx) {
				logger.Error("round not ready", "problem", p.Error())
			}
			for _, w := range app.RevealWarnings(ctx) {
				logger.Warn("answer key shared between rounds", "problem", w)
			}
			if *metricsListen != "" {
				ln, err := net.Listen("tcp", *metricsListen)
				if err != nil {
					fmt.Fprintf(out.Stderr, "contest web: listen for metrics on %s: %v\n", *metricsListen, err)
					return ExitError
				}
				msrv := &http.Server{Handler: app.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
				go func() { _ = msrv.Serve(ln) }()
				defer msrv.Close()
			}
			if *pprofListen != "" {
				bound, stop, err := servePprof(*pprofListen)
				if err != nil {
					fmt.Fprintf(out.Stderr, "contest web: %v\n", err)
					return ExitError
				}
				defer stop()
				logger.Info("serving profiles", "addr", bound)
			}
			if err := serve(ctx, app, logger, *listen, *drainDelay, *shutdownTimeout); err != nil {
				fmt.Fprintf(out.Stderr, "contest web: %v\n", err)
				return ExitError
			}
			return ExitOK
		},
	}
}

// serve runs the app until ctx ends (SIGTERM), then drains: /readyz fails for drainDelay so
// the Service stops routing here, and in-flight requests, submits among them, finish.
func serve(ctx context.Context, app *webapp.App, logger *slog.Logger, addr string, drainDelay, timeout time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	sweepCtx, stopSweep := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSweep()
	go app.RunSweeper(sweepCtx, 30*time.Second)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down: draining")
	app.Drain()
	time.Sleep(drainDelay)
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	// A review queue scan running here stops and gives its lease back to the other replicas.
	app.StopScans()
	// Reset messages accepted before the shutdown are still sent, within the same budget.
	if err := app.WaitDeliveries(sctx); err != nil {
		logger.Warn("reset messages still being sent at shutdown", "err", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

func openRounds(ctx context.Context, files []string, namespace string) (webapp.RoundSource, error) {
	if len(files) > 0 {
		return roundsource.FromFiles(ctx, files, namespace)
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return nil, fmt.Errorf("no --rounds-file and no cluster to watch: %w", err)
	}
	return roundsource.NewKube(ctx, cfg, namespace)
}

func onlyContest(ctx context.Context, rounds webapp.RoundSource) (string, error) {
	list, err := rounds.Rounds(ctx)
	if err != nil {
		return "", err
	}
	ids := map[string]bool{}
	for _, r := range list {
		ids[r.Spec.Contest.ID] = true
	}
	if len(ids) != 1 {
		return "", fmt.Errorf("the rounds belong to %d contests: say which one with --contest", len(ids))
	}
	for id := range ids {
		return id, nil
	}
	return "", nil
}

// secretKey reads the signing key from the environment (a Kubernetes Secret): at least 32
// bytes, raw or base64.
func secretKey() ([]byte, error) {
	v := os.Getenv(secretKeyEnv)
	if v == "" {
		return nil, fmt.Errorf("%s is not set: give the web app a secret key of at least 32 bytes (e.g. `openssl rand -base64 48`), the same on every replica", secretKeyEnv)
	}
	if b, err := base64.StdEncoding.DecodeString(v); err == nil && len(b) >= 32 {
		return b, nil
	}
	if len(v) < 32 {
		return nil, fmt.Errorf("%s is too short: it needs at least 32 bytes", secretKeyEnv)
	}
	return []byte(v), nil
}

func envDefault(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// rememberTTL maps the flag to the app's setting, where 0 means the default and a
// negative value turns the box off.
func rememberTTL(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}

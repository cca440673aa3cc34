// Package webapp is the exam web app: contestants register, take timed attempts and see
// their results; handlers stay thin (parse → domain/store call → render).
package webapp

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/semaphore"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/locale"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/notify"
	"github.com/dxcontest/contest-platform/internal/password"
)

// RoundSource lists the rounds the web app serves: from the Kubernetes API (a read-only
// cache) or from validated YAML files. The list is shared and read-only; a source returns
// the same slice for as long as its rounds do not change (the app keeps its contest's
// rounds, sorted, per slice it was given).
type RoundSource interface {
	Rounds(ctx context.Context) ([]contestv1alpha1.ContestRound, error)
}

// LocalityLoader returns the contest's localities.
type LocalityLoader func(ctx context.Context, contestID string) ([]locality.Locality, error)

// Config is everything the web app needs; secrets come from the environment.
type Config struct {
	// Pool serves contestants. The console has its own pools (ConsolePool, ReadPool and
	// the settings below, webapp/dbpools.go).
	Pool   *pgxpool.Pool
	Rounds RoundSource
	// Attempts starts, saves, submits and closes attempts, and holds the bank versions.
	Attempts   *attempt.Service
	Localities LocalityLoader
	// ContestID is the contest this app serves (rounds of other contests are ignored).
	ContestID string
	// SecretKey signs sessions and challenges; shared by every replica.
	SecretKey []byte
	Logger    *slog.Logger
	// Registerer receives the app's Prometheus metrics; Gatherer serves /metrics.
	Registerer prometheus.Registerer
	Gatherer   prometheus.Gatherer
	// SeparateMetrics leaves /metrics off the public handler; MetricsHandler serves it on a
	// port the ingress does not reach.
	SeparateMetrics bool
	// ChallengeBits is the proof-of-work difficulty (leading zero bits).
	ChallengeBits int
	// SecureCookies marks cookies Secure (behind HTTPS, as in production).
	SecureCookies bool
	// TrustedProxies are the ingress addresses whose X-Forwarded-For is believed.
	TrustedProxies []string
	// TrustedOrigins are other origins (scheme://host[:port]) whose pages may post to this
	// app; by default only pages of the app's own origin may.
	TrustedOrigins []string
	// ContestantRate and ContestantBurst bound how fast one signed-in person may start
	// attempts and save answers, per replica (token bucket: per second, burst).
	ContestantRate  float64
	ContestantBurst int
	// PasswordHashMemoryMiB is the memory that password checks in flight may take
	// together (each argon2id check takes 19 MiB; default: one check per CPU); sign-ins
	// beyond it wait in line, at most PasswordHashQueue of them (negative: none) for at most
	// PasswordHashWait, before the app answers 503.
	PasswordHashMemoryMiB int
	PasswordHashQueue     int
	PasswordHashWait      time.Duration
	// SessionTTL is how long a sign-in lasts; RememberTTL how long one lasts when the person
	// ticks "Ghi nhớ đăng nhập" (negative: the box is not offered), so a later round's
	// opening does not need everyone to sign in again. SessionCheckTTL is how long a replica
	// trusts what it read of a person's sessions (ending them reaches other replicas within it).
	SessionTTL      time.Duration
	RememberTTL     time.Duration
	SessionCheckTTL time.Duration
	// Account recovery (docs/web.md): Mailer sends password reset links by email, and then
	// PublicURL (the address people open the site at, e.g. https://thi.example.gov.vn) is
	// required, for a link never takes the request's Host; SMS sends reset codes. With
	// neither, the recovery page sends people to the helpdesk: HelpdeskContact, how to
	// reach the organizers, when set. SMSText replaces the catalog's SMS ({code} and
	// {minutes} filled in; providers send only templates registered with them); SMSPerHour
	// bounds the codes all replicas send by SMS in an hour (default 600).
	Mailer          notify.Mailer
	SMS             notify.Sender
	PublicURL       string
	HelpdeskContact string
	SMSText         string
	SMSPerHour      int
	// Now is the app's clock, used for display and token expiry only: every rule about
	// rounds and attempts is decided by the database clock.
	Now func() time.Time
	ConsoleDB
}

// App is the exam web app.
type App struct {
	cfg      Config
	signer   signer
	loc      *time.Location
	pages    map[string]*template.Template
	assets   *assets
	metrics  *metrics
	attempts *attempt.Service
	counts   *countCache
	items    *itemsCache
	// ours is the contest's rounds, sorted, as of the last list the source returned.
	ours atomic.Pointer[ourRounds]
	// perContestant and perAddress are per-replica token buckets.
	perContestant *keyLimiter
	perAddress    *keyLimiter
	// perUnitSearch bounds the unit searches an address sends to the database.
	perUnitSearch *keyLimiter
	units         *unitList
	unitSearches  *searchCache
	// hashes bounds the memory password hashing takes at once.
	hashes   *password.Gate
	origins  *http.CrossOriginProtection
	console  *console
	stats    *roundStats
	reports  *semaphore.Weighted
	recovery *recovery
	epochs   *sessionEpochs
	// scans runs the review queue's scans in the background and keeps their results.
	scans *scans
	// banners keeps the banner kit drawn; embeds the widget's pages (embed.go).
	banners *bannerKit
	// certs draws certificates and checks their codes (certificates.go, verify.go).
	certs         *certificates
	embeds        embedCache
	embedTemplate *template.Template
	// correcting admits one key correction's computation (preview or apply) at a time
	// per replica: each reads a whole round.
	correcting chan struct{}
	draining   atomic.Bool
	engine     *gin.Engine
}

// New builds the app and its routes.
func New(cfg Config) (*App, error) {
	if cfg.Pool == nil || cfg.Rounds == nil || cfg.Attempts == nil || cfg.Localities == nil {
		return nil, errors.New("webapp: Pool, Rounds, Attempts and Localities are required")
	}
	if len(cfg.SecretKey) < 32 {
		return nil, errors.New("webapp: the secret key must have at least 32 bytes")
	}
	if cfg.ContestID == "" {
		return nil, errors.New("webapp: ContestID is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ChallengeBits == 0 {
		cfg.ChallengeBits = 16
	}
	if cfg.ContestantRate == 0 {
		// An exam page saves at most about once a second; a script goes faster.
		cfg.ContestantRate, cfg.ContestantBurst = 3, 30
	}
	if cfg.PasswordHashMemoryMiB == 0 {
		// One check per CPU the process may use: more would add memory, not throughput
		// (argon2id here is one lane, CPU-bound).
		cfg.PasswordHashMemoryMiB = runtime.GOMAXPROCS(0) * (password.MemoryKiB >> 10)
	}
	if cfg.PasswordHashQueue == 0 {
		cfg.PasswordHashQueue = 512
	}
	if cfg.PasswordHashWait == 0 {
		cfg.PasswordHashWait = 10 * time.Second
	}
	if cfg.RememberTTL == 0 {
		cfg.RememberTTL = 30 * 24 * time.Hour
	}
	if cfg.SessionCheckTTL <= 0 {
		cfg.SessionCheckTTL = defaultEpochTTL
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Registerer == nil {
		reg := prometheus.NewRegistry()
		cfg.Registerer, cfg.Gatherer = reg, reg
	}
	if err := locale.Check(); err != nil {
		return nil, err
	}
	if err := checkRecoveryConfig(&cfg); err != nil {
		return nil, err
	}
	loc := contestv1alpha1.TimeZone()
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	st, err := loadAssets()
	if err != nil {
		return nil, err
	}
	a := &App{
		cfg:           cfg,
		signer:        signer{key: cfg.SecretKey},
		loc:           loc,
		assets:        st,
		metrics:       m,
		attempts:      cfg.Attempts,
		items:         &itemsCache{},
		perContestant: newKeyLimiter(cfg.ContestantRate, cfg.ContestantBurst),
		perAddress:    newKeyLimiter(2, 20),
		// A type-ahead asks once per pause in typing; one address may be a carrier's
		// gateway for many people, and answers already cached are not counted.
		perUnitSearch: newKeyLimiter(20, 100),
		units:         &unitList{pool: cfg.Pool, contest: cfg.ContestID},
		unitSearches:  &searchCache{},
		hashes:        password.NewGate(int64(cfg.PasswordHashMemoryMiB)<<10, cfg.PasswordHashQueue, cfg.PasswordHashWait),
		epochs:        newSessionEpochs(cfg.Pool, cfg.ContestID, cfg.SessionCheckTTL, cfg.Logger),
		correcting:    make(chan struct{}, 1),
		scans:         newScans(),
	}
	if err := watchHashes(cfg.Registerer, a.hashes); err != nil {
		return nil, err
	}
	if err := a.setupConsoleDB(); err != nil {
		return nil, err
	}
	a.counts = &countCache{load: a.homeCounts, ttl: 30 * time.Second}
	if a.recovery, err = newRecovery(cfg.Registerer); err != nil {
		return nil, err
	}
	if a.origins, err = newCrossOriginProtection(cfg.TrustedOrigins); err != nil {
		return nil, fmt.Errorf("trusted origins: %w", err)
	}
	if a.pages, err = parsePages(a.funcs()); err != nil {
		return nil, err
	}
	if a.console, err = newConsole(a.funcs()); err != nil {
		return nil, err
	}
	palette, err := siteColors(st.files["app.css"])
	if err != nil {
		return nil, err
	}
	a.banners = &bannerKit{palette: palette}
	if a.certs, err = newCertificates(cfg.SecretKey); err != nil {
		return nil, err
	}
	if a.embedTemplate, err = template.New("embed_round.html").Funcs(a.funcs()).ParseFS(embedded, "templates/embed_round.html"); err != nil {
		return nil, fmt.Errorf("parse template embed_round: %w", err)
	}
	if a.engine, err = a.routes(); err != nil {
		return nil, err
	}
	return a, nil
}

// Handler is the app's HTTP handler.
func (a *App) Handler() http.Handler { return a.engine }

// MetricsHandler serves the app's Prometheus metrics.
func (a *App) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(a.cfg.Gatherer, promhttp.HandlerOpts{})
}

func (a *App) now() time.Time { return a.cfg.Now() }

// Drain marks the app as shutting down: /readyz fails so the Service stops sending new
// requests while in-flight ones (submits among them) finish.
func (a *App) Drain() { a.draining.Store(true) }

func (a *App) routes() (*gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	if err := r.SetTrustedProxies(a.cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies %v: %w", a.cfg.TrustedProxies, err)
	}
	r.MaxMultipartMemory = uploadFormMemory
	r.Use(a.requestID, a.logRequests, a.recover, a.securityHeaders, a.measure, a.compress, a.language, a.limitBody, a.crossOrigin)

	r.GET("/healthz", a.healthz)
	r.GET("/readyz", a.readyz)
	if !a.cfg.SeparateMetrics {
		r.GET("/metrics", a.serveMetrics)
	}
	r.GET("/static/:file", a.serveAsset)
	r.GET("/lang/:code", a.switchLanguage)
	r.GET("/challenge.png", a.limitAddress, a.challengeImage)
	r.GET("/units", a.unitSearch)
	r.GET("/banners/:file", a.serveBanner)
	a.embedRoutes(r)

	pages := r.Group("/", a.session)
	pages.GET("/", a.home)
	pages.GET("/register", a.registerForm)
	pages.POST("/register", a.register)
	pages.GET("/signin", a.signinForm)
	pages.POST("/signin", a.signin)
	pages.POST("/signout", a.signout)
	pages.POST("/signout/everywhere", a.requireSignIn, a.signoutEverywhere)
	pages.GET("/rounds/:round/winners", a.winners)
	pages.GET("/rules", a.rulesPage)
	pages.GET("/verify", a.limitVerify, a.verifyForm)
	pages.GET("/verify/:code", a.limitVerify, a.verifyCertificate)
	a.recoveryRoutes(pages)

	me := pages.Group("/", a.requireSignIn)
	me.GET("/me", a.myAttempts)
	me.POST("/rounds/:round/attempts", a.limitContestant, a.startAttempt)
	me.GET("/attempts/:id", a.examPage)
	me.POST("/attempts/:id/answers", a.limitContestant, a.saveAnswers)
	me.POST("/attempts/:id/submit", a.limitContestant, a.submitAttempt)
	me.GET("/attempts/:id/result", a.resultPage)
	me.GET("/rounds/:round/certificates/:kind", a.limitContestant, a.myCertificate)

	a.consoleRoutes(r)

	r.NoRoute(a.session, func(c *gin.Context) { a.fail(c, http.StatusNotFound, "error.notFound") })
	r.NoMethod(func(c *gin.Context) { c.String(http.StatusMethodNotAllowed, "method not allowed") })
	return r, nil
}

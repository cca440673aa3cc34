// Package flowsql records the SQL one exam flow sends, from the app itself, and writes it
// as a pgbench script, so that pgbench measures what PostgreSQL alone can do with exactly
// the statements the store sends (docs/decisions.md, "Measuring").
//
// Record runs the real web app in this process on a pool whose pgx tracer records every
// statement with its arguments and its batch, plays one person through the load tool's
// own flow (start, exam page, 3 autosaves, submit, result page) once to warm the caches,
// then once more while recording. Script turns the recording into pgbench's language: each
// statement's text as the store wrote it, its parameters replaced by the pgbench variables
// :cid (the contestant, a new one per transaction) and :id (the attempt, which the start's
// INSERT … RETURNING hands over with \gset), or by a typed literal of the value recorded
// (the paper, the answers, the round's window), and each pgx batch as a pgbench pipeline.
// Nothing is retyped: a change to the store's SQL changes the script at the next run.
package flowsql

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/loadtest"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/webapp"
)

// Statement is one statement the app sent, with its arguments.
type Statement struct {
	SQL  string
	Args []any
	// Batch numbers the pgx batch (pipeline) the statement was sent in; 0: alone.
	Batch int
	// Request is the HTTP request the app was serving ("POST /attempts/:id/submit").
	Request string
}

// Flow is one recorded exam flow.
type Flow struct {
	Statements   []Statement
	AttemptID    int64
	ContestantID int64
	Round        string // the round's key, namespace/name
	Recorded     time.Time
}

// Options say where and as whom to record.
type Options struct {
	// DSN of a migrated database to record in; Record adds the sample bank and
	// localities when missing, its person, and attempts. Use a throwaway database: new
	// contestants' and attempts' ids are moved past 10^6 and 2·10^9, so that they cannot
	// be mistaken for other numbers the flow sends.
	DSN     string
	Contest string
	// Namespace and Round name the round the flows take attempts in; it is open from an
	// hour ago for OpenFor (default a week): pgbench must run within that window, which
	// the script carries as literals.
	Namespace, Round string
	OpenFor          time.Duration
	// Person is the number (loadtest.Phone) of the person who takes the recorded flows.
	Person int
}

// The prediction the recorded flow sends: no id of the recording can be mistaken for it.
const recordedPrediction = 987_654

// Record moves the ids of new contestants and attempts to at least these, above every
// other number a flow sends, and apart from each other.
const (
	contestantIDFloor = 1_000_000
	attemptIDFloor    = 2_000_000_000
)

// Record plays two flows through the app in this process and returns the second one's SQL.
func Record(ctx context.Context, o Options) (*Flow, error) {
	if o.OpenFor == 0 {
		o.OpenFor = 7 * 24 * time.Hour
	}
	rec := &recorder{}
	cfg, err := pgxpool.ParseConfig(o.DSN)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	defer pool.Close()
	b, err := loadtest.PrepareData(ctx, pool, o.Contest)
	if err != nil {
		return nil, err
	}
	// Ids are moved above every other number a flow sends (counts, versions, scores, the
	// prediction), so that a value equal to the contestant's or the attempt's id is one.
	for _, s := range []struct {
		table string
		floor int64
	}{{"contestant", contestantIDFloor}, {"attempt", attemptIDFloor}} {
		if _, err := pool.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), greatest($2::bigint,
			(SELECT last_value FROM pg_sequences WHERE schemaname || '.' || sequencename = pg_get_serial_sequence($1, 'id'))))`,
			s.table, s.floor); err != nil {
			return nil, fmt.Errorf("move the %s ids: %w", s.table, err)
		}
	}
	if _, err := loadtest.PreparePeople(ctx, pool, o.Contest, o.Person, 1, loadtest.DefaultPassword); err != nil {
		return nil, err
	}
	var contestant int64
	if err := pool.QueryRow(ctx, `SELECT id FROM contestant WHERE contest_id = $1 AND phone = $2`, o.Contest, loadtest.Phone(o.Person)).Scan(&contestant); err != nil {
		return nil, fmt.Errorf("find the recording person: %w", err)
	}
	round := flowRound(o, b)
	app, err := webapp.New(webapp.Config{
		Pool: pool, Rounds: staticRounds{round}, ContestID: o.Contest,
		Attempts: attempt.New(store.NewAttempts(pool), func(ctx context.Context, name string, version int) (*bank.Bank, error) {
			return store.LoadBank(ctx, pool, name, version)
		}),
		Localities: func(ctx context.Context, id string) ([]locality.Locality, error) {
			return store.ListLocalities(ctx, pool, id)
		},
		SecretKey: []byte(rand.Text() + rand.Text()),
		Logger:    slog.New(slog.NewJSONHandler(io.Discard, nil)),
	})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: rec.label(app.Handler()), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	client, err := loadtest.NewClient(loadtest.ClientOptions{BaseURL: "http://" + ln.Addr().String()})
	if err != nil {
		return nil, err
	}
	defer client.Close()
	p := client.NewPerson(o.Person, loadtest.DefaultPassword)
	if err := client.SignIn(ctx, p, loadtest.SignInStats()); err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	flow := loadtest.FlowOptions{Prediction: recordedPrediction}
	// The first flow loads the bank and prepares the statements on the connection; the
	// second is what every flow costs from then on.
	if _, _, err := client.ExamFlow(ctx, p, round.Name, loadtest.FlowStats(), flow); err != nil {
		return nil, fmt.Errorf("warm-up flow: %w", err)
	}
	rec.start()
	sub, _, err := client.ExamFlow(ctx, p, round.Name, loadtest.FlowStats(), flow)
	stmts := rec.stop()
	if err != nil {
		return nil, fmt.Errorf("recorded flow: %w", err)
	}
	if len(stmts) == 0 {
		return nil, errors.New("the flow sent no SQL")
	}
	return &Flow{Statements: stmts, AttemptID: sub.Attempt, ContestantID: contestant, Round: round.RoundKey(), Recorded: time.Now()}, nil
}

func flowRound(o Options, b *bank.Bank) contestv1alpha1.ContestRound {
	var topics []contestv1alpha1.TopicQuota
	for _, t := range b.Topics {
		if len(b.QuestionsByTopic(t.Code)) >= 3 {
			topics = append(topics, contestv1alpha1.TopicQuota{Topic: t.Code, Questions: 3})
		}
	}
	now := time.Now()
	return contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Name: o.Round, Namespace: o.Namespace},
		Spec: contestv1alpha1.ContestRoundSpec{
			Contest: contestv1alpha1.ContestRef{ID: o.Contest, Title: "pgbench"},
			Title:   "pgbench", OpensAt: metav1.NewTime(now.Add(-time.Hour)), ClosesAt: metav1.NewTime(now.Add(o.OpenFor)),
			Exam: contestv1alpha1.ExamRules{
				Bank: contestv1alpha1.BankRef{Name: b.Name, Version: int32(b.Version)}, Topics: topics,
				TotalQuestions: int32(3 * len(topics)), MaxAttempts: 3, TimeLimit: &metav1.Duration{Duration: 30 * time.Minute},
				RevealAnswers: contestv1alpha1.RevealNever,
			},
		},
	}
}

type staticRounds []contestv1alpha1.ContestRound

func (s staticRounds) Rounds(context.Context) ([]contestv1alpha1.ContestRound, error) { return s, nil }

// recorder is a pgx tracer that keeps the statements sent while it is on, and labels
// them with the HTTP request being served (one at a time: the flow is sequential).
type recorder struct {
	mu      sync.Mutex
	on      bool
	request string
	batches int
	stmts   []Statement
}

type batchKey struct{}

func (r *recorder) start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on, r.stmts = true, nil
}

func (r *recorder) stop() []Statement {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.stmts
}

func (r *recorder) add(sql string, args []any, batch int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		r.stmts = append(r.stmts, Statement{SQL: sql, Args: append([]any(nil), args...), Batch: batch, Request: r.request})
	}
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.add(d.SQL, d.Args, 0)
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *recorder) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches++
	return context.WithValue(ctx, batchKey{}, r.batches)
}

func (r *recorder) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	n, _ := ctx.Value(batchKey{}).(int)
	r.add(d.SQL, d.Args, n)
}

func (r *recorder) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// label notes the request being served, its attempt number written :id.
func (r *recorder) label(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		parts := strings.Split(req.URL.Path, "/")
		for i, p := range parts {
			if i > 0 && parts[i-1] == "attempts" && p != "" {
				parts[i] = ":id"
			}
		}
		r.mu.Lock()
		r.request = req.Method + " " + strings.Join(parts, "/")
		r.mu.Unlock()
		next.ServeHTTP(w, req)
	})
}

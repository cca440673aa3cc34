package webapp

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/pow"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

const testContest = "cds-binhthuan-2024"

// staticRounds serves rounds the test may change while the app runs.
type staticRounds struct {
	mu     sync.Mutex
	rounds []contestv1alpha1.ContestRound
}

func (s *staticRounds) Rounds(context.Context) ([]contestv1alpha1.ContestRound, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]contestv1alpha1.ContestRound(nil), s.rounds...), nil
}

func (s *staticRounds) update(name string, change func(*contestv1alpha1.ContestRound)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.rounds {
		if s.rounds[i].Name == name {
			change(&s.rounds[i])
		}
	}
}

func testRound(name string, opens, closes time.Time, limit time.Duration) contestv1alpha1.ContestRound {
	var topics []contestv1alpha1.TopicQuota
	for _, t := range bank.PlanTopics() {
		topics = append(topics, contestv1alpha1.TopicQuota{Topic: t.Code, Questions: 3})
	}
	return contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "contest"},
		Spec: contestv1alpha1.ContestRoundSpec{
			Contest:  contestv1alpha1.ContestRef{ID: testContest, Title: "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024"},
			Title:    strings.Replace(name, "dot-", "Đợt ", 1),
			OpensAt:  metav1.NewTime(opens),
			ClosesAt: metav1.NewTime(closes),
			Exam: contestv1alpha1.ExamRules{
				Bank: contestv1alpha1.BankRef{Name: "mau", Version: 1}, Topics: topics, TotalQuestions: 15, MaxAttempts: 3,
				TimeLimit:          &metav1.Duration{Duration: limit},
				PredictionQuestion: "Dự đoán có bao nhiêu người trả lời đúng cả 15/15 câu hỏi?",
				RevealAnswers:      contestv1alpha1.RevealAfterClose,
			},
			Prizes: []contestv1alpha1.Prize{{Name: "Giải Nhất", Count: 1}, {Name: "Giải Nhì", Count: 2}, {Name: "Giải Ba", Count: 3}, {Name: "Giải Khuyến khích", Count: 5}},
		},
	}
}

type env struct {
	t      *testing.T
	pool   *pgxpool.Pool
	app    *App
	srv    *httptest.Server
	rounds *staticRounds
	bank   *bank.Bank
	// seen records every contestant-facing response body, for the answer-key check.
	seenMu sync.Mutex
	seen   []recorded
}

type recorded struct {
	url  string
	body string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	b, err := bank.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveBank(ctx, pool, b); err != nil {
		t.Fatal(err)
	}
	locs, err := locality.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceLocalities(ctx, pool, testContest, locs); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	rounds := &staticRounds{rounds: []contestv1alpha1.ContestRound{
		testRound("dot-1", now.Add(-time.Hour), now.Add(time.Hour), 30*time.Minute),
		testRound("dot-2", now.Add(48*time.Hour), now.Add(96*time.Hour), 30*time.Minute),
		testRound("dot-0", now.Add(-96*time.Hour), now.Add(-48*time.Hour), 30*time.Minute),
	}}
	app, err := New(Config{
		Pool: pool, Rounds: rounds, ContestID: testContest,
		Attempts: attempt.New(store.NewAttempts(pool), func(ctx context.Context, name string, version int) (*bank.Bank, error) {
			return store.LoadBank(ctx, pool, name, version)
		}),
		Localities: func(ctx context.Context, contest string) ([]locality.Locality, error) {
			return store.ListLocalities(ctx, pool, contest)
		},
		SecretKey:      bytes.Repeat([]byte("k"), 32),
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		ChallengeBits:  6,
		ContestantRate: 10000, ContestantBurst: 10000,
		// Tests play people on different networks with X-Forwarded-For (browser.ip).
		TrustedProxies: []string{"127.0.0.1", "::1"},
		// The console counts at every view: tests read the counts they just made.
		ConsoleDB: ConsoleDB{StatsMaxAge: -1},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(srv.Close)
	// Background scans end before the database goes (cleanups run last first).
	t.Cleanup(app.StopScans)
	return &env{t: t, pool: pool, app: app, srv: srv, rounds: rounds, bank: b}
}

// browser is one person's browser: a cookie jar, no automatic redirects (tests look at them).
type browser struct {
	e      *env
	client *http.Client
	lang   string
	// ip is the address the browser comes from, as the ingress reports it; empty: loopback.
	ip string
	// ua is the browser's User-Agent; empty: Go's.
	ua string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type response struct {
	status int
	// body is the page's text with HTML entities decoded (what a person reads); raw is
	// the bytes as sent.
	body     string
	raw      string
	location string
	header   http.Header
}

func (b *browser) do(req *http.Request) response {
	b.e.t.Helper()
	if b.ip != "" {
		req.Header.Set("X-Forwarded-For", b.ip)
	}
	if b.ua != "" {
		req.Header.Set("User-Agent", b.ua)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.e.seenMu.Lock()
	b.e.seen = append(b.e.seen, recorded{url: req.URL.Path, body: string(body)})
	b.e.seenMu.Unlock()
	return response{status: resp.StatusCode, body: html.UnescapeString(string(body)), raw: string(body),
		location: resp.Header.Get("Location"), header: resp.Header}
}

func (b *browser) get(path string) response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	return b.do(req)
}

// post sends a form as the page's own form would (a same-origin browser request).
func (b *browser) post(path string, form url.Values) response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// postJSON sends a form as the page's script does (Accept JSON, same origin).
func (b *browser) postJSON(path string, form url.Values) response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// ownBankVersion stores the sample bank again as version and makes round draw from it.
func (e *env) ownBankVersion(round string, version int32) {
	e.t.Helper()
	b := *e.bank
	b.Version = int(version)
	if _, err := store.SaveBank(context.Background(), e.pool, &b); err != nil {
		e.t.Fatal(err)
	}
	e.rounds.update(round, func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.Bank.Version = version })
}

// reconfigure replaces the env's app and server with ones built from a changed copy of
// its configuration.
func (e *env) reconfigure(change func(*Config)) {
	e.t.Helper()
	cfg := e.app.cfg
	cfg.Registerer, cfg.Gatherer = nil, nil
	change(&cfg)
	app, err := New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	e.t.Cleanup(srv.Close)
	e.app, e.srv = app, srv
}

var challengePattern = regexp.MustCompile(`name="challenge" value="([^"]+)" data-bits="(\d+)"`)

// solve reads the page's challenge and does the browser's proof of work.
func (b *browser) solve(page string, form url.Values) {
	b.e.t.Helper()
	m := challengePattern.FindStringSubmatch(page)
	if m == nil {
		b.e.t.Fatal("no challenge on the page")
	}
	bits, _ := strconv.Atoi(m[2])
	form.Set("challenge", m[1])
	form.Set("work", pow.Solve(m[1], bits))
}

// postSolved posts a form that carries a challenge, solving the page's challenge first, and
// once more when the server asks for a harder one (as the page's script does by itself).
func (b *browser) postSolved(path, page string, form url.Values) response {
	b.e.t.Helper()
	b.solve(page, form)
	r := b.post(path, form)
	if r.header.Get(harderHeader) != "" {
		b.solve(r.raw, form)
		r = b.post(path, form)
	}
	return r
}

// wrongWork is a proof-of-work answer that does not solve the token.
func wrongWork(token string, need int) string {
	for i := 0; ; i++ {
		if w := "x" + strconv.Itoa(i); pow.LeadingZeroBits(token, w) < need {
			return w
		}
	}
}

// registration returns a valid registration form; ID and phone vary with n.
func registration(n int) url.Values {
	return url.Values{
		"full_name": {"Nguyễn Thị Minh Khai"}, "birth_date": {"15/03/1992"}, "gender": {"female"},
		"national_id": {"0601920" + pad5(n)}, "phone": {"09123" + pad5(n)}, "email": {"khai@example.vn"},
		"participant_group": {"official"}, "organization": {"UBND xã Tiến Lợi"}, "locality": {"22963"},
		"password": {"mat-khau-bi-mat"}, "password2": {"mat-khau-bi-mat"}, "accept": {"yes"},
	}
}

func pad5(n int) string { s := strconv.Itoa(n); return strings.Repeat("0", 5-len(s)) + s }

// register signs a new person up and returns their signed-in browser.
func (e *env) register(n int) *browser {
	e.t.Helper()
	b := e.browser()
	form := registration(n)
	b.solve(b.get("/register").body, form)
	r := b.post("/register", form)
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("register %d: status %d: %s", n, r.status, alertOf(r.body))
	}
	return b
}

var alertPattern = regexp.MustCompile(`(?s)<div class="alert" role="alert">(.*?)</div>`)

func alertOf(body string) string {
	if m := alertPattern.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	if len(body) > 300 {
		return body[:300]
	}
	return body
}

var attemptPath = regexp.MustCompile(`^/attempts/(\d+)$`)

// start starts an attempt in a round and returns its id.
func (b *browser) start(round string) int64 {
	b.e.t.Helper()
	r := b.post("/rounds/"+round+"/attempts", url.Values{})
	m := attemptPath.FindStringSubmatch(r.location)
	if r.status != http.StatusSeeOther || m == nil {
		b.e.t.Fatalf("start: status %d location %q: %s", r.status, r.location, alertOf(r.body))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func (e *env) attempt(id int64) attempt.Attempt {
	e.t.Helper()
	var contestant int64
	if err := e.pool.QueryRow(context.Background(), `SELECT contestant_id FROM attempt WHERE id = $1`, id).Scan(&contestant); err != nil {
		e.t.Fatal(err)
	}
	a, err := store.NewAttempts(e.pool).Get(context.Background(), id, contestant)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func ptr[T any](v T) *T { return &v }

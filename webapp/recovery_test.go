package webapp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/notify"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/smtptest"
)

// syncBuffer collects the app's log lines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// smsGateway is an SMS provider's API on a local port: it records every request and
// answers as the test says.
type smsGateway struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []map[string]string
	auth   []string
	status int
	answer string
	delay  time.Duration
}

func newSMSGateway(t *testing.T) *smsGateway {
	g := &smsGateway{status: http.StatusOK, answer: `{"code": "0"}`}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		g.mu.Lock()
		g.bodies = append(g.bodies, body)
		g.auth = append(g.auth, r.Header.Get("X-API-Key"))
		status, answer, delay := g.status, g.answer, g.delay
		g.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
			}
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *smsGateway) sender(t *testing.T) notify.Sender {
	s, err := notify.NewHTTPGateway(notify.GatewayConfig{URL: g.srv.URL + "/sms", AuthHeader: "X-API-Key", Token: "khoa-api",
		Body: `{"from": "{brandname}", "to": "{phone84}", "text": "{message}"}`, Brandname: "SO TTTT",
		Success: `"code"\s*:\s*"0"`, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (g *smsGateway) count() int { g.mu.Lock(); defer g.mu.Unlock(); return len(g.bodies) }

var smsCode = regexp.MustCompile(`^(\d{8}) la ma dat lai mat khau`)

// lastCode is the code of the last SMS the gateway got.
func (g *smsGateway) lastCode(t *testing.T) string {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.bodies) == 0 {
		t.Fatal("the gateway got no SMS")
	}
	m := smsCode.FindStringSubmatch(g.bodies[len(g.bodies)-1]["text"])
	if m == nil {
		t.Fatalf("SMS text %q", g.bodies[len(g.bodies)-1]["text"])
	}
	return m[1]
}

// restartAt replaces the env's app and server with ones built from a changed copy of its
// configuration; change gets the new server's address before the app is built (the app's
// public URL).
func (e *env) restartAt(change func(cfg *Config, url string)) {
	e.t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	cfg := e.app.cfg
	cfg.Registerer, cfg.Gatherer = nil, nil
	change(&cfg, "http://"+srv.Listener.Addr().String())
	app, err := New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	srv.Config.Handler = app.Handler()
	srv.Start()
	e.t.Cleanup(srv.Close)
	e.app, e.srv = app, srv
}

// recoveryEnv is an env with one registered person (person 1: phone 0912300001, ID
// 060192000001, khai@example.vn), an in-process SMTP server and an SMS gateway the app may
// use, a clock the test moves and the app's logs.
type recoveryEnv struct {
	*env
	smtp  *smtptest.Server
	gw    *smsGateway
	clock *testClock
	logs  *syncBuffer
}

type channels struct{ email, sms bool }

func newRecoveryEnv(t *testing.T, on channels) *recoveryEnv {
	e := newEnv(t)
	e.register(1)
	r := &recoveryEnv{env: e, clock: &testClock{}, logs: &syncBuffer{},
		smtp: smtptest.Start(t, smtptest.Options{Username: "btc", Password: "mat-khau-smtp"}), gw: newSMSGateway(t)}
	e.restartAt(func(cfg *Config, url string) {
		cfg.Now = r.clock.now
		cfg.Logger = slog.New(slog.NewJSONHandler(r.logs, nil))
		if on.email {
			m, err := notify.ParseSMTPURL(r.smtp.URL(), "", `"Ban Tổ chức" <no-reply@example.gov.vn>`)
			if err != nil {
				t.Fatal(err)
			}
			m.TLSConfig = r.smtp.ClientTLS()
			cfg.Mailer, cfg.PublicURL = m, url
		}
		if on.sms {
			cfg.SMS = r.gw.sender(t)
		}
	})
	t.Cleanup(func() { _ = r.app.WaitDeliveries(context.Background()) })
	return r
}

// ask posts the recovery request form as the page's script does.
func (r *recoveryEnv) ask(b *browser, channel, login string) response {
	r.t.Helper()
	page := b.get("/recover")
	if page.status != http.StatusOK {
		r.t.Fatalf("GET /recover: %d", page.status)
	}
	return b.postSolved("/recover", page.raw, url.Values{"channel": {channel}, "login": {login}})
}

// settle waits until the messages being sent are sent or given up.
func (r *recoveryEnv) settle() {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.app.WaitDeliveries(ctx); err != nil {
		r.t.Fatal(err)
	}
}

var resetLink = regexp.MustCompile(`http://127\.0\.0\.1:\d+/recover/reset\?token=[A-Za-z0-9_-]{43}`)

// link waits for the next email and returns its parsed form and its reset link.
func (r *recoveryEnv) link() (smtptest.Mail, string) {
	r.t.Helper()
	got := r.smtp.Next(r.t, 10*time.Second)
	m := smtptest.Read(r.t, got.Data)
	link := resetLink.FindString(m.Text)
	if link == "" {
		r.t.Fatalf("no reset link in the email:\n%s", m.Text)
	}
	if !strings.HasPrefix(link, r.srv.URL+"/") {
		r.t.Fatalf("link %s is not on the app's public URL %s", link, r.srv.URL)
	}
	return m, link
}

// metric reads a recovery counter (contest_recovery_<name>_total) with the given labels
// (name=value), 0 when it was never counted.
func (r *recoveryEnv) metric(name string, labels ...string) float64 {
	r.t.Helper()
	families, err := r.app.cfg.Gatherer.Gather()
	if err != nil {
		r.t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "contest_recovery_"+name+"_total" {
			continue
		}
	metrics:
		for _, m := range f.GetMetric() {
			for _, want := range labels {
				found := false
				for _, l := range m.GetLabel() {
					found = found || l.GetName()+"="+l.GetValue() == want
				}
				if !found {
					continue metrics
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

func (r *recoveryEnv) signin(login, password string) response {
	r.t.Helper()
	b := r.browser()
	page := b.get("/signin")
	return b.postSolved("/signin", page.raw, url.Values{"login": {login}, "password": {password}})
}

// The whole email journey against a real SMTP server: the request, the email as a mail
// program reads it, the link followed over HTTP, the new password set and the person
// signed in; the link works once; nothing personal or secret is logged or stored in clear.
func TestRecoveryByEmailEndToEnd(t *testing.T) {
	r := newRecoveryEnv(t, channels{email: true})
	b := r.browser()
	signin := b.get("/signin")
	if !strings.Contains(signin.raw, `<a href="/recover">Quên mật khẩu?</a>`) {
		t.Fatal("no “Quên mật khẩu?” link on the sign-in page")
	}
	page := b.get("/recover")
	if !strings.Contains(page.body, "Số điện thoại, số CCCD hoặc thư điện tử đã đăng ký") ||
		!strings.Contains(page.raw, `<input type="hidden" name="channel" value="email">`) || strings.Contains(page.raw, `value="sms"`) {
		t.Fatalf("request page with email only:\n%s", page.body)
	}

	resp := r.ask(b, "email", "  KHAI@Example.vn ")
	if resp.status != http.StatusOK || !strings.Contains(resp.body, "chúng tôi đã gửi đến thư điện tử đã đăng ký một liên kết") ||
		!strings.Contains(resp.raw, `role="status"`) {
		t.Fatalf("answer %d: %s", resp.status, alertOf(resp.body))
	}
	m, link := r.link()
	wantSubject := "Đặt lại mật khẩu — Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024"
	if m.Subject != wantSubject || m.FromName != "Ban Tổ chức" || m.ContentType != "multipart/alternative" {
		t.Errorf("subject %q from %q type %q", m.Subject, m.FromName, m.ContentType)
	}
	for _, want := range []string{"Xin chào Nguyễn Thị Minh Khai,", "tài khoản 0912***001", "hiệu lực 30 phút", "Hello Nguyễn Thị Minh Khai,", "works for 30 minutes"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the email's text lacks %q:\n%s", want, m.Text)
		}
	}
	if vi, en := strings.Index(m.Text, "Xin chào"), strings.Index(m.Text, "Hello"); vi < 0 || en < vi {
		t.Error("the email is not in Vietnamese first")
	}
	if !strings.Contains(m.HTML, `href="`+link+`"`) || !strings.Contains(m.HTML, `<div lang="en">`) {
		t.Errorf("the email's HTML lacks the link:\n%s", m.HTML)
	}
	token := link[strings.Index(link, "token=")+len("token="):]
	var clear int
	if err := r.pool.QueryRow(context.Background(), `SELECT count(*) FROM password_reset
		WHERE position(convert_to($1, 'UTF8') IN secret_hash) > 0 OR secret_hash = sha256(convert_to($1, 'UTF8'))`, token).Scan(&clear); err != nil || clear != 0 {
		t.Fatalf("the token is stored in clear or as its plain SHA-256 (%d rows, %v)", clear, err)
	}

	path := strings.TrimPrefix(link, r.srv.URL)
	form := b.get(path)
	if form.status != http.StatusOK || !strings.Contains(form.body, "Đặt mật khẩu mới") || !strings.Contains(form.body, "Tài khoản: 0912***001") ||
		!strings.Contains(form.raw, `autocomplete="new-password"`) || form.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("reset page %d:\n%s", form.status, form.body)
	}
	if again := b.get(path); again.status != http.StatusOK {
		t.Fatalf("opening the link twice (a mail scanner first) spent it: %d", again.status)
	}
	bad := b.post("/recover/reset", url.Values{"token": {token}, "password": {"mat-khau-moi-1"}, "password2": {"mat-khau-moi-2"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Hai lần nhập mật khẩu không khớp") || !strings.Contains(bad.raw, token) {
		t.Fatalf("mismatched passwords: %d %s", bad.status, alertOf(bad.body))
	}
	done := b.post("/recover/reset", url.Values{"token": {token}, "password": {"mat-khau-moi-1"}, "password2": {"mat-khau-moi-1"}})
	if done.status != http.StatusSeeOther || done.location != "/?reset=1" {
		t.Fatalf("reset: %d %q %s", done.status, done.location, alertOf(done.body))
	}
	if home := b.get("/?reset=1"); !strings.Contains(home.body, "Đã đặt mật khẩu mới và bạn đã đăng nhập.") || !strings.Contains(home.body, "Nguyễn Thị Minh Khai") {
		t.Fatalf("after the reset the person is not signed in:\n%s", home.body)
	}

	// The link works once.
	if used := r.browser().get(path); used.status != http.StatusGone || !strings.Contains(used.body, "không dùng được nữa") {
		t.Fatalf("a used link: %d", used.status)
	}
	if used := r.browser().post("/recover/reset", url.Values{"token": {token}, "password": {"mat-khau-khac-1"}, "password2": {"mat-khau-khac-1"}}); used.status != http.StatusGone {
		t.Fatalf("a used link posted again: %d", used.status)
	}
	if s := r.signin("0912300001", "mat-khau-moi-1"); s.status != http.StatusSeeOther {
		t.Fatalf("sign-in with the new password: %d %s", s.status, alertOf(s.body))
	}
	if s := r.signin("0912300001", "mat-khau-bi-mat"); s.status != http.StatusUnauthorized {
		t.Fatalf("sign-in with the old password: %d", s.status)
	}

	if r.metric("sent", "channel=email") != 1 || r.metric("resets", "channel=email") != 1 || r.metric("requests", "channel=email") != 1 {
		t.Errorf("metrics: sent %v resets %v requests %v", r.metric("sent", "channel=email"), r.metric("resets", "channel=email"), r.metric("requests", "channel=email"))
	}
	logs := r.logs.String()
	for _, secret := range []string{"khai@example.vn", "KHAI@Example.vn", "0912300001", "060192000001", token, "mat-khau-moi-1", "mat-khau-smtp"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q", secret)
		}
	}
	if !strings.Contains(logs, "k***@example.vn") {
		t.Errorf("the logs do not say (masked) where the email went:\n%s", logs)
	}
}

// A link expires by the app's clock; a link issued before the password changed is dead.
func TestRecoveryLinkExpiresAndDiesWithThePassword(t *testing.T) {
	r := newRecoveryEnv(t, channels{email: true})
	b := r.browser()
	r.ask(b, "email", "0912300001")
	_, first := r.link()
	r.clock.advance(29 * time.Minute)
	if got := b.get(strings.TrimPrefix(first, r.srv.URL)); got.status != http.StatusOK {
		t.Fatalf("a link after 29 minutes: %d", got.status)
	}
	r.clock.advance(2 * time.Minute)
	if got := b.get(strings.TrimPrefix(first, r.srv.URL)); got.status != http.StatusGone {
		t.Fatalf("a link after 31 minutes: %d", got.status)
	}
	token := first[strings.Index(first, "token=")+6:]
	if got := b.post("/recover/reset", url.Values{"token": {token}, "password": {"mat-khau-moi-1"}, "password2": {"mat-khau-moi-1"}}); got.status != http.StatusGone {
		t.Fatalf("an expired link posted: %d", got.status)
	}

	// Two live links; using the second kills the first.
	r.ask(b, "email", "060192000001")
	_, second := r.link()
	r.ask(b, "email", "khai@example.vn")
	_, third := r.link()
	if done := b.post("/recover/reset", url.Values{"token": {third[strings.Index(third, "token=")+6:]}, "password": {"mat-khau-moi-3"}, "password2": {"mat-khau-moi-3"}}); done.status != http.StatusSeeOther {
		t.Fatalf("reset with the third link: %d", done.status)
	}
	if got := b.get(strings.TrimPrefix(second, r.srv.URL)); got.status != http.StatusGone {
		t.Fatalf("an older link after a reset: %d", got.status)
	}
}

// Of concurrent uses of one link, one wins; the others are told the link is used, and
// the password is the winner's.
func TestRecoveryLinkConcurrentUses(t *testing.T) {
	r := newRecoveryEnv(t, channels{email: true})
	r.ask(r.browser(), "email", "0912300001")
	_, link := r.link()
	token := link[strings.Index(link, "token=")+6:]
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pw := "mat-khau-so-" + pad5(i)
			statuses[i] = r.browser().post("/recover/reset", url.Values{"token": {token}, "password": {pw}, "password2": {pw}}).status
		}()
	}
	wg.Wait()
	winner := -1
	for i, s := range statuses {
		switch s {
		case http.StatusSeeOther:
			if winner >= 0 {
				t.Fatalf("uses %d and %d both succeeded", winner, i)
			}
			winner = i
		case http.StatusGone:
		default:
			t.Fatalf("use %d: status %d", i, s)
		}
	}
	if winner < 0 {
		t.Fatal("no use succeeded")
	}
	if s := r.signin("0912300001", "mat-khau-so-"+pad5(winner)); s.status != http.StatusSeeOther {
		t.Fatalf("sign-in with the winner's password: %d", s.status)
	}
}

var challengeValues = regexp.MustCompile(`(name="challenge" value=")[^"]*(" data-bits="\d+")|(/challenge\.png\?t=)[^"]*`)

// The request form answers alike, with the same page, whether or not an account matches,
// and without waiting for the mail server: the lookups and the sending happen after the
// answer (the server below holds every message until the answers are in).
func TestRecoveryAnswersAlike(t *testing.T) {
	r := newRecoveryEnv(t, channels{email: true})
	noEmail := registration(2)
	noEmail.Set("email", "")
	b2 := r.browser()
	b2.solve(b2.get("/register").body, noEmail)
	if got := b2.post("/register", noEmail); got.status != http.StatusSeeOther {
		t.Fatalf("register without email: %d", got.status)
	}
	r.smtp.Hold()
	answers := map[string]string{}
	for _, login := range []string{"khai@example.vn", "nobody@example.vn", "0912999999", "0912300002"} {
		b := r.browser()
		// Far less than the mailer's 30 s timeout: an answer that waited for the held
		// message would not come in time.
		b.client.Timeout = 10 * time.Second
		resp := r.ask(b, "email", login)
		if resp.status != http.StatusOK {
			t.Fatalf("%s: %d", login, resp.status)
		}
		answers[login] = challengeValues.ReplaceAllString(resp.raw, "$1$2$3")
	}
	for login, page := range answers {
		if page != answers["khai@example.vn"] {
			t.Errorf("the answer for %s differs from the one for a registered address", login)
		}
	}
	r.smtp.Release()
	r.settle()
	r.link()
	if n := r.smtp.Count(); n != 0 {
		t.Fatalf("%d more emails were sent, to nobody's account", n)
	}
	skippedNoAccount, skippedNoEmail := r.metric("skipped", "channel=email", "reason=no_account"), r.metric("skipped", "channel=email", "reason=no_email")
	if skippedNoAccount != 2 || skippedNoEmail != 1 {
		t.Errorf("skipped: no_account %v, no_email %v", skippedNoAccount, skippedNoEmail)
	}
}

// Requests are bounded per target (whether it exists or not, with the same answer) and per
// network, counted in PostgreSQL; a network that asks often gets harder challenges.
func TestRecoveryRateLimits(t *testing.T) {
	r := newRecoveryEnv(t, channels{email: true})
	var refusals []string
	for i, login := range []string{"0912300001", "0912999999"} {
		b := r.browser()
		b.ip = "10.9.0." + strconv.Itoa(i+1) // each from its own network, so both draw the same challenge
		for i := range targetLimit {
			if got := r.ask(b, "email", login); got.status != http.StatusOK {
				t.Fatalf("%s, request %d: %d", login, i+1, got.status)
			}
		}
		got := r.ask(b, "email", login)
		if got.status != http.StatusTooManyRequests || got.header.Get("Retry-After") != "3600" || !strings.Contains(got.body, "đã được yêu cầu nhiều lần") {
			t.Fatalf("%s, request %d: %d %s", login, targetLimit+1, got.status, alertOf(got.body))
		}
		refusals = append(refusals, strings.ReplaceAll(challengeValues.ReplaceAllString(got.raw, "$1$2$3"), login, "LOGIN"))
	}
	if refusals[0] != refusals[1] {
		t.Error("the limit's answer differs between a registered and an unknown login")
	}
	r.settle()

	// A network that asked networkFree times draws a harder challenge; at networkLimit it waits.
	ctx := context.Background()
	busy := store.Counter{Key: store.CounterKey("recover-net", "10.1.1.1"), Window: time.Hour}
	for range networkFree {
		if _, err := store.Count(ctx, r.pool, busy); err != nil {
			t.Fatal(err)
		}
	}
	b := r.browser()
	b.ip = "10.1.1.1"
	m := challengePattern.FindStringSubmatch(b.get("/recover").raw)
	if m == nil || m[2] != "7" {
		t.Fatalf("challenge of a network that asked %d times: %v, want 7 bits (6 + 1)", networkFree, m)
	}
	for range networkLimit - networkFree {
		if _, err := store.Count(ctx, r.pool, busy); err != nil {
			t.Fatal(err)
		}
	}
	if got := r.ask(b, "email", "0912300003"); got.status != http.StatusTooManyRequests || !strings.Contains(got.body, "quá nhiều yêu cầu từ mạng của bạn") {
		t.Fatalf("a network at its limit: %d %s", got.status, alertOf(got.body))
	}
	other := r.browser()
	other.ip = "10.1.1.2"
	if got := r.ask(other, "email", "0912300003"); got.status != http.StatusOK {
		t.Fatalf("another network: %d", got.status)
	}

	// No challenge, no request: nothing counted, nothing sent.
	before := r.metric("requests", "channel=email")
	got := r.browser().post("/recover", url.Values{"channel": {"email"}, "login": {"0912300004"}})
	if got.status != http.StatusUnprocessableEntity || r.metric("requests", "channel=email") != before {
		t.Fatalf("a request without the challenge: %d", got.status)
	}
	// Bad input is told, in Vietnamese, and costs nothing.
	for _, c := range []struct{ channel, login, want string }{
		{"email", "", "Vui lòng nhập số điện thoại, số CCCD hoặc thư điện tử"},
		{"email", strings.Repeat("9", 300), "Vui lòng nhập số điện thoại, số CCCD hoặc thư điện tử"},
		{"email", "khai@", "Địa chỉ thư điện tử không hợp lệ"},
		{"sms", "0912300001", "Vui lòng chọn cách nhận hướng dẫn"},
		{"fax", "0912300001", "Vui lòng chọn cách nhận hướng dẫn"},
	} {
		got := r.browser().post("/recover", url.Values{"channel": {c.channel}, "login": {c.login}})
		if got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, c.want) {
			t.Errorf("%s %q: %d %s", c.channel, c.login, got.status, alertOf(got.body))
		}
	}
	// Only the page's own origin may post.
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/recover", strings.NewReader("channel=email&login=0912300001"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if got := r.browser().do(req); got.status != http.StatusForbidden {
		t.Fatalf("a cross-site post: %d", got.status)
	}
}

// The SMS journey against a local gateway over HTTP: the code goes to the registered phone
// through the provider's API, is typed on the code page, and is exchanged for the page that
// sets the new password. A code works once, and only for a few tries.
func TestRecoveryBySMSEndToEnd(t *testing.T) {
	r := newRecoveryEnv(t, channels{sms: true})
	b := r.browser()
	page := b.get("/recover")
	if !strings.Contains(page.raw, `<input type="hidden" name="channel" value="sms">`) || !strings.Contains(page.raw, `inputmode="numeric"`) ||
		strings.Contains(page.body, "Số điện thoại, số CCCD hoặc thư điện tử") {
		t.Fatalf("request page with SMS only:\n%s", page.body)
	}
	if got := r.ask(b, "sms", "khai@example.vn"); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, "không nhập thư điện tử") {
		t.Fatalf("an email address for SMS: %d %s", got.status, alertOf(got.body))
	}
	got := r.ask(b, "sms", "060 192 000 001")
	if got.status != http.StatusOK || !strings.Contains(got.body, "mã số gồm 8 chữ số") || !strings.Contains(got.raw, `autocomplete="one-time-code"`) ||
		!strings.Contains(got.raw, `value="060 192 000 001"`) {
		t.Fatalf("answer %d:\n%s", got.status, got.body)
	}
	r.settle()
	code := r.gw.lastCode(t)
	r.gw.mu.Lock()
	body, auth := r.gw.bodies[0], r.gw.auth[0]
	r.gw.mu.Unlock()
	if body["to"] != "84912300001" || body["from"] != "SO TTTT" || auth != "khoa-api" ||
		!strings.Contains(body["text"], "hieu luc 10 phut") {
		t.Fatalf("the gateway got %v (key %q)", body, auth)
	}

	wrongCode := "00000000"
	if code == wrongCode {
		wrongCode = "11111111"
	}
	if got := b.post("/recover/code", url.Values{"login": {"060192000001"}, "code": {wrongCode}}); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, "Mã số không đúng") {
		t.Fatalf("a wrong code: %d %s", got.status, alertOf(got.body))
	}
	if got := b.post("/recover/code", url.Values{"login": {"060192000001"}, "code": {"12ab"}}); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, "gồm 8 chữ số") {
		t.Fatalf("a code that is not one: %d %s", got.status, alertOf(got.body))
	}
	typed := code[:4] + " " + code[4:]
	form := b.post("/recover/code", url.Values{"login": {"0912 300 001"}, "code": {typed}})
	m := regexp.MustCompile(`name="token" value="([A-Za-z0-9_-]{43})"`).FindStringSubmatch(form.raw)
	if form.status != http.StatusOK || m == nil || !strings.Contains(form.body, "Tài khoản: 0912***001") {
		t.Fatalf("the right code: %d %s", form.status, alertOf(form.body))
	}
	if again := r.browser().post("/recover/code", url.Values{"login": {"0912300001"}, "code": {code}}); again.status != http.StatusUnprocessableEntity {
		t.Fatalf("a code used twice: %d", again.status)
	}
	if done := b.post("/recover/reset", url.Values{"token": {m[1]}, "password": {"mat-khau-sms-1"}, "password2": {"mat-khau-sms-1"}}); done.status != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", done.status, alertOf(done.body))
	}
	if s := r.signin("060192000001", "mat-khau-sms-1"); s.status != http.StatusSeeOther {
		t.Fatalf("sign-in with the new password: %d", s.status)
	}
	if r.metric("sent", "channel=sms") != 1 || r.metric("resets", "channel=sms") != 1 {
		t.Errorf("metrics: sent %v resets %v", r.metric("sent", "channel=sms"), r.metric("resets", "channel=sms"))
	}

	// A new code, guessed at maxCodeTries times, is dead even to its right value.
	r.ask(b, "sms", "0912300001")
	r.settle()
	code = r.gw.lastCode(t)
	wrongCode = "00000000"
	if code == wrongCode {
		wrongCode = "11111111"
	}
	for range maxCodeTries {
		b.post("/recover/code", url.Values{"login": {"0912300001"}, "code": {wrongCode}})
	}
	if got := b.post("/recover/code", url.Values{"login": {"0912300001"}, "code": {code}}); got.status != http.StatusUnprocessableEntity {
		t.Fatalf("the right code after %d wrong tries: %d", maxCodeTries, got.status)
	}
	// A login is tried at most codeTriesPerLogin times in the window, whether or not it has
	// a code.
	var last response
	for range codeTriesPerLogin + 1 {
		last = b.post("/recover/code", url.Values{"login": {"0912999999"}, "code": {"12345678"}})
	}
	if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, "quá nhiều lần") {
		t.Fatalf("try %d at one login: %d %s", codeTriesPerLogin+1, last.status, alertOf(last.body))
	}
	logs := r.logs.String()
	for _, secret := range []string{"0912300001", "84912300001", "060192000001", code, "khoa-api"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q", secret)
		}
	}
}

// A gateway that fails (5xx, no answer in time, a refusal in its body) changes nothing the
// person sees: the same calm answer, nothing of the provider's answer shown or logged.
func TestRecoverySMSGatewayFailures(t *testing.T) {
	r := newRecoveryEnv(t, channels{sms: true})
	const leak = "LOI-NOI-BO-CUA-NHA-MANG"
	cases := []struct {
		name   string
		status int
		answer string
		delay  time.Duration
	}{
		{"5xx", http.StatusInternalServerError, leak, 0},
		{"timeout", http.StatusOK, `{"code": "0"}`, 2 * time.Second},
		{"refused in the body", http.StatusOK, `{"code": "99", "message": "` + leak + `"}`, 0},
	}
	var pages []string
	for i, c := range cases {
		r.gw.mu.Lock()
		r.gw.status, r.gw.answer, r.gw.delay = c.status, c.answer, c.delay
		r.gw.mu.Unlock()
		got := r.ask(r.browser(), "sms", "0912300001")
		if got.status != http.StatusOK || !strings.Contains(got.body, "chúng tôi đã gửi mã số") || strings.Contains(got.raw, leak) {
			t.Fatalf("%s: %d %s", c.name, got.status, alertOf(got.body))
		}
		pages = append(pages, got.raw)
		r.settle()
		if f := r.metric("failed", "channel=sms"); f != float64(i+1) {
			t.Fatalf("%s: failed = %v, want %d", c.name, f, i+1)
		}
	}
	for _, p := range pages[1:] {
		if p != pages[0] {
			t.Error("the answers differ between gateway failures")
		}
	}
	if r.gw.count() != len(cases) || r.metric("sent", "channel=sms") != 0 {
		t.Fatalf("gateway calls %d, sent %v", r.gw.count(), r.metric("sent", "channel=sms"))
	}
	logs := r.logs.String()
	if !strings.Contains(logs, "SMS gateway: answered HTTP 500") || !strings.Contains(logs, "no answer in time") || !strings.Contains(logs, "0912***001") {
		t.Errorf("the logs do not say what failed:\n%s", logs)
	}
	for _, secret := range []string{leak, "0912300001", "84912300001", "khoa-api"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q", secret)
		}
	}
}

// Without email or SMS the recovery page sends people to the helpdesk, with its contact
// when the app has one; the code page is there for the codes the helpdesk gives.
func TestRecoveryHelpdeskOnly(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	page := b.get("/recover")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Trang này hiện chưa gửi được hướng dẫn") ||
		!strings.Contains(page.body, "theo số điện thoại, địa chỉ trong thể lệ") || strings.Contains(page.raw, "challenge-form") {
		t.Fatalf("helpdesk page %d:\n%s", page.status, page.body)
	}
	if got := b.post("/recover", url.Values{"channel": {"email"}, "login": {"0912300001"}}); got.status != http.StatusUnprocessableEntity {
		t.Fatalf("a request with no channel on: %d", got.status)
	}
	e.reconfigure(func(c *Config) { c.HelpdeskContact = `Văn phòng Sở TTTT <b>0252 3822 000</b>` })
	page = b.get("/recover")
	if !strings.Contains(page.raw, "Liên hệ Ban Tổ chức: Văn phòng Sở TTTT &lt;b&gt;0252 3822 000&lt;/b&gt;") {
		t.Fatalf("the helpdesk's contact, escaped:\n%s", page.raw)
	}
	code := b.get("/recover/code")
	if code.status != http.StatusOK || !strings.Contains(code.raw, `autocomplete="one-time-code"`) || !strings.Contains(code.raw, `<label for="code">`) {
		t.Fatalf("code page %d", code.status)
	}
	if en := b.get("/lang/en?next=/recover"); en.status != http.StatusSeeOther {
		t.Fatal(en.status)
	}
	if page := b.get("/recover"); !strings.Contains(page.body, "Forgot your password") || !strings.Contains(page.body, "Contact the organizers: Văn phòng Sở TTTT") {
		t.Fatalf("English page:\n%s", page.body)
	}
}

// Reset emails need the site's public address; a bad one is refused at start.
func TestRecoveryConfig(t *testing.T) {
	e := newEnv(t)
	mailer, err := notify.ParseSMTPURL("smtp://mail.example.gov.vn", "", "no-reply@example.gov.vn")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		publicURL, smsText string
		want               string
	}{
		{"", "", "PublicURL"},
		{"thi.example.gov.vn", "", "absolute http(s)"},
		{"https://thi.example.gov.vn/?x=1", "", "absolute http(s)"},
		{"https://thi.example.gov.vn/", "Ma cua ban", "{code}"},
	} {
		cfg := e.app.cfg
		cfg.Registerer, cfg.Gatherer = nil, nil
		cfg.Mailer, cfg.PublicURL, cfg.SMSText = mailer, c.publicURL, c.smsText
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("public URL %q, SMS text %q: %v, want %q", c.publicURL, c.smsText, err, c.want)
		}
	}
}

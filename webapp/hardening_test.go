package webapp

// Regression tests for the defects of issue 9 ("harden the web app against what a hostile
// or unlucky crowd does"), each at the HTTP level against a real PostgreSQL.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/schedule"
	"github.com/dxcontest/contest-platform/internal/store"
)

// signedInPeople copies n contestants into the database and returns a browser signed in as
// each (sessions signed as sign-in issues them), all coming from ip.
func (e *env) signedInPeople(n int, ip string) []*browser {
	e.t.Helper()
	ctx := context.Background()
	var first int64
	if err := e.pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM contestant`).Scan(&first); err != nil {
		e.t.Fatal(err)
	}
	hash := password.Hash("mat-khau-bi-mat")
	rows := make([][]any, n)
	birth := time.Date(1992, 3, 15, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		k := int(first) + 10000 + i
		rows[i] = []any{testContest, fmt.Sprintf("%012d", k), fmt.Sprintf("09%08d", k), "Người dự thi " + strconv.Itoa(k),
			birth, "female", "official", "UBND xã Tiến Lợi", "22963", hash}
	}
	if _, err := e.pool.CopyFrom(ctx, pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "organization", "locality_code", "password_hash"},
		pgx.CopyFromRows(rows)); err != nil {
		e.t.Fatal(err)
	}
	r, err := e.pool.Query(ctx, `SELECT id FROM contestant WHERE id > $1 ORDER BY id`, first)
	if err != nil {
		e.t.Fatal(err)
	}
	ids, err := pgx.CollectRows(r, pgx.RowTo[int64])
	if err != nil {
		e.t.Fatal(err)
	}
	u, _ := url.Parse(e.srv.URL)
	out := make([]*browser, len(ids))
	for i, id := range ids {
		b := e.browser()
		b.ip = ip
		token := e.app.signer.encodeSession(session{ContestantID: id, ContestID: testContest, Expires: time.Now().Add(time.Hour)})
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: token, Path: "/"}})
		out[i] = b
	}
	return out
}

// --- 1. The answer key ------------------------------------------------------------------

// An attempt never outlives its round: started just before the close, its deadline is the
// close, and nothing can be saved after it.
func TestAttemptDeadlineIsCutAtTheClose(t *testing.T) {
	e := newEnv(t)
	closes := time.Now().Add(2 * time.Second)
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.ClosesAt.Time = closes })
	b := e.register(1)
	id := b.start("dot-1")
	at := e.attempt(id)
	if !at.Deadline.Equal(closes.Truncate(time.Microsecond)) {
		t.Fatalf("an attempt started %s before the close has its deadline at %s, %s after the close",
			closes.Sub(at.StartedAt).Round(time.Millisecond), at.Deadline, at.Deadline.Sub(closes).Round(time.Second))
	}
	time.Sleep(time.Until(closes) + 200*time.Millisecond)
	r := b.postJSON(fmt.Sprintf("/attempts/%d/answers", id), url.Values{"q0": {"A"}})
	if r.status != http.StatusConflict {
		t.Fatalf("a save after the close: %d %s", r.status, r.body)
	}
}

// finishedAttempt has b take and submit an attempt of round, which is open when it starts.
func (b *browser) finishedAttempt(round string) int64 {
	b.e.t.Helper()
	id := b.start(round)
	if r := b.post(fmt.Sprintf("/attempts/%d/submit", id), url.Values{"prediction": {"3"}}); r.status != http.StatusSeeOther {
		b.e.t.Fatalf("submit: %d %s", r.status, alertOf(r.body))
	}
	return id
}

func revealed(r response) bool {
	return strings.Contains(r.body, "Đáp án đúng:") || strings.Contains(r.body, "Câu trả lời của bạn:")
}

// The key shows only when no attempt that could use it can still be answered: not while
// one is in progress before its deadline, even after the round's close.
func TestAnswersStayHiddenWhileAnAttemptCanBeAnswered(t *testing.T) {
	e := newEnv(t)
	e.ownBankVersion("dot-1", 2)
	a, late := e.register(1), e.register(2)
	id := a.finishedAttempt("dot-1")
	running := late.start("dot-1")
	// The round closed an hour ago, but one attempt can still be answered (its round's close
	// was moved earlier while it ran).
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) {
		r.Spec.OpensAt.Time, r.Spec.ClosesAt.Time = time.Now().Add(-3*time.Hour), time.Now().Add(-time.Hour)
	})
	if r := a.get(fmt.Sprintf("/attempts/%d/result", id)); !strings.Contains(r.body, "Số câu đúng") || revealed(r) {
		t.Fatalf("answers shown while attempt %d can still be answered (%d)", running, r.status)
	}
	if _, err := e.pool.Exec(context.Background(), `UPDATE attempt SET deadline = now() - interval '1 second', started_at = now() - interval '1 minute' WHERE id = $1`, running); err != nil {
		t.Fatal(err)
	}
	if r := a.get(fmt.Sprintf("/attempts/%d/result", id)); !revealed(r) {
		t.Fatalf("answers still hidden once nothing can be answered: %s", alertOf(r.body))
	}
}

// The key waits for the same instant as the ranking: the close plus the settle delay, in
// which a save or submit that began before the deadline commits.
func TestAnswersWaitForTheRoundToDrain(t *testing.T) {
	e := newEnv(t)
	e.ownBankVersion("dot-1", 2)
	a := e.register(1)
	id := a.finishedAttempt("dot-1")
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.ClosesAt.Time = time.Now().Add(-time.Second) })
	if r := a.get(fmt.Sprintf("/attempts/%d/result", id)); revealed(r) {
		t.Fatal("answers shown one second after the close, before the round is drained")
	}
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) {
		r.Spec.ClosesAt.Time = time.Now().Add(-schedule.SettleDelay - time.Second)
	})
	if r := a.get(fmt.Sprintf("/attempts/%d/result", id)); !revealed(r) {
		t.Fatal("answers hidden once the round is drained")
	}
}

// A bank version other rounds also use is revealed only when all of them have ended,
// whatever the policy says; organizers are warned.
func TestSharedBankIsNotRevealed(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	// dot-1 (open) and dot-2 (next week) share the bank; dot-1 reveals after submit.
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.RevealAnswers = contestv1alpha1.RevealAfterSubmit })
	b := e.register(1)
	id := b.finishedAttempt("dot-1")
	if r := b.get(fmt.Sprintf("/attempts/%d/result", id)); revealed(r) {
		t.Fatal("AfterSubmit revealed a bank version that a later round also uses")
	}
	if r := e.organizer().get("/console"); !strings.Contains(r.body, "Cảnh báo đáp án") || !strings.Contains(r.body, "Đợt 2") {
		t.Errorf("the console does not warn about the shared bank: %s", alertOf(r.body))
	}
	if w := e.app.RevealWarnings(context.Background()); len(w) == 0 || !strings.Contains(w[0], "dot-2") && !strings.Contains(w[0], "Đợt 2") {
		t.Errorf("start-up warnings: %q", w)
	}
	// Once every round using the version is over, it shows.
	e.rounds.update("dot-2", func(r *contestv1alpha1.ContestRound) {
		r.Spec.OpensAt.Time, r.Spec.ClosesAt.Time = time.Now().Add(-3*time.Hour), time.Now().Add(-2*time.Hour)
	})
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.ClosesAt.Time = time.Now().Add(-time.Hour) })
	if r := b.get(fmt.Sprintf("/attempts/%d/result", id)); !revealed(r) {
		t.Fatal("still hidden after every round using the bank ended")
	}
}

// --- 2. Memory of password hashing --------------------------------------------------------

// With no room to hash, sign-in answers 503 with Retry-After and spends nothing: the same
// form sent again once there is room signs in (the page's script does that by itself).
func TestSigninWhileHashingIsFull(t *testing.T) {
	e := newEnv(t)
	e.reconfigure(func(c *Config) { c.PasswordHashQueue = -1 })
	e.register(1)
	hold, err := e.app.hashes.Acquire(context.Background(), uint32(e.app.cfg.PasswordHashMemoryMiB)<<10)
	if err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	form := url.Values{"login": {"0912300001"}, "password": {"mat-khau-bi-mat"}}
	b.solve(b.get("/signin").raw, form)
	r := b.post("/signin", form)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "Hệ thống đang bận") {
		t.Fatalf("sign-in with no room to hash: %d Retry-After %q %s", r.status, r.header.Get("Retry-After"), alertOf(r.body))
	}
	if !strings.Contains(r.raw, "trang sẽ tự gửi lại") {
		t.Error("the page does not carry the message its script shows while retrying")
	}
	hold()
	if r := b.post("/signin", form); r.status != http.StatusSeeOther {
		t.Fatalf("the same form once there is room: %d %s", r.status, alertOf(r.body))
	}
}

// --- 3 and 5. Guessing passwords ------------------------------------------------------------

// guesses sends n concurrent sign-ins at login from ip with wrong passwords and returns how
// many were checked (answered "wrong password").
func (e *env) guesses(path string, n int, ip string, form func(i int) url.Values) (checked int) {
	e.t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	forms := make([]url.Values, n)
	browsers := make([]*browser, n)
	for i := range n {
		browsers[i] = e.browser()
		browsers[i].ip = ip
		forms[i] = form(i)
		browsers[i].solve(browsers[i].get(strings.TrimSuffix(path, "/signin")+"/signin").raw, forms[i])
	}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := browsers[i].post(path, forms[i])
			mu.Lock()
			statuses[r.status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	for s := range statuses {
		if s != http.StatusUnauthorized && s != http.StatusTooManyRequests && s != http.StatusUnprocessableEntity {
			e.t.Errorf("a guess was answered %d", s)
		}
	}
	return statuses[http.StatusUnauthorized]
}

// Concurrent guesses are counted before they are checked: no more than the limit is ever
// checked, and the right password then waits too.
func TestConcurrentGuessesAreCountedFirst(t *testing.T) {
	e := newEnv(t)
	e.register(1)
	checked := e.guesses("/signin", 100, "203.0.113.7", func(i int) url.Values {
		return url.Values{"login": {"0912300001"}, "password": {fmt.Sprintf("doan-mat-khau-%d", i)}}
	})
	if checked > contestantSignin.pairLimit {
		t.Errorf("%d of 100 concurrent guesses were checked; the limit is %d", checked, contestantSignin.pairLimit)
	}
	b := e.browser()
	b.ip = "203.0.113.7"
	r := b.postSolved("/signin", b.get("/signin").raw, url.Values{"login": {"0912300001"}, "password": {"mat-khau-bi-mat"}})
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("the right password after 100 guesses from the same network: %d %s", r.status, alertOf(r.body))
	}

	e.enableConsole()
	checked = e.guesses("/console/signin", 20, "203.0.113.7", func(i int) url.Values {
		return url.Values{"username": {testConsoleUser}, "password": {fmt.Sprintf("doan-mat-khau-%d", i)}}
	})
	if checked > organizerSignin.pairLimit {
		t.Errorf("%d of 20 concurrent console guesses were checked; the limit is %d", checked, organizerSignin.pairLimit)
	}
}

// Nobody can lock the owner out: guesses from one network hold that network back, not the
// owner elsewhere; a login guessed from many networks only gets harder challenges.
func TestGuessingDoesNotLockTheOwnerOut(t *testing.T) {
	e := newEnv(t)
	e.register(1)
	signin := func(ip, pw string) response {
		b := e.browser()
		b.ip = ip
		return b.postSolved("/signin", b.get("/signin").raw, url.Values{"login": {"0912300001"}, "password": {pw}})
	}
	for i := range contestantSignin.pairLimit {
		if r := signin("203.0.113.7", "sai-"+strconv.Itoa(i)); r.status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d %s", i, r.status, alertOf(r.body))
		}
	}
	if r := signin("203.0.113.7", "mat-khau-bi-mat"); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("the guessing network: %d", r.status)
	}
	if r := signin("198.51.100.4", "mat-khau-bi-mat"); r.status != http.StatusSeeOther {
		t.Fatalf("the owner on their own network: %d %s", r.status, alertOf(r.body))
	}
	// Spread over many networks: past loginHarder tries the owner's challenge is harder,
	// and the owner still signs in.
	for i := range contestantSignin.loginHarder {
		signin(fmt.Sprintf("192.0.2.%d", i+1), "sai")
	}
	b := e.browser()
	b.ip = "198.51.100.4"
	form := url.Values{"login": {"0912300001"}, "password": {"mat-khau-bi-mat"}}
	b.solve(b.get("/signin").raw, form)
	if r := b.post("/signin", form); r.header.Get(harderHeader) == "" {
		t.Fatalf("a login guessed from %d networks asks for no harder challenge: %d", contestantSignin.loginHarder, r.status)
	} else if m := challengePattern.FindStringSubmatch(r.raw); m == nil || m[2] != strconv.Itoa(e.app.cfg.ChallengeBits+maxExtraBits) {
		t.Fatalf("the harder challenge: %v", m)
	} else {
		b.solve(r.raw, form)
		if r := b.post("/signin", form); r.status != http.StatusSeeOther {
			t.Fatalf("the owner after solving the harder challenge: %d %s", r.status, alertOf(r.body))
		}
	}
}

// IPv6 clients are counted by their /64: rotating addresses inside it does not help.
func TestIPv6ClientsAreCountedBySlash64(t *testing.T) {
	e := newEnv(t)
	e.register(1)
	signin := func(ip, pw string) response {
		b := e.browser()
		b.ip = ip
		return b.postSolved("/signin", b.get("/signin").raw, url.Values{"login": {"0912300001"}, "password": {pw}})
	}
	for i := range contestantSignin.pairLimit {
		signin(fmt.Sprintf("2001:db8:1:2::%x", i+1), "sai")
	}
	if r := signin("2001:db8:1:2:ffff:ffff:ffff:fffe", "mat-khau-bi-mat"); r.status != http.StatusTooManyRequests {
		t.Fatalf("another address of the same /64: %d", r.status)
	}
	if r := signin("2001:db8:1:3::1", "mat-khau-bi-mat"); r.status != http.StatusSeeOther {
		t.Fatalf("another /64: %d %s", r.status, alertOf(r.body))
	}
}

// --- 4. The anti-robot challenge ----------------------------------------------------------------

// testClock is a clock the test moves.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

func TestNoScriptPictureChallenge(t *testing.T) {
	e := newEnv(t)
	clock := &testClock{}
	e.reconfigure(func(c *Config) { c.Now = clock.now })
	e.register(1)
	b := e.browser()
	page := b.get("/signin")
	m := challengePattern.FindStringSubmatch(page.raw)
	ch, err := e.app.parseChallenge(m[1])
	if err != nil {
		t.Fatal(err)
	}
	digits := e.app.challengeDigits(ch.nonce)
	if !strings.Contains(page.raw, "<noscript>") || !strings.Contains(page.raw, `/challenge.png?t=`) {
		t.Fatal("the sign-in page has no picture for browsers without JavaScript")
	}
	if strings.Contains(page.body, digits) {
		t.Fatal("the picture's digits are in the page as text")
	}
	img := b.get("/challenge.png?t=" + url.QueryEscape(m[1]))
	if img.status != http.StatusOK || img.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(img.raw, "\x89PNG") {
		t.Fatalf("picture: %d %s", img.status, img.header.Get("Content-Type"))
	}
	form := url.Values{"login": {"0912300001"}, "password": {"mat-khau-bi-mat"}, "challenge": {m[1]}, "digits": {digits}}
	if r := b.post("/signin", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "xem kỹ hình") {
		t.Fatalf("answered at once: %d %s", r.status, alertOf(r.body))
	}
	clock.advance(pictureMinAge)
	if r := b.post("/signin", form); r.status != http.StatusSeeOther {
		t.Fatalf("the right digits after a few seconds: %d %s", r.status, alertOf(r.body))
	}
	// A wrong answer spends the token: guessing costs a new picture each time.
	b2 := e.browser()
	m = challengePattern.FindStringSubmatch(b2.get("/signin").raw)
	ch, _ = e.app.parseChallenge(m[1])
	clock.advance(pictureMinAge)
	wrong := "000000"
	if e.app.challengeDigits(ch.nonce) == wrong {
		wrong = "111111"
	}
	form.Set("challenge", m[1])
	form.Set("digits", wrong)
	if r := b2.post("/signin", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "không đúng") {
		t.Fatalf("wrong digits: %d %s", r.status, alertOf(r.body))
	}
	form.Set("digits", e.app.challengeDigits(ch.nonce))
	if r := b2.post("/signin", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "đã được dùng") {
		t.Fatalf("the right digits after a wrong guess on the same token: %d %s", r.status, alertOf(r.body))
	}
}

// A network that fails many challenges or sign-ins is given harder challenges; others are not.
func TestChallengeHardensForAMisbehavingNetwork(t *testing.T) {
	e := newEnv(t)
	bits := func(ip string) int {
		b := e.browser()
		b.ip = ip
		m := challengePattern.FindStringSubmatch(b.get("/signin").raw)
		n, _ := strconv.Atoi(m[2])
		return n
	}
	base := e.app.cfg.ChallengeBits
	if got := bits("203.0.113.50"); got != base {
		t.Fatalf("a fresh network gets %d bits, want %d", got, base)
	}
	bot := e.browser()
	bot.ip = "203.0.113.50"
	for i := range 4 * netFreeFailures {
		m := challengePattern.FindStringSubmatch(bot.get("/signin").raw)
		bot.post("/signin", url.Values{"login": {"0912300001"}, "password": {"x"}, "challenge": {m[1]}, "work": {wrongWork(m[1], 30)}})
		_ = i
	}
	if got := bits("203.0.113.50"); got < base+2 || got > base+maxExtraBits {
		t.Errorf("after %d failed challenges the network gets %d bits, want %d to %d", 4*netFreeFailures, got, base+2, base+maxExtraBits)
	}
	if got := bits("198.51.100.9"); got != base {
		t.Errorf("another network gets %d bits, want %d", got, base)
	}
}

// --- 6. Request bodies ---------------------------------------------------------------------------

// countingListener counts the bytes the server reads from its connections.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	return countingConn{Conn: c, n: l.n}, err
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// streamTo sends a request whose body is streamed (chunked) to a server of the env's app,
// as fast as the server takes it, and reads the answer while the body is still being sent
// (as a browser does when a server answers early). It returns the answer and how many
// bytes the server read from the connection.
func (e *env) streamTo(path, contentType string, size int64) (response, int64) {
	e.t.Helper()
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(e.app.Handler())
	srv.Listener = countingListener{Listener: srv.Listener, n: &n}
	srv.Start()
	defer srv.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n", path, contentType)
	go func() {
		chunk := bytes.Repeat([]byte("a"), 32<<10)
		for sent := int64(0); sent < size; sent += int64(len(chunk)) {
			if _, err := fmt.Fprintf(conn, "%x\r\n%s\r\n", len(chunk), chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(conn, "0\r\n\r\n")
	}()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		e.t.Fatalf("no answer to a streamed %s: %v", path, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return response{status: resp.StatusCode, body: html.UnescapeString(string(body)), raw: string(body), header: resp.Header}, n.Load()
}

func TestRequestBodiesAreCapped(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	t.Run("a declared huge body is refused unread", func(t *testing.T) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 300000000\r\n\r\nlogin=")
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		head, _ := io.ReadAll(io.LimitReader(conn, 64))
		if !strings.HasPrefix(string(head), "HTTP/1.1 413") {
			t.Fatalf("answer: %q", head)
		}
	})

	t.Run("a streamed body stops at the cap", func(t *testing.T) {
		r, n := e.streamTo("/signin", "application/x-www-form-urlencoded", 30<<20)
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "quá lớn") {
			t.Fatalf("streamed 30 MB: %d %s", r.status, alertOf(r.body))
		}
		if n > 1<<20 {
			t.Errorf("the server read %d bytes of an anonymous sign-in", n)
		}
	})

	t.Run("multipart is refused outside the upload", func(t *testing.T) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		fw, _ := w.CreateFormFile("file", "x.bin")
		_, _ = fw.Write(bytes.Repeat([]byte("x"), 12<<10))
		_ = w.Close()
		for _, path := range []string{"/signin", "/register", "/console/signin"} {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, bytes.NewReader(buf.Bytes()))
			req.Header.Set("Content-Type", w.FormDataContentType())
			if r := e.browser().do(req); r.status != http.StatusUnsupportedMediaType {
				t.Errorf("multipart to %s: %d", path, r.status)
			}
		}
	})

	t.Run("the uploads are not read before the organizer is known", func(t *testing.T) {
		for path := range uploadRoutes {
			r, n := e.streamTo(path, "multipart/form-data; boundary=xyz", 10<<20)
			if r.status != http.StatusUnauthorized {
				t.Fatalf("anonymous upload to %s: %d", path, r.status)
			}
			if n > 1<<20 {
				t.Errorf("the server read %d bytes of an anonymous upload to %s", n, path)
			}
		}
	})

	entries, _ := os.ReadDir(tmp)
	if len(entries) > 0 {
		t.Errorf("request bodies left %d temporary files", len(entries))
	}
}

// --- 8, 10, 11. Redirects, bad input, an unreachable database, sign-out ----------------------------

func TestRedirectsStayOnTheSite(t *testing.T) {
	e := newEnv(t)
	e.register(1)
	for _, next := range []string{"/\\evil.example", "/\t/evil.example", "//evil.example", "https://evil.example", "/\\/evil.example", "/%0a", "javascript:alert(1)"} {
		if r := e.browser().get("/lang/en?next=" + url.QueryEscape(next)); r.location != "/" && !(next == "/%0a" && r.location == next) {
			t.Errorf("/lang next %q: redirected to %q", next, r.location)
		}
		b := e.browser()
		r := b.postSolved("/signin", b.get("/signin").raw, url.Values{"login": {"0912300001"}, "password": {"mat-khau-bi-mat"}, "next": {next}})
		if r.status != http.StatusSeeOther || (r.location != "/" && !(next == "/%0a" && r.location == next)) {
			t.Errorf("sign-in next %q: %d to %q", next, r.status, r.location)
		}
	}
	if r := e.browser().get("/lang/en?next=" + url.QueryEscape("/rounds/dot-1/winners?x=1")); r.location != "/rounds/dot-1/winners?x=1" {
		t.Errorf("a local path: %q", r.location)
	}
}

// logBuffer collects the app's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func TestOverlongLogin(t *testing.T) {
	e := newEnv(t)
	logs := &logBuffer{}
	e.reconfigure(func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	for _, n := range []int{3000, 12000} {
		b := e.browser()
		r := b.postSolved("/signin", b.get("/signin").raw, url.Values{"login": {strings.Repeat("9", n)}, "password": {"x"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "số điện thoại hoặc số CCCD") {
			t.Errorf("a %d-byte login: %d %s", n, r.status, alertOf(r.body))
		}
	}
	b := e.browser()
	r := b.postSolved("/signin", b.get("/signin").raw, url.Values{"login": {strings.Repeat("9", 100000)}, "password": {"x"}})
	if r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 100 KB login: %d", r.status)
	}
	for _, line := range strings.Split(logs.buf.String(), "\n") {
		if len(line) > 1000 {
			t.Errorf("a %d-byte log line: %.120s…", len(line), line)
		}
	}
}

func TestUnreachableDatabaseAnswers503(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	people := e.signedInPeople(1, "")
	organizer := e.organizer()
	dead, err := pgxpool.New(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dead.Close)
	e.reconfigure(func(c *Config) {
		c.Pool = dead
		c.Attempts = attempt.New(store.NewAttempts(dead), func(ctx context.Context, name string, version int) (*bank.Bank, error) {
			return store.LoadBank(ctx, dead, name, version)
		})
		c.Localities = func(ctx context.Context, id string) ([]locality.Locality, error) {
			return store.ListLocalities(ctx, dead, id)
		}
	})
	check := func(what string, r response) {
		t.Helper()
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "tạm thời gián đoạn") {
			t.Errorf("%s: %d Retry-After %q %s", what, r.status, r.header.Get("Retry-After"), alertOf(r.body))
		}
	}
	check("home", e.browser().get("/"))
	check("registration form", e.browser().get("/register"))
	anon := e.browser()
	check("sign-in", anon.postSolved("/signin", anon.get("/signin").raw, url.Values{"login": {"0912300001"}, "password": {"x"}}))
	check("my attempts", people[0].get("/me"))
	check("start", people[0].post("/rounds/dot-1/attempts", url.Values{}))
	check("console", organizer.get("/console"))
}

func TestOrganizerSignOutRevokesTheSession(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	b := e.organizer()
	u, _ := url.Parse(e.srv.URL + "/console")
	stolen := b.client.Jar.Cookies(u)
	if r := b.consolePost("/console", "/console/signout", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", r.status)
	}
	thief := e.browser()
	thief.client.Jar.SetCookies(u, stolen)
	if r := thief.get("/console"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/console/signin") {
		t.Fatalf("a copy of the cookie after sign-out: %d %q", r.status, r.location)
	}
}

// --- 12. Many people behind one address -------------------------------------------------------------

// The limits are per person, not per address: hundreds starting and tens answering at once
// from one shared address are all served; one script hammering is held back.
func TestPeopleSharingAnAddressAreServed(t *testing.T) {
	e := newEnv(t)
	e.reconfigure(func(c *Config) { c.ContestantRate, c.ContestantBurst = 0, 0 }) // the defaults
	people := e.signedInPeople(300, "100.64.0.1")                                 // one carrier-grade NAT address
	var wg sync.WaitGroup
	var refused atomic.Int64
	ids := make([]int64, len(people))
	for i, b := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := b.post("/rounds/dot-1/attempts", url.Values{})
			if m := attemptPath.FindStringSubmatch(r.location); r.status != http.StatusSeeOther || m == nil {
				refused.Add(1)
				return
			} else {
				ids[i], _ = strconv.ParseInt(m[1], 10, 64)
			}
		}()
	}
	wg.Wait()
	if n := refused.Load(); n > 0 {
		t.Fatalf("%d of %d people starting from one address were refused", n, len(people))
	}
	for i, b := range people[:40] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range 10 {
				if r := b.postJSON(fmt.Sprintf("/attempts/%d/answers", ids[i]), url.Values{"q" + strconv.Itoa(q): {"A"}}); r.status != http.StatusOK {
					refused.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := refused.Load(); n > 0 {
		t.Fatalf("%d autosaves of 40 people answering at once from one address were refused", n)
	}
	// One person's script, as fast as it can: held back, with Retry-After.
	limited := 0
	for range 3 * e.app.cfg.ContestantBurst {
		r := people[0].postJSON(fmt.Sprintf("/attempts/%d/answers", ids[0]), url.Values{"q0": {"B"}})
		if r.status == http.StatusTooManyRequests && r.header.Get("Retry-After") != "" {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("a script saving as fast as it can was never held back")
	}
}

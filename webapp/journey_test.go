package webapp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/exam"
)

func TestLandingPage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.get("/")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	for _, want := range []string{
		`<html lang="vi">`, "Tìm hiểu về chuyển đổi số", "Đợt 1", "Đang mở", "Đợt 2", "Sắp mở", "Đã kết thúc",
		"15 câu hỏi trắc nghiệm", "tối đa 3 lần", "1 Giải Nhất, 2 Giải Nhì, 3 Giải Ba, 5 Giải Khuyến khích",
		"Giờ hiển thị theo giờ Việt Nam (GMT+7)", "0 người đã tham gia",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("landing page lacks %q", want)
		}
	}
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	// English second.
	if r := b.get("/lang/en?next=/"); r.status != http.StatusSeeOther || r.location != "/" {
		t.Fatalf("switch: %d %q", r.status, r.location)
	}
	en := b.get("/")
	for _, want := range []string{`<html lang="en">`, "Open", "Opening soon", "Closed", "Times are Vietnam time (GMT+7)."} {
		if !strings.Contains(en.body, want) {
			t.Errorf("English landing page lacks %q", want)
		}
	}
	if r := b.get("/lang/en?next=//evil.example"); r.location != "/" {
		t.Errorf("open redirect through the language switch: %q", r.location)
	}
}

func TestRegistration(t *testing.T) {
	e := newEnv(t)

	t.Run("success signs the person in", func(t *testing.T) {
		b := e.register(1)
		home := b.get("/?registered=1")
		if !strings.Contains(home.body, "Nguyễn Thị Minh Khai") || !strings.Contains(home.body, "Bắt đầu làm bài") || !strings.Contains(home.body, "Đăng ký thành công") {
			t.Fatalf("home after registration: %s", alertOf(home.body))
		}
		var phone, id string
		if err := e.pool.QueryRow(context.Background(), `SELECT phone, national_id FROM contestant`).Scan(&phone, &id); err != nil {
			t.Fatal(err)
		}
		if phone != "0912300001" || id != "060192000001" {
			t.Errorf("stored phone %s id %s", phone, id)
		}
	})

	tests := []struct {
		name   string
		change func(url.Values)
		status int
		want   string
	}{
		{"same national ID again", func(f url.Values) { f.Set("phone", "0987000001") }, http.StatusConflict, "Số CCCD này đã được đăng ký"},
		{"same phone in another spelling", func(f url.Values) { f.Set("national_id", "060192000002"); f.Set("phone", "+84 912 300 001") }, http.StatusConflict, "Số điện thoại này đã được dùng"},
		{"ID birth year disagrees with date of birth", func(f url.Values) { f.Set("national_id", "060193000009") }, http.StatusUnprocessableEntity, "năm sinh"},
		{"ID gender digit disagrees with gender", func(f url.Values) { f.Set("national_id", "060092000009") }, http.StatusUnprocessableEntity, "giới tính"},
		{"ID of 11 digits", func(f url.Values) { f.Set("national_id", "06019200000") }, http.StatusUnprocessableEntity, "12"},
		{"landline phone", func(f url.Values) { f.Set("phone", "0252 3822 123") }, http.StatusUnprocessableEntity, "di động"},
		{"locality outside the list", func(f url.Values) { f.Set("locality", "99999") }, http.StatusUnprocessableEntity, "Vui lòng chọn xã, phường"},
		{"district instead of commune", func(f url.Values) { f.Set("locality", "593") }, http.StatusUnprocessableEntity, "Vui lòng chọn xã, phường"},
		{"short password", func(f url.Values) { f.Set("password", "abc"); f.Set("password2", "abc") }, http.StatusUnprocessableEntity, "ít nhất 8 ký tự"},
		{"passwords differ", func(f url.Values) { f.Set("password2", "other-password") }, http.StatusUnprocessableEntity, "không khớp"},
		{"rules not accepted", func(f url.Values) { f.Del("accept") }, http.StatusUnprocessableEntity, "đồng ý với thể lệ"},
		{"official without organization", func(f url.Values) { f.Set("organization", "") }, http.StatusUnprocessableEntity, "field-error"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := e.browser()
			form := registration(100 + i)
			if strings.HasPrefix(tt.name, "same") {
				form = registration(1)
			}
			tt.change(form)
			b.solve(b.get("/register").body, form)
			r := b.post("/register", form)
			if r.status != tt.status || !strings.Contains(r.body, tt.want) {
				t.Fatalf("status %d (want %d); alert %q; want %q in the page", r.status, tt.status, alertOf(r.body), tt.want)
			}
			// The form comes back filled in, so nothing typed is lost.
			if !strings.Contains(r.body, `value="Nguyễn Thị Minh Khai"`) {
				t.Errorf("the form lost the typed name")
			}
		})
	}

	t.Run("no challenge, a wrong answer spends the token, a replayed challenge", func(t *testing.T) {
		b := e.browser()
		page := b.get("/register").body
		form := registration(200)
		if r := b.post("/register", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "câu hỏi xác minh") {
			t.Fatalf("without challenge: %d %s", r.status, alertOf(r.body))
		}
		m := challengePattern.FindStringSubmatch(page)
		form.Set("challenge", m[1])
		form.Set("work", wrongWork(m[1], 6))
		if r := b.post("/register", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "không đúng") {
			t.Fatalf("wrong work: %d %s", r.status, alertOf(r.body))
		}
		// The wrong answer spent the token: solving it now is a replay.
		b.solve(page, form)
		if r := b.post("/register", form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "đã được dùng") {
			t.Fatalf("solved after a wrong answer: %d %s", r.status, alertOf(r.body))
		}
		b.solve(b.get("/register").body, form)
		if r := b.post("/register", form); r.status != http.StatusSeeOther {
			t.Fatalf("solved: %d %s", r.status, alertOf(r.body))
		}
		again := registration(201)
		again.Set("challenge", form.Get("challenge"))
		again.Set("work", form.Get("work"))
		if r := e.browser().post("/register", again); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "đã được dùng") {
			t.Fatalf("replayed: %d %s", r.status, alertOf(r.body))
		}
	})

	t.Run("a form posted from another site is refused", func(t *testing.T) {
		b := e.browser()
		form := registration(400)
		b.solve(b.get("/register").body, form)
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/register", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := b.do(req); r.status != http.StatusForbidden || !strings.Contains(r.body, "không đến từ trang của cuộc thi") {
			t.Fatalf("cross-site: %d %s", r.status, alertOf(r.body))
		}
	})

	t.Run("text people type is escaped", func(t *testing.T) {
		b := e.browser()
		form := registration(500)
		form.Set("organization", `"><script>alert(1)</script>`)
		form.Set("email", `x"><img src=x onerror=alert(1)>@a.vn`)
		form.Set("national_id", "bad")
		b.solve(b.get("/register").body, form)
		r := b.post("/register", form)
		if strings.Contains(r.raw, "<script>alert(1)") || strings.Contains(r.raw, "<img src=x") {
			t.Fatal("typed markup reached the page unescaped")
		}
		if !strings.Contains(r.raw, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Fatal("the typed organization is not shown back (escaped)")
		}
	})
}

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	e.register(1)
	signin := func(login, password string) response {
		b := e.browser()
		form := url.Values{"login": {login}, "password": {password}, "next": {"/me"}}
		return b.postSolved("/signin", b.get("/signin").raw, form)
	}
	if r := signin("0912 300 001", "mat-khau-bi-mat"); r.status != http.StatusSeeOther || r.location != "/me" {
		t.Fatalf("phone sign-in: %d %q %s", r.status, r.location, alertOf(r.body))
	}
	if r := signin("060192000001", "mat-khau-bi-mat"); r.status != http.StatusSeeOther {
		t.Fatalf("ID sign-in: %d", r.status)
	}
	if r := signin("0912300001", "wrong-password"); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "không đúng") {
		t.Fatalf("wrong password: %d %s", r.status, alertOf(r.body))
	}
	for i := 1; i < contestantSignin.pairLimit; i++ {
		if r := signin("0912300001", "wrong-password"); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i+1, r.status, alertOf(r.body))
		}
	}
	if r := signin("0912300001", "mat-khau-bi-mat"); r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "15 phút") {
		t.Fatalf("after many failures the account is throttled: %d %s", r.status, alertOf(r.body))
	}
	if r := e.browser().get("/me"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin?next=") {
		t.Fatalf("/me without sign-in: %d %q", r.status, r.location)
	}
}

func TestRoundWindowIsEnforced(t *testing.T) {
	e := newEnv(t)
	b := e.register(1)
	for _, tt := range []struct {
		round, want string
	}{
		{"dot-2", "Đợt thi chưa mở. Đợt thi mở lúc"},
		{"dot-0", "Đợt thi đã kết thúc lúc"},
		{"dot-9", "Không có đợt thi này"},
	} {
		r := b.post("/rounds/"+tt.round+"/attempts", url.Values{})
		if r.status/100 != 4 || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: %d %s", tt.round, r.status, alertOf(r.body))
		}
	}
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.Suspend = true })
	if r := b.post("/rounds/dot-1/attempts", url.Values{}); r.status != http.StatusConflict || !strings.Contains(r.body, "tạm dừng") {
		t.Errorf("suspended: %d %s", r.status, alertOf(r.body))
	}
	// The window is the database's: a round whose declared times say open but whose
	// closing has passed by the database clock refuses, whatever the app thinks.
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) {
		r.Spec.Suspend = false
		r.Spec.ClosesAt.Time = time.Now().Add(-time.Second)
	})
	if r := b.post("/rounds/dot-1/attempts", url.Values{}); r.status != http.StatusConflict || !strings.Contains(r.body, "đã kết thúc") {
		t.Errorf("closed by the clock: %d %s", r.status, alertOf(r.body))
	}
}

var optionPattern = regexp.MustCompile(`<label class="option"><input type="radio" name="q(\d+)" value="([A-J])"( checked)?> <span class="letter">[A-J]\.</span> ([^<]*)</label>`)

func TestTheJourney(t *testing.T) {
	e := newEnv(t)
	b := e.register(1)
	id := b.start("dot-1")

	page := b.get(fmt.Sprintf("/attempts/%d", id))
	if page.status != http.StatusOK {
		t.Fatalf("exam page %d", page.status)
	}
	options := optionPattern.FindAllStringSubmatch(page.raw, -1)
	if len(options) != 60 || strings.Count(page.raw, `<label class="option">`) != 60 {
		t.Fatalf("%d well-formed options of %d, want 60 (15 questions × 4)", len(options), strings.Count(page.raw, `<label class="option">`))
	}
	for _, want := range []string{"Câu 1", "Câu 15", "Câu hỏi dự đoán", "Dự đoán có bao nhiêu người", "data-seconds-left=", "Nộp bài"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("exam page lacks %q", want)
		}
	}
	if n := len(page.body); n > 100_000 {
		t.Errorf("exam page is %d bytes uncompressed", n)
	}

	// Answers saved as the contestant goes survive a reload, with the original deadline.
	at := e.attempt(id)
	key, err := exam.Score(at.Paper, e.bank, exam.Answers{})
	if err != nil {
		t.Fatal(err)
	}
	save := url.Values{"q0": {key.PerItem[0].CorrectOption}, "q1": {"A"}, "prediction": {"1.234"}}
	r := b.postJSON(fmt.Sprintf("/attempts/%d/answers", id), save)
	if r.status != http.StatusOK || !strings.Contains(r.body, `"saved":2`) {
		t.Fatalf("autosave: %d %s", r.status, r.body)
	}
	reload := b.get(fmt.Sprintf("/attempts/%d", id))
	if strings.Count(reload.raw, " checked>") != 2 || !strings.Contains(reload.body, `value="1234"`) {
		t.Fatalf("reload lost the saved answers")
	}
	if e.attempt(id).Deadline != at.Deadline {
		t.Fatal("the deadline moved")
	}
	if r := b.postJSON(fmt.Sprintf("/attempts/%d/answers", id), url.Values{"q0": {"Z"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "không hợp lệ") {
		t.Fatalf("invalid option: %d %s", r.status, r.body)
	}

	// Submit without the prediction: refused, nothing lost.
	all := url.Values{}
	for i, it := range key.PerItem {
		all.Set(fmt.Sprintf("q%d", i), it.CorrectOption)
	}
	noPrediction := b.post(fmt.Sprintf("/attempts/%d/submit", id), all)
	if noPrediction.status != http.StatusUnprocessableEntity || strings.Count(noPrediction.raw, " checked>") != 15 {
		t.Fatalf("submit without prediction: %d, %d answers kept: %s", noPrediction.status, strings.Count(noPrediction.raw, " checked>"), alertOf(noPrediction.body))
	}
	all.Set("prediction", "25")
	sub := b.post(fmt.Sprintf("/attempts/%d/submit", id), all)
	if sub.status != http.StatusSeeOther || sub.location != fmt.Sprintf("/attempts/%d/result", id) {
		t.Fatalf("submit: %d %q %s", sub.status, sub.location, alertOf(sub.body))
	}
	result := b.get(sub.location)
	for _, want := range []string{"Số câu đúng: 15/15", "Thời gian làm bài:", "Dự đoán của bạn: 25 người", "Bạn còn 2 lượt thi", "Đáp án đúng sẽ được công bố khi không còn bài thi nào"} {
		if !strings.Contains(result.body, want) {
			t.Errorf("result page lacks %q", want)
		}
	}

	// A repeated submit returns the same result and records nothing new.
	before := e.attempt(id)
	all.Set("prediction", "999")
	again := b.post(fmt.Sprintf("/attempts/%d/submit", id), all)
	after := e.attempt(id)
	if again.status != http.StatusSeeOther || !after.SubmittedAt.Equal(*before.SubmittedAt) || *after.Prediction != 25 {
		t.Fatalf("repeat submit changed the attempt: %d, %+v", again.status, after)
	}
	if r := b.postJSON(fmt.Sprintf("/attempts/%d/answers", id), url.Values{"q2": {"A"}}); r.status != http.StatusConflict {
		t.Fatalf("save after submit: %d", r.status)
	}

	// Use every attempt, then see the refusal.
	for n := 2; n <= 3; n++ {
		next := b.start("dot-1")
		if r := b.post(fmt.Sprintf("/attempts/%d/submit", next), url.Values{"prediction": {"0"}}); r.status != http.StatusSeeOther {
			t.Fatalf("attempt %d: %d", n, r.status)
		}
	}
	refused := b.post("/rounds/dot-1/attempts", url.Values{})
	if refused.status != http.StatusConflict || !strings.Contains(refused.body, "Bạn đã dùng hết 3 lượt thi") {
		t.Fatalf("fourth start: %d %s", refused.status, alertOf(refused.body))
	}
	me := b.get("/me")
	if strings.Count(me.body, "Đã nộp") != 3 || !strings.Contains(me.body, "15/15") {
		t.Fatalf("my attempts page: %s", me.body)
	}
	e.checkNoAnswerKey(t)
}

// checkNoAnswerKey looks at every response a contestant got: no bank question id, no
// explanation, no correctness field, and, for a round that is still open, no page naming
// the correct options.
func (e *env) checkNoAnswerKey(t *testing.T) {
	t.Helper()
	e.seenMu.Lock()
	defer e.seenMu.Unlock()
	for _, r := range e.seen {
		for _, q := range e.bank.Questions {
			if strings.Contains(r.body, q.ID) {
				t.Errorf("%s carries bank question id %s", r.url, q.ID)
			}
			if q.Explanation != "" && strings.Contains(r.body, q.Explanation) {
				t.Errorf("%s carries the explanation of %s", r.url, q.ID)
			}
		}
		for _, marker := range []string{"Đáp án đúng:", `"correct_option"`, `"CorrectOption"`, `"isCorrect"`, "data-correct", `class="right"`} {
			if strings.Contains(r.body, marker) {
				t.Errorf("%s carries %q", r.url, marker)
			}
		}
		if strings.HasPrefix(r.url, "/attempts/") && strings.HasSuffix(r.url, "/answers") && strings.HasPrefix(r.body, "{") {
			var m map[string]any
			if err := json.Unmarshal([]byte(r.body), &m); err != nil {
				t.Errorf("%s: %v", r.url, err)
			}
			for k := range m {
				if k != "saved" && k != "deadline" && k != "error" && k != "code" && k != "prediction_error" && k != "prediction_code" {
					t.Errorf("%s: unexpected JSON key %q", r.url, k)
				}
			}
		}
	}
}

func TestRevealAfterSubmitShowsTheKey(t *testing.T) {
	e := newEnv(t)
	// dot-1 draws from a bank version of its own: revealing it hands no other round the key.
	e.ownBankVersion("dot-1", 2)
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.RevealAnswers = contestv1alpha1.RevealAfterSubmit })
	b := e.register(1)
	id := b.start("dot-1")
	b.post(fmt.Sprintf("/attempts/%d/submit", id), url.Values{"prediction": {"3"}})
	result := b.get(fmt.Sprintf("/attempts/%d/result", id))
	if strings.Count(result.body, "Đáp án đúng:") != 15 {
		t.Fatalf("reveal after submit shows %d correct answers", strings.Count(result.body, "Đáp án đúng:"))
	}
}

func TestSubmitAfterTheDeadline(t *testing.T) {
	e := newEnv(t)
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.TimeLimit.Duration = 1500 * time.Millisecond })
	b := e.register(1)
	id := b.start("dot-1")
	at := e.attempt(id)
	key, _ := exam.Score(at.Paper, e.bank, exam.Answers{})
	b.postJSON(fmt.Sprintf("/attempts/%d/answers", id), url.Values{"q0": {key.PerItem[0].CorrectOption}})
	time.Sleep(1600 * time.Millisecond)
	all := url.Values{"prediction": {"7"}}
	for i, it := range key.PerItem {
		all.Set(fmt.Sprintf("q%d", i), it.CorrectOption)
	}
	r := b.post(fmt.Sprintf("/attempts/%d/submit", id), all)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Đã hết thời gian làm bài") {
		t.Fatalf("late submit: %d %s", r.status, alertOf(r.body))
	}
	got := e.attempt(id)
	if got.Status != attempt.StatusExpired || *got.Correct != 1 || !got.SubmittedAt.Equal(got.Deadline) {
		t.Fatalf("stored %s correct %v submitted %v deadline %v", got.Status, *got.Correct, got.SubmittedAt, got.Deadline)
	}
	if page := b.get(fmt.Sprintf("/attempts/%d", id)); page.status != http.StatusSeeOther {
		t.Fatalf("exam page of a closed attempt: %d", page.status)
	}
	if res := b.get(fmt.Sprintf("/attempts/%d/result", id)); !strings.Contains(res.body, "hết giờ") || !strings.Contains(res.body, "1/15") {
		t.Fatalf("result of a closed attempt: %s", alertOf(res.body))
	}
}

func TestOtherPeoplesAttemptsAreNotFound(t *testing.T) {
	e := newEnv(t)
	a, b := e.register(1), e.register(2)
	id := a.start("dot-1")
	for _, r := range []response{
		b.get(fmt.Sprintf("/attempts/%d", id)),
		b.get(fmt.Sprintf("/attempts/%d/result", id)),
		b.post(fmt.Sprintf("/attempts/%d/submit", id), url.Values{"prediction": {"1"}}),
		b.postJSON(fmt.Sprintf("/attempts/%d/answers", id), url.Values{"q0": {"A"}}),
	} {
		if r.status != http.StatusNotFound {
			t.Errorf("someone else's attempt: %d", r.status)
		}
	}
}

// Fifty simultaneous start requests from one person make one attempt; fifty clients racing
// to start and submit end with exactly the round's three.
func TestConcurrentStartsOverHTTP(t *testing.T) {
	e := newEnv(t)
	b := e.register(1)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := b.post("/rounds/dot-1/attempts", url.Values{})
			if r.status != http.StatusSeeOther {
				t.Errorf("concurrent start: %d %s", r.status, alertOf(r.body))
			}
		}()
	}
	wg.Wait()
	var rows int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM attempt`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d attempts after 50 concurrent starts (err %v), want 1", rows, err)
	}

	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 8 {
				r := b.post("/rounds/dot-1/attempts", url.Values{})
				m := attemptPath.FindStringSubmatch(r.location)
				if m == nil {
					return
				}
				b.post(r.location+"/submit", url.Values{"prediction": {"1"}})
			}
		}()
	}
	wg.Wait()
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM attempt`).Scan(&rows); err != nil || rows != 3 {
		t.Fatalf("%d attempts after the race (err %v), want exactly 3", rows, err)
	}
}

func TestOperationsEndpoints(t *testing.T) {
	e := newEnv(t)
	b := e.register(1)
	b.start("dot-1")
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		if r := b.get(path); r.status != http.StatusOK || r.body != want {
			t.Errorf("%s: %d %q", path, r.status, r.body)
		}
	}
	m := b.get("/metrics")
	for _, want := range []string{`contest_attempts_started_total{round="dot-1"} 1`, `contest_web_request_duration_seconds_bucket{code="303",method="POST",route="/rounds/:round/attempts"`} {
		if !strings.Contains(m.body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	e.app.Drain()
	if r := b.get("/readyz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("readyz while draining: %d", r.status)
	}
	if r := b.get("/nowhere"); r.status != http.StatusNotFound || !strings.Contains(r.body, "Không tìm thấy trang này") {
		t.Errorf("404 page: %d", r.status)
	}
}

// With a separate metrics listener the public handler (what the Ingress reaches) has no
// /metrics.
func TestMetricsCanBeKeptOffThePublicPort(t *testing.T) {
	e := newEnv(t)
	cfg := e.app.cfg
	cfg.SeparateMetrics = true
	cfg.Registerer, cfg.Gatherer = nil, nil
	app, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pub := httptest.NewRecorder()
	app.Handler().ServeHTTP(pub, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if pub.Code != http.StatusNotFound {
		t.Errorf("public /metrics: %d", pub.Code)
	}
	priv := httptest.NewRecorder()
	app.MetricsHandler().ServeHTTP(priv, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if priv.Code != http.StatusOK || !strings.Contains(priv.Body.String(), "contest_web_request_duration_seconds") {
		t.Errorf("metrics handler: %d", priv.Code)
	}
}

func TestCheckRoundsFindsUnreadyBanks(t *testing.T) {
	e := newEnv(t)
	if problems := e.app.CheckRounds(context.Background()); len(problems) != 0 {
		t.Fatalf("sample rounds: %v", problems)
	}
	e.rounds.update("dot-2", func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.Bank.Version = 7 })
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.Topics[0].Questions = 500 })
	problems := e.app.CheckRounds(context.Background())
	if len(problems) != 2 || !strings.Contains(problems[0].Error()+problems[1].Error(), "contest bank import") {
		t.Fatalf("problems: %v", problems)
	}
}

package webapp

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/locale"
)

// The exam page's autosave in a real browser: what is typed into the prediction is kept
// without leaving the field, its problems are shown next to it, refusals are not retried,
// and overload answers are retried when the server says.

// saveLog is a front of the app that records the autosave requests it passes on and can
// answer some of them itself, as an overloaded replica or proxy would.
type saveLog struct {
	mu    sync.Mutex
	times []time.Time
	// fail answers the autosave request of that number (1-based) itself.
	fail map[int]func(http.ResponseWriter)
	// through passes the autosave request of that number on in its own way (slowly).
	through map[int]func(w http.ResponseWriter, r *http.Request, app http.Handler)
}

func (l *saveLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/answers") {
			l.mu.Lock()
			l.times = append(l.times, time.Now())
			f, pass := l.fail[len(l.times)], l.through[len(l.times)]
			l.mu.Unlock()
			if f != nil {
				f(w)
				return
			}
			if pass != nil {
				pass(w, r, h)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (l *saveLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.times)
}

func (l *saveLog) gap(i int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.times[i].Sub(l.times[i-1])
}

// examPhone registers person n over HTTP, starts an attempt in dot-1 and opens its exam
// page on a phone signed in as that person; the phone talks to the app through log.
func examPhone(t *testing.T, e *env, n int, log *saveLog) (*phone, int64) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	srv := httptest.NewServer(log.wrap(e.app.Handler()))
	t.Cleanup(srv.Close)
	b := e.register(n)
	id := b.start("dot-1")
	p := newPhone(t, chromium, srv.URL)
	u, _ := url.Parse(e.srv.URL)
	yes := true
	for _, c := range b.client.Jar.Cookies(u) {
		if _, err := chromedp.Call(p.ctx, network.SetCookie, network.SetCookieParams{
			Name: c.Name, Value: c.Value, URL: srv.URL, Path: "/", HTTPOnly: &yes, SameSite: network.CookieSameSiteLax,
		}); err != nil {
			t.Fatal(err)
		}
	}
	p.navigate(fmt.Sprintf("/attempts/%d", id))
	p.see("Câu hỏi dự đoán")
	return p, id
}

// waitPath waits until the page's own script has navigated to path and the page loaded.
func (p *phone) waitPath(path string, limit time.Duration) {
	p.t.Helper()
	var at string
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(p.ctx, step)
		// Errors are expected while the page navigates.
		loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname : ""`))
		cancel()
		if err == nil && loc == path {
			return
		}
		if err == nil && loc != "" {
			at = loc
		}
	}
	p.t.Fatalf("waited %s for the page to go to %s; it is on %s: %s", limit, path, at, p.eval(`document.getElementById("timer").outerHTML + performance.getEntriesByType("navigation")[0].type + " " + document.getElementById("save-state").textContent`))
}

// waitStored polls the database until the attempt satisfies ok.
func (e *env) waitStored(t *testing.T, id int64, what string, ok func(attempt.Attempt) bool) {
	t.Helper()
	var at attempt.Attempt
	for end := time.Now().Add(step); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if at = e.attempt(id); ok(at) {
			return
		}
	}
	t.Fatalf("waited %s for %s; stored answers %v, prediction %s", step, what, at.Answers, showPrediction(at.Prediction))
}

func showPrediction(p *int64) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprint(*p)
}

func predictionIs(n int64) func(attempt.Attempt) bool {
	return func(at attempt.Attempt) bool { return at.Prediction != nil && *at.Prediction == n }
}

// A prediction typed without leaving the field is saved as it is typed, and on leaving
// the page.
func TestE2EPredictionSavedWhileTyping(t *testing.T) {
	e := newEnv(t)
	log := &saveLog{}
	p, id := examPhone(t, e, 1, log)

	p.do(chromedp.SendKeys(chromedp.ID("prediction"), "1234"))
	if !p.evalBool(`document.activeElement === document.getElementById("prediction")`) {
		t.Fatal("the prediction field lost the focus")
	}
	e.waitStored(t, id, "the typed prediction to be saved", predictionIs(1234))
	p.poll(`document.getElementById("save-state").textContent === "Đã lưu"`, "the saved state")
	p.do(chromedp.Reload())
	if got := p.value("#prediction"); got != "1234" {
		t.Fatalf("after a reload the prediction reads %q, want 1234", got)
	}

	// Typed and gone at once, before the pause that saves it: saved as the page goes.
	p.exec(`document.getElementById("prediction").select()`)
	p.do(chromedp.SendKeys(chromedp.ID("prediction"), "777"))
	p.exec(`location.assign("/me")`)
	e.waitStored(t, id, "the prediction typed just before leaving to be saved", predictionIs(777))
	p.checkNoErrors()
}

// The page says "Đã lưu" only when nothing is on its way: here a change is made while the
// previous save's reply is still arriving, and its own save is slow.
func TestE2ESavedOnlyWhenNothingIsOnItsWay(t *testing.T) {
	e := newEnv(t)
	var secondDone atomic.Bool
	log := &saveLog{through: map[int]func(http.ResponseWriter, *http.Request, http.Handler){
		// The first reply's headers come at once, its body 800 ms later.
		1: func(w http.ResponseWriter, r *http.Request, app http.Handler) {
			rec := httptest.NewRecorder()
			app.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.(http.Flusher).Flush()
			time.Sleep(800 * time.Millisecond)
			_, _ = w.Write(rec.Body.Bytes())
		},
		// The second save takes 1.5 s.
		2: func(w http.ResponseWriter, r *http.Request, app http.Handler) {
			time.Sleep(1500 * time.Millisecond)
			app.ServeHTTP(w, r)
			secondDone.Store(true)
		},
	}}
	p, id := examPhone(t, e, 1, log)
	p.do(chromedp.Tap(chromedp.CSS(`#q0 label.option:has(input[value="A"])`)))
	time.Sleep(300 * time.Millisecond) // the first reply's headers are in, its body is not
	p.do(chromedp.Tap(chromedp.CSS(`#q1 label.option:has(input[value="B"])`)))
	for !secondDone.Load() {
		if state := p.text("#save-state"); state == "Đã lưu" && !secondDone.Load() {
			t.Fatalf("the page says %q while the second answer's save is still on its way", state)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.poll(`document.getElementById("save-state").textContent === "Đã lưu"`, "the saved state")
	if got := e.attempt(id).Answers; got[0] != "A" || got[1] != "B" {
		t.Fatalf("stored answers %v", got)
	}
}

// The deadline passes while the typed prediction still has the focus: the closed attempt
// keeps it.
func TestE2EPredictionKeptWhenTheDeadlinePasses(t *testing.T) {
	e := newEnv(t)
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.TimeLimit.Duration = 8 * time.Second })
	log := &saveLog{}
	p, id := examPhone(t, e, 1, log)

	p.do(chromedp.Tap(chromedp.CSS(`#q0 label.option:has(input[value="A"])`)))
	p.do(chromedp.SendKeys(chromedp.ID("prediction"), "1234"))
	p.waitPath(fmt.Sprintf("/attempts/%d/result", id), 2*step)
	p.poll(`document.readyState === "complete"`, "the result page")
	p.see("Bài thi đã hết giờ", "Dự đoán của bạn: 1.234 người")
	at := e.attempt(id)
	if at.Status != attempt.StatusExpired || at.Prediction == nil || *at.Prediction != 1234 || at.Answers[0] != "A" {
		t.Fatalf("closed attempt: %s, answers %v, prediction %s", at.Status, at.Answers, showPrediction(at.Prediction))
	}
	p.checkNoErrors()
}

// A prediction the rules refuse is explained next to the field, accessibly, and not sent
// again; an answer the server refuses is not retried either.
func TestE2EAutosaveRefusalsAreShownNotRetried(t *testing.T) {
	e := newEnv(t)
	log := &saveLog{}
	p, id := examPhone(t, e, 1, log)
	p.expect(fmt.Sprintf("/attempts/%d/answers", id)) // the refused save below fails to load

	p.do(chromedp.SendKeys(chromedp.ID("prediction"), "12.5"))
	problem := locale.T(locale.Vietnamese, exam.CodePredictionDecimal)
	p.poll(fmt.Sprintf(`document.getElementById("prediction-error").textContent === %q`, problem), "the prediction's problem")
	if got := p.eval(`document.getElementById("prediction").getAttribute("aria-invalid") + " " + document.getElementById("prediction").getAttribute("aria-describedby")`); !strings.HasPrefix(got, "true ") || !strings.Contains(got, "prediction-error") {
		t.Errorf("the prediction field's aria-invalid and aria-describedby: %q", got)
	}
	if live := p.eval(`document.getElementById("prediction-error").getAttribute("aria-live") || document.getElementById("prediction-error").getAttribute("role") || ""`); live == "" {
		t.Error("the prediction's problem is not announced (no aria-live or role)")
	}
	p.see("Đã lưu các câu trả lời; số dự đoán chưa được lưu.")
	p.do(chromedp.Sleep(2500 * time.Millisecond))
	if n := log.count(); n != 1 {
		t.Fatalf("%d autosave requests for one typed prediction, want 1", n)
	}
	if at := e.attempt(id); at.Prediction != nil {
		t.Fatalf("stored prediction %d", *at.Prediction)
	}

	// Corrected: saved, the problem gone.
	p.exec(`document.getElementById("prediction").select()`)
	p.do(chromedp.SendKeys(chromedp.ID("prediction"), "125"))
	e.waitStored(t, id, "the corrected prediction", predictionIs(125))
	p.poll(`document.getElementById("prediction-error").textContent === "" && !document.getElementById("prediction").hasAttribute("aria-invalid")`, "the problem to go")
	before := log.count()

	// A tampered option: the server refuses it (422); the page says so and does not retry.
	p.exec(`document.querySelector("#q0 input[value=A]").value = "Z"`)
	p.do(chromedp.Tap(chromedp.CSS(`#q0 label.option:has(input[value="Z"])`)))
	p.poll(`document.getElementById("save-state").textContent.indexOf("không hợp lệ") >= 0`, "the refusal")
	p.do(chromedp.Sleep(2500 * time.Millisecond))
	if n := log.count() - before; n != 1 {
		t.Fatalf("%d requests for one refused answer, want 1", n)
	}
	if at := e.attempt(id); len(at.Answers) != 0 {
		t.Fatalf("stored answers %v", at.Answers)
	}
}

// Overload answers (503, 429) are retried, after the Retry-After the server asked for.
func TestE2EAutosaveRetriesOverload(t *testing.T) {
	e := newEnv(t)
	log := &saveLog{fail: map[int]func(http.ResponseWriter){
		1: func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "3")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		},
		3: func(w http.ResponseWriter) { http.Error(w, "slow down", http.StatusTooManyRequests) },
		4: func(w http.ResponseWriter) { http.Error(w, "oops", http.StatusBadGateway) },
	}}
	p, id := examPhone(t, e, 1, log)
	p.expect(fmt.Sprintf("/attempts/%d/answers", id))

	p.do(chromedp.Tap(chromedp.CSS(`#q0 label.option:has(input[value="B"])`)))
	e.waitStored(t, id, "the answer after a 503", func(at attempt.Attempt) bool { return at.Answers[0] == "B" })
	if gap := log.gap(1); gap < 2500*time.Millisecond {
		t.Errorf("retried %s after a 503 with Retry-After: 3", gap)
	}
	p.do(chromedp.Tap(chromedp.CSS(`#q1 label.option:has(input[value="C"])`)))
	e.waitStored(t, id, "the answer after a 429 and a 502", func(at attempt.Attempt) bool { return at.Answers[1] == "C" })
	if n := log.count(); n != 5 {
		t.Errorf("%d autosave requests, want 5", n)
	}
	p.poll(`document.getElementById("save-state").textContent === "Đã lưu"`, "the saved state")
}

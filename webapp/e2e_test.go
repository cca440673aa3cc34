package webapp

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/dxcontest/contest-platform/internal/exam"
)

// The contestant's whole journey in a real browser (Debian's chromium, headless, driven over
// the DevTools protocol) on a phone-sized screen: register (the page's script solves the
// proof of work), start an attempt, answer by tapping labels, watch the progress and the
// autosave, reload and find the answers kept, predict, submit through the confirm dialog,
// read the result, three times, and then be refused a fourth.
//
// Screenshots of the landing and the exam page go to the test's artifact directory
// (`go test -artifacts`), or to $CONTEST_SCREENSHOTS when it names a directory, for
// example ../docs/screenshots.
func TestE2EContestantJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	began := time.Now()
	e := newEnv(t)
	e.enableConsole()
	p := newPhone(t, chromium, e.srv.URL)

	// The landing page, as a visitor sees it.
	p.navigate("/")
	p.see("Tìm hiểu về chuyển đổi số", "Đợt 1", "Đang mở", "Đợt 2", "Sắp mở", "Đã kết thúc",
		"15 câu hỏi trắc nghiệm", "1 Giải Nhất, 2 Giải Nhì, 3 Giải Ba, 5 Giải Khuyến khích", "Giờ hiển thị theo giờ Việt Nam (GMT+7)")
	p.poll(`/^Đóng sau \d+:\d\d$/.test(document.querySelector(".round-open .countdown").textContent)`, "the open round's countdown")
	p.screenshot("landing-360.png")

	// Registration: every field filled as a person would, the commune chosen from the list.
	p.clickAndLoad(`.round-open a.button[href="/register"]`, "/register")
	form := registration(1)
	for _, name := range []string{"full_name", "birth_date", "national_id", "phone", "email", "organization", "password", "password2"} {
		p.do(chromedp.SendKeys(chromedp.ID(name), form.Get(name)))
		if got := p.value("#" + name); got != form.Get(name) {
			t.Fatalf("typed %q into %s, the field holds %q", form.Get(name), name, got)
		}
	}
	p.do(chromedp.Click(chromedp.CSS(`input[name=gender][value=` + form.Get("gender") + `]`)))
	p.do(chromedp.SetValue(chromedp.ID("participant_group"), form.Get("participant_group")))
	p.do(chromedp.SetValue(chromedp.ID("locality"), form.Get("locality")))
	if commune := p.eval(`(() => { const s = document.getElementById("locality"); return s.options[s.selectedIndex].parentNode.label + " / " + s.options[s.selectedIndex].text })()`); commune != "Thành phố Phan Thiết / Xã Tiến Lợi" {
		t.Fatalf("chosen locality %q", commune)
	}
	p.do(chromedp.Click(chromedp.CSS(`input[name=accept]`)))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	if p.evalBool(`document.querySelector(".challenge-picture, img[src^='/challenge.png']") !== null`) {
		t.Error("the no-script picture is in the page although the script solves the challenge")
	}
	home := p.clickAndLoad(`#register-submit`, "/")
	if home.Status != 200 {
		t.Fatalf("after registration: HTTP %d", home.Status)
	}
	p.see("Nguyễn Thị Minh Khai", "Bạn còn 3/3 lượt thi trong đợt này.", "Bắt đầu làm bài")

	// Three attempts, each started from the page: the home page's button, then the result
	// page's "Thi lần tiếp theo".
	attempts := []struct {
		right, wrong int
		prediction   string
		shown        string
	}{
		{right: 10, wrong: 3, prediction: "1234", shown: "1.234"},
		{right: 4, wrong: 0, prediction: "25", shown: "25"},
		{right: 0, wrong: 2, prediction: "0", shown: "0"},
	}
	start := `.round-open form[action="/rounds/dot-1/attempts"] button`
	for n, at := range attempts {
		n++
		examURL := p.clickAndLoad(start, `/attempts/\d+`).URL
		id, _ := strconv.ParseInt(examURL[strings.LastIndex(examURL, "/")+1:], 10, 64)
		p.see(fmt.Sprintf("Bài thi lần %d — Đợt 1", n), "Câu 1", "Câu 15", "Câu hỏi dự đoán", "Đã trả lời 0/15 câu")
		p.poll(`/^\d+:\d\d$/.test(document.getElementById("timer").textContent)`, "the exam countdown")
		if n == 1 {
			p.measureExamLoad(examURL)
		}

		// Answer by tapping the labels: the first questions right, the next ones wrong.
		key, err := exam.Score(e.attempt(id).Paper, e.bank, exam.Answers{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for i := range at.right + at.wrong {
			option := key.PerItem[i].CorrectOption
			if i >= at.right {
				option = "A"
				if key.PerItem[i].CorrectOption == "A" {
					option = "B"
				}
			}
			want[fmt.Sprintf("q%d", i)] = option
			p.do(chromedp.Tap(chromedp.CSS(fmt.Sprintf(`#q%d label.option:has(input[value="%s"])`, i, option))))
			if got := p.text(".progress-label"); got != fmt.Sprintf("Đã trả lời %d/15 câu", i+1) {
				t.Fatalf("attempt %d: after %d answers the progress says %q", n, i+1, got)
			}
		}
		if len(want) > 0 {
			p.poll(`document.getElementById("save-state").textContent === "Đã lưu"`, "the autosave")
		}
		if n == 1 {
			// Let the last tap's highlight fade, as it does on a phone, before the picture.
			p.do(chromedp.Sleep(600 * time.Millisecond))
			p.exec(`window.scrollTo(0, 0)`)
			p.screenshot("exam-page-360.png")
		}

		// A reload shows what the autosave stored.
		p.do(chromedp.Reload())
		if got := p.checked(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("attempt %d: after a reload the checked answers are %v, want %v", n, got, want)
		}
		p.see(fmt.Sprintf("Đã trả lời %d/15 câu", len(want)))

		// Predict, submit, accept the confirmation.
		p.do(chromedp.SendKeys(chromedp.ID("prediction"), at.prediction))
		dialogs := p.dialogs()
		p.clickAndLoad(`#exam .actions button:not([formaction])`, fmt.Sprintf(`/attempts/%d/result`, id))
		if got := dialogs(); len(got) != 1 || got[0] != "Nộp bài ngay? Sau khi nộp không thể sửa." {
			t.Errorf("attempt %d: dialogs %q, want the one confirmation", n, got)
		}
		p.see(fmt.Sprintf("Kết quả bài thi lần %d — Đợt 1", n), fmt.Sprintf("Số câu đúng: %d/15", at.right),
			"Thời gian làm bài:", fmt.Sprintf("Dự đoán của bạn: %s người", at.shown), "Đáp án đúng sẽ được công bố khi không còn bài thi nào")
		if n < 3 {
			p.see(fmt.Sprintf("Bạn còn %d lượt thi trong đợt này.", 3-n), "Thi lần tiếp theo")
			start = `main form[action="/rounds/dot-1/attempts"] button`
		} else {
			p.see("Bạn đã dùng hết lượt thi của đợt này.")
			p.absent(`main form[action="/rounds/dot-1/attempts"]`)
		}
	}

	// No fourth attempt: the button is gone, and a start sent anyway is refused.
	p.navigate("/")
	p.see("Bạn còn 0/3 lượt thi trong đợt này.")
	p.absent(`form[action="/rounds/dot-1/attempts"]`)
	p.exec(`(() => {
		const f = document.createElement("form");
		f.method = "post";
		f.action = "/rounds/dot-1/attempts";
		f.innerHTML = '<button id="crafted">start</button>';
		document.querySelector("main").append(f);
	})()`)
	p.expect("/rounds/dot-1/attempts")
	refused := p.clickAndLoad("#crafted", "/rounds/dot-1/attempts")
	if refused.Status != 409 {
		t.Errorf("a fourth start: HTTP %d, want 409", refused.Status)
	}
	p.see("Bạn đã dùng hết 3 lượt thi")

	p.navigate("/me")
	if n := strings.Count(p.bodyText(), "Đã nộp"); n != 3 {
		t.Errorf("my attempts page lists %d submitted attempts, want 3", n)
	}
	visitConsole(t, e, p)
	p.checkNoErrors()
	t.Logf("journey took %s", time.Since(began).Round(time.Millisecond))
}

// visitConsole is an organizer's short visit after the journey, with a few more people
// taking part: sign in on the phone (the page's script solves the challenge), then read
// the dashboard on a 1280×800 laptop screen. Its screenshot is organizer-console.png.
func visitConsole(t *testing.T, e *env, p *phone) {
	t.Helper()
	for n, change := range []func(url.Values){
		func(f url.Values) { f.Set("locality", "22915") },
		func(f url.Values) {
			f.Set("participant_group", "student")
			f.Set("organization", "Trường THPT Phan Bội Châu")
		},
		func(f url.Values) {
			f.Set("participant_group", "armed_forces")
			f.Set("organization", "Bộ Chỉ huy Quân sự tỉnh")
			f.Set("locality", "23231")
		},
		func(f url.Values) {
			f.Set("participant_group", "resident")
			f.Set("organization", "")
			f.Set("locality", "22918")
		},
	} {
		b := e.registerAs(10+n, change)
		b.submitAttempt(n%2 == 0)
		if n == 3 {
			b.start("dot-1") // still answering while the organizer looks
		}
	}

	p.navigate("/console")
	if got := p.path(); got != "/console/signin?next=%2Fconsole" {
		t.Fatalf("the console without a session: %s", got)
	}
	p.do(chromedp.SendKeys(chromedp.ID("username"), testConsoleUser), chromedp.SendKeys(chromedp.ID("password"), testConsolePassword))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.clickAndLoad(`form.challenge-form button[type=submit]`, "/console")
	p.see("Tổng quan cuộc thi", "Tình hình tham gia — Đợt 1", "Theo đối tượng", "Theo ngày", "Xã Tiến Lợi", "UBND xã Tiến Lợi")
	if got := p.text(`tr.selected td:nth-child(4)`) + "/" + p.text(`tr.selected td:nth-child(5)`); got != "5/7" {
		t.Errorf("dashboard: participants/attempts of Đợt 1 read %s, want 5/7", got)
	}

	p.laptop()
	p.do(chromedp.Reload())
	p.fits()
	p.screenshot("organizer-console.png")
}

// laptop turns the tab into a 1280×800 desktop screen.
func (p *phone) laptop() {
	p.t.Helper()
	p.do(chromedp.EmulateViewport(1280, 800))
}

// phone is one headless chromium tab with a 360×740 mobile viewport at device scale 2.
type phone struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu     sync.Mutex
	errors []string // uncaught exceptions, console errors and failed loads of the pages
	// expected are the URLs whose failed loads the test caused on purpose.
	expected map[string]bool
	// axe is axe-core's script, for the accessibility tests (e2e_a11y_test.go).
	axe string
}

// step bounds each action: a selector that never matches fails the test instead of waiting
// for the whole test's time.
const step = 15 * time.Second

func newPhone(t *testing.T, chromium, base string) *phone {
	t.Helper()
	profile, err := os.MkdirTemp("", "contest-e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The browser's helpers can write into the profile for a moment after it stops.
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(profile),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })

	// The app has no favicon; the browser's request for one gets the 404 page.
	p := &phone{t: t, ctx: ctx, base: base, expected: map[string]bool{base + "/favicon.ico": true}}
	// The first action starts the browser; it binds the browser's life to ctx, so it gets
	// no timeout of its own.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740,
		chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdpruntime.EventExceptionThrown:
			p.record("exception: " + ev.ExceptionDetails.Text + describe(ev.ExceptionDetails.Exception))
		case *cdpruntime.EventConsoleAPICalled:
			if ev.Type == cdpruntime.ConsoleAPICalledTypeError || ev.Type == cdpruntime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				p.record(fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			}
		case *cdplog.EventEntryAdded:
			// Failed loads, CSP violations and the like.
			if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
				if !p.isExpected(ev.Entry.URL) {
					p.record(fmt.Sprintf("%s %s: %s (%s)", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
				}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	return p
}

func describe(o *cdpruntime.RemoteObject) string {
	if o == nil {
		return ""
	}
	return " " + o.Description
}

// expect marks the failed load of a URL as intended.
func (p *phone) expect(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expected[p.base+path] = true
}

func (p *phone) isExpected(url string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.expected[url]
}

func (p *phone) record(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errors = append(p.errors, s)
}

func (p *phone) checkNoErrors() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.errors {
		p.t.Errorf("the page reported %s", s)
	}
}

func (p *phone) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, step)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

func run[T any](p *phone, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, step)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("browser: %v", err)
	}
	return v
}

func (p *phone) eval(js string) string {
	p.t.Helper()
	return run(p, chromedp.Evaluate[string](js))
}

func (p *phone) evalBool(js string) bool {
	p.t.Helper()
	return run(p, chromedp.Evaluate[bool](js))
}

// exec runs a script for its effect.
func (p *phone) exec(js string) {
	p.t.Helper()
	run(p, chromedp.Evaluate[any](js))
}

func (p *phone) value(sel string) string {
	p.t.Helper()
	return run(p, chromedp.Value(chromedp.CSS(sel)))
}

func (p *phone) text(sel string) string {
	p.t.Helper()
	return run(p, chromedp.TextContent(chromedp.CSS(sel)))
}

// bodyText is the page's text as a person reads it.
func (p *phone) bodyText() string {
	p.t.Helper()
	return p.eval(`document.body.innerText`)
}

// path is the current page's path and query.
func (p *phone) path() string {
	p.t.Helper()
	return strings.TrimPrefix(run(p, chromedp.Location()), p.base)
}

func (p *phone) navigate(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base + path))
	p.fits()
}

func (p *phone) poll(js, what string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, step)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		p.t.Fatalf("waiting for %s on %s: %v", what, p.path(), err)
	}
}

func (p *phone) see(texts ...string) {
	p.t.Helper()
	body := p.bodyText()
	for _, want := range texts {
		if !strings.Contains(body, want) {
			p.t.Errorf("%s lacks %q; it reads:\n%s", p.path(), want, body)
		}
	}
}

func (p *phone) absent(sel string) {
	p.t.Helper()
	if p.evalBool(fmt.Sprintf(`document.querySelector(%q) !== null`, sel)) {
		p.t.Errorf("%s still has %s", p.path(), sel)
	}
}

// clickAndLoad clicks and waits for the page that the click loads, whose path must match
// the pattern; it returns the response of that page's document.
func (p *phone) clickAndLoad(sel, pathPattern string) *network.Response {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, step)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("click %s on %s: %v", sel, p.path(), err)
	}
	if resp == nil {
		p.t.Fatalf("click %s on %s loaded no page", sel, p.path())
	}
	if !regexp.MustCompile(`^` + pathPattern + `(\?.*)?$`).MatchString(p.path()) {
		p.t.Fatalf("click %s: landed on %s (HTTP %d), want %s; the page reads:\n%s", sel, p.path(), resp.Status, pathPattern, p.bodyText())
	}
	p.fits()
	return resp
}

// fits checks that the page needs no sideways scrolling on the phone.
func (p *phone) fits() {
	p.t.Helper()
	if scroll, view := p.widths(); scroll > view {
		p.t.Errorf("%s is %d px wide on a %d px screen", p.path(), scroll, view)
	}
}

func (p *phone) widths() (int, int) {
	p.t.Helper()
	// The layout viewport's width, not window.innerWidth: a mobile browser zooms out to show
	// a page wider than the screen, and innerWidth then grows with the page.
	w := run(p, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
	return w[0], w[1]
}

func (p *phone) checked() map[string]string {
	p.t.Helper()
	return run(p, chromedp.Evaluate[map[string]string](
		`Object.fromEntries(Array.from(document.querySelectorAll("#exam input[type=radio]:checked"), i => [i.name, i.value]))`))
}

// dialogs accepts every JavaScript dialog from now on, until the returned func is
// called; that returns the dialogs' messages.
func (p *phone) dialogs() func() []string {
	ctx, cancel := context.WithCancel(p.ctx)
	events := chromedp.Events(ctx, page.JavascriptDialogOpening)
	var (
		mu   sync.Mutex
		seen []string
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		for ev, err := range events {
			if err != nil {
				return
			}
			mu.Lock()
			seen = append(seen, ev.Message)
			mu.Unlock()
			if _, err := chromedp.Call(p.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true}); err != nil {
				p.record("accept the dialog: " + err.Error())
			}
		}
	}()
	return func() []string {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return seen
	}
}

// screenshot takes a full-page screenshot and writes it to the artifact directory, or to
// $CONTEST_SCREENSHOTS.
func (p *phone) screenshot(name string) {
	p.t.Helper()
	png := run(p, chromedp.FullScreenshot(100))
	dir := os.Getenv("CONTEST_SCREENSHOTS")
	if dir == "" {
		dir = p.t.ArtifactDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot of %s: %s (%d bytes)", p.path(), path, len(png))
}

// examPageBudget bounds what a phone downloads to open the exam page with an empty cache:
// the HTML, the stylesheet and the script, compressed, headers included.
const examPageBudget = 100 * 1024

// measureExamLoad loads the exam page with the cache off and adds up the bytes that came
// over the network for its document, stylesheet and script.
func (p *phone) measureExamLoad(url string) {
	p.t.Helper()
	type resource struct {
		url, kind, encoding string
		bytes               float64
		done                bool
	}
	var (
		mu  sync.Mutex
		got = map[network.RequestID]*resource{}
	)
	ctx, cancel := context.WithCancel(p.ctx)
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventResponseReceived:
			r := &resource{url: ev.Response.URL, kind: string(ev.Type)}
			if enc, ok := ev.Response.Headers["Content-Encoding"].(string); ok {
				r.encoding = enc
			}
			got[ev.RequestID] = r
		case *network.EventLoadingFinished:
			if r := got[ev.RequestID]; r != nil {
				r.bytes, r.done = ev.EncodedDataLength, true
			}
		}
	}); err != nil {
		p.t.Fatal(err)
	}
	p.do(
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
			return err
		}),
		chromedp.Navigate(url),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: false})
			return err
		}),
	)
	cancel()
	mu.Lock()
	defer mu.Unlock()
	var total float64
	kinds := map[string]int{}
	for _, r := range got {
		if r.kind != "Document" && r.kind != "Stylesheet" && r.kind != "Script" {
			continue
		}
		if !r.done {
			p.t.Errorf("%s did not finish loading", r.url)
		}
		if r.encoding == "" {
			p.t.Errorf("%s came uncompressed", r.url)
		}
		kinds[r.kind]++
		total += r.bytes
		p.t.Logf("exam page load: %-10s %6.0f bytes %-4s %s", r.kind, r.bytes, r.encoding, strings.TrimPrefix(r.url, p.base))
	}
	if kinds["Document"] != 1 || kinds["Stylesheet"] != 1 || kinds["Script"] != 1 {
		p.t.Errorf("the exam page load fetched %v, want one document, one stylesheet and one script", kinds)
	}
	p.t.Logf("exam page load: %.0f bytes transferred in all (budget %d)", total, examPageBudget)
	if total >= examPageBudget {
		p.t.Errorf("the exam page load transferred %.0f bytes, over the budget of %d", total, examPageBudget)
	}
}

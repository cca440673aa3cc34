package webapp

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/store"
)

// axeFile is axe-core's browser build, which `make axe-core` fetches from npm at the version
// test/a11y/package-lock.json pins and links here (make test depends on it).
const axeFile = "../bin/axe.min.js"

// axeTags are the rules axe runs: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Every page a contestant sees passes axe-core's WCAG 2.1 A and AA rules with no serious or
// critical violation, on a 360 px phone and on a 1280 px desktop screen: the public pages,
// the forms, the exam page during an attempt, the result, "my attempts", the 404 page and
// the embeddable widget.
func TestE2EContestantPagesAccessible(t *testing.T) {
	p, e := a11yPhone(t)

	// The winners page with a published list.
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(true) })
	if _, err := store.Publish(context.Background(), e.pool, "contest/dot-0", "test"); err != nil {
		t.Fatal(err)
	}
	p.expect("/khong-co-trang-nay")
	p.expect("/verify/ABCD-EFGH-JKMN-PQRS") // a code that is not genuine: the 404 page
	for _, path := range []string{"/", "/register", "/signin", "/recover", "/recover/code", "/rules",
		"/rounds/dot-0/winners", "/khong-co-trang-nay", "/embed/round", "/verify", "/verify/ABCD-EFGH-JKMN-PQRS"} {
		p.navigate(path)
		p.axeBothSizes()
	}

	// The forms sent back with their errors (the page's script writes the server's answer
	// in place): an empty registration, a wrong password for person 1.
	e.register(1)
	p.expect("/register")
	p.expect("/signin")
	p.navigate("/register")
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.do(chromedp.Click(chromedp.ID("register-submit")))
	p.poll(`document.querySelector("[aria-invalid=true]") !== null`, "the fields' errors")
	p.axeBothSizes()
	p.navigate("/signin")
	p.do(chromedp.SendKeys(chromedp.ID("login"), "0912300001"), chromedp.SendKeys(chromedp.ID("password"), "sai-mat-khau"))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.do(chromedp.Click(chromedp.CSS("form.challenge-form button[type=submit]")))
	p.poll(`document.body.innerText.includes("mật khẩu không đúng")`, "the wrong-password page")
	p.axeBothSizes()

	// Signed in: the home page, an attempt under way (an answer chosen), its result with
	// the answers shown, my attempts.
	// (Answers are shown after each submit only in a round whose bank no other round uses.)
	e.ownBankVersion("dot-1", 2)
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.RevealAnswers = contestv1alpha1.RevealAfterSubmit })
	b := e.register(2)
	p.takeSession(b)
	p.navigate("/")
	p.see("Bắt đầu làm bài")
	p.axeBothSizes()
	id := b.start("dot-1")
	p.navigate(fmt.Sprintf("/attempts/%d", id))
	p.see("Câu hỏi dự đoán")
	p.do(chromedp.Tap(chromedp.CSS(`#q0 label.option:has(input[value="B"])`)))
	p.poll(`document.getElementById("save-state").textContent === "Đã lưu"`, "the autosave")
	p.axeBothSizes()
	if r := b.post(fmt.Sprintf("/attempts/%d/submit", id), url.Values{"q0": {"B"}, "q1": {"A"}, "q2": {"B"}, "prediction": {"12"}}); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", r.status, alertOf(r.body))
	}
	p.navigate(fmt.Sprintf("/attempts/%d/result", id))
	p.see("Kết quả bài thi lần 1")
	if !p.evalBool(`document.querySelector("ol.review li") !== null`) {
		t.Error("the result page shows no answers, although the round shows them after each submit")
	}
	p.axeBothSizes()
	p.navigate("/me")
	p.see("Đã nộp")
	p.axeBothSizes()
	p.checkNoErrors()
}

// The organizer console's pages pass the same rules.
func TestE2EConsolePagesAccessible(t *testing.T) {
	p, e := a11yPhone(t)
	e.enableConsole()
	e.register(1).submitAttempt(true)
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(false) })
	e.answeredRound("contest/dot-2") // the item analysis has question cards to check

	p.navigate("/console/signin")
	p.axeBothSizes()
	p.takeSession(e.organizer())
	for _, path := range []string{"/console", "/console/rounds/dot-1", "/console/rounds/dot-0", "/console/banks",
		"/console/units", "/console/units/spellings", "/console/eligibility", "/console/helpdesk", "/console/share",
		"/console/rounds/dot-2/items", "/console/accounts", "/console/audit", "/console/password", "/console/integrity"} {
		p.navigate(path)
		if got := p.path(); got != path {
			t.Fatalf("%s: landed on %s", path, got)
		}
		p.axeBothSizes()
	}
	// The review queue again once its first scan is done: the perfect attempt submitted at
	// once is listed, with its decision form.
	e.app.scans.wg.Wait()
	p.navigate("/console/integrity")
	p.see("Quét lúc", "Ghi quyết định")
	p.axeBothSizes()
	p.checkNoErrors()
}

// a11yPhone is a new env and a phone on it, with axe-core at hand: a missing axe-core fails
// the test (make test installs it), as a missing chromium does.
func a11yPhone(t *testing.T) (*phone, *env) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	axe, err := os.ReadFile(axeFile)
	if err != nil {
		abs, _ := filepath.Abs(axeFile)
		t.Fatalf("axe-core is not installed at %s (%v): `make axe-core` fetches it from npm (make test does)", abs, err)
	}
	e := newEnv(t)
	p := newPhone(t, chromium, e.srv.URL)
	p.axe = string(axe)
	return p, e
}

// takeSession gives the phone the cookies of a browser signed in over HTTP: the
// contestant's (path /) and the organizer's (path /console).
func (p *phone) takeSession(b *browser) {
	p.t.Helper()
	yes := true
	taken := map[string]bool{}
	for _, path := range []string{"/", "/console"} {
		u, _ := url.Parse(b.e.srv.URL + path)
		for _, c := range b.client.Jar.Cookies(u) {
			if taken[c.Name] {
				continue
			}
			taken[c.Name] = true
			if _, err := chromedp.Call(p.ctx, network.SetCookie, network.SetCookieParams{
				Name: c.Name, Value: c.Value, URL: p.base + path, Path: path, HTTPOnly: &yes, SameSite: network.CookieSameSiteLax,
			}); err != nil {
				p.t.Fatal(err)
			}
		}
	}
}

// axeBothSizes checks the page on the phone and on a desktop screen, and leaves the phone
// as it was.
func (p *phone) axeBothSizes() {
	p.t.Helper()
	p.checkAxe("360 px")
	p.laptop()
	p.checkAxe("1280 px")
	p.do(chromedp.EmulateViewport(360, 740,
		chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
}

// axeViolation is one rule the page breaks, with the elements that break it.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkAxe runs axe-core on the page as it is now and fails the test for each serious or
// critical violation; lesser ones are logged.
func (p *phone) checkAxe(size string) {
	p.t.Helper()
	if !p.evalBool(`typeof window.axe === "object"`) {
		p.exec(p.axe)
	}
	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	ctx, cancel := context.WithTimeout(p.ctx, step)
	defer cancel()
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {
		runOnly: {type: "tag", values: `+tags+`},
		resultTypes: ["violations"],
	}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.map(n => n.target.flat().join(" ") + ": " + [...n.any, ...n.all, ...n.none].map(c => c.message).join("; ")),
	})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("axe on %s (%s): %v", p.path(), size, err)
	}
	for _, v := range found {
		msg := fmt.Sprintf("%s at %s: %s [%s] %s:\n\t%s", p.path(), size, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n\t"))
		if v.Impact == "serious" || v.Impact == "critical" {
			p.t.Error(msg)
		} else {
			p.t.Log(msg)
		}
	}
}

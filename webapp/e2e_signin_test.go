package webapp

import (
	"context"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dxcontest/contest-platform/internal/store"
)

// Sign-in in a real browser when the server cannot serve it at once: busy hashing passwords
// (503), the page says so in Vietnamese and sends again by itself; asked for a harder
// challenge, it solves it and sends again by itself; refused, it shows the server's page,
// whose script works as on any page.
func TestE2ESigninRetriesByItself(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	e.register(1)
	e.reconfigure(func(c *Config) { c.PasswordHashWait = 300e6 }) // 300 ms: busy answers come quickly
	p := newPhone(t, chromium, e.srv.URL)
	p.expect("/signin") // the refusals below are what the test asks for
	signin := func(pw string) {
		p.navigate("/signin")
		p.do(chromedp.SendKeys(chromedp.ID("login"), "0912 300 001"), chromedp.SendKeys(chromedp.ID("password"), pw))
		p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
		p.do(chromedp.Click(chromedp.CSS(`form.challenge-form button[type=submit]`)))
	}

	// What the proof of work costs a browser: the page's own solver, timed from the page
	// load (docs/BENCHMARKS.md; a phone is several times slower than this machine).
	began := time.Now()
	p.navigate("/signin")
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	if n, err := strconv.Atoi(p.value("input[name=work]")); err == nil {
		elapsed := time.Since(began)
		t.Logf("page's proof of work: %d hashes in %s, about %.0f hashes/s", n+1, elapsed.Round(time.Millisecond), float64(n+1)/elapsed.Seconds())
	}

	// A wrong password: the server's page replaces the form, and its script solves a new
	// challenge there.
	signin("sai-mat-khau")
	p.poll(`document.body.innerText.includes("mật khẩu không đúng")`, "the wrong-password page")
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work on the page sent back")

	// Busy: every slot to hash a password is taken.
	hold, err := e.app.hashes.Acquire(context.Background(), uint32(e.app.hashes.BudgetKiB()))
	if err != nil {
		t.Fatal(err)
	}
	signin("mat-khau-bi-mat")
	p.poll(`!document.querySelector(".challenge-busy").hidden && document.querySelector(".challenge-busy").innerText.includes("Hệ thống đang bận, trang sẽ tự gửi lại")`, "the busy message")
	hold()
	p.across(`location.pathname === "/" && document.body.innerText.includes("Nguyễn Thị Minh Khai")`, "signed in after the retry")

	// Harder: this network has tried this login before; the page solves the harder challenge
	// the server sends back and signs in without anyone pressing again.
	p.exec(`document.querySelector("form[action='/signout']").submit()`)
	p.across(`location.pathname === "/" && !document.body.innerText.includes("Nguyễn Thị Minh Khai")`, "signed out")
	pair := store.Counter{Key: store.CounterKey(contestantSignin.kind, "0912300001", "127.0.0.1"), Window: contestantSignin.window}
	for range contestantSignin.pairHarder {
		if _, err := store.Count(context.Background(), e.pool, pair); err != nil {
			t.Fatal(err)
		}
	}
	signin("mat-khau-bi-mat")
	p.across(`location.pathname === "/" && document.body.innerText.includes("Nguyễn Thị Minh Khai")`, "signed in after the harder challenge")
	p.checkNoErrors()
}

// across waits until js holds, across the page loads that happen meanwhile (poll stops at
// a navigation).
func (p *phone) across(js, what string) {
	p.t.Helper()
	deadline := time.Now().Add(step)
	for {
		ctx, cancel := context.WithTimeout(p.ctx, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waiting for %s on %s: %v", what, p.path(), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

package webapp

import (
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// The item analysis on a phone: an organizer signs in, opens it from the round's page, and
// every question card (its text, the options with their bars, the reasons of a dubious
// one) fits the 360 px screen.
func TestE2EItemAnalysisOnAPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	e.enableConsole()
	q2, _ := e.answeredRound("contest/dot-1")
	p := newPhone(t, chromium, e.srv.URL)

	p.navigate("/console/rounds/dot-1")
	p.do(chromedp.SendKeys(chromedp.ID("username"), testConsoleUser), chromedp.SendKeys(chromedp.ID("password"), testConsolePassword))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.clickAndLoad(`form.challenge-form button[type=submit]`, "/console/rounds/dot-1")
	p.clickAndLoad(`a[href="/console/rounds/dot-1/items"]`, "/console/rounds/dot-1/items")
	p.see("Phân tích câu hỏi — Đợt 1", "lượt thi đã tính", "Đáng ngờ", "được chọn nhiều hơn đáp án", "(đáp án)", "Bỏ trống",
		e.bank.Questions[2].Text)
	if got := p.text("article.item h2 code"); got != q2 {
		t.Errorf("the first card is %q, want the dubious %s", got, q2)
	}
	if n := p.eval(`String(document.querySelectorAll("article.item progress").length)`); n != "20" {
		t.Errorf("%s bars, want 20 (4 questions × 4 options and a blank each)", n)
	}
	p.do(chromedp.Click(chromedp.CSS("details summary")))
	p.see("Độ phân biệt (từ −1 đến 1)")
	p.fits()
	p.screenshot("item-analysis-360.png")
	p.checkNoErrors()
}

package webapp

import (
	"net/url"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dxcontest/contest-platform/internal/exam"
)

// A key correction in a real browser on a phone-sized screen: an editor opens a question,
// chooses the right option, gives the reason, reads the preview and applies it. Every
// page fits the screen, the question's long text included.
func TestE2EKeyCorrection(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	e.enableConsole()
	an := e.register(1)
	id := an.start("dot-1")
	an.answerAll(id, "1")
	it := e.attempt(id).Paper.Items[0]
	bq := e.bank.Questions[it.At]
	other := exam.Key{Option: (bq.CorrectIndex() + 1) % len(bq.Options)}

	p := newPhone(t, chromium, e.srv.URL)
	page := "/console/rounds/dot-1/corrections?question=" + url.QueryEscape(it.QuestionID)
	p.navigate(page)
	p.do(chromedp.SendKeys(chromedp.ID("username"), testConsoleUser), chromedp.SendKeys(chromedp.ID("password"), testConsolePassword))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.clickAndLoad(`form.challenge-form button[type=submit]`, `/console/rounds/dot-1/corrections`)
	p.see(bq.Text, "Đáp án đang áp dụng: "+exam.KeyOf(&bq).String())
	p.do(chromedp.Click(chromedp.CSS(`input[name=key][value="`+other.String()+`"]`)),
		chromedp.SendKeys(chromedp.ID("reason"), "Đáp án trong tệp ngân hàng câu hỏi bị nhập nhầm"))
	p.clickAndLoad(`form[action$="/corrections/preview"] button[type=submit]`, `/console/rounds/dot-1/corrections/preview`)
	p.see("1 trong 1 bài đã nộp đổi điểm (0 bài tăng, 1 bài giảm)", "Áp dụng điều chỉnh")
	p.clickAndLoad(`form[method=post][action="/console/rounds/dot-1/corrections"] button[type=submit]`, `/console/rounds/dot-1/corrections`)
	p.see("Đã áp dụng điều chỉnh đáp án câu "+it.QuestionID, "Lần 1 — câu "+it.QuestionID, "Nguyễn Thị Minh Khai")
	p.checkNoErrors()
	if got := e.correct(id); got != 14 {
		t.Errorf("score after the correction: %d", got)
	}
}

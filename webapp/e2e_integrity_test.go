package webapp

import (
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// The review queue on a phone-sized screen: an editor opens it, reads a person's evidence
// (an IPv6 network, names of the other accounts), marks them not in breach with a reason,
// and lands back on the queue with the notice. Every page fits the screen.
func TestE2EIntegrityReview(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	for i, name := range []string{"Nguyễn Thị Phòng Máy Một", "Nguyễn Thị Phòng Máy Hai", "Nguyễn Thị Phòng Máy Ba"} {
		b, _ := e.named(1+i, name)
		b.ip, b.ua = "2402:800:6371:4d2e:8c1a:1f2b:3c4d:5e6f", phoneUA
		b.start("dot-1")
	}
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	p := newPhone(t, chromium, e.srv.URL)

	p.navigate("/console/integrity")
	p.do(chromedp.SendKeys(chromedp.ID("username"), "dieu.hanh"), chromedp.SendKeys(chromedp.ID("password"), "mat-khau-dieu-hanh-2024"))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.clickAndLoad(`form.challenge-form button[type=submit]`, "/console/integrity")
	// The first visit starts the round's scan in the background (a round this small may be
	// scanned before the page is drawn); once it is done the page shows its result.
	e.app.scans.wg.Wait()
	p.navigate("/console/integrity")
	p.see("Quét lúc", "Rà soát dấu hiệu bất thường", "Cần xem xét (3 người)", "Nguyễn Thị Phòng Máy Hai",
		"mạng 2402:800:6371:4d2e::/64", "Nhiều tài khoản trên một thiết bị")
	p.screenshot("integrity-queue-360.png")

	first := `#queue ~ .card form`
	p.do(chromedp.Click(chromedp.CSS(first+` input[value=dismissed]`)), chromedp.SendKeys(chromedp.CSS(first+` textarea`), "Phòng máy của trường, cô giáo hướng dẫn cả lớp"))
	p.clickAndLoad(first+` button[type=submit]`, "/console/integrity")
	p.see("Đã ghi nhận không vi phạm.", "Cần xem xét (2 người)", "Phòng máy của trường, cô giáo hướng dẫn cả lớp")
	p.checkNoErrors()
}

package webapp

import (
	"os/exec"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// The helpdesk in a real browser on a phone-sized screen, where no email or SMS is set up:
// an editor signs in to the console, finds the caller by phone, ticks that the details were
// checked, notes why and issues a code, which the page shows big with its expiry; then, in
// the same browser, the person types it on /recover/code, sets a new password and is signed
// in. Every page fits the screen.
func TestE2EHelpdeskReset(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	r := helpdeskEnv(t, channels{})
	p := newPhone(t, chromium, r.srv.URL)

	p.navigate("/console/helpdesk")
	if got := p.path(); got != "/console/signin?next=%2Fconsole%2Fhelpdesk" {
		t.Fatalf("the helpdesk without a session: %s", got)
	}
	p.do(chromedp.SendKeys(chromedp.ID("username"), helpdeskEditor), chromedp.SendKeys(chromedp.ID("password"), helpdeskEditorPw))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.clickAndLoad(`form.challenge-form button[type=submit]`, "/console/helpdesk")
	p.see("Hỗ trợ người dự thi quên mật khẩu", "Số CCCD (12 chữ số) hoặc số điện thoại đã đăng ký")
	if got := p.eval(`document.getElementById("q").getAttribute("inputmode")`); got != "numeric" {
		t.Errorf("the search field's inputmode %q, want numeric (the phone's number pad)", got)
	}

	p.do(chromedp.SendKeys(chromedp.ID("q"), "0912 300 001"))
	p.clickAndLoad(`form[action="/console/helpdesk"] button[type=submit]`, "/console/helpdesk")
	p.see("Nguyễn Thị Minh Khai", "15/03/1992", "UBND xã Tiến Lợi", "Xã Tiến Lợi", "Thành phố Phan Thiết", "0912***001", "060*******01",
		"Trang thi chưa bật gửi mã qua SMS.")
	p.screenshot("helpdesk-person-360.png")
	if p.evalBool(`document.getElementById("confirm").checked`) {
		t.Error("the confirmation is ticked before the organizer ticks it")
	}
	p.do(chromedp.Click(chromedp.ID("confirm")), chromedp.SendKeys(chromedp.ID("note"), "Gọi đường dây hỗ trợ, không có thư điện tử"))
	p.clickAndLoad(`form[action="/console/helpdesk/code"] button[type=submit]`, "/console/helpdesk/code")
	p.see("Mã dùng một lần cho Nguyễn Thị Minh Khai (CCCD 060*******01):", "Hết hiệu lực lúc", "(sau 30 phút)", "Đọc cho người gọi",
		r.srv.URL[len("http://"):]+"/recover/code")
	code := p.text("#code")
	if !regexp.MustCompile(`^\d{4} \d{4}$`).MatchString(code) {
		t.Fatalf("the code reads %q, want two groups of four digits", code)
	}
	// Big enough to read out without a mistake, and still on the screen.
	if size := p.eval(`getComputedStyle(document.getElementById("code")).fontSize`); size != "36px" {
		t.Errorf("the code's font size %s, want 36px", size)
	}
	if p.evalBool(`document.getElementById("code").getBoundingClientRect().right > window.innerWidth`) {
		t.Error("the code runs off the screen")
	}
	p.screenshot("helpdesk-code-360.png")

	// The person, told the code over the phone, in the same browser.
	p.navigate("/recover/code")
	p.do(chromedp.SendKeys(chromedp.ID("login"), "060 192 000 001"), chromedp.SendKeys(chromedp.ID("code"), code))
	p.clickAndLoad(`form[action="/recover/code"] button[type=submit]`, "/recover/code")
	p.see("Đặt mật khẩu mới", "Tài khoản: 0912***001")
	p.do(chromedp.SendKeys(chromedp.ID("password"), "mat-khau-qua-ho-tro"), chromedp.SendKeys(chromedp.ID("password2"), "mat-khau-qua-ho-tro"))
	p.clickAndLoad(`form[action="/recover/reset"] button[type=submit]`, "/")
	p.see("Đã đặt mật khẩu mới và bạn đã đăng nhập.", "Nguyễn Thị Minh Khai")
	p.checkNoErrors()

	if s := r.signin("0912300001", "mat-khau-qua-ho-tro"); s.status != 303 {
		t.Errorf("sign-in with the new password over HTTP: %d", s.status)
	}
}

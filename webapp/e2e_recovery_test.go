package webapp

import (
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// Account recovery by SMS in a real browser on a phone-sized screen: from the sign-in
// page's "Quên mật khẩu?", the request form (its script solves the challenge and shows the
// server's answer in place), the code from the SMS typed in the field the phone fills by
// itself, the new password, signed in. Every page fits the screen.
func TestE2ERecoveryBySMS(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	r := newRecoveryEnv(t, channels{email: true, sms: true})
	p := newPhone(t, chromium, r.srv.URL)

	p.navigate("/signin")
	p.clickAndLoad(`a[href="/recover"]`, "/recover")
	p.see("Quên mật khẩu", "Tin nhắn SMS (mã số)", "Thư điện tử (liên kết)")
	if !p.evalBool(`document.querySelector("input[name=channel][value=sms]").checked`) {
		t.Error("SMS is not the channel chosen by default")
	}
	if got := p.eval(`document.querySelector("label[for=login]").textContent`); got != "Số điện thoại, số CCCD hoặc thư điện tử đã đăng ký" {
		t.Errorf("login label %q", got)
	}
	p.do(chromedp.SendKeys(chromedp.ID("login"), "0912 300 001"))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.do(chromedp.Click(chromedp.CSS(`form.challenge-form button[type=submit]`)))
	p.across(`document.body.innerText.includes("chúng tôi đã gửi mã số gồm 8 chữ số")`, "the answer in place of the form")
	p.fits()
	if got := p.eval(`document.getElementById("code").getAttribute("autocomplete")`); got != "one-time-code" {
		t.Errorf("code field autocomplete %q, want one-time-code (phones offer the SMS's code)", got)
	}
	if got := p.value("#login"); got != "0912 300 001" {
		t.Errorf("the code page's login holds %q", got)
	}
	r.settle()
	code := r.gw.lastCode(t)

	p.do(chromedp.SendKeys(chromedp.ID("code"), code))
	p.clickAndLoad(`form[action="/recover/code"] button[type=submit]`, "/recover/code")
	p.see("Đặt mật khẩu mới", "Tài khoản: 0912***001")
	p.do(chromedp.SendKeys(chromedp.ID("password"), "mat-khau-qua-sms"), chromedp.SendKeys(chromedp.ID("password2"), "mat-khau-qua-sms"))
	p.clickAndLoad(`form[action="/recover/reset"] button[type=submit]`, "/")
	p.see("Đã đặt mật khẩu mới và bạn đã đăng nhập.", "Nguyễn Thị Minh Khai")
	p.checkNoErrors()
}

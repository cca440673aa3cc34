package webapp

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// The unit field on a 360 px phone: typing offers units (a listbox the keyboard and a tap
// can choose from), choosing fills the unit code, typing again clears it, and the person
// registers under the unit chosen; the no-script find button is not shown.
func TestE2EUnitTypeAhead(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	e.withUnits()
	p := newPhone(t, chromium, e.srv.URL)
	p.navigate("/register")
	if !p.evalBool(`getComputedStyle(document.querySelector(".unit-find")).display === "none" && document.getElementById("organization").getAttribute("role") === "combobox"`) {
		t.Fatal("with script, the field is not a combobox or the find button shows")
	}

	// Keyboard: type, arrow down, Enter.
	p.do(chromedp.SendKeys(chromedp.ID("organization"), "sở tt"))
	p.poll(`!document.getElementById("unit-list").hidden && document.querySelectorAll("#unit-list [role=option]").length > 0`, "the units offered")
	if got := p.text("#unit-opt-0"); !strings.HasPrefix(got, "Sở Thông tin và Truyền thông") {
		t.Fatalf("first unit offered: %q", got)
	}
	if p.eval(`document.getElementById("organization").getAttribute("aria-expanded")`) != "true" || !strings.Contains(p.text("#unit-status"), "đơn vị phù hợp") {
		t.Error("the combobox does not say it is open, or the count is not announced")
	}
	p.fits()
	p.screenshot("register-unit-360.png")
	p.press("ArrowDown", 40, "")
	if p.eval(`document.getElementById("organization").getAttribute("aria-activedescendant")`) != "unit-opt-0" {
		t.Error("arrow down does not make the first unit active")
	}
	p.press("Enter", 13, "\r")
	if code, name := p.value("#unit"), p.value("#organization"); code != "STTTT" || name != "Sở Thông tin và Truyền thông" {
		t.Fatalf("after Enter: unit %q, field %q", code, name)
	}
	if !p.evalBool(`document.getElementById("unit-list").hidden`) || !strings.HasPrefix(p.text("#unit-status"), "Đã chọn: Sở Thông tin và Truyền thông") {
		t.Errorf("the list stays open (%v), or the choice is not announced: %q", !p.evalBool(`document.getElementById("unit-list").hidden`), p.text("#unit-status"))
	}
	if p.path() != "/register" {
		t.Fatalf("Enter on a unit submitted the form: %s", p.path())
	}

	// Typing again clears the code: the text is no longer the unit chosen.
	p.do(chromedp.SendKeys(chromedp.ID("organization"), " x"))
	if code := p.value("#unit"); code != "" {
		t.Fatalf("after typing on, the unit code is still %q", code)
	}

	// A tap among namesakes: each is shown with its district.
	p.exec(`document.getElementById("organization").value = ""`)
	p.do(chromedp.SendKeys(chromedp.ID("organization"), "ubnd xã tân hà"))
	p.poll(`document.querySelectorAll("#unit-list [role=option]").length >= 2`, "the namesakes offered")
	if got := p.text("#unit-opt-1"); !strings.Contains(got, "UBND xã Tân Hà") || !strings.Contains(got, "UBND huyện Hàm Tân") {
		t.Fatalf("second unit offered: %q", got)
	}
	p.do(chromedp.Click(chromedp.ID("unit-opt-1")))
	if code := p.value("#unit"); code != "X23257" {
		t.Fatalf("after a tap: unit %q", code)
	}

	// The rest of the form, and the person is registered under the unit chosen.
	form := registration(1)
	for _, name := range []string{"full_name", "birth_date", "national_id", "phone", "password", "password2"} {
		p.do(chromedp.SendKeys(chromedp.ID(name), form.Get(name)))
	}
	p.do(chromedp.Click(chromedp.CSS(`input[name=gender][value=female]`)))
	p.do(chromedp.SetValue(chromedp.ID("participant_group"), "official"))
	p.do(chromedp.SetValue(chromedp.ID("locality"), "22963"))
	p.do(chromedp.Click(chromedp.CSS(`input[name=accept]`)))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	if home := p.clickAndLoad(`#register-submit`, "/"); home.Status != 200 {
		t.Fatalf("after registration: HTTP %d: %s", home.Status, p.bodyText())
	}
	if u, org := e.stored(form.Get("national_id")); u != "X23257" || org != "UBND xã Tân Hà" {
		t.Errorf("stored unit %q, organization %q", u, org)
	}
	p.checkNoErrors()
}

// press presses a key in the focused element as a keyboard does: one key-down that carries
// its text, so that a handler preventing the key-down's default prevents the text too
// (chromedp's SendKeys sends the text as a separate event, which Enter would submit).
func (p *phone) press(key string, code int64, text string) {
	p.t.Helper()
	p.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: key, WindowsVirtualKeyCode: code, NativeVirtualKeyCode: code,
			Text: text, UnmodifiedText: text}
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := down
		up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
		return err
	}))
}

// Without script, on the same phone: the find button lists the units matching the text as
// choices on the page itself, and the person registers under the one chosen.
func TestE2EUnitWithoutScript(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	e.withUnits()
	p := newPhone(t, chromium, e.srv.URL)
	p.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	p.navigate("/register")
	p.do(chromedp.SendKeys(chromedp.ID("organization"), "sở tt"))
	p.clickAndLoad(`button[name=find_unit]`, "/register")
	p.see("Các đơn vị có tên phù hợp với “sở tt”", "Sở Thông tin và Truyền thông", "Khác: đơn vị không có ở trên")
	p.fits()
	p.do(chromedp.Click(chromedp.CSS(`input[name=unit][value=STTTT]`)))

	form := registration(2)
	for _, name := range []string{"full_name", "birth_date", "national_id", "phone", "password", "password2"} {
		p.do(chromedp.Clear(chromedp.ID(name)), chromedp.SendKeys(chromedp.ID(name), form.Get(name)))
	}
	p.do(chromedp.Click(chromedp.CSS(`input[name=gender][value=female]`)))
	p.do(chromedp.SetValue(chromedp.ID("participant_group"), "official"))
	p.do(chromedp.SetValue(chromedp.ID("locality"), "22963"))
	p.do(chromedp.Click(chromedp.CSS(`input[name=accept]`)))
	// Without script the challenge is the picture's digits, typed after a few seconds; the
	// test knows them from the token, as the server does.
	ch, err := e.app.parseChallenge(p.value(`input[name=challenge]`))
	if err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.SendKeys(chromedp.ID("digits"), e.app.challengeDigits(ch.nonce)), chromedp.Sleep(pictureMinAge))
	p.clickAndLoad(`#register-submit`, "/")
	if u, _ := e.stored(form.Get("national_id")); u != "STTTT" {
		t.Errorf("stored unit %q", u)
	}
}

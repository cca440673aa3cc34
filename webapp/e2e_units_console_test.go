package webapp

import (
	"net/url"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// The console's unit pages on a 360 px phone: the list, the spellings, one spelling's
// page, its search and the mapping, each page fitting the screen (tables scroll in their
// box) and without a script or CSP error.
func TestE2EUnitConsoleOnAPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	e.withUnits()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	e.registerAs(1, func(f url.Values) {
		f.Set("organization", "Sở Thông tin và Truyền thông tỉnh Bình Thuận (cơ quan thường trực)")
	})
	e.registerAs(2, func(f url.Values) { f.Set("organization", "Hội Cựu chiến binh phường Đức Long") })

	p := newPhone(t, chromium, e.srv.URL)
	p.navigate("/console/signin")
	p.do(chromedp.SendKeys(chromedp.ID("username"), "dieu.hanh"), chromedp.SendKeys(chromedp.ID("password"), "mat-khau-dieu-hanh-2024"))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.clickAndLoad(`form.challenge-form button[type=submit]`, "/console")

	p.navigate("/console/units")
	p.see("Cơ quan, đơn vị", "Sở Thông tin và Truyền thông", "Văn phòng Sở Thông tin và Truyền thông", "Tải lên danh sách đơn vị")
	p.fits()
	p.screenshot("console-units-360.png")

	p.navigate("/console/units/spellings")
	p.see("Chưa gán: 2 cách viết của 2 người", "Hội Cựu chiến binh phường Đức Long")
	p.fits()
	// The department's spelling: its row's "choose a unit" link.
	p.exec(`[...document.querySelectorAll("#free-list tbody tr")].find(r => r.cells[0].textContent.startsWith("Sở Thông tin")).querySelector("a").id = "choose"`)
	p.clickAndLoad(`#choose`, "/console/units/spelling")
	p.do(chromedp.SendKeys(chromedp.ID("q"), "thông tin truyền"))
	p.clickAndLoad(`form.search-row button[type=submit]`, "/console/units/spelling")
	p.see("Sở Thông tin và Truyền thông", "STTTT")
	p.fits()
	p.screenshot("console-spelling-360.png")
	p.exec(`document.querySelector("input[name=unit][value=STTTT]").click()`)
	p.clickAndLoad(`form.form button[type=submit]`, "/console/units/spellings")
	p.see("Đã gán 1 người vào đơn vị Sở Thông tin và Truyền thông.", "Đã gán: 1 cách viết của 1 người")
	p.fits()
	if got := e.unitCodeOf(nationalIDOf(1)); got != "STTTT/mapped" {
		t.Errorf("the person of the spelling mapped: %q", got)
	}
	p.checkNoErrors()
}

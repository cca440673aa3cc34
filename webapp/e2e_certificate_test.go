package webapp

import (
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dxcontest/contest-platform/internal/testutil/pdftext"
)

// A winner in a real browser on a phone: signs in, finds the certificates on "my attempts"
// once the results are published, downloads the prize certificate by its link (the bytes
// the page's link gives), whose text carries the name with every diacritic and the
// verification code; the certificate's own address, opened in the browser, confirms it.
func TestE2ECertificateDownloadAndVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	const name = "Nguyễn Thị Ánh Tuyết"
	e.certificateRound([]string{name, "Trần Văn Đức"}, []string{"Giải Nhất", ""})
	e.publishDot1()
	p := newPhone(t, chromium, e.srv.URL)

	p.navigate("/signin")
	p.do(chromedp.SendKeys(chromedp.ID("login"), "0912 300 100"), chromedp.SendKeys(chromedp.ID("password"), "mat-khau-bi-mat"))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.do(chromedp.Click(chromedp.CSS(`form.challenge-form button[type=submit]`)))
	p.across(`location.pathname === "/" && document.body.innerText.includes("`+name+`")`, "signed in")

	p.navigate("/me")
	p.see("Giấy chứng nhận", "Đợt 1", "Giấy chứng nhận tham gia (PDF)", "Giấy chứng nhận đạt Giải Nhất (PDF)")
	p.screenshot("certificates-me-360.png")
	// The link's own bytes, fetched by the page with the person's session.
	got := run(p, chromedp.Evaluate[string](`(async () => {
		const a = document.querySelector("a.certificate.prize");
		const r = await fetch(a.href);
		const b = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (const x of b) s += String.fromCharCode(x);
		return r.status + " " + r.headers.get("Content-Type") + " " + btoa(s);
	})()`, chromedp.EvalAwaitPromise))
	parts := strings.SplitN(got, " ", 3)
	if len(parts) != 3 || parts[0] != "200" || parts[1] != "application/pdf" {
		t.Fatalf("the link answered %.80q", got)
	}
	pdf, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdftext.Text(pdf)
	if err != nil {
		t.Fatal(err)
	}
	m := verifyAddress.FindStringSubmatch(text)
	if !strings.Contains(text, name) || !strings.Contains(text, "Đã đạt Giải Nhất") || m == nil || !strings.Contains(text, "Mã xác thực: \n"+m[1]) {
		t.Fatalf("the certificate reads:\n%s", text)
	}
	if !strings.HasPrefix(m[0], e.srv.URL+"/verify/") {
		t.Errorf("the verification address %s is not this site's", m[0])
	}

	// Anyone opens the printed address: valid, the same person and prize.
	p.do(chromedp.Navigate(m[0]))
	p.fits()
	p.see("Giấy chứng nhận hợp lệ", name, "Đã đạt Giải Nhất", "Đợt 1", m[1])
	p.screenshot("certificate-verify-360.png")
	// A code typed with a mistake on the form: refused, in Vietnamese.
	wrong := []byte(m[1])
	wrong[3] = map[bool]byte{true: 'B', false: 'A'}[wrong[3] == 'A']
	p.expect("/verify/" + string(wrong)) // the refusal is a 404, whichever page gives it
	p.expect("/verify?code=" + strings.ToLower(string(wrong)))
	p.navigate("/verify")
	p.do(chromedp.SendKeys(chromedp.ID("code"), strings.ToLower(string(wrong))))
	p.do(chromedp.Click(chromedp.CSS(`form[action="/verify"] button[type=submit]`)))
	p.across(`document.body.innerText.includes("Không có giấy chứng nhận nào mang mã xác thực này")`, "the refusal")
	p.checkNoErrors()
}

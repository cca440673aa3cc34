package webapp

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// An agency's portal, served from another site (localhost, where the app is 127.0.0.1),
// frames the widget and the home page and shows a banner, in a real browser: the widget is
// shown, fits its 300×250 frame and counts down; the home page is refused; the banner loads.
func TestE2EWidgetInAnotherSitesPage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	e.register(1).submitAttempt(false)
	app := e.srv.URL // http://127.0.0.1:PORT
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Cổng thông tin điện tử</title></head>
<body style="margin:0">
<h1 style="font-size:16px">Liên kết website</h1>
<a href="%[1]s/"><img id="banner" src="%[1]s/banners/300x250.png" width="300" height="250" alt="Cuộc thi"></a>
<iframe id="widget" src="%[1]s/embed/round" width="300" height="250" style="border:0" title="Cuộc thi"></iframe>
<iframe id="home" src="%[1]s/" width="300" height="250" title="Trang cuộc thi"></iframe>
</body></html>`, app)
	}))
	t.Cleanup(portal.Close)
	base := strings.Replace(portal.URL, "127.0.0.1", "localhost", 1)
	if base == portal.URL || !strings.HasPrefix(app, "http://127.0.0.1:") {
		t.Fatalf("the portal (%s) and the app (%s) must be on different sites", base, app)
	}

	p := newPhone(t, chromium, base)
	// The refused frame is reported by the browser; that is what is tested below.
	p.mu.Lock()
	p.expected[app+"/"] = true
	p.expected[base+"/favicon.ico"] = true
	p.mu.Unlock()
	p.navigate("/")
	p.poll(`document.getElementById("banner").complete && document.getElementById("banner").naturalWidth === 300`, "the banner from the contest's site")

	// The widget runs in its own process (another site): attach to its target.
	widget := p.frame(app + "/embed/round")
	text := frameRun(t, widget, chromedp.Evaluate[string](`document.body.innerText`))
	for _, want := range []string{"Tìm hiểu về chuyển đổi số", "Đợt 1", "Đang mở", "1 người đã tham gia", "Tham gia ngay"} {
		if !strings.Contains(text, want) {
			t.Errorf("the framed widget lacks %q; it reads:\n%s", want, text)
		}
	}
	frameRun(t, widget, chromedp.Poll[bool](`/^Đóng sau (\d+ ngày )?(\d+:)?\d+:\d\d$/.test(document.querySelector(".countdown").textContent)`,
		chromedp.WithPollingInterval(20*time.Millisecond)))
	size := frameRun(t, widget, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.scrollHeight, window.innerWidth, window.innerHeight]`))
	if size[0] > size[2] || size[1] > size[3] || size[2] != 300 || size[3] != 250 {
		t.Errorf("the widget needs %d×%d in its %d×%d frame", size[0], size[1], size[2], size[3])
	}
	// Every text is legible on its background (WCAG AA: a contrast of 4.5 or more).
	if low := frameRun(t, widget, chromedp.Evaluate[[]string](lowContrastJS)); len(low) > 0 {
		t.Errorf("text too faint in the widget: %q", low)
	}
	if got := frameRun(t, widget, chromedp.Evaluate[string](`document.querySelector("a.button").target`)); got != "_blank" {
		t.Errorf("the widget's button opens in %q, want a new tab", got)
	}

	// The home page refused to be framed: its frame shows no page of the contest.
	for _, info := range p.targets() {
		if info.Type == "iframe" && strings.HasPrefix(info.URL, app+"/") && !strings.HasPrefix(info.URL, app+"/embed/") {
			home := p.attach(info.TargetID)
			if body := frameRun(t, home, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`)); strings.Contains(body, "Các đợt thi") {
				t.Errorf("the home page was shown in another site's frame:\n%s", body)
			}
		}
	}
	refused := false
	p.mu.Lock()
	for _, s := range p.errors {
		if strings.Contains(s, app+"/") && strings.Contains(s, "frame-ancestors 'none'") {
			refused = true
		}
	}
	p.mu.Unlock()
	if !refused {
		t.Errorf("the browser did not report refusing to frame the home page by its frame-ancestors; it reported %q", p.errors)
	}
	p.screenshot("portal-with-widget.png")
}

// frame waits for the target of an iframe (from another site) whose address starts with
// prefix, and returns a context attached to it.
func (p *phone) frame(prefix string) context.Context {
	p.t.Helper()
	deadline := time.Now().Add(step)
	for time.Now().Before(deadline) {
		for _, info := range p.targets() {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, prefix) {
				return p.attach(info.TargetID)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("no frame of %s; targets: %v", prefix, p.targets())
	return nil
}

func (p *phone) targets() []*target.Info {
	p.t.Helper()
	infos, err := chromedp.Targets(p.ctx)
	if err != nil {
		p.t.Fatal(err)
	}
	return infos
}

func (p *phone) attach(id target.ID) context.Context {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(id))
	p.t.Cleanup(cancel)
	// The first run attaches to the target for the context's life, so it gets no timeout
	// of its own (later runs do).
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`true`)); err != nil {
		p.t.Fatalf("attach to the frame: %v", err)
	}
	return ctx
}

func frameRun[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, step)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("in the frame: %v", err)
	}
	return v
}

// lowContrastJS lists the page's texts whose colour contrasts less than 4.5:1 with the
// background behind them (the first ancestor's that is not transparent).
const lowContrastJS = `(() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || c[3] > 0) return c; } return [255, 255, 255]; };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(el.textContent.trim() + " (" + ratio.toFixed(1) + ")");
  }
  return low;
})()`

// The console's sharing kit on a phone: every banner preview loads, the widget's preview
// shows the round, nothing is wider than the screen, and the codes can be selected.
func TestE2EConsoleShareKit(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	e.enableConsole()
	p := newPhone(t, chromium, e.srv.URL)
	p.navigate("/console/share")
	p.do(chromedp.SendKeys(chromedp.ID("username"), testConsoleUser), chromedp.SendKeys(chromedp.ID("password"), testConsolePassword))
	p.poll(`document.querySelector("input[name=work]").value !== ""`, "the proof of work")
	p.clickAndLoad(`form.challenge-form button[type=submit]`, "/console/share")
	p.see("Chia sẻ cuộc thi", "728×90 — dải ngang đầu hoặc cuối trang", "Mã HTML để dán vào trang của đơn vị", "Tải bản SVG",
		"Chưa đặt địa chỉ công khai của trang (--public-url)")
	p.poll(`[...document.images].every(i => i.complete && i.naturalWidth > 0)`, "the banner previews")
	if n := p.eval(`String(document.querySelectorAll(".share-kit img").length)`); n != "7" {
		t.Errorf("%s banner previews, want 7 (six sizes and the link preview)", n)
	}
	p.poll(`(() => { const d = document.querySelector("iframe.widget-preview").contentDocument; return d && d.body && d.body.innerText.includes("Đang mở") })()`, "the widget's preview")
	p.fits()
	p.screenshot("console-share-360.png")
	p.checkNoErrors()
}

package webapp

import (
	"context"
	"os/exec"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The rules page on a 360 px phone: reached from the home page, every round's rules
// readable without sideways scrolling, the long topic and tie-break lines wrapping.
func TestE2ERulesFitThePhone(t *testing.T) {
	if testing.Short() {
		t.Skip("browser end-to-end test: skipped with -short")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; the end-to-end test needs it: `apt-get update && apt-get install -y chromium` (or run with -short to skip it)")
	}
	e := newEnv(t)
	rulesRounds(t, e)
	p := newPhone(t, chromium, e.srv.URL)
	p.navigate("/")
	p.clickAndLoad(`a[href="/rules"]`, "/rules") // checks the page fits
	p.see("Thể lệ cuộc thi", "Từ 00:00 ngày 17/08/2024 đến trước 00:00 ngày 01/09/2024 (giờ Việt Nam)",
		"Thời gian làm bài, từ lúc bắt đầu đến lúc nộp theo đồng hồ máy chủ", "chỉ trao cho người trả lời đúng từ 13/15 câu trở lên")
	p.screenshot("rules-360.png")
	// Printed: the menu, the footer and the link to the winners are left out, the text stays.
	if !p.evalBool(`getComputedStyle(document.querySelector("header.top nav")).display !== "none"`) {
		t.Fatal("the menu is hidden on screen")
	}
	p.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if !p.evalBool(`getComputedStyle(document.querySelector("header.top nav")).display === "none" && getComputedStyle(document.querySelector("footer")).display === "none"`) {
		t.Error("printed, the rules page still shows the menu or the footer")
	}
	p.see("chỉ trao cho người trả lời đúng từ 13/15 câu trở lên")
	p.checkNoErrors()
}

package webapp

import (
	"errors"
	"fmt"
	"html"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/banner"
)

// The console's sharing kit (/console/share, viewers): the banners to download and the
// code agencies paste into their portals (a linked banner, or the widget's iframe), and
// the address whose link preview shows the social banner. The plan asks agencies to link
// their sites to the contest "with the banner attached" (III.3, III.8, III.9).

// shareUse says where each size goes, for the organizer choosing one.
var shareUse = map[string]string{
	"1200x628": "console.share.use.social",
	"300x250":  "console.share.use.rectangle",
	"728x90":   "console.share.use.leaderboard",
	"468x60":   "console.share.use.banner",
	"300x100":  "console.share.use.links",
	"160x600":  "console.share.use.skyscraper",
}

// The widget's frame, as the code gives it: the size of a medium rectangle.
const widgetWidth, widgetHeight = 300, 250

type shareKitData struct {
	// Base is the site's absolute address the codes use; PublicURL says it is the
	// configured one (else the address the console was opened at).
	Base      string
	PublicURL bool
	NoRounds  bool
	Banners   []shareBanner
	Widget    string
	// WidgetWidth and WidgetHeight size the preview like the code.
	WidgetWidth, WidgetHeight int
	Social                    string
	Link                      string
}

type shareBanner struct {
	Name          string
	Width, Height int
	// Use says where the size goes, in the reader's language.
	Use string
	// PNG and SVG are the versioned, site-relative addresses (preview and download).
	PNG, SVG string
	// Code is the HTML an agency pastes: the banner linked to the contest.
	Code string
}

func (a *App) consoleShare(c *gin.Context) {
	tr := a.translatorFor(c)
	base := a.publicBase(c)
	d := shareKitData{Base: base, PublicURL: a.cfg.PublicURL != "", Link: base + "/", WidgetWidth: widgetWidth, WidgetHeight: widgetHeight}
	set, err := a.currentBanners(c.Request.Context())
	switch {
	case errors.Is(err, errNoRounds):
		d.NoRounds = true
	case err != nil:
		a.consoleInternal(c, err)
		return
	default:
		title := html.EscapeString(set.content.Title)
		for _, s := range banner.Sizes() {
			alt := html.EscapeString(tr.T("console.share.alt", set.content.Alt))
			d.Banners = append(d.Banners, shareBanner{Name: s.Name, Width: s.Width, Height: s.Height, Use: tr.T(shareUse[s.Name]),
				PNG: set.url(s.Name, "png"), SVG: set.url(s.Name, "svg"),
				Code: fmt.Sprintf(`<a href="%s/" target="_blank" rel="noopener" title="%s"><img src="%s/banners/%s.png" width="%d" height="%d" alt="%s"></a>`,
					html.EscapeString(base), title, html.EscapeString(base), s.Name, s.Width, s.Height, alt)})
		}
		d.Social = set.url(shareImageSize, "png")
		d.Widget = fmt.Sprintf(`<iframe src="%s/embed/round" width="%d" height="%d" style="border:0;max-width:100%%" title="%s" loading="lazy"></iframe>`,
			html.EscapeString(base), widgetWidth, widgetHeight, title)
	}
	a.renderConsole(c, http.StatusOK, "console_share", a.newConsoleView(c, tr.T("console.share.title"), d))
}

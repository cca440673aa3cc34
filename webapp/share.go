package webapp

import (
	"strings"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// Share previews: the Open Graph and Twitter-card tags that make a link to the contest,
// pasted into Zalo, Facebook or a chat, show its title, its dates and the 1200×628 banner.
// Any public page may carry them: its handler sets the view's Share with a.share, and
// layout.html writes the tags (templates/share.html).

// shareMeta is what the tags say. Addresses are absolute, as crawlers require.
type shareMeta struct {
	Title, Description string
	// URL is the page's canonical address (no query).
	URL      string
	SiteName string
	Locale   string
	// Image is the social banner's versioned address; empty when there is no round yet.
	Image                   string
	ImageAlt                string
	ImageWidth, ImageHeight int
}

// The banner size of link previews (1.91:1, what Facebook and Zalo show whole).
const shareImageSize = "1200x628"

// share fills the preview of the page at path (site-relative, e.g. "/" or "/the-le"): its
// title and description in the reader's language (a crawler reads Vietnamese), the site's
// name, and the social banner. An empty description says the contest's schedule.
func (a *App) share(c *gin.Context, title, description, path string) *shareMeta {
	tr := a.translatorFor(c)
	base := a.publicBase(c)
	m := &shareMeta{Title: title, Description: description, URL: base + path, Locale: "vi_VN"}
	if tr.lang == langEN {
		m.Locale = "en_US"
	}
	rounds, err := a.contestRounds(c.Request.Context())
	if err != nil || len(rounds) == 0 {
		return m
	}
	m.SiteName = rounds[0].Spec.Contest.Title
	if m.Title == "" {
		m.Title = m.SiteName
	}
	if m.Description == "" {
		m.Description = a.scheduleDescription(tr, rounds)
	}
	if set, err := a.bannersOf(rounds); err == nil {
		m.Image = base + set.url(shareImageSize, "png")
		m.ImageAlt = set.content.Alt
		s := set.images[shareImageSize].banner.Size
		m.ImageWidth, m.ImageHeight = s.Width, s.Height
	} else {
		a.log(c).Warn("share preview without its image", "err", err)
	}
	return m
}

// scheduleDescription says when each round runs and the rules of an attempt, from the
// round people can take now (or next).
func (a *App) scheduleDescription(tr translator, rounds []contestv1alpha1.ContestRound) string {
	parts := make([]string, len(rounds))
	for i := range rounds {
		parts[i] = tr.T("share.round", rounds[i].Spec.Title, tr.Days(rounds[i].Spec.OpensAt.Time, rounds[i].Spec.ClosesAt.Time))
	}
	now := a.now()
	r := &rounds[len(rounds)-1]
	for i := range rounds {
		if s := roundState(&rounds[i], now); s == "open" || s == "scheduled" {
			r = &rounds[i]
			break
		}
	}
	return tr.T("share.description", strings.Join(parts, "; "), r.Spec.Exam.TotalQuestions, r.Spec.Exam.AttemptsAllowed())
}

// publicBase is the site's address for absolute links: the configured public address, or
// else the one this request came in on (scheme from TLS or --secure-cookies). Pages are
// never cached, so a forged Host only reaches the forger's own page.
func (a *App) publicBase(c *gin.Context) string {
	if a.cfg.PublicURL != "" {
		return a.cfg.PublicURL
	}
	scheme := "http"
	if c.Request.TLS != nil || a.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

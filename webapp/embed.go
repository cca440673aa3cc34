package webapp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// The embeddable widget: a small page an agency's portal shows in an iframe, with the round
// people can take (or the next one), a countdown that reads as the closing time without
// script, and how many people took part. It is the only place the app may be framed, and
// the same for everyone: no session, no cookie read or set, the language from the address
// (?lang=en) alone, so browsers and proxies may keep it for a minute and every replica
// draws it at most once a minute per language.

// embedTTL is how long a widget page is kept here and may be kept by browsers and proxies.
const embedTTL = 60 * time.Second

// framedPolicy is the site's Content-Security-Policy with any page allowed to frame.
var framedPolicy = strings.Replace(contentSecurityPolicy, "frame-ancestors 'none'", "frame-ancestors *", 1)

// allowFraming lets other sites frame the /embed/ pages, and keeps them out of search results.
func (a *App) allowFraming(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", framedPolicy)
	h.Del("X-Frame-Options")
	h.Set("X-Robots-Tag", "noindex")
	c.Next()
}

func (a *App) embedRoutes(r *gin.Engine) {
	g := r.Group("/embed", a.allowFraming)
	g.GET("/round", a.embedRound)
}

type embedCache struct {
	mu    sync.Mutex
	pages map[string]embedPage
}

type embedPage struct {
	body []byte
	etag string
	at   time.Time
}

type embedData struct {
	Round        *contestv1alpha1.ContestRound
	State        string
	Participants int64
	ShowCount    bool
	Ranked       bool
}

func (a *App) embedRound(c *gin.Context) {
	lang := langVI
	if c.Query("lang") == langEN {
		lang = langEN
	}
	c.Set("lang", lang) // not the visitor's cookie: the page is the same for everyone
	page, err := a.embedPage(c, lang)
	if err != nil {
		a.internal(c, err)
		return
	}
	left := max(1, int((embedTTL - time.Since(page.at)).Seconds()))
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(left))
	c.Header("ETag", page.etag)
	if c.GetHeader("If-None-Match") == page.etag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", page.body)
}

// embedPage returns the widget's page in a language, drawn again once it is embedTTL old.
// The lock is held while drawing, so a crowd arriving at once draws it once.
func (a *App) embedPage(c *gin.Context, lang string) (embedPage, error) {
	a.embeds.mu.Lock()
	defer a.embeds.mu.Unlock()
	if p, ok := a.embeds.pages[lang]; ok && time.Since(p.at) < embedTTL {
		return p, nil
	}
	d, err := a.embedData(c)
	if err != nil {
		return embedPage{}, err
	}
	v := a.newView(c, "", d)
	var buf bytes.Buffer
	if err := a.embedTemplate.Execute(&buf, v); err != nil {
		return embedPage{}, err
	}
	sum := sha256.Sum256(buf.Bytes())
	p := embedPage{body: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:8]) + `"`, at: time.Now()}
	if a.embeds.pages == nil {
		a.embeds.pages = map[string]embedPage{}
	}
	a.embeds.pages[lang] = p
	return p, nil
}

// embedData picks the round to show: the open one, else the next to open, else the last.
func (a *App) embedData(c *gin.Context) (embedData, error) {
	ctx := c.Request.Context()
	rounds, err := a.contestRounds(ctx)
	if err != nil || len(rounds) == 0 {
		return embedData{}, err
	}
	now := a.now()
	pick := len(rounds) - 1
	for _, want := range []string{"open", "scheduled"} {
		found := false
		for i := range rounds {
			if roundState(&rounds[i], now) == want {
				pick, found = i, true
				break
			}
		}
		if found {
			break
		}
	}
	r := &rounds[pick]
	d := embedData{Round: r, State: roundState(r, now), Ranked: r.Status.Phase == contestv1alpha1.PhaseRanked}
	if d.State != "scheduled" {
		// The number of people who took part, never how many answered everything right:
		// that is the prediction question's answer.
		// Every round's, as the home page asks: the cache holds one answer for both, read
		// from the shared round statistics (never a count per request).
		counts, err := a.counts.get(ctx, rounds)
		if err != nil {
			return embedData{}, err
		}
		d.Participants, d.ShowCount = counts[r.RoundKey()].Participants, true
	}
	return d, nil
}

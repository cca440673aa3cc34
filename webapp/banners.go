package webapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/banner"
)

// The banner kit (plan 2937, III.3 and III.8: agencies link their portals to the contest
// "with the banner attached"): the contest's banners at the fixed sizes of internal/banner,
// PNG and SVG, drawn from its title and rounds. They change only when the contest or its
// rounds do, so each is drawn once per change and kept: the layout of every size when the
// change is first seen (a few milliseconds), a PNG on its first request (tens of
// milliseconds). Nothing in a request chooses what is drawn but the size, from the list.

// errNoRounds: the contest has no rounds yet, so nothing to draw (not even its title).
var errNoRounds = errors.New("the contest has no rounds yet")

// bannerKit keeps the banners of the contest as it is now.
type bannerKit struct {
	palette banner.Palette
	mu      sync.Mutex
	cur     *bannerSet
	// drawn counts the PNGs drawn since the start.
	drawn atomic.Int64
}

// bannerSet is every size drawn from one content.
type bannerSet struct {
	key string
	// version names the drawings (a hash of every size's SVG): the images' ETag, and the
	// ?v= of addresses that may be cached for good.
	version string
	content banner.Content
	images  map[string]*bannerImage
}

type bannerImage struct {
	kit    *bannerKit
	banner *banner.Banner
	svg    []byte
	once   sync.Once
	png    []byte
	err    error
}

// Files the banner route serves: NAME.png and NAME.svg for the sizes of the list.
var bannerFormats = map[string]string{"png": "image/png", "svg": "image/svg+xml"}

// siteColors reads the site's palette from its style sheet (--accent and --accent-dark), so
// the banners wear the contest's colours and a change of them in app.css reaches both.
func siteColors(css []byte) (banner.Palette, error) {
	get := func(name string) (color.RGBA, error) {
		m := regexp.MustCompile(`--` + name + `:\s*#([0-9a-fA-F]{6})\b`).FindSubmatch(css)
		if m == nil {
			return color.RGBA{}, fmt.Errorf("webapp: app.css has no --%s: #rrggbb; the banners take their colours from it", name)
		}
		v, _ := strconv.ParseUint(string(m[1]), 16, 32)
		return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}, nil
	}
	primary, err := get("accent")
	if err != nil {
		return banner.Palette{}, err
	}
	dark, err := get("accent-dark")
	if err != nil {
		return banner.Palette{}, err
	}
	return banner.Palette{Primary: primary, Dark: dark}, nil
}

// bannerContent is what the banners say, in Vietnamese: they go on Vietnamese portals.
func (a *App) bannerContent(rounds []contestv1alpha1.ContestRound) banner.Content {
	tr := translator{lang: langVI, loc: a.loc}
	first, closes := rounds[0].Spec.OpensAt.Time, rounds[0].Spec.ClosesAt.Time
	c := banner.Content{Title: rounds[0].Spec.Contest.Title, Action: tr.T("banner.action"), Site: a.publicHost(), Colors: a.banners.palette}
	for i := range rounds {
		r := &rounds[i]
		c.Schedule = append(c.Schedule, banner.Round{Name: r.Spec.Title, Dates: tr.Days(r.Spec.OpensAt.Time, r.Spec.ClosesAt.Time)})
		if r.Spec.ClosesAt.After(closes) {
			closes = r.Spec.ClosesAt.Time
		}
	}
	c.Span = tr.Days(first, closes)
	c.Alt = tr.T("banner.alt", c.Title, c.Span)
	return c
}

// publicHost is the site's address as printed on a banner: the configured public address
// without its scheme, or nothing (a banner is shared by every request, so it never takes
// a request's Host).
func (a *App) publicHost() string {
	if a.cfg.PublicURL == "" {
		return ""
	}
	u, err := url.Parse(a.cfg.PublicURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Host+strings.TrimSuffix(u.Path, "/"), "www.")
}

// currentBanners returns the banners of the contest as it is now, laid out again if the
// contest or its rounds changed since the last call; errNoRounds when there are none.
func (a *App) currentBanners(ctx context.Context) (*bannerSet, error) {
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		return nil, err
	}
	return a.bannersOf(rounds)
}

// bannersOf is currentBanners for rounds already listed.
func (a *App) bannersOf(rounds []contestv1alpha1.ContestRound) (*bannerSet, error) {
	if len(rounds) == 0 {
		return nil, errNoRounds
	}
	return a.banners.set(a.bannerContent(rounds))
}

func (k *bannerKit) set(content banner.Content) (*bannerSet, error) {
	raw, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("banner content: %w", err)
	}
	sum := sha256.Sum256(raw)
	key := hex.EncodeToString(sum[:])
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cur != nil && k.cur.key == key {
		return k.cur, nil
	}
	set := &bannerSet{key: key, content: content, images: map[string]*bannerImage{}}
	h := sha256.New()
	for _, s := range banner.Sizes() {
		b, err := banner.Layout(content, s)
		if err != nil {
			return nil, err
		}
		img := &bannerImage{kit: k, banner: b, svg: b.SVG()}
		h.Write(img.svg)
		set.images[s.Name] = img
	}
	set.version = hex.EncodeToString(h.Sum(nil))[:12]
	k.cur = set
	return set, nil
}

// png draws the image's PNG once; concurrent first requests wait for the one drawing.
func (img *bannerImage) pngBytes() ([]byte, error) {
	img.once.Do(func() {
		img.kit.drawn.Add(1)
		img.png, img.err = img.banner.PNG()
	})
	return img.png, img.err
}

// bannerURL is a banner's address (site-relative), versioned so it may be cached for good.
func (set *bannerSet) url(size, format string) string {
	return "/banners/" + size + "." + format + "?v=" + set.version
}

// serveBanner answers /banners/NAME.png and NAME.svg: 404 for anything else. With the
// current ?v= the answer may be cached for a year; without it (the address agencies paste)
// for an hour, then revalidated by ETag.
func (a *App) serveBanner(c *gin.Context) {
	name, format, _ := strings.Cut(c.Param("file"), ".")
	size, ok := banner.SizeNamed(name)
	contentType, known := bannerFormats[format]
	if !ok || !known {
		c.Status(http.StatusNotFound)
		return
	}
	set, err := a.currentBanners(c.Request.Context())
	if errors.Is(err, errNoRounds) {
		c.Status(http.StatusNotFound)
		return
	}
	if err != nil {
		a.internal(c, err)
		return
	}
	img := set.images[size.Name]
	if c.Query("v") == set.version {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "public, max-age=3600")
	}
	etag := `"` + set.version + `"`
	c.Header("ETag", etag)
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	body := img.svg
	if format == "png" {
		if body, err = img.pngBytes(); err != nil {
			a.internal(c, err)
			return
		}
	}
	c.Data(http.StatusOK, contentType, body)
}

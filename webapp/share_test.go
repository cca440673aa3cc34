package webapp

import (
	"bytes"
	"encoding/xml"
	"html"
	"image/png"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/banner"
)

const testPublicURL = "https://thi.example.gov.vn"

// Every size of the list, as PNG and SVG, at its size; anything else is a 404 that draws
// nothing; the same banner requested again is not drawn again, whatever its query.
func TestBannersServeTheListedSizesOnly(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for _, s := range banner.Sizes() {
		r := b.get("/banners/" + s.Name + ".png")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/png" {
			t.Fatalf("%s.png: %d %s", s.Name, r.status, r.header.Get("Content-Type"))
		}
		img, err := png.Decode(strings.NewReader(r.raw))
		if err != nil {
			t.Fatalf("%s.png: %v", s.Name, err)
		}
		if got := img.Bounds().Size(); got.X != s.Width || got.Y != s.Height {
			t.Errorf("%s.png is %v", s.Name, got)
		}
		r = b.get("/banners/" + s.Name + ".svg")
		var svg struct {
			Width  int    `xml:"width,attr"`
			Height int    `xml:"height,attr"`
			Title  string `xml:"title"`
		}
		if err := xml.Unmarshal([]byte(r.raw), &svg); err != nil || r.header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s.svg: %s %v", s.Name, r.header.Get("Content-Type"), err)
		}
		if svg.Width != s.Width || svg.Height != s.Height || !strings.HasPrefix(svg.Title, "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số”") {
			t.Errorf("%s.svg: %dx%d %q", s.Name, svg.Width, svg.Height, svg.Title)
		}
	}
	drawn := e.app.banners.drawn.Load()
	if drawn != int64(len(banner.Sizes())) {
		t.Errorf("%d PNGs drawn for %d sizes", drawn, len(banner.Sizes()))
	}
	for _, path := range []string{"/banners/1201x628.png", "/banners/300x250.jpg", "/banners/300x250", "/banners/300x250.png.png",
		"/banners/300X250.png", "/banners/0x0.svg", "/banners/" + strings.Repeat("9", 200) + "x1.png", "/banners/"} {
		if r := b.get(path); r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.status)
		}
	}
	for i := range 20 {
		if r := b.get("/banners/300x250.png?v=" + strings.Repeat("x", i) + "&size=" + strings.Repeat("1", i)); r.status != http.StatusOK {
			t.Fatalf("a banner with a query: %d", r.status)
		}
	}
	if got := e.app.banners.drawn.Load(); got != drawn {
		t.Errorf("%d more PNGs drawn for requests of banners already drawn", got-drawn)
	}
}

// The address agencies paste is cached an hour and revalidated; the versioned one for good.
// A change of the rounds draws the banners again under a new version.
func TestBannersCacheAndFollowTheRounds(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	first := b.get("/banners/300x250.svg")
	if cc := first.header.Get("Cache-Control"); cc != "public, max-age=3600" {
		t.Errorf("unversioned: Cache-Control %q", cc)
	}
	etag := first.header.Get("ETag")
	version := strings.Trim(etag, `"`)
	if len(version) != 12 {
		t.Fatalf("ETag %q", etag)
	}
	if r := b.get("/banners/300x250.svg?v=" + version); r.header.Get("Cache-Control") != "public, max-age=31536000, immutable" || r.raw != first.raw {
		t.Errorf("versioned: Cache-Control %q", r.header.Get("Cache-Control"))
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/banners/300x250.png", nil)
	req.Header.Set("If-None-Match", etag)
	if r := b.do(req); r.status != http.StatusNotModified || r.raw != "" {
		t.Errorf("If-None-Match: %d, %d bytes", r.status, len(r.raw))
	}
	// SVG is text: compressed for those who ask (a 300×250 one is about 50 kB of outlines).
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/banners/300x250.svg", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	if resp, err := http.DefaultTransport.RoundTrip(req); err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("SVG with Accept-Encoding gzip: %v %v", err, resp.Header)
	} else {
		resp.Body.Close()
	}
	if !strings.Contains(first.raw, "thời gian thi: ") {
		t.Errorf("the SVG's title lacks the dates: %.300s", first.raw)
	}

	e.rounds.update("dot-2", func(r *contestv1alpha1.ContestRound) {
		r.Spec.ClosesAt.Time = r.Spec.ClosesAt.Add(240 * time.Hour)
	})
	second := b.get("/banners/300x250.svg?v=" + version)
	if second.header.Get("ETag") == etag || second.raw == first.raw {
		t.Fatal("the rounds changed and the banner did not")
	}
	if second.header.Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("an old version: Cache-Control %q, want the short one", second.header.Get("Cache-Control"))
	}
}

var metaTag = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)

// shareTags reads a page's Open Graph and Twitter tags.
func shareTags(page string) map[string]string {
	tags := map[string]string{}
	for _, m := range metaTag.FindAllStringSubmatch(page, -1) {
		tags[m[1]] = html.UnescapeString(m[2])
	}
	return tags
}

// The home and winners pages carry link previews with absolute addresses on the public
// URL, and the preview's image is a 1200×628 PNG.
func TestSharePreviews(t *testing.T) {
	e := newEnv(t)
	e.reconfigure(func(cfg *Config) { cfg.PublicURL = testPublicURL + "/" })
	b := e.browser()
	home := shareTags(b.get("/").raw)
	for tag, want := range map[string]string{
		"og:type": "website", "og:locale": "vi_VN", "og:url": testPublicURL + "/",
		"og:title":       "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024",
		"og:site_name":   "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024",
		"og:image:width": "1200", "og:image:height": "628", "og:image:type": "image/png",
		"twitter:card": "summary_large_image",
	} {
		if home[tag] != want {
			t.Errorf("home: %s = %q, want %q", tag, home[tag], want)
		}
	}
	if d := home["og:description"]; !strings.HasPrefix(d, "Lịch thi: Đợt 0: ") || !strings.Contains(d, "; Đợt 1: ") || !strings.Contains(d, "15 câu hỏi trắc nghiệm") ||
		home["description"] != d || home["twitter:description"] != d {
		t.Errorf("home: description %q", d)
	}
	image := home["og:image"]
	if !strings.HasPrefix(image, testPublicURL+"/banners/1200x628.png?v=") || home["twitter:image"] != image {
		t.Fatalf("home: og:image %q, twitter:image %q", image, home["twitter:image"])
	}
	if !strings.Contains(home["og:image:alt"], "thời gian thi") {
		t.Errorf("home: og:image:alt %q", home["og:image:alt"])
	}
	r := b.get(strings.TrimPrefix(image, testPublicURL))
	img, err := png.Decode(strings.NewReader(r.raw))
	if err != nil || r.header.Get("Content-Type") != "image/png" {
		t.Fatalf("the preview image: %s %v", r.header.Get("Content-Type"), err)
	}
	if s := img.Bounds().Size(); s.X != 1200 || s.Y != 628 {
		t.Errorf("the preview image is %v", s)
	}

	winners := shareTags(b.get("/rounds/dot-0/winners").raw)
	if winners["og:url"] != testPublicURL+"/rounds/dot-0/winners" || winners["og:image"] != image ||
		!strings.HasPrefix(winners["og:title"], "Danh sách đoạt giải — Đợt 0") || !strings.Contains(winners["og:description"], "Đợt 0") {
		t.Errorf("winners: %v", winners)
	}

	// In English for a reader who chose it.
	en := e.browser()
	en.get("/lang/en")
	if tags := shareTags(en.get("/").raw); tags["og:locale"] != "en_US" || !strings.HasPrefix(tags["og:description"], "Schedule: Đợt 0: ") {
		t.Errorf("English: %q %q", tags["og:locale"], tags["og:description"])
	}
}

// Without a public URL the previews take the address the page was opened at; a public URL
// that is not an absolute http(s) address is refused at start.
func TestSharePreviewsWithoutPublicURL(t *testing.T) {
	e := newEnv(t)
	tags := shareTags(e.browser().get("/").raw)
	if tags["og:url"] != e.srv.URL+"/" || !strings.HasPrefix(tags["og:image"], e.srv.URL+"/banners/1200x628.png?v=") {
		t.Errorf("og:url %q og:image %q", tags["og:url"], tags["og:image"])
	}
	for _, bad := range []string{"thi.example.gov.vn", "ftp://thi.example.gov.vn", "https://thi.example.gov.vn/?a=1", "https:///x"} {
		cfg := e.app.cfg
		cfg.Registerer, cfg.Gatherer = nil, nil
		cfg.PublicURL = bad
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "public URL") {
			t.Errorf("public URL %q: %v, want a refusal", bad, err)
		}
	}
}

// The widget: the open round, its closing time in the page (no script needed), how many
// took part; framing allowed; the same page for everyone (no cookie read or set), cached a
// minute; English only when its address asks.
func TestEmbedWidget(t *testing.T) {
	e := newEnv(t)
	person := e.register(1)
	person.submitAttempt(false) // a participant counts once an attempt is finished
	person.get("/lang/en")      // the widget does not follow the visitor's language cookie
	r := person.get("/embed/round")
	if r.status != http.StatusOK {
		t.Fatalf("widget: %d", r.status)
	}
	for _, want := range []string{"Đợt 1", "Đang mở", "Đóng lúc ", "1 người đã tham gia", "Tham gia ngay", `target="_blank"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the widget lacks %q:\n%s", want, r.body)
		}
	}
	closes := translator{lang: langVI, loc: e.app.loc}.Time(e.rounds.rounds[0].Spec.ClosesAt.Time)
	if !strings.Contains(r.body, "Đóng lúc "+closes) {
		t.Errorf("the widget does not say the closing time %q", closes)
	}
	if csp := r.header.Get("Content-Security-Policy"); csp != framedPolicy {
		t.Errorf("widget CSP %q", csp)
	}
	if xfo := r.header.Get("X-Frame-Options"); xfo != "" {
		t.Errorf("widget X-Frame-Options %q", xfo)
	}
	if sc := r.header.Values("Set-Cookie"); len(sc) > 0 {
		t.Errorf("the widget sets cookies: %q", sc)
	}
	cc := r.header.Get("Cache-Control")
	if m := regexp.MustCompile(`^public, max-age=(\d+)$`).FindStringSubmatch(cc); m == nil {
		t.Errorf("widget Cache-Control %q, want public for at most 60 s", cc)
	} else if age, _ := strconv.Atoi(m[1]); age < 1 || age > 60 {
		t.Errorf("widget Cache-Control %q, want public for at most 60 s", cc)
	}
	// The same bytes for a stranger, and 304 for its ETag.
	stranger := e.browser()
	if s := stranger.get("/embed/round"); s.raw != r.raw || len(s.header.Values("Set-Cookie")) > 0 {
		t.Error("the widget differs between visitors, or sets a cookie")
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/embed/round", nil)
	req.Header.Set("If-None-Match", r.header.Get("ETag"))
	if s := stranger.do(req); s.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", s.status)
	}
	if en := stranger.get("/embed/round?lang=en"); !strings.Contains(en.body, "Open") || !strings.Contains(en.body, "Take part now") {
		t.Errorf("?lang=en:\n%s", en.body)
	}

	// Before any round opens, the next one and its opening time; no count.
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) {
		r.Spec.OpensAt.Time = time.Now().Add(24 * time.Hour)
		r.Spec.ClosesAt.Time = time.Now().Add(36 * time.Hour)
	})
	e.app.embeds = embedCache{} // the minute has passed
	s := stranger.get("/embed/round")
	for _, want := range []string{"Đợt 1", "Sắp mở", "Mở lúc "} {
		if !strings.Contains(s.body, want) {
			t.Errorf("before the round opens the widget lacks %q:\n%s", want, s.body)
		}
	}
	if strings.Contains(s.body, "người đã tham gia") {
		t.Error("a round not yet open shows a count")
	}
}

// Only /embed/ may be framed: every other route, and a page that does not exist, says
// frame-ancestors 'none' and X-Frame-Options DENY.
func TestOnlyTheWidgetMayBeFramed(t *testing.T) {
	e := newEnv(t)
	if framedPolicy == contentSecurityPolicy || !strings.Contains(framedPolicy, "frame-ancestors *") {
		t.Fatalf("framed policy %q", framedPolicy)
	}
	b := e.browser()
	params := strings.NewReplacer(":file", "app.css", ":code", "en", ":round", "dot-1", ":id", "1",
		":name", "mau", ":version", "1", ":username", "x")
	paths := []string{"/no-such-page", "/banners/300x250.png", "/embed/no-such-widget"}
	for _, route := range e.app.engine.Routes() {
		if route.Method == http.MethodGet {
			paths = append(paths, params.Replace(route.Path))
		}
	}
	framed := 0
	for _, p := range paths {
		r := b.get(p)
		csp, xfo := r.header.Get("Content-Security-Policy"), r.header.Get("X-Frame-Options")
		if strings.HasPrefix(p, "/embed/") && r.status == http.StatusOK {
			framed++
			if csp != framedPolicy || xfo != "" {
				t.Errorf("%s: CSP %q, X-Frame-Options %q: it should be framable", p, csp, xfo)
			}
			continue
		}
		if !strings.Contains(csp, "frame-ancestors 'none'") || xfo != "DENY" {
			t.Errorf("%s (%d): CSP %q, X-Frame-Options %q: it may be framed", p, r.status, csp, xfo)
		}
	}
	if framed != 1 {
		t.Errorf("%d framable pages, want the widget alone", framed)
	}
}

// The console's kit: every banner with its code on the public address, the widget's code.
func TestConsoleShareKit(t *testing.T) {
	e := newEnv(t)
	e.reconfigure(func(cfg *Config) { cfg.PublicURL = testPublicURL })
	e.enableConsole()
	e.account("theo.doi", "viewer", "mat-khau-theo-doi-2024")
	viewer := e.signedInAs("theo.doi", "mat-khau-theo-doi-2024")
	r := viewer.get("/console/share")
	if r.status != http.StatusOK {
		t.Fatalf("console share: %d", r.status)
	}
	alt := "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024 — thời gian thi: "
	for _, s := range banner.Sizes() {
		code := `<a href="` + testPublicURL + `/" target="_blank" rel="noopener" title="Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024"><img src="` +
			testPublicURL + `/banners/` + s.Name + `.png" width="` + strconv.Itoa(s.Width) + `" height="` + strconv.Itoa(s.Height) + `" alt="` + alt
		if !strings.Contains(r.body, code) {
			t.Errorf("no code for %s like %s", s.Name, code)
		}
		if !strings.Contains(r.raw, `download="banner-`+s.Name+`.svg"`) {
			t.Errorf("no SVG download for %s", s.Name)
		}
	}
	if !strings.Contains(r.body, `<iframe src="`+testPublicURL+`/embed/round" width="300" height="250"`) {
		t.Error("no widget code")
	}
	if strings.Contains(r.body, "--public-url") {
		t.Error("the page warns of a missing public URL that is set")
	}
	// A pasted code is the HTML written, not escaped twice.
	var code string
	if m := regexp.MustCompile(`(?s)<textarea id="code-300x250" readonly rows="4">(.*?)</textarea>`).FindStringSubmatch(r.raw); m != nil {
		code = html.UnescapeString(m[1])
	}
	if !strings.HasPrefix(code, `<a href="https://thi.example.gov.vn/"`) || strings.Contains(code, "&amp;") || strings.Contains(code, "&#") {
		t.Errorf("the 300x250 code reads %q", code)
	}
}

func TestDays(t *testing.T) {
	loc := contestv1alpha1.TimeZone()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	vi, en := translator{lang: langVI, loc: loc}, translator{lang: langEN, loc: loc}
	for _, c := range []struct {
		opens, closes string
		vi, en        string
	}{
		{"2024-08-17 00:00", "2024-09-01 00:00", "17/8 – 31/8/2024", "17 Aug – 31 Aug 2024"},
		{"2024-09-09 00:00", "2024-09-23 17:00", "9/9 – 23/9/2024", "9 Sep – 23 Sep 2024"},
		{"2024-12-20 08:00", "2025-01-06 00:00", "20/12/2024 – 5/1/2025", "20 Dec 2024 – 5 Jan 2025"},
		{"2024-08-17 08:00", "2024-08-17 20:00", "17/8/2024", "17 Aug 2024"},
	} {
		// Given in UTC, as the API server stores them: the days are Vietnam's.
		o, cl := at(c.opens).UTC(), at(c.closes).UTC()
		if got := vi.Days(o, cl); got != c.vi {
			t.Errorf("%s–%s: %q, want %q", c.opens, c.closes, got, c.vi)
		}
		if got := en.Days(o, cl); got != c.en {
			t.Errorf("%s–%s: %q, want %q", c.opens, c.closes, got, c.en)
		}
	}
}

// The banners wear the style sheet's colours, and a style sheet without them is refused.
func TestBannerColorsComeFromTheStyleSheet(t *testing.T) {
	p, err := siteColors([]byte(":root { --fg: #000; --accent: #0b5cab; --accent-dark: #084A8A; }"))
	if err != nil || p.Primary.R != 0x0b || p.Primary.G != 0x5c || p.Primary.B != 0xab || p.Dark.B != 0x8a {
		t.Errorf("%+v %v", p, err)
	}
	if _, err := siteColors([]byte(":root { --accent: blue; }")); err == nil {
		t.Error("a style sheet without hex colours gives a palette")
	}
	css, _ := embedded.ReadFile("static/app.css")
	if _, err := siteColors(css); err != nil {
		t.Error(err)
	}
	if !bytes.Contains(css, []byte("--accent-dark")) {
		t.Error("app.css lost its accent")
	}
}

// Package banner draws the contest's banners: its title, its rounds' dates and a call to
// action in the contest's colours, at the sizes agencies' portals and social networks use,
// as PNG and as SVG from one layout. The text is set in Be Vietnam Pro, embedded, measured
// and wrapped (or shrunk) to fit each size. It is plain Go: the web app decides the texts
// (in the catalogs) and caches the images.
package banner

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Size is one banner format.
type Size struct {
	// Name is "WIDTHxHEIGHT", as in the banner's address.
	Name          string
	Width, Height int
}

// spec is how a size is laid out.
type spec struct {
	pad float64
	// wide: the text beside the button (a strip); else the text above it (a box).
	wide bool
	// Sizes in pixels, largest first; a zero range leaves the part out.
	title, dates, action, site span
	titleLines                 int
	// schedule: one line per round when they fit, else the whole span on one line.
	schedule bool
}

type span struct{ largest, smallest float64 }

// The sizes: the IAB formats Vietnamese government portals place in their columns and
// headers (300×250 medium rectangle, 728×90 leaderboard, 468×60 banner, 160×600
// skyscraper), 300×100 for the "liên kết website" lists of links, and 1200×628 for
// Facebook and Zalo link previews (1.91:1). A fixed list: nothing a request says makes
// another size.
var sizes = []struct {
	Size
	spec
}{
	{Size{"1200x628", 1200, 628}, spec{pad: 64, title: span{72, 40}, titleLines: 4, dates: span{36, 26}, action: span{34, 26}, site: span{28, 20}, schedule: true}},
	{Size{"300x250", 300, 250}, spec{pad: 16, title: span{25, 13}, titleLines: 5, dates: span{15, 11}, action: span{15, 12}, schedule: true}},
	{Size{"728x90", 728, 90}, spec{pad: 10, wide: true, title: span{21, 12}, titleLines: 2, dates: span{15, 11}, action: span{17, 12}}},
	{Size{"468x60", 468, 60}, spec{pad: 6, wide: true, title: span{16, 10}, titleLines: 2, dates: span{12, 9}, action: span{13, 10}}},
	{Size{"300x100", 300, 100}, spec{pad: 9, wide: true, title: span{17, 10}, titleLines: 3, dates: span{13, 9}}},
	{Size{"160x600", 160, 600}, spec{pad: 10, title: span{23, 12}, titleLines: 10, dates: span{15, 11}, action: span{15, 11}, site: span{11, 9}, schedule: true}},
}

// Sizes lists the banner sizes, the social preview first.
func Sizes() []Size {
	out := make([]Size, len(sizes))
	for i, s := range sizes {
		out[i] = s.Size
	}
	return out
}

// SizeNamed finds a size by its name ("300x250").
func SizeNamed(name string) (Size, bool) {
	for _, s := range sizes {
		if s.Name == name {
			return s.Size, true
		}
	}
	return Size{}, false
}

func specOf(s Size) (spec, bool) {
	for _, x := range sizes {
		if x.Size == s {
			return x.spec, true
		}
	}
	return spec{}, false
}

// Content is what a banner says, in the words the reader reads (the web app writes them).
type Content struct {
	// Title is the contest's name.
	Title string
	// Schedule has each round's name and dates ("Đợt 1", "17/8 – 31/8/2024"), on one line
	// ("Đợt 1: 17/8 – 31/8/2024") or, in a narrow banner, two; Span all rounds in one
	// ("17/8 – 23/9/2024"), for small sizes and for more rounds than fit.
	Schedule []Round
	Span     string
	// Action is the call to action on the button ("Tham gia ngay").
	Action string
	// Site is the address to print, without its scheme; empty leaves it out.
	Site string
	// Alt describes the banner for people who cannot see it (the SVG's title).
	Alt    string
	Colors Palette
}

// Round is one line of the schedule.
type Round struct {
	Name, Dates string
}

// Palette is the contest's colours: the site's accent and its dark shade.
type Palette struct {
	Primary, Dark color.RGBA
}

// The colours that go with any palette: titles in white, dates and the button in gold.
var (
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
	gold  = color.RGBA{0xff, 0xd5, 0x4a, 0xff}
	light = color.RGBA{0xd8, 0xe8, 0xf8, 0xff}
	// glow is white at 7 %, premultiplied.
	glow = color.RGBA{0x12, 0x12, 0x12, 0x12}
)

// layer is a path filled with one colour; role names what it shows (for tests and SVG).
type layer struct {
	role string
	fill color.RGBA
	path path
}

// Banner is a laid-out banner, ready to be drawn as PNG or SVG.
type Banner struct {
	Size Size
	Alt  string
	// Cut says some text did not fit even at its smallest size and was shortened.
	Cut    bool
	layers []layer
}

// maxRunes bounds each text: the CRD allows a 300-character title; past that nothing fits.
const maxRunes = 400

// Layout sets the content at one size.
func Layout(c Content, s Size) (*Banner, error) {
	sp, ok := specOf(s)
	if !ok {
		return nil, fmt.Errorf("banner: no size %q", s.Name)
	}
	bold, semi, err := typefaces()
	if err != nil {
		return nil, err
	}
	c = clean(c)
	if c.Title == "" {
		return nil, errors.New("banner: the contest has no title")
	}
	l := &layouter{c: c, s: s, sp: sp, bold: bold, semi: semi, faces: &faces{}}
	return l.layout()
}

// clean puts every text in NFC (precomposed letters, which the font has glyphs for: a
// title typed with combining marks would otherwise show marks beside their letters),
// on one line, bounded.
func clean(c Content) Content {
	one := func(s string) string {
		s = strings.Join(strings.Fields(norm.NFC.String(s)), " ")
		if r := []rune(s); len(r) > maxRunes {
			s = string(r[:maxRunes])
		}
		return s
	}
	c.Title, c.Span, c.Action, c.Site, c.Alt = one(c.Title), one(c.Span), one(c.Action), one(c.Site), one(c.Alt)
	sched := make([]Round, 0, len(c.Schedule))
	for _, r := range c.Schedule {
		if r = (Round{Name: one(r.Name), Dates: one(r.Dates)}); r.Name != "" && r.Dates != "" {
			sched = append(sched, r)
		}
	}
	c.Schedule = sched
	return c
}

type layouter struct {
	c          Content
	s          Size
	sp         spec
	bold, semi *typeface
	faces      *faces
	b          Banner
}

// bar is the width of the gold bar along the left edge.
func (l *layouter) bar() float64 {
	return math.Max(3, math.Round(float64(min(l.s.Width, l.s.Height))*0.025))
}

func (l *layouter) layout() (*Banner, error) {
	W, H := float64(l.s.Width), float64(l.s.Height)
	l.b = Banner{Size: l.s, Alt: l.c.Alt}
	var bg, deco, halo, bar path
	bg.rect(0, 0, W, H)
	r := 0.5 * math.Max(W, H)
	deco.circle(W-0.08*r, H+0.1*r, r)
	halo.circle(0, 0, 0.45*math.Min(W, H)+0.1*r)
	bar.rect(0, 0, l.bar(), H)
	l.b.layers = append(l.b.layers,
		layer{"background", l.c.Colors.Dark, bg}, layer{"decoration", l.c.Colors.Primary, deco},
		layer{"decoration", glow, halo}, layer{"decoration", gold, bar})
	var err error
	if l.sp.wide {
		err = l.strip()
	} else {
		err = l.box()
	}
	if err != nil {
		return nil, err
	}
	return &l.b, nil
}

// button is the call to action: a gold pill with the text, at the largest size whose
// pill fits in maxWidth; none when the size has none or it does not fit.
type button struct {
	f    *face
	w, h float64
}

func (l *layouter) button(maxWidth float64) (button, bool) {
	if l.sp.action.largest == 0 || l.c.Action == "" {
		return button{}, false
	}
	for size := l.sp.action.largest; size >= l.sp.action.smallest; size -= 0.5 {
		f := l.faces.at(l.bold, size)
		w := f.width(l.c.Action) + 2.2*size
		if w <= maxWidth {
			return button{f: f, w: w, h: 2.2 * size}, true
		}
	}
	return button{}, false
}

func (l *layouter) drawButton(b button, x, y float64) error {
	var pill, text path
	pill.pill(x, y, x+b.w, y+b.h)
	asc, desc := b.f.metrics()
	// The text's line box centred in the pill.
	base := y + (b.h-(asc+desc))/2 + asc
	if err := b.f.outline(&text, l.c.Action, x+1.1*b.f.size, base); err != nil {
		return err
	}
	l.b.layers = append(l.b.layers, layer{"button", gold, pill}, layer{"action", l.c.Colors.Dark, text})
	return nil
}

// dates sets the rounds' dates in width: when the size lists the rounds (at most 3), one
// line per round or, when that is what keeps them larger, two (the name, then the dates);
// else the span, wrapped to at most
// maxLines.
func (l *layouter) dates(width, height float64, maxLines int) block {
	if l.sp.dates.largest == 0 {
		return block{}
	}
	if l.sp.schedule && len(l.c.Schedule) > 0 && len(l.c.Schedule) <= 3 {
		var one, two []string
		for _, r := range l.c.Schedule {
			one = append(one, r.Name+": "+r.Dates)
			two = append(two, r.Name, r.Dates)
		}
		for size := l.sp.dates.largest; size >= l.sp.dates.smallest; size -= 0.5 {
			for _, lines := range [][]string{one, two} {
				f := l.faces.at(l.semi, size)
				b := block{face: f, lines: lines}
				if b.width() <= width && b.height() <= height {
					return b
				}
			}
		}
	}
	if l.c.Span == "" {
		return block{}
	}
	return fit(l.semi, l.faces, l.c.Span, width, height, maxLines, l.sp.dates.largest, l.sp.dates.smallest)
}

// text draws a block with its first line's top at y.
func (l *layouter) text(role string, fill color.RGBA, b block, x, y float64) error {
	if len(b.lines) == 0 {
		return nil
	}
	var p path
	asc, _ := b.face.metrics()
	for i, line := range b.lines {
		if err := b.face.outline(&p, line, x, y+asc+float64(i)*b.face.size*lineSpacing); err != nil {
			return err
		}
	}
	l.b.Cut = l.b.Cut || b.cut
	l.b.layers = append(l.b.layers, layer{role, fill, p})
	return nil
}

// box: title, dates, then the button (and the address) at the bottom.
func (l *layouter) box() error {
	W, H, pad := float64(l.s.Width), float64(l.s.Height), l.sp.pad
	x0 := l.bar() + pad
	width := W - pad - x0
	gap := math.Round(pad * 0.6)

	// The bottom row: the button, and the address beside it or, when it does not fit
	// there, below it.
	btn, hasButton := l.button(width)
	bottom := 0.0
	var site block
	siteBeside := false
	if hasButton {
		bottom = btn.h
	}
	if l.sp.site.largest > 0 && l.c.Site != "" {
		if hasButton {
			site = fit(l.semi, l.faces, l.c.Site, width-btn.w-gap, btn.h, 1, l.sp.site.largest, l.sp.site.smallest)
			siteBeside = !site.cut
		}
		if !siteBeside {
			site = fit(l.semi, l.faces, l.c.Site, width, H, 1, l.sp.site.largest, l.sp.site.smallest)
			if site.cut {
				site = block{} // an address cut short is no address
			} else if hasButton {
				bottom += gap / 2
			}
			if len(site.lines) > 0 {
				bottom += site.height()
			}
		}
	}
	above := H - 2*pad - bottom
	if bottom > 0 {
		above -= gap
	}

	dates := l.dates(width, above/2, 2)
	titleRoom := above - dates.height()
	if dates.height() > 0 {
		titleRoom -= gap
	}
	title := fit(l.bold, l.faces, l.c.Title, width, titleRoom, l.sp.titleLines, l.sp.title.largest, l.sp.title.smallest)

	// Title and dates centred in the room above the bottom row.
	group := title.height() + dates.height()
	if dates.height() > 0 {
		group += gap
	}
	y := pad + math.Max(0, (above-group)/2)
	if err := l.text("title", white, title, x0, y); err != nil {
		return err
	}
	if err := l.text("dates", gold, dates, x0, y+title.height()+gap); err != nil {
		return err
	}
	yb := H - pad - bottom
	if hasButton {
		if err := l.drawButton(btn, x0, yb); err != nil {
			return err
		}
		yb += btn.h + gap/2
	}
	if len(site.lines) > 0 {
		if siteBeside {
			yb = H - pad - btn.h + (btn.h-site.height())/2
			return l.text("site", light, site, W-pad-site.width(), yb)
		}
		return l.text("site", light, site, x0, yb)
	}
	return nil
}

// strip: title and dates on the left, the button on the right, all centred vertically.
func (l *layouter) strip() error {
	W, H, pad := float64(l.s.Width), float64(l.s.Height), l.sp.pad
	x0 := l.bar() + pad
	x1 := W - pad
	gap := math.Round(pad * 0.4)
	btn, hasButton := l.button((x1 - x0) / 3)
	if hasButton {
		x1 -= btn.w + 2*gap
	}
	width := x1 - x0
	room := H - 2*pad
	dates := l.dates(width, room/2, 1)
	titleRoom := room - dates.height()
	if dates.height() > 0 {
		titleRoom -= gap
	}
	title := fit(l.bold, l.faces, l.c.Title, width, titleRoom, l.sp.titleLines, l.sp.title.largest, l.sp.title.smallest)
	group := title.height() + dates.height()
	if dates.height() > 0 {
		group += gap
	}
	y := pad + math.Max(0, (room-group)/2)
	if err := l.text("title", white, title, x0, y); err != nil {
		return err
	}
	if err := l.text("dates", gold, dates, x0, y+title.height()+gap); err != nil {
		return err
	}
	if hasButton {
		return l.drawButton(btn, W-pad-btn.w, (H-btn.h)/2)
	}
	return nil
}

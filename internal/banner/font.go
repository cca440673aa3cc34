package banner

import (
	"errors"
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/dxcontest/contest-platform/internal/fonts"
)

// typeface is one parsed font file. sfnt.Font is safe for concurrent use with a Buffer per
// goroutine; each layout has its own.
type typeface struct {
	name string
	font *sfnt.Font
}

var (
	fontsOnce        sync.Once
	boldFace, semi   *typeface
	errFontsNotReady error
)

// typefaces parses the embedded files (package fonts) once.
func typefaces() (bold, semiBold *typeface, err error) {
	fontsOnce.Do(func() {
		parse := func(name string, b []byte) *typeface {
			f, err := sfnt.Parse(b)
			if err != nil {
				errFontsNotReady = errors.Join(errFontsNotReady, fmt.Errorf("banner: parse the embedded font %s: %w", name, err))
				return nil
			}
			return &typeface{name: name, font: f}
		}
		boldFace, semi = parse("Be Vietnam Pro Bold", fonts.Bold()), parse("Be Vietnam Pro SemiBold", fonts.SemiBold())
	})
	return boldFace, semi, errFontsNotReady
}

// face is a typeface at a size in pixels, with a buffer for glyph look-ups (one goroutine).
type face struct {
	tf   *typeface
	size float64
	buf  *sfnt.Buffer
	// advances caches the widths of the runes measured at this size.
	advances map[rune]float64
}

func newFace(tf *typeface, size float64, buf *sfnt.Buffer) *face {
	return &face{tf: tf, size: size, buf: buf, advances: map[rune]float64{}}
}

func (f *face) ppem() fixed.Int26_6 { return fixed.Int26_6(f.size * 64) }

// glyph is the font's glyph for a rune; 0 (the font's "missing" box) when it has none.
func (f *face) glyph(r rune) sfnt.GlyphIndex {
	x, err := f.tf.font.GlyphIndex(f.buf, r)
	if err != nil {
		return 0
	}
	return x
}

// advance is how far the pen moves after the rune. Measuring and drawing use this one
// function, so a line measured to fit is drawn to the same width. (No kerning: the font
// keeps its kerning in GPOS, which the sfnt package does not read.)
func (f *face) advance(r rune) float64 {
	if a, ok := f.advances[r]; ok {
		return a
	}
	adv, err := f.tf.font.GlyphAdvance(f.buf, f.glyph(r), f.ppem(), font.HintingNone)
	a := 0.0
	if err == nil {
		a = float64(adv) / 64
	}
	f.advances[r] = a
	return a
}

// width is the advance of a whole string.
func (f *face) width(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += f.advance(r)
	}
	return w
}

// metrics are the font's ascent and descent at this size (positive numbers, pixels): the
// room a line needs above and below its baseline, Vietnamese stacked marks included.
func (f *face) metrics() (ascent, descent float64) {
	m, err := f.tf.font.Metrics(f.buf, f.ppem(), font.HintingNone)
	if err != nil {
		return f.size, f.size / 4
	}
	return float64(m.Ascent) / 64, float64(m.Descent) / 64
}

// outline appends the glyphs of s, its baseline starting at (x, y), to p.
func (f *face) outline(p *path, s string, x, y float64) error {
	for _, r := range s {
		segs, err := f.tf.font.LoadGlyph(f.buf, f.glyph(r), f.ppem(), nil)
		if err != nil {
			return fmt.Errorf("banner: glyph %q of %s: %w", r, f.tf.name, err)
		}
		for _, s := range segs {
			var pts [3]point
			for i, a := range s.Args {
				pts[i] = point{x + float64(a.X)/64, y + float64(a.Y)/64}
			}
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				p.moveTo(pts[0])
			case sfnt.SegmentOpLineTo:
				p.lineTo(pts[0])
			case sfnt.SegmentOpQuadTo:
				p.quadTo(pts[0], pts[1])
			case sfnt.SegmentOpCubeTo:
				p.cubeTo(pts[0], pts[1], pts[2])
			}
		}
		x += f.advance(r)
	}
	return nil
}

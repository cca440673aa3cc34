package banner

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"

	"golang.org/x/image/vector"
)

// Image draws the banner.
func (b *Banner) Image() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, b.Size.Width, b.Size.Height))
	var z vector.Rasterizer
	for _, l := range b.layers {
		if l.path.empty() {
			continue
		}
		// Each layer is rasterized over its own bounds only: a line of text costs its
		// area, not the banner's.
		r := image.Rect(int(math.Floor(l.path.min.x)), int(math.Floor(l.path.min.y)),
			int(math.Ceil(l.path.max.x)), int(math.Ceil(l.path.max.y))).Intersect(img.Bounds())
		if r.Empty() {
			continue
		}
		z.Reset(r.Dx(), r.Dy())
		z.DrawOp = draw.Over
		dx, dy := float32(r.Min.X), float32(r.Min.Y)
		at := func(p point) (float32, float32) { return float32(p.x) - dx, float32(p.y) - dy }
		for _, s := range l.path.segs {
			switch s.op {
			case opMove:
				z.MoveTo(at(s.pts[0]))
			case opLine:
				z.LineTo(at(s.pts[0]))
			case opQuad:
				bx, by := at(s.pts[0])
				cx, cy := at(s.pts[1])
				z.QuadTo(bx, by, cx, cy)
			case opCube:
				bx, by := at(s.pts[0])
				cx, cy := at(s.pts[1])
				ex, ey := at(s.pts[2])
				z.CubeTo(bx, by, cx, cy, ex, ey)
			case opClose:
				z.ClosePath()
			}
		}
		z.Draw(img, r, image.NewUniform(l.fill), image.Point{})
	}
	return img
}

// PNG draws the banner as a PNG (opaque, so without an alpha channel).
func (b *Banner) PNG() ([]byte, error) {
	var buf bytes.Buffer
	// The default level: the best one takes twice the time for 2 % fewer bytes.
	if err := png.Encode(&buf, b.Image()); err != nil {
		return nil, fmt.Errorf("banner: encode %s as PNG: %w", b.Size.Name, err)
	}
	return buf.Bytes(), nil
}

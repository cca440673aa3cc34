package banner

import "math"

// A banner is drawn as filled paths only (shapes and the glyphs' outlines), so the PNG and
// the SVG are drawn from the same coordinates and the SVG needs no font on the reader's side.

type point struct{ x, y float64 }

type segOp uint8

const (
	opMove segOp = iota
	opLine
	opQuad
	opCube
	opClose
)

type segment struct {
	op  segOp
	pts [3]point
}

// path is a list of closed contours, filled by the non-zero rule (as glyph outlines are).
type path struct {
	segs []segment
	open bool
	// min and max bound every point (control points included).
	min, max point
}

func (p *path) grow(pts ...point) {
	for _, q := range pts {
		if len(p.segs) == 0 && !p.open {
			p.min, p.max = q, q
		}
		p.min.x, p.min.y = math.Min(p.min.x, q.x), math.Min(p.min.y, q.y)
		p.max.x, p.max.y = math.Max(p.max.x, q.x), math.Max(p.max.y, q.y)
	}
}

func (p *path) moveTo(a point) {
	p.close()
	p.grow(a)
	p.segs = append(p.segs, segment{op: opMove, pts: [3]point{a}})
	p.open = true
}

func (p *path) lineTo(a point) {
	p.grow(a)
	p.segs = append(p.segs, segment{op: opLine, pts: [3]point{a}})
}

func (p *path) quadTo(b, c point) {
	p.grow(b, c)
	p.segs = append(p.segs, segment{op: opQuad, pts: [3]point{b, c}})
}

func (p *path) cubeTo(b, c, d point) {
	p.grow(b, c, d)
	p.segs = append(p.segs, segment{op: opCube, pts: [3]point{b, c, d}})
}

// close ends the current contour with a line back to its start.
func (p *path) close() {
	if p.open {
		p.segs = append(p.segs, segment{op: opClose})
		p.open = false
	}
}

func (p *path) empty() bool { return len(p.segs) == 0 }

// kappa places the control points of a cubic Bézier quarter circle.
const kappa = 0.5522847498

// rect adds a rectangle.
func (p *path) rect(x0, y0, x1, y1 float64) {
	p.moveTo(point{x0, y0})
	p.lineTo(point{x1, y0})
	p.lineTo(point{x1, y1})
	p.lineTo(point{x0, y1})
	p.close()
}

// circle adds a circle of centre (cx, cy).
func (p *path) circle(cx, cy, r float64) {
	k := r * kappa
	p.moveTo(point{cx + r, cy})
	p.cubeTo(point{cx + r, cy + k}, point{cx + k, cy + r}, point{cx, cy + r})
	p.cubeTo(point{cx - k, cy + r}, point{cx - r, cy + k}, point{cx - r, cy})
	p.cubeTo(point{cx - r, cy - k}, point{cx - k, cy - r}, point{cx, cy - r})
	p.cubeTo(point{cx + k, cy - r}, point{cx + r, cy - k}, point{cx + r, cy})
	p.close()
}

// pill adds a rectangle with fully rounded ends (a button).
func (p *path) pill(x0, y0, x1, y1 float64) {
	r := (y1 - y0) / 2
	k := r * kappa
	p.moveTo(point{x0 + r, y0})
	p.lineTo(point{x1 - r, y0})
	p.cubeTo(point{x1 - r + k, y0}, point{x1, y0 + r - k}, point{x1, y0 + r})
	p.cubeTo(point{x1, y0 + r + k}, point{x1 - r + k, y1}, point{x1 - r, y1})
	p.lineTo(point{x0 + r, y1})
	p.cubeTo(point{x0 + r - k, y1}, point{x0, y0 + r + k}, point{x0, y0 + r})
	p.cubeTo(point{x0, y0 + r - k}, point{x0 + r - k, y0}, point{x0 + r, y0})
	p.close()
}

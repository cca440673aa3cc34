package banner

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"strconv"
)

// SVG writes the banner as SVG: the same paths as the PNG, the text as outlines (the reader
// needs no font), and the alt text as its title for screen readers.
func (b *Banner) SVG() []byte {
	var w bytes.Buffer
	fmt.Fprintf(&w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="title">`,
		b.Size.Width, b.Size.Height, b.Size.Width, b.Size.Height)
	w.WriteString(`<title id="title">`)
	_ = xml.EscapeText(&w, []byte(b.Alt))
	w.WriteString("</title>\n")
	for _, l := range b.layers {
		if l.path.empty() {
			continue
		}
		fill, opacity := svgColor(l.fill)
		fmt.Fprintf(&w, `<path fill="%s"`, fill)
		if opacity != "" {
			fmt.Fprintf(&w, ` fill-opacity="%s"`, opacity)
		}
		w.WriteString(` d="`)
		writePath(&w, &l.path)
		w.WriteString("\"/>\n")
	}
	w.WriteString("</svg>\n")
	return w.Bytes()
}

// svgColor turns a premultiplied colour into an SVG fill and its opacity ("" when opaque).
func svgColor(c color.RGBA) (string, string) {
	if c.A == 0xff || c.A == 0 {
		return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B), ""
	}
	un := func(v uint8) uint8 { return uint8(min(255, int(v)*255/int(c.A))) }
	return fmt.Sprintf("#%02x%02x%02x", un(c.R), un(c.G), un(c.B)), strconv.FormatFloat(float64(c.A)/255, 'f', 2, 64)
}

func writePath(w *bytes.Buffer, p *path) {
	xy := func(q point) {
		w.WriteString(num(q.x))
		w.WriteByte(' ')
		w.WriteString(num(q.y))
	}
	for _, s := range p.segs {
		switch s.op {
		case opMove:
			w.WriteByte('M')
			xy(s.pts[0])
		case opLine:
			w.WriteByte('L')
			xy(s.pts[0])
		case opQuad:
			w.WriteByte('Q')
			xy(s.pts[0])
			w.WriteByte(' ')
			xy(s.pts[1])
		case opCube:
			w.WriteByte('C')
			xy(s.pts[0])
			w.WriteByte(' ')
			xy(s.pts[1])
			w.WriteByte(' ')
			xy(s.pts[2])
		case opClose:
			w.WriteByte('Z')
		}
	}
}

// num writes a coordinate to a tenth of a pixel, which no screen shows.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

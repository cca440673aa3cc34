package banner

import (
	"math"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
)

// lineSpacing is the distance between baselines, in font sizes: Vietnamese stacks a tone
// mark over a circumflex or breve (Ấ, Ặ), so lines need more room than Latin ones.
const lineSpacing = 1.3

// ellipsis ends a text cut short.
const ellipsis = "…"

// block is text set in lines at one size.
type block struct {
	face  *face
	lines []string
	// cut says the text did not fit at the smallest size and was shortened.
	cut bool
}

// height is the room the lines take from the top of the first to the bottom of the last.
func (b block) height() float64 {
	if len(b.lines) == 0 {
		return 0
	}
	asc, desc := b.face.metrics()
	return asc + desc + float64(len(b.lines)-1)*b.face.size*lineSpacing
}

// width is the widest line's.
func (b block) width() float64 {
	w := 0.0
	for _, l := range b.lines {
		w = math.Max(w, b.face.width(l))
	}
	return w
}

// wrap breaks text into lines no wider than width, between words; a word wider than a line
// (a long address) is broken between letters.
func wrap(f *face, text string, width float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		candidate := word
		if line != "" {
			candidate = line + " " + word
		}
		if f.width(candidate) <= width {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		for len(word) > 0 && f.width(word) > width {
			n := fitRunes(f, word, width)
			lines = append(lines, word[:n])
			word = word[n:]
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fitRunes is how many bytes of s, whole runes and at least one, fit in width.
func fitRunes(f *face, s string, width float64) int {
	w, n := 0.0, 0
	for i, r := range s {
		w += f.advance(r)
		if w > width && i > 0 {
			return i
		}
		n = i + utf8.RuneLen(r)
	}
	return n
}

// fit sets text in the box (width × height, at most maxLines lines) at the largest size
// from largest down to smallest, in half pixels. When it does not fit even at smallest, the lines that
// fit are kept and the last one ends with an ellipsis.
func fit(tf *typeface, scratch *faces, text string, width, height float64, maxLines int, largest, smallest float64) block {
	if width <= 0 || height <= 0 || maxLines < 1 {
		return block{face: scratch.at(tf, smallest), cut: text != ""}
	}
	for size := largest; size >= smallest; size -= 0.5 {
		f := scratch.at(tf, size)
		b := block{face: f, lines: wrap(f, text, width)}
		if len(b.lines) <= maxLines && b.height() <= height && b.width() <= width {
			return b
		}
	}
	f := scratch.at(tf, smallest)
	b := block{face: f, lines: wrap(f, text, width), cut: true}
	keep := maxLines
	for keep > 0 && (block{face: f, lines: b.lines[:min(keep, len(b.lines))]}).height() > height {
		keep--
	}
	if keep == 0 {
		return block{face: f, cut: true}
	}
	if keep < len(b.lines) {
		b.lines = b.lines[:keep]
		b.lines[keep-1] = shorten(f, b.lines[keep-1], width)
	}
	return b
}

// shorten drops the end of a line, a word at a time when it can, so that it and an
// ellipsis fit in width.
func shorten(f *face, line string, width float64) string {
	for line != "" && f.width(line+ellipsis) > width {
		if i := strings.LastIndexByte(line, ' '); i > 0 {
			line = strings.TrimRight(line[:i], " ,;:–-")
			continue
		}
		_, size := utf8.DecodeLastRuneInString(line)
		line = line[:len(line)-size]
	}
	return line + ellipsis
}

// faces reuses the faces of one layout (their measured widths) across sizes tried.
type faces struct {
	buf  sfnt.Buffer
	seen map[faceKey]*face
}

type faceKey struct {
	tf   *typeface
	size float64
}

func (s *faces) at(tf *typeface, size float64) *face {
	if s.seen == nil {
		s.seen = map[faceKey]*face{}
	}
	k := faceKey{tf, size}
	if f, ok := s.seen[k]; ok {
		return f
	}
	f := newFace(tf, size, &s.buf)
	s.seen[k] = f
	return f
}

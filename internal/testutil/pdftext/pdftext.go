// Package pdftext reads back the text of the PDFs the app writes (codeberg.org/go-pdf/fpdf
// with UTF-8 TrueType fonts), for tests: what a person reading or searching the file would
// find. It is not a general PDF reader. fpdf writes such text as strings of big-endian
// UTF-16 code units shown with Tj (its ToUnicode map is the identity), in page content
// streams that are Flate-compressed or not; so this inflates each stream, skips the
// embedded font files, and decodes the operands of Tj and TJ.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
)

var streamStart = regexp.MustCompile(`<<([^>]*)>>\s*stream\r?\n`)

// Pages returns the text of each page content stream, in file order (fpdf writes pages in
// order), one line per text-showing operator.
func Pages(pdf []byte) ([]string, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, errors.New("pdftext: not a PDF")
	}
	var pages []string
	rest := pdf
	for {
		loc := streamStart.FindSubmatchIndex(rest)
		if loc == nil {
			break
		}
		dict := string(rest[loc[2]:loc[3]])
		body := rest[loc[1]:]
		end := bytes.Index(body, []byte("endstream"))
		if end < 0 {
			return nil, errors.New("pdftext: a stream without its end")
		}
		data := body[:end]
		rest = body[end:]
		if strings.Contains(dict, "/Length1") || strings.Contains(dict, "/Subtype") {
			continue // a font file or an image
		}
		if strings.Contains(dict, "/FlateDecode") {
			r, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("pdftext: inflate a stream: %w", err)
			}
			if data, err = io.ReadAll(r); err != nil {
				return nil, fmt.Errorf("pdftext: inflate a stream: %w", err)
			}
		}
		if !bytes.Contains(data, []byte(" Tj")) && !bytes.Contains(data, []byte(")Tj")) && !bytes.Contains(data, []byte("TJ")) {
			continue // not a page's content (the glyph map, the ToUnicode map)
		}
		pages = append(pages, strings.Join(showText(data), "\n"))
	}
	return pages, nil
}

// Text is the text of every page, pages separated by a form feed.
func Text(pdf []byte) (string, error) {
	pages, err := Pages(pdf)
	return strings.Join(pages, "\f"), err
}

// showText returns the decoded operands of each Tj and TJ of a content stream.
func showText(s []byte) []string {
	var lines []string
	var pending []string // strings since the last operator
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '(':
			str, n := literal(s[i:])
			pending = append(pending, decode(str))
			i += n
		case c == '[':
			i++
		case c == ']':
			i++
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '\'' || c == '"':
			j := i
			for j < len(s) && (s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z' || s[j] == '*' || s[j] == '\'' || s[j] == '"') {
				j++
			}
			switch string(s[i:j]) {
			case "Tj", "TJ", "'", "\"":
				lines = append(lines, strings.Join(pending, ""))
			}
			pending = pending[:0]
			i = j
		default:
			i++
		}
	}
	return lines
}

// literal reads a PDF literal string at the start of s; it returns the bytes and how many
// bytes of s it took.
func literal(s []byte) ([]byte, int) {
	var out []byte
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r', '\n':
				// a line continuation
			default:
				if e >= '0' && e <= '7' {
					v, k := 0, 0
					for ; k < 3 && i+k < len(s) && s[i+k] >= '0' && s[i+k] <= '7'; k++ {
						v = v*8 + int(s[i+k]-'0')
					}
					out = append(out, byte(v))
					i += k - 1
				} else {
					out = append(out, e)
				}
			}
		case c == '(':
			if depth > 0 {
				out = append(out, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return out, i + 1
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out, len(s)
}

// decode reads big-endian UTF-16.
func decode(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

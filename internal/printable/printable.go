// Package printable makes text that came from an uploaded file, or from a library's error
// about that file, safe to show in a message: valid UTF-8 with every character printable.
// The bank, unit list, locality list and round file readers quote cells, headers and parser
// errors in the problems they report; the browser and the terminal must be able to show
// them, and a byte such as \xb4 or \x00 must read as itself rather than break the page.
package printable

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text is s as written when it is printable text (spaces allowed), else s escaped as Go
// quotes it, without the quotes: "S\xf4 A", "a\x00b", "two\nlines".
func Text(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, notPrintable) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// Cut is Text of at most maxBytes bytes of s (a character split by the cut is dropped;
// invalid bytes are kept, escaped), with "…" when something was cut: a message quotes a
// cell or a parser's detail, never a whole pasted document.
func Cut(s string, maxBytes int) string {
	if len(s) <= maxBytes {
		return Text(s)
	}
	end := maxBytes
	for j := maxBytes; j > 0 && j > maxBytes-utf8.UTFMax; j-- {
		if utf8.RuneStart(s[j]) {
			if r, size := utf8.DecodeRuneInString(s[j:]); j < maxBytes && r != utf8.RuneError && j+size > maxBytes {
				end = j
			}
			break
		}
	}
	return Text(s[:end]) + "…"
}

// Error is Cut of err's text at DetailBytes: the detail a library gives about a file
// (encoding/xml's "invalid XML name: …" quotes the file's bytes as they are).
func Error(err error) string { return Cut(err.Error(), DetailBytes) }

// DetailBytes bounds a library error's text quoted in a problem.
const DetailBytes = 300

func notPrintable(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }

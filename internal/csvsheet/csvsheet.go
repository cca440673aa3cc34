// Package csvsheet holds what the project's CSV imports (question banks, units,
// localities) share about reading a CSV file the way an organizer sees it in a spreadsheet:
// the separator Excel wrote, row numbers counting blank lines, and encoding/csv's errors
// in Vietnamese.
package csvsheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
)

// Separator picks the most frequent of comma, semicolon (what Excel writes under
// Vietnamese regional settings) and tab outside quotes in the first line of data; comma
// when none occurs.
func Separator(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	var comma, semicolon, tab int
	quoted := false
	for _, c := range first {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			comma++
		case c == ';':
			semicolon++
		case c == '\t':
			tab++
		}
	}
	sep, n := ',', comma
	if semicolon > n {
		sep, n = ';', semicolon
	}
	if tab > n {
		sep = '\t'
	}
	return sep
}

// LeadingBlankLines counts the empty lines at the start of b: encoding/csv skips them, a
// spreadsheet shows them as rows.
func LeadingBlankLines(b []byte) int {
	n := 0
	for {
		switch {
		case bytes.HasPrefix(b, []byte("\n")):
			b = b[1:]
		case bytes.HasPrefix(b, []byte("\r\n")):
			b = b[2:]
		default:
			return n
		}
		n++
	}
}

// ErrorDetail says in Vietnamese what encoding/csv could not read.
func ErrorDetail(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("thiếu dấu ngoặc kép đóng ô (bắt đầu ở dòng văn bản %d)", pe.StartLine)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		// pe.Column counts bytes, not the characters a person sees, so only the line is given.
		return fmt.Sprintf("dấu ngoặc kép đặt sai chỗ ở dòng văn bản %d: ô có dấu ngoặc kép phải được bao trong ngoặc kép và viết \"\" cho mỗi dấu", pe.Line)
	}
	return pe.Error()
}

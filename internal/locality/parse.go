package locality

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/dxcontest/contest-platform/internal/csvsheet"
	"github.com/dxcontest/contest-platform/internal/printable"
)

// The import format's columns.
const (
	ColDistrictCode = "ma_huyen"
	ColDistrictName = "ten_huyen"
	ColCommuneCode  = "ma_xa"
	ColCommuneName  = "ten_xa"
)

var columns = []string{ColDistrictCode, ColDistrictName, ColCommuneCode, ColCommuneName}

// row is one data row with its cells cleaned, indexed like columns.
type row struct {
	num   int
	cells [4]string
	ok    [4]bool // the cell passed its own checks, so cross-row checks may use it
}

// Parse reads a locality list (header ma_huyen,ten_huyen,ma_xa,ten_xa, in any order; UTF-8
// with or without BOM; comma, semicolon or tab separated). It returns the districts in order
// of first appearance, each followed by its communes in file order, or an *ImportError with
// every problem found.
func Parse(r io.Reader) ([]Locality, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("locality: read import file: %w", err)
	}
	switch {
	case len(data) > MaxFileBytes:
		return nil, fileError(reasonFileTooLarge())
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, fileError(reasonEncodingUTF16)
	}
	records, err := readRecords(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, fileError(reasonEmptyFile)
	}
	index, errs := mapHeader(records[0])
	if errs != nil {
		return nil, newImportError(errs)
	}
	if len(records) == 1 {
		return nil, fileError(reasonNoRows)
	}
	rows := make([]row, 0, len(records)-1)
	for _, rec := range records[1:] {
		rw, rerrs := readRow(rec, index)
		rows = append(rows, rw)
		errs = append(errs, rerrs...)
	}
	errs = append(errs, crossCheck(rows)...)
	if err := newImportError(errs); err != nil {
		return nil, err
	}
	return build(rows), nil
}

// record is a non-blank CSV record and the row a spreadsheet shows it on.
type record struct {
	num   int
	cells []string
}

// readRecords splits the file into non-blank records. encoding/csv skips blank lines, but a
// spreadsheet counts them, so row numbers are kept from the line count.
func readRecords(data []byte) ([]record, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = csvsheet.Separator(data)
	cr.FieldsPerRecord = -1 // short rows read as empty cells
	var out []record
	rowNum, linesRead, offset := 0, 0, int64(0)
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// The rest of the file cannot be split reliably after a quoting error.
			return nil, &ImportError{Errors: []RowError{{Row: rowNum + 1 + max(0, pe.StartLine-linesRead-1), Reason: reasonCSVSyntax(pe.Err)}}}
		}
		if err != nil {
			return nil, fmt.Errorf("locality: read CSV: %w", err)
		}
		start, _ := cr.FieldPos(0)
		rowNum += 1 + max(0, start-linesRead-1)
		end := cr.InputOffset()
		linesRead += bytes.Count(data[offset:end], []byte("\n"))
		offset = end
		if !blank(cells) {
			out = append(out, record{num: rowNum, cells: cells})
		}
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// mapHeader finds each column's position; headers match ignoring case and surrounding space.
func mapHeader(h record) ([4]int, []RowError) {
	index := [4]int{-1, -1, -1, -1}
	var errs []RowError
	for pos, cell := range h.cells {
		name := strings.ToLower(strings.TrimSpace(cell))
		if name == "" {
			continue
		}
		i := indexOf(name)
		switch {
		case i < 0:
			errs = append(errs, RowError{Row: h.num, Column: printable.Text(strings.TrimSpace(cell)), Reason: reasonUnsupportedColumn(cell)})
		case index[i] >= 0:
			errs = append(errs, RowError{Row: h.num, Column: name, Reason: reasonDuplicateColumn(index[i] + 1)})
		default:
			index[i] = pos
		}
	}
	for i, col := range columns {
		if index[i] < 0 {
			errs = append(errs, RowError{Row: h.num, Column: col, Reason: reasonMissingColumn(col)})
		}
	}
	return index, errs
}

func indexOf(name string) int {
	for i, col := range columns {
		if col == name {
			return i
		}
	}
	return -1
}

// readRow cleans a record's cells (trimmed, NFC so names typed on different systems compare
// equal) and checks each on its own.
func readRow(rec record, index [4]int) (row, []RowError) {
	rw := row{num: rec.num}
	var errs []RowError
	for i, col := range columns {
		cell := ""
		if index[i] < len(rec.cells) {
			cell = strings.TrimSpace(rec.cells[index[i]])
		}
		var reason string
		switch {
		case !utf8.ValidString(cell):
			reason = reasonEncoding
		case cell == "":
			reason = reasonEmpty(what(i))
		case i%2 == 0 && !validCode(cell):
			reason = reasonBadCode(cell)
		case i%2 == 1 && strings.ContainsAny(cell, "\r\n"):
			reason = reasonLineBreak
		case i%2 == 1 && strings.IndexFunc(cell, unicode.IsControl) >= 0:
			// Invisible in a drop-down list, and PostgreSQL refuses NUL in text.
			reason = reasonControlChar
		case i%2 == 1 && utf8.RuneCountInString(cell) > MaxNameRunes:
			reason = reasonTooLong(utf8.RuneCountInString(cell))
		}
		if reason != "" {
			errs = append(errs, RowError{Row: rec.num, Column: col, Reason: reason})
			continue
		}
		rw.cells[i], rw.ok[i] = norm.NFC.String(cell), true
	}
	return rw, errs
}

// what names a column's content in messages: columns alternate code, name.
func what(i int) string {
	return [4]string{"mã huyện", "tên huyện", "mã xã", "tên xã"}[i]
}

package bank

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/dxcontest/contest-platform/internal/csvsheet"
)

// ParseCSV reads a question bank in the import format (see FORMAT.md) from a
// UTF-8 CSV file. A UTF-8 BOM (which Excel writes for "CSV UTF-8") is
// skipped; the separator is detected from the header row: comma, semicolon
// (what Excel writes under Vietnamese regional settings) or tab. An Excel
// "sep=;" first line is honored. Topics come from opts.Topics.
//
// It returns a complete, valid bank or an error: *ImportError when the
// content is wrong (every problem, located by row and column), any other
// error when r cannot be read.
func ParseCSV(r io.Reader, opts ParseOptions) (*Bank, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	qt, err := readCSVTable(data)
	if err != nil {
		return nil, err
	}
	topicErrs := checkTopics(opts.Topics, TopicSheet, nil)
	return buildBank(qt, opts.Topics, topicErrs, opts)
}

// readLimited reads at most MaxFileBytes; more is an import problem, not a
// system failure.
func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("bank: read import file: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, fileError(reasonFileTooLarge(MaxFileBytes))
	}
	return data, nil
}

// readCSVTable splits CSV bytes into a table, numbering rows as a
// spreadsheet would show them.
func readCSVTable(data []byte) (table, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return table{}, fileError(reasonEncodingUTF16)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return table{}, fileError(reasonXLSXAsCSV)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	sep, data, ok := csvSeparator(data)
	if !ok {
		return table{}, &ImportError{Errors: []RowError{{Row: 1, Reason: reasonBadSepLine(sep)}}}
	}

	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sep
	cr.FieldsPerRecord = -1 // short rows are padded by the header lookup
	// Tolerate `a, "b"` written by hand; not for tab, where it would merge
	// empty fields and shift columns.
	cr.TrimLeadingSpace = sep != '\t'

	var rows []record
	row := 0
	for {
		start := cr.InputOffset()
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		// encoding/csv skips blank lines; a spreadsheet shows them as rows.
		row += 1 + csvsheet.LeadingBlankLines(data[start:])
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// After a quoting error the rest of the file cannot be split
			// reliably, so this is the last problem reported.
			return table{}, &ImportError{Errors: []RowError{{Row: row, Reason: reasonCSVSyntax(csvsheet.ErrorDetail(pe))}}}
		}
		if err != nil {
			return table{}, fmt.Errorf("bank: read CSV: %w", err)
		}
		rows = append(rows, record{row: row, cells: cells})
	}
	t, ok := newTable("", rows)
	if !ok {
		return table{}, fileError(reasonEmptyFile)
	}
	return t, nil
}

// csvSeparator finds the separator and returns the data without an Excel
// "sep=X" line (ok is false when X cannot separate cells: a quote, a control
// character, a letter or digit, a byte outside ASCII). Otherwise the most
// frequent of , ; and tab outside quotes in the first line wins; comma when
// none occurs.
func csvSeparator(data []byte) (sep rune, rest []byte, ok bool) {
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	first = bytes.TrimSuffix(first, []byte("\r"))
	if len(first) == 5 && bytes.HasPrefix(bytes.ToLower(first), []byte("sep=")) {
		c := first[4]
		return rune(c), rest, c == '\t' || (c > ' ' && c < 0x7f && c != '"' && !isAlnum(c))
	}
	return csvsheet.Separator(first), data, true
}

func isAlnum(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

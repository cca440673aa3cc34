package bank

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// RowError is one problem found in an imported file, located the way the
// organizer sees the file in a spreadsheet program.
type RowError struct {
	// Sheet is the worksheet name for XLSX files; empty for CSV and for
	// problems with the file as a whole.
	Sheet string
	// Row is the 1-based row number as a spreadsheet shows it (the header is
	// row 1 unless blank rows precede it); 0 for problems with the whole file.
	Row int
	// Column is the canonical header name (for example "phuong_an_b"), the
	// header as written for unsupported columns, or empty.
	Column string
	// Reason says what is wrong, in Vietnamese, for the organizer to read.
	Reason string
}

// Error formats the problem as "dòng 5, cột phuong_an_b: phương án trống".
func (e RowError) Error() string {
	var loc []string
	if e.Sheet != "" {
		loc = append(loc, "trang tính "+e.Sheet)
	}
	if e.Row > 0 {
		loc = append(loc, "dòng "+strconv.Itoa(e.Row))
	}
	if e.Column != "" {
		loc = append(loc, "cột "+e.Column)
	}
	if len(loc) == 0 {
		return e.Reason
	}
	return strings.Join(loc, ", ") + ": " + e.Reason
}

// ImportError is returned when a file or bank is invalid. Import is
// all-or-nothing, so it carries every problem found rather than the first,
// letting the organizer fix the whole file in one pass.
//
// Errors that are not about the content (an unreadable reader, a missing
// file) are returned as ordinary wrapped errors instead, so callers can tell
// "show this to the organizer" from "something is broken on our side" with
// errors.As.
type ImportError struct {
	Errors []RowError
}

// Error lists the problems one per line.
func (e *ImportError) Error() string {
	lines := make([]string, len(e.Errors))
	for i, re := range e.Errors {
		lines[i] = re.Error()
	}
	return strings.Join(lines, "\n")
}

// newImportError returns nil when there is nothing to report, so callers can
// write "if err := newImportError(errs); err != nil". Problems are ordered by
// sheet, then row, keeping discovery order (column order) within a row.
func newImportError(errs []RowError) error {
	if len(errs) == 0 {
		return nil
	}
	sorted := slices.Clone(errs)
	sheetOrder := map[string]int{}
	for _, e := range sorted {
		if _, ok := sheetOrder[e.Sheet]; !ok {
			sheetOrder[e.Sheet] = len(sheetOrder)
		}
	}
	slices.SortStableFunc(sorted, func(a, b RowError) int {
		return cmp.Or(cmp.Compare(sheetOrder[a.Sheet], sheetOrder[b.Sheet]), cmp.Compare(a.Row, b.Row))
	})
	return &ImportError{Errors: sorted}
}

// fileError is a problem with the file as a whole (no row, no column).
func fileError(reason string) error {
	return &ImportError{Errors: []RowError{{Reason: reason}}}
}

package report

import "context"

// Column is a table's column: its header and its width in XLSX (in characters).
type Column struct {
	Title string
	Width float64
}

// Table is one sheet of the report.
type Table struct {
	// Name is the sheet name (at most 31 characters, as Excel allows).
	Name string
	// File is the CSV file's base name, ASCII so it survives email and zip tools.
	File    string
	Columns []Column
	rows    [][]Cell
	// stream, when set, produces the rows from the database as they are written.
	stream func(ctx context.Context, emit func([]Cell) error) error
}

// Each calls emit with every row in order; emit must not keep the slice, which is reused.
// A streamed table reads the database again on every call.
func (t *Table) Each(ctx context.Context, emit func([]Cell) error) error {
	if t.stream != nil {
		return t.stream(ctx, emit)
	}
	for _, r := range t.rows {
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

// Titles returns the header row.
func (t *Table) Titles() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Title
	}
	return out
}

// NewStreamTable is a table whose rows stream produces as they are written (from the
// database, without holding them): for exports other than the round's report.
func NewStreamTable(name, file string, columns []Column, stream func(ctx context.Context, emit func([]Cell) error) error) *Table {
	return &Table{Name: name, File: file, Columns: columns, stream: stream}
}

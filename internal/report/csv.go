package report

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
)

// bom makes Excel read a CSV file as UTF-8; without it Vietnamese diacritics are garbled.
const bom = "\uFEFF"

// WriteCSV writes one table as CSV the way Excel opens it on Windows: UTF-8 with a byte
// order mark, CRLF line ends, a header row, and text neutralized against formulas.
func WriteCSV(ctx context.Context, w io.Writer, t *Table) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	record := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		record[i] = Neutralize(c.Title)
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	err := t.Each(ctx, func(row []Cell) error {
		record = record[:0]
		for _, c := range row {
			s := c.String()
			if c.kind == kindText {
				s = Neutralize(s)
			}
			record = append(record, s)
		}
		return cw.Write(record)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// CSVFileName is the name of a table's file in a CSV report directory.
func CSVFileName(t *Table) string { return t.File + ".csv" }

// WriteCSVZip writes one CSV file per table (CSVFileName), zipped, for tools that do not
// read XLSX; deflated on every core like the XLSX.
func WriteCSVZip(ctx context.Context, w io.Writer, rep *Report) error {
	zw := newZipWriter(w)
	for _, t := range rep.Tables {
		f, err := zw.Create(CSVFileName(t))
		if err != nil {
			return fmt.Errorf("zip %s: %w", CSVFileName(t), err)
		}
		if err := WriteCSV(ctx, f, t); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("zip the CSV files: %w", err)
	}
	return nil
}

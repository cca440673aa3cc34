package report

import (
	"archive/zip"
	"compress/flate"
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the report as one workbook, a sheet per table, the summary first and
// active. Every sheet is written with excelize's streaming writer, so the ranking of a
// large round goes through a temporary file rather than memory.
func WriteXLSX(ctx context.Context, w io.Writer, rep *Report) error {
	return WriteTablesXLSX(ctx, w, rep.Tables...)
}

// WriteTablesXLSX writes tables as one workbook, a sheet each, the first active.
func WriteTablesXLSX(ctx context.Context, w io.Writer, tables ...*Table) error {
	f := excelize.NewFile()
	defer f.Close() // removes the streaming writer's temporary files
	f.SetZipWriter(fastZip)
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), t.Name)
		} else {
			_, err = f.NewSheet(t.Name)
		}
		if err != nil {
			return fmt.Errorf("sheet %s: %w", t.Name, err)
		}
		if err := writeSheet(ctx, f, st, t); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// fastZip compresses the workbook's parts at deflate's fastest level. At the default
// level compressing a 500,000-line ranking took a third of the report's time (6 of 17 s
// of CPU); the fastest makes the file about a fifth larger (docs/BENCHMARKS.md).
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}

// styles are the workbook's cell styles (ids into its style table).
type styles struct {
	header, warning, date int
	decimals              map[int]int
}

func newStyles(f *excelize.File) (*styles, error) {
	st := &styles{decimals: map[int]int{}}
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		return nil, err
	}
	if st.warning, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return nil, err
	}
	dateFormat := "dd/mm/yyyy"
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat}); err != nil {
		return nil, err
	}
	for _, d := range []int{1, 3, 6} {
		format := "0." + fmt.Sprintf("%0*d", d, 0)
		if st.decimals[d], err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func writeSheet(ctx context.Context, f *excelize.File, st *styles, t *Table) error {
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	for i, c := range t.Columns {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: st.header, Value: Neutralize(c.Title)}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n := 1
	values := make([]any, 0, len(t.Columns))
	err = t.Each(ctx, func(row []Cell) error {
		n++
		values = values[:0]
		for _, c := range row {
			values = append(values, st.value(c))
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, values)
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}

// value is a cell as excelize writes it: numbers as numbers, text neutralized (a string
// cell is never evaluated by Excel itself, but copied or saved as CSV it could be).
func (st *styles) value(c Cell) excelize.Cell {
	var v excelize.Cell
	switch c.kind {
	case kindInt:
		v.Value = int64(c.num)
	case kindDecimal:
		v.Value, v.StyleID = c.num, st.decimals[c.decimals]
	case kindDate:
		v.Value, v.StyleID = c.date, st.date
	default:
		v.Value = Neutralize(c.text)
	}
	if c.Warning {
		v.StyleID = st.warning
	}
	return v
}

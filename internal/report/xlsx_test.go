package report

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// openXLSX writes tables and opens the result with excelize, a real reader.
func openXLSX(t *testing.T, tables ...*Table) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTablesXLSX(context.Background(), &buf, tables...); err != nil {
		t.Fatal(err)
	}
	checkZip(t, buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// checkZip reads every part of the package whole, which checks each one's CRC and size.
func checkZip(t *testing.T, data []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		r.Close()
	}
}

func TestXLSXCells(t *testing.T) {
	long := strings.Repeat("ă", maxCellChars+10)
	day := time.Date(2024, 8, 17, 23, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	for _, tc := range []struct {
		name string
		cell Cell
		raw  string // the stored value
		show string // what a spreadsheet shows
		typ  excelize.CellType
		fmt  string // the number format, "" for none
	}{
		{"Vietnamese", Text("Nguyễn Thị Ánh Tuyết — Đồng Tháp"), "Nguyễn Thị Ánh Tuyết — Đồng Tháp", "", excelize.CellTypeInlineString, ""},
		{"XML special", Text(`a & b < c > d "e" 'f' ]]>`), `a & b < c > d "e" 'f' ]]>`, "", excelize.CellTypeInlineString, ""},
		{"control characters kept as Excel escapes them", Text("a\x01b\x1fc\x00d"), "a\x01b\x1fc\x00d", "", excelize.CellTypeInlineString, ""},
		{"noncharacters", Text("a\uFFFEb\uFFFF"), "a\uFFFEb\uFFFF", "", excelize.CellTypeInlineString, ""},
		{"text that looks like an escape", Text("_x0041_ and _x005F_ and _xZZZZ_"), "_x0041_ and _x005F_ and _xZZZZ_", "", excelize.CellTypeInlineString, ""},
		{"invalid UTF-8", Text("a\xffb\xc3"), "a\uFFFDb\uFFFD", "", excelize.CellTypeInlineString, ""},
		{"whitespace kept", Text("  hai dòng\r\nvà\ttab  "), "  hai dòng\r\nvà\ttab  ", "", excelize.CellTypeInlineString, ""},
		{"formula neutralized", Text(`=HYPERLINK("http://x")`), `'=HYPERLINK("http://x")`, "", excelize.CellTypeInlineString, ""},
		{"plus neutralized", Text("+84 912"), "'+84 912", "", excelize.CellTypeInlineString, ""},
		{"minus neutralized", Text("-1+1"), "'-1+1", "", excelize.CellTypeInlineString, ""},
		{"at neutralized", Text("@SUM(A1)"), "'@SUM(A1)", "", excelize.CellTypeInlineString, ""},
		{"after spaces neutralized", Text("  =1"), "'  =1", "", excelize.CellTypeInlineString, ""},
		{"tab neutralized", Text("\t=1"), "'\t=1", "", excelize.CellTypeInlineString, ""},
		{"warning neutralized", Warning("=cảnh báo"), "'=cảnh báo", "", excelize.CellTypeInlineString, ""},
		{"long text cut to what a cell holds", Text(long), long[:2*maxCellChars], "", excelize.CellTypeInlineString, ""},
		{"empty", Text(""), "", "", excelize.CellTypeUnset, ""},
		{"int", Int(1234567890123), "1234567890123", "1234567890123", excelize.CellTypeNumber, ""},
		{"negative int", Int(-1), "-1", "-1", excelize.CellTypeNumber, ""},
		{"decimal 1", Decimal(2, 1), "2", "2.0", excelize.CellTypeNumber, "0.0"},
		{"decimal 3", Decimal(1.5, 3), "1.5", "1.500", excelize.CellTypeNumber, "0.000"},
		{"decimal 6", Decimal(0.1234567, 6), "0.1234567", "0.123457", excelize.CellTypeNumber, "0.000000"},
		{"decimal 0", Decimal(42, 0), "42", "42", excelize.CellTypeNumber, ""},
		{"not a number stays text", Decimal(math.NaN(), 2), "NaN", "", excelize.CellTypeInlineString, ""},
		{"date", Date(day), "45521", "17/08/2024", excelize.CellTypeNumber, "dd/mm/yyyy"},
		{"date before 1900 stays text", Date(time.Date(1899, 1, 2, 0, 0, 0, 0, time.UTC)), "1899-01-02", "", excelize.CellTypeInlineString, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := openXLSX(t, &Table{Name: "Ô", Columns: []Column{{"Giá trị", 20}}, rows: [][]Cell{{tc.cell}}})
			raw, err := f.GetCellValue("Ô", "A2", excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if raw != tc.raw {
				t.Errorf("raw value %q, want %q", raw, tc.raw)
			}
			typ, _ := f.GetCellType("Ô", "A2")
			if typ == excelize.CellTypeUnset && tc.raw != "" {
				typ = excelize.CellTypeNumber // a number needs no type attribute
			}
			if typ != tc.typ {
				t.Errorf("type %v, want %v", typ, tc.typ)
			}
			if formula, _ := f.GetCellFormula("Ô", "A2"); formula != "" {
				t.Errorf("formula %q", formula)
			}
			if tc.show != "" {
				if show, _ := f.GetCellValue("Ô", "A2"); show != tc.show {
					t.Errorf("shows %q, want %q", show, tc.show)
				}
			}
			id, err := f.GetCellStyle("Ô", "A2")
			if err != nil {
				t.Fatal(err)
			}
			style, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if got := deref(style.CustomNumFmt); got != tc.fmt {
				t.Errorf("number format %q, want %q", got, tc.fmt)
			}
			if tc.cell.Warning && (style.Font == nil || !style.Font.Bold || !strings.HasSuffix(strings.ToUpper(style.Font.Color), "C00000")) {
				t.Errorf("warning not bold dark red: %+v", style.Font)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestXLSXSheetLayout(t *testing.T) {
	big := &Table{Name: "Xếp hạng", Columns: []Column{{"Hạng", 6}, {"Họ và tên", 28}, {"=Ghi chú", 0}}}
	big.stream = func(ctx context.Context, emit func([]Cell) error) error {
		for i := 1; i <= 30_000; i++ { // several of the compressor's chunks
			if err := emit([]Cell{Int(int64(i)), Text(fmt.Sprintf("Người thứ %d", i))}); err != nil {
				return err
			}
		}
		return nil
	}
	empty := &Table{Name: "Trống", Columns: []Column{{"Cột", 5}}}
	noColumns := &Table{Name: "Không cột"}
	f := openXLSX(t, &Table{Name: "Tóm tắt", Columns: []Column{{"Mục", 42}}, rows: [][]Cell{{Text("x")}}}, big, empty, noColumns)

	if got := strings.Join(f.GetSheetList(), "|"); got != "Tóm tắt|Xếp hạng|Trống|Không cột" {
		t.Fatalf("sheets %q", got)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d, want the first", f.GetActiveSheetIndex())
	}
	rows, err := f.GetRows("Xếp hạng")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 30_001 || rows[30_000][0] != "30000" || rows[30_000][1] != "Người thứ 30000" || rows[1][1] != "Người thứ 1" {
		t.Errorf("%d rows, last %q", len(rows), rows[len(rows)-1])
	}
	if strings.Join(rows[0], "|") != "Hạng|Họ và tên|'=Ghi chú" {
		t.Errorf("header %q", rows[0])
	}
	for col, want := range map[string]float64{"A": 6, "B": 28, "C": 8.43} {
		if w, _ := f.GetColWidth("Xếp hạng", col); w != want {
			t.Errorf("column %s width %v, want %v", col, w, want)
		}
	}
	id, _ := f.GetCellStyle("Xếp hạng", "B1")
	style, err := f.GetStyle(id)
	if err != nil || style.Font == nil || !style.Font.Bold || style.Fill.Pattern != 1 || style.Alignment == nil || !style.Alignment.WrapText {
		t.Errorf("header style %+v %+v %+v %v", style.Font, style.Fill, style.Alignment, err)
	}
	// excelize shows a fill's colour only through a theme, which the workbook has none of.
	if fill := f.Styles.Fills.Fill[*f.Styles.CellXfs.Xf[id].FillID]; fill.PatternFill == nil || fill.PatternFill.FgColor == nil ||
		fill.PatternFill.FgColor.RGB != "FFDDEBF7" {
		t.Errorf("header fill %+v", fill.PatternFill)
	}
	for _, sheet := range f.GetSheetList() {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: header is not frozen: %+v %v", sheet, panes, err)
		}
	}
	if rows, err := f.GetRows("Trống"); err != nil || len(rows) != 1 || rows[0][0] != "Cột" {
		t.Errorf("empty table: %q %v", rows, err)
	}
	if rows, err := f.GetRows("Không cột"); err != nil || len(rows) != 0 {
		t.Errorf("table without columns: %q %v", rows, err)
	}
}

func TestSheetNames(t *testing.T) {
	for _, tc := range []struct {
		name, err string
	}{
		{"Tóm tắt", ""},
		{"Điều chỉnh đáp án", ""},
		{strings.Repeat("ạ", 31), ""},
		{"Giải (Nhì) - 2024, 'x' & #1", ""},
		{strings.Repeat("ạ", 32), "longer than 31"},
		{"", "empty"},
		{"   ", "empty"},
		{"a/b", "characters"},
		{`a\b`, "characters"},
		{"a:b", "characters"},
		{"a?", "characters"},
		{"a*", "characters"},
		{"[a]", "characters"},
		{"'a", "apostrophe"},
		{"a'", "apostrophe"},
		{"a\x01", "control"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteTablesXLSX(context.Background(), &buf, &Table{Name: tc.name, Columns: []Column{{"A", 5}}})
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				f, err := excelize.OpenReader(&buf)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if got := f.GetSheetName(0); got != tc.name {
					t.Errorf("sheet %q, want %q", got, tc.name)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want one saying %q", err, tc.err)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before refusing", buf.Len())
			}
		})
	}
	err := WriteTablesXLSX(context.Background(), io.Discard, &Table{Name: "Theo ngày"}, &Table{Name: "THEO NGÀY"})
	if err == nil || !strings.Contains(err.Error(), "used twice") {
		t.Errorf("two sheets of one name: %v", err)
	}
	if err := WriteTablesXLSX(context.Background(), io.Discard); err == nil {
		t.Error("a workbook without sheets was written")
	}
}

func TestXLSXRowLimit(t *testing.T) {
	rows := func(n int) *Table {
		t := &Table{Name: "Nhiều", Columns: []Column{{"A", 5}}}
		t.stream = func(ctx context.Context, emit func([]Cell) error) error {
			row := []Cell{Text("")}
			for range n {
				if err := emit(row); err != nil {
					return err
				}
			}
			return nil
		}
		return t
	}
	if err := WriteTablesXLSX(context.Background(), io.Discard, rows(maxRows-1)); err != nil {
		t.Errorf("a full sheet: %v", err)
	}
	err := WriteTablesXLSX(context.Background(), io.Discard, rows(maxRows))
	if err == nil || !strings.Contains(err.Error(), "more than 1048576 rows") {
		t.Errorf("a row too many: %v", err)
	}
}

func TestXLSXStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tbl := &Table{Name: "Dài", Columns: []Column{{"A", 5}}}
	tbl.stream = func(ctx context.Context, emit func([]Cell) error) error {
		for i := 0; ; i++ {
			if i == 1000 {
				cancel()
			}
			if err := emit([]Cell{Int(int64(i))}); err != nil {
				return err
			}
		}
	}
	if err := WriteTablesXLSX(ctx, io.Discard, tbl); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestXLSXWriteErrors(t *testing.T) {
	for _, limit := range []int{0, 100, 5000, 200_000} {
		tbl := &Table{Name: "Dài", Columns: []Column{{"A", 5}}}
		tbl.stream = func(ctx context.Context, emit func([]Cell) error) error {
			for i := range 200_000 {
				if err := emit([]Cell{Text(fmt.Sprintf("dòng %d", i))}); err != nil {
					return err
				}
			}
			return nil
		}
		err := WriteTablesXLSX(context.Background(), &failingWriter{left: limit}, tbl)
		if !errors.Is(err, errWriteFailed) {
			t.Errorf("failing after %d bytes: %v, want the writer's error", limit, err)
		}
	}
}

var errWriteFailed = errors.New("disk full")

// failingWriter accepts left bytes, then fails.
type failingWriter struct{ left int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		n := w.left
		w.left = 0
		return n, errWriteFailed
	}
	w.left -= len(p)
	return len(p), nil
}

func TestColumnName(t *testing.T) {
	for n, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 16384: "XFD"} {
		if got := string(columnName(n)); got != want {
			t.Errorf("column %d = %s, want %s", n, got, want)
		}
	}
}

package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func sampleTable() *Table {
	return &Table{Name: "Thử", File: "thu", Columns: []Column{{"Tên", 10}, {"Số", 5}, {"Giây", 8}, {"Ngày", 10}},
		rows: [][]Cell{
			{Text(`=HYPERLINK("http://x")`), Int(3), Decimal(1.5, 3), Date(time.Date(2024, 8, 17, 0, 0, 0, 0, time.UTC))},
			{Text("Nguyễn Văn An, \"Phòng 1\""), Int(-1), Decimal(2, 6), Warning("@cảnh báo")},
		}}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(context.Background(), &buf, sampleTable()); err != nil {
		t.Fatal(err)
	}
	data := buf.String()
	if !strings.HasPrefix(data, "\uFEFF") {
		t.Fatalf("no BOM: %q", data)
	}
	if strings.Count(data, "\r\n") != 3 || strings.Count(data, "\n") != 3 {
		t.Errorf("want 3 CRLF line ends: %q", data)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(data, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Tên", "Số", "Giây", "Ngày"},
		{`'=HYPERLINK("http://x")`, "3", "1.500", "2024-08-17"},
		{`Nguyễn Văn An, "Phòng 1"`, "-1", "2.000000", "'@cảnh báo"}, // numbers are ours, never neutralized
	}
	for i := range want {
		if strings.Join(records[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i, records[i], want[i])
		}
	}
}

func TestWriteXLSX(t *testing.T) {
	var buf bytes.Buffer
	rep := &Report{Tables: []*Table{sampleTable(), {Name: "Trống", File: "trong", Columns: []Column{{"Cột", 5}}}}}
	if err := WriteXLSX(context.Background(), &buf, rep); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != "Thử|Trống" {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("Thử", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Tên" || rows[1][0] != `'=HYPERLINK("http://x")` || rows[2][3] != "'@cảnh báo" {
		t.Errorf("rows %q", rows)
	}
	if formula, _ := f.GetCellFormula("Thử", "A2"); formula != "" {
		t.Errorf("A2 has formula %q", formula)
	}
	// A number cell has no type attribute or "n"; a string would be "s", "str" or "inlineStr".
	if typ, _ := f.GetCellType("Thử", "B2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("B2 has type %v, want a number", typ)
	}
	if v, _ := f.GetCellValue("Thử", "C2"); v != "1.500" {
		t.Errorf("C2 shows %q, want 1.500", v)
	}
	if v, _ := f.GetCellValue("Thử", "D2"); v != "17/08/2024" {
		t.Errorf("D2 shows %q, want 17/08/2024", v)
	}
	style, _ := f.GetCellStyle("Thử", "A1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header is not bold: %+v %v", s, err)
	}
	panes, err := f.GetPanes("Thử")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header is not frozen: %+v %v", panes, err)
	}
}

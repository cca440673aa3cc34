package bank

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dxcontest/contest-platform/internal/testutil/zipedit"
)

// sheetData is one worksheet to build: its name and rows from row 1.
type sheetData struct {
	name string
	rows [][]string
}

// buildXLSX writes a workbook the way an organizer's spreadsheet would hold
// it: one row per spreadsheet row, nil rows left empty.
func buildXLSX(t testing.TB, sheets ...sheetData) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			if row == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(1, r+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sampleRows(t testing.TB) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(SampleCSV(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func topicRows(topics []Topic) [][]string {
	rows := [][]string{{"Mã chủ đề", "Tên chủ đề"}}
	for _, tp := range topics {
		rows = append(rows, []string{tp.Code, tp.Title})
	}
	return rows
}

// The same questions give the same bank from XLSX as from CSV, with the
// topics taken from the workbook's own chu_de sheet.
func TestParseXLSXRoundTrip(t *testing.T) {
	want, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	data := buildXLSX(t,
		sheetData{"Câu hỏi", sampleRows(t)},
		sheetData{"chu_de", topicRows(PlanTopics())},
	)
	got, err := ParseXLSX(bytes.NewReader(data), ParseOptions{Name: SampleName, Version: SampleVersion})
	if err != nil {
		t.Fatalf("ParseXLSX: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("bank from XLSX differs from bank from CSV")
	}
	if got.Checksum() != want.Checksum() {
		t.Error("checksums differ")
	}
}

func TestParseXLSXTopicsFromOptions(t *testing.T) {
	// Questions on a sheet with another name, no topic sheet: the first
	// sheet is used and the caller's topics apply.
	data := buildXLSX(t, sheetData{"Trang 1", [][]string{
		{"chu_de", "cau_hoi", "phuong_an_a", "phuong_an_b", "dap_an"},
		{"tinh", "Câu hỏi?", "Có", "Không", "a"},
	}})
	b, err := ParseXLSX(bytes.NewReader(data), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Questions) != 1 || b.Questions[0].CorrectIndex() != 0 || len(b.Topics) != 5 {
		t.Errorf("unexpected bank %+v", b)
	}
}

func TestParseXLSXProblems(t *testing.T) {
	header := []string{"ma_cau_hoi", "chu_de", "cau_hoi", "phuong_an_a", "phuong_an_b", "dap_an"}
	tests := []struct {
		name   string
		sheets []sheetData
		want   []RowError
	}{
		{
			name: "rows numbered as in the spreadsheet, empty rows included",
			sheets: []sheetData{{"cau_hoi", [][]string{
				header,
				{"q1", "tong-quan", "Câu hỏi?", "Có", "Không", "A"},
				nil,
				nil,
				{"q2", "tong-quan", "Câu hỏi khác?", "Có", "", "A"},
			}}, {"chu_de", topicRows(PlanTopics())}},
			want: []RowError{{Sheet: "cau_hoi", Row: 5, Column: "phuong_an_b", Reason: "phương án trống"}},
		},
		{
			name: "topic sheet problems and questions reported together",
			sheets: []sheetData{{"cau_hoi", [][]string{
				header,
				{"q1", "mot", "Câu hỏi?", "Có", "Không", "A,B"},
			}}, {"Chủ đề", [][]string{
				{"ma_chu_de", "ten_chu_de"},
				{"mot", "Một"},
				{"mot", ""},
			}}},
			want: []RowError{
				{Sheet: "Chủ đề", Row: 3, Column: "ma_chu_de", Reason: "mã chủ đề trùng với dòng 2"},
				{Sheet: "Chủ đề", Row: 3, Column: "ten_chu_de", Reason: "tên chủ đề trống"},
				{Sheet: "cau_hoi", Row: 2, Column: "dap_an", Reason: "có hơn một đáp án đúng"},
			},
		},
		{
			name: "ambiguous topic sheet header",
			sheets: []sheetData{{"cau_hoi", [][]string{
				header,
				{"q1", "mot", "Câu hỏi?", "Có", "Không", "A"},
			}}, {"chu_de", [][]string{{"chu_de", "ten_chu_de"}, {"mot", "Một"}}}},
			want: []RowError{
				{Sheet: "chu_de", Row: 1, Column: "chu_de", Reason: reasonAmbiguousTopicColumn},
				{Sheet: "chu_de", Row: 1, Column: "ma_chu_de", Reason: "thiếu cột bắt buộc ma_chu_de"},
				{Reason: reasonNoTopics},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseXLSX(bytes.NewReader(buildXLSX(t, tt.sheets...)), ParseOptions{})
			if got := rowErrors(t, err); !equalErrors(got, tt.want) {
				t.Errorf("errors:%s\nwant:%s", formatErrors(got), formatErrors(tt.want))
			}
		})
	}
}

func TestParseXLSXNotAWorkbook(t *testing.T) {
	_, err := ParseXLSX(strings.NewReader(testHeader), testOptions())
	errs := rowErrors(t, err)
	if len(errs) != 1 || errs[0].Row != 0 || !strings.HasPrefix(errs[0].Reason, "không đọc được tệp XLSX") {
		t.Errorf("got %v", errs)
	}
}

// A workbook whose XML the reader refuses is reported in readable text: encoding/xml's
// error quotes the file's bytes as they are, and \xb4 is not UTF-8 (found by FuzzParseXLSX).
func TestParseXLSXBrokenXMLIsReportedReadably(t *testing.T) {
	for _, part := range []string{"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"} {
		data := zipedit.Edit(t, buildXLSX(t, sheetData{"cau_hoi", sampleRows(t)}), part, zipedit.AfterDeclaration("<a:T\xb4t100000/>"))
		_, err := ParseXLSX(bytes.NewReader(data), testOptions())
		errs := rowErrors(t, err)
		if len(errs) != 1 || errs[0].Error() != `không đọc được tệp XLSX (tệp hỏng hoặc có mật khẩu): XML syntax error on line 2: invalid XML name: a:T\xb4t100000` {
			t.Errorf("%s broken: %q", part, err)
		}
	}
}

package unit

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dxcontest/contest-platform/internal/testutil/zipedit"
)

const header = "ma_don_vi,ten_don_vi,ma_cap_tren,loai,so_nguoi,ten_khac\n"

func importErrors(t *testing.T, err error) []string {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want *ImportError, got %T: %v", err, err)
	}
	lines := make([]string, len(ie.Errors))
	for i, e := range ie.Errors {
		lines[i] = e.Error()
	}
	return lines
}

func intp(n int) *int { return &n }

func TestParseReadsEveryColumn(t *testing.T) {
	// Headers in Vietnamese with diacritics, in another order; semicolons, a BOM, CRLF, a
	// blank row, decomposed diacritics, runs of space, a thousands separator, aliases on
	// two lines of one cell and a repeated alias.
	in := "\ufeffMã đơn vị;Tên đơn vị;Loại;Mã cấp trên;Số người;Tên khác;STT\r\n" +
		"STTTT; Sở  Thông tin và Truye\u0302\u0300n thông ;Cơ quan nhà nước;;1.250;\"Sở TTTT\nSở TT&TT;sở tttt\";1\r\n" +
		"\r\n" +
		"STTTT-VP;Văn phòng Sở;agency;STTTT;0;;2\r\n" +
		"X22915;UBND phường Mũi Né;xa;;;;3\r\n" +
		"KHAC;Hội Nông dân;;;;;4\r\n"
	got, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Unit{
		{Code: "STTTT", Name: "Sở Thông tin và Truyền thông", Type: TypeAgency, Headcount: intp(1250), Aliases: []string{"Sở TTTT", "Sở TT&TT"}},
		{Code: "STTTT-VP", Name: "Văn phòng Sở", ParentCode: "STTTT", Type: TypeAgency, Headcount: intp(0)},
		{Code: "X22915", Name: "UBND phường Mũi Né", Type: TypeCommune},
		{Code: "KHAC", Name: "Hội Nông dân", Type: TypeOther},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	if err := Validate(got); err != nil {
		t.Fatalf("Parse output does not validate: %v", err)
	}
}

func TestParseNamesEveryProblemWithRowAndColumn(t *testing.T) {
	in := header +
		"A,Sở A,,agency,,Sở AA\n" + // row 2: fine
		",Không mã,,,,\n" + // row 3: no code
		"B,,,,,\n" + // row 4: no name
		"\n" + // row 5: blank, still counted
		"A,Sở A lần hai,,,,\n" + // row 6: code repeats row 2
		"C,Phòng C,ZZ,,,\n" + // row 7: parent not in the list
		"D,Phòng D,D,,,\n" + // row 8: its own parent
		"E,Phòng E,F,,,\n" + // row 9: E → F → E
		"F,Phòng F,E,,,\n" + // row 10
		"G,SỞ  a,,,,\n" + // row 11: same name as row 2, same (no) parent
		"H,Sở H,,truong dai hoc,-3,Sở AA\n" + // row 12: bad type, bad headcount, alias of row 2
		"I J,Sở I,,,,\n" + // row 13: bad code
		"K,Sở K\x00,,,,\n" + // row 14: NUL in the name
		"L,Sở L,,,1.2345,\n" // row 15: not a thousands grouping
	_, err := Parse(strings.NewReader(in))
	got := importErrors(t, err)
	want := []string{
		"dòng 3, cột ma_don_vi: mã đơn vị trống",
		"dòng 4, cột ten_don_vi: tên đơn vị trống",
		"dòng 6, cột ma_don_vi: mã đơn vị trùng với dòng 2",
		"dòng 7, cột ma_cap_tren: mã đơn vị cấp trên không có trong danh sách",
		"dòng 8, cột ma_cap_tren: đơn vị không thể là cấp trên của chính nó",
		"dòng 9, cột ma_cap_tren: đơn vị cấp trên tạo thành vòng lặp: E → F → E",
		"dòng 11, cột ten_don_vi: tên trùng với dòng 2 trong cùng đơn vị cấp trên",
		`dòng 12, cột loai: loại đơn vị không hợp lệ: "truong dai hoc"`,
		`dòng 12, cột so_nguoi: số người không hợp lệ: "-3" (một số nguyên từ 0 đến 10000000, hoặc để trống)`,
		`dòng 12, cột ten_khac: tên khác "Sở AA" trùng với tên hoặc tên khác của đơn vị ở dòng 2`,
		`dòng 13, cột ma_don_vi: mã không hợp lệ: "I J"`,
		"dòng 14, cột ten_don_vi: tên đơn vị có ký tự điều khiển (ký tự ẩn, không in được)",
		`dòng 15, cột so_nguoi: số người không hợp lệ: "1.2345"`,
	}
	if len(got) != len(want) {
		t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d:\n got %s\nwant %s…", i, got[i], want[i])
		}
	}
}

func TestParseRefusesBadFiles(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "tệp trống"},
		{"blank lines only", "\n\n \n", "tệp trống"},
		{"header only", header, "tệp không có đơn vị nào"},
		{"missing name column", "ma_don_vi,loai\nA,agency\n", "dòng 1, cột ten_don_vi: thiếu cột bắt buộc ten_don_vi"},
		{"unknown column", "ma_don_vi,ten_don_vi,dan_so\n", `dòng 1, cột dan_so: cột không được hỗ trợ: "dan_so"`},
		{"unreadable header", "ma_don_vi,ten_don_vi,\x00\x01x\n", `cột không được hỗ trợ: "\x00\x01x"`},
		{"repeated column", "ma_don_vi,ten_don_vi,ma\n", "dòng 1, cột ma_don_vi: cột bị lặp lại (đã có ở cột thứ 1)"},
		{"not UTF-8", header + "A,S\xf4 A,,,,\n", "dòng 2, cột ten_don_vi: tên đơn vị lỗi mã hoá"},
		{"UTF-16", "\xff\xfem\x00a\x00", "UTF-16"},
		{"xlsx given as csv", "PK\x03\x04rest", "đây là tệp Excel"},
		{"bad quoting", header + "A,B,,,,\nC,\"D,,,,\n", "dòng 3: lỗi định dạng CSV"},
		{"too large", header + strings.Repeat("x", MaxFileBytes), "tệp quá lớn: tối đa 8 MB"},
		{"too many aliases", header + "A,B,,,," + strings.Repeat("x;", 0) + aliases(MaxAliases+1) + "\n", "quá nhiều tên khác: 21 (tối đa 20)"},
		{"too deep", header + deepChain(MaxDepth+1), "dòng 10, cột ma_cap_tren: quá nhiều cấp: 9 cấp (tối đa 8)"},
		{"name too long", header + "A," + strings.Repeat("ạ", MaxNameRunes+1) + ",,,,\n", "quá dài: 301 ký tự (tối đa 300)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			if got := strings.Join(importErrors(t, err), "\n"); !strings.Contains(got, tt.want) {
				t.Fatalf("error %q lacks %q", got, tt.want)
			}
		})
	}
}

// deepChain is a list of n units, each the parent of the next.
func deepChain(n int) string {
	var b strings.Builder
	for i := range n {
		parent := ""
		if i > 0 {
			parent = "U" + strconv.Itoa(i-1)
		}
		fmt.Fprintf(&b, "U%d,Đơn vị %d,%s,,,\n", i, i, parent)
	}
	return b.String()
}

func aliases(n int) string {
	var s []string
	for i := range n {
		s = append(s, "Tên "+string(rune('A'+i)))
	}
	return strings.Join(s, ";")
}

// A file of many bad rows is reported, but in bounded words.
func TestParseBoundsTheProblems(t *testing.T) {
	in := header + strings.Repeat(",,,,,x\n", 5000)
	_, err := Parse(strings.NewReader(in))
	got := importErrors(t, err)
	if len(got) != maxProblems+1 || !strings.Contains(got[maxProblems], "lỗi khác (chỉ liệt kê 1000 lỗi đầu tiên)") {
		t.Fatalf("%d problems, last %q", len(got), got[len(got)-1])
	}
}

// A cell is text: a formula, a quote or a NUL never becomes anything else.
func TestParseKeepsFormulasAsText(t *testing.T) {
	in := header + "A,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,,,+cmd|' /C calc'!A0\n" + "B,@SUM(1+1),,,,-2+3\n"
	got, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Name != `=HYPERLINK("http://x","y")` || got[0].Aliases[0] != "+cmd|' /C calc'!A0" || got[1].Name != "@SUM(1+1)" {
		t.Fatalf("got %+v", got)
	}
}

// workbook writes rows on a sheet named "Đơn vị", after a first sheet of notes.
func workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Đơn vị"
	if err := f.SetSheetName("Sheet1", "Ghi chú"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet(sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseXLSX(t *testing.T) {
	rows := [][]any{
		{"Mã đơn vị", "Tên đơn vị", "Mã cấp trên", "Loại", "Số người", "Tên khác"},
		{"STTTT", "Sở Thông tin và Truyền thông", nil, "Cơ quan nhà nước", 85, "Sở TTTT"},
		{},
		{"STTTT-VP", "=1+2", "STTTT", "agency", "1,250", nil},
		{"X1", "UBND xã Một", "NOPE", "bad", nil, nil},
	}
	_, err := ParseXLSX(bytes.NewReader(workbook(t, rows)))
	got := importErrors(t, err)
	if len(got) != 2 || !strings.HasPrefix(got[0], `dòng 5, cột loai: loại đơn vị không hợp lệ: "bad"`) ||
		got[1] != "dòng 5, cột ma_cap_tren: mã đơn vị cấp trên không có trong danh sách" {
		t.Fatalf("errors:\n%s", strings.Join(got, "\n"))
	}

	// Fixed, the sheet reads; the formula-looking name stays text.
	rows[4] = []any{"X1", "UBND xã Một", "STTTT", "xa"}
	us, err := ParseXLSX(bytes.NewReader(workbook(t, rows)))
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 3 || *us[0].Headcount != 85 || us[1].Name != "=1+2" || *us[1].Headcount != 1250 || us[2].Type != TypeCommune {
		t.Fatalf("got %+v", us)
	}
}

func TestParseXLSXRefusesGarbage(t *testing.T) {
	_, err := ParseXLSX(strings.NewReader("PK\x03\x04 not really a zip"))
	if got := strings.Join(importErrors(t, err), "\n"); !strings.Contains(got, "không đọc được tệp Excel") {
		t.Fatalf("error %q", got)
	}
}

func TestValidate(t *testing.T) {
	err := Validate([]Unit{
		{Code: "A", Name: "A", Type: TypeAgency},
		{Code: "A", Name: "A again", Type: TypeAgency},
		{Code: "B", Name: "", Type: TypeAgency},
		{Code: "C", Name: "x", ParentCode: "ZZ", Type: TypeAgency},
		{Code: "D", Name: "d", ParentCode: "E", Type: TypeAgency},
		{Code: "E", Name: "e", ParentCode: "D", Type: TypeAgency},
		{Code: "bad code", Name: "z", Type: TypeAgency},
		{Code: "F", Name: "f", Type: "ministry"},
		{Code: "G", Name: "g", Type: TypeOther, Headcount: intp(-1)},
		{Code: "H", Name: "h  spaced", Type: TypeOther},
		{Code: "I", Name: "i", Type: TypeOther, Aliases: []string{"A"}},
	})
	for _, want := range []string{"A: code appears twice", `B: name "" is not a valid`, "C: parent ZZ is not in the list",
		"D: its parents lead into a cycle", `"bad code" is not valid`, `F: type "ministry"`, "G: headcount -1",
		`H: name "h  spaced" is not a valid stored name`, `I: alias "A" also names unit A`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %v lacks %q", err, want)
		}
	}
}

func TestParseHeadcount(t *testing.T) {
	for cell, want := range map[string]int{"0": 0, "7": 7, "1.250": 1250, "1,250": 1250, "1 250 000": 1250000, "10000000": 10000000} {
		if n, ok := parseHeadcount(cell); !ok || n != want {
			t.Errorf("parseHeadcount(%q) = %d, %v; want %d", cell, n, ok, want)
		}
	}
	for _, cell := range []string{"-1", "1.5", "12.34", "1,2,3", "10000001", "x", "1e3", "١٢", "0x10", "99999999999999999999"} {
		if n, ok := parseHeadcount(cell); ok {
			t.Errorf("parseHeadcount(%q) = %d, want refused", cell, n)
		}
	}
}

// A workbook whose XML the reader refuses is reported in readable text (encoding/xml
// quotes the file's bytes as they are; \xb4 is not UTF-8).
func TestParseXLSXBrokenXMLIsReportedReadably(t *testing.T) {
	data := zipedit.Edit(t, workbook(t, [][]any{{"Mã đơn vị", "Tên đơn vị"}, {"A", "Sở A"}}), "xl/workbook.xml", zipedit.AfterDeclaration("<a:T\xb4t/>"))
	_, err := ParseXLSX(bytes.NewReader(data))
	if got := importErrors(t, err); len(got) != 1 || got[0] != `không đọc được tệp Excel: XML syntax error on line 2: invalid XML name: a:T\xb4t` {
		t.Fatalf("errors %q", got)
	}
}

package locality

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const header = "ma_huyen,ten_huyen,ma_xa,ten_xa\n"

func importErrors(t *testing.T, err error) []RowError {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want *ImportError, got %T: %v", err, err)
	}
	return ie.Errors
}

func TestParseGroupsCommunesUnderTheirDistrict(t *testing.T) {
	// Districts need not be contiguous; a BOM, CRLF, spaces and a blank row are tolerated.
	in := "\ufeffTen_Xa;ma_huyen;ten_huyen;ma_xa\r\n" +
		" Xã Một ;01;Huyện A;001\r\n" +
		"\r\n" +
		"Xã Hai;02;Huyện B;002\r\n" +
		"Xã Ba;01;Huyện A;003\r\n"
	got, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Locality{
		{Code: "01", Name: "Huyện A"},
		{Code: "001", Name: "Xã Một", ParentCode: "01"},
		{Code: "003", Name: "Xã Ba", ParentCode: "01"},
		{Code: "02", Name: "Huyện B"},
		{Code: "002", Name: "Xã Hai", ParentCode: "02"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if err := Validate(got); err != nil {
		t.Fatalf("Parse output does not validate: %v", err)
	}
}

func TestParseNamesEveryProblemWithRowAndColumn(t *testing.T) {
	in := header +
		"01,Huyện A,001,Xã Một\n" + // row 2: fine
		",Huyện A,002,Xã Hai\n" + // row 3: no district code
		"01,Huyện A,003,\n" + // row 4: no commune name
		"\n" + // row 5: blank, still counted
		"01,Huyện Khác,001,Xã Bốn\n" + // row 6: district renamed, commune code reused
		"02,huyện  a,004,Xã Năm\n" + // row 7: another district with the same name
		"01,Huyện A,02,XÃ MỘT\n" + // row 8: commune code is a district code, name repeats row 2
		"0 1,Huyện A,005,Xã Sáu\n" // row 9: bad code
	_, err := Parse(strings.NewReader(in))
	got := importErrors(t, err)
	want := []string{
		"dòng 3, cột ma_huyen: mã huyện trống",
		"dòng 4, cột ten_xa: tên xã trống",
		`dòng 6, cột ten_huyen: tên huyện khác với dòng 2 ("Huyện A") dù cùng mã huyện`,
		"dòng 6, cột ma_xa: mã xã trùng với dòng 2",
		"dòng 7, cột ten_huyen: tên huyện trùng với huyện mã 01 ở dòng 2",
		"dòng 8, cột ten_xa: tên xã trùng với dòng 2 trong cùng huyện",
		"dòng 8, cột ma_xa: mã xã trùng với mã huyện ở dòng 7",
		`dòng 9, cột ma_huyen: mã không hợp lệ: "0 1" (chỉ dùng chữ số, chữ cái không dấu, dấu gạch ngang, gạch dưới; tối đa 32 ký tự)`,
	}
	var lines []string
	for _, e := range got {
		lines = append(lines, e.Error())
	}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseRefusesBadFiles(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "tệp trống"},
		{"header only", header, "tệp không có đơn vị hành chính nào"},
		{"missing column", "ma_huyen,ten_huyen,ma_xa\n01,A,001\n", "dòng 1, cột ten_xa: thiếu cột bắt buộc ten_xa"},
		{"unknown column", header[:len(header)-1] + ",dan_so\n", `dòng 1, cột dan_so: cột không được hỗ trợ: "dan_so"`},
		{"repeated column", "ma_huyen,ten_huyen,ma_xa,ten_xa,ma_xa\n", "dòng 1, cột ma_xa: cột bị lặp lại (đã có ở cột thứ 3)"},
		{"not UTF-8", header + "01,Huy\xean A,001,X\n", "dòng 2, cột ten_huyen: lỗi mã hoá"},
		{"UTF-16", "\xff\xfem\x00a\x00", "UTF-16"},
		{"bad quoting", header + "01,A,001,X\n02,\"B,002,Y\n", "dòng 3: lỗi định dạng CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			importErrors(t, err)
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q lacks %q", err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	err := Validate([]Locality{
		{Code: "01", Name: "A"},
		{Code: "01", Name: "A again"},
		{Code: "001", Name: "", ParentCode: "01"},
		{Code: "002", Name: "x", ParentCode: "99"},
		{Code: "003", Name: "y", ParentCode: "001"},
		{Code: "bad code", Name: "z"},
	})
	for _, want := range []string{"01: code appears twice", "001: empty name", "002: parent 99 is not in the list",
		"003: parent 001 is not a top-level locality", `"bad code" is not valid`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %v lacks %q", err, want)
		}
	}
}

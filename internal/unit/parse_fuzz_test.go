package unit

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Unit lists are uploaded by organizers. Whatever the file, Parse yields a list that passes
// Validate and reads back the same once written out, or an *ImportError whose every
// problem is located, readable and bounded in number.
func FuzzParseUnitsCSV(f *testing.F) {
	for _, s := range []string{
		sampleCSV,
		"\ufeffMã đơn vị;Tên đơn vị;Loại;Mã cấp trên;Số người;Tên khác\r\nA; Sở  A ;Cơ quan nhà nước;;1.250;\"Sở AA\nSở A&A\"\r\n\r\nB;Phòng B;;A;0;\r\n",
		header + "A,Sở A,,agency,,Sở AA\n,x,,,,\nB,,,,,\n\nA,y,,,,\nC,c,ZZ,,,\nD,d,D,,,\nE,e,F,,,\nF,f,E,,,\nG,SỞ  a,,,,\nH,h,,bad,-3,Sở AA\n",
		"", header, "ma_don_vi\nA\n", "ma_don_vi,ten_don_vi,ma\n", header + "A,S\xf4 A,,,,\n", "\xff\xfem\x00a\x00",
		header + "A,B,,,,\nC,\"D,,,,\n", header + "A,B\x00,,,,C\x00\n", "\x00,\x00\n\x00,\x00\n",
		header + "A,=1+2,,,,@SUM(A1)\n", header + "A,a,B,,,\nB,b,C,,,\nC,c,A,,,\n",
		header + "A,a,,,,\nA.1,b,A,,,\nA.1.1,c,A.1,,,\nA.1.1.1,d,A.1.1,,,\nA.1.1.1.1,e,A.1.1.1,,,\n",
		"ma_don_vi\tten_don_vi\nA\tSở A\n", "\"\n", "\n\n\n" + header + "\nA,a,,,,\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		us, err := Parse(bytes.NewReader(data))
		if err != nil {
			checkImportError(t, err, bytes.Count(data, []byte("\n"))+1)
			return
		}
		if err := Validate(us); err != nil {
			t.Fatalf("Parse output does not validate: %v", err)
		}
		if rows := bytes.Count(data, []byte("\n")) + 1; len(us) > rows {
			t.Fatalf("%d units from %d rows", len(us), rows)
		}
		again, err := Parse(bytes.NewReader(writeList(t, us)))
		if err != nil || !reflect.DeepEqual(again, us) {
			t.Fatalf("written out and read again: %v\n%+v\nwant %+v", err, again, us)
		}
	})
}

// writeList writes a parsed list in the import format.
func writeList(t *testing.T, us []Unit) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	rows := [][]string{columns}
	for _, u := range us {
		n := ""
		if u.Headcount != nil {
			n = strconv.Itoa(*u.Headcount)
		}
		rows = append(rows, []string{u.Code, u.Name, u.ParentCode, string(u.Type), n, strings.Join(u.Aliases, ";")})
	}
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzParseUnitsXLSX is the same promise for workbooks: whatever the ZIP and XML inside,
// a valid list or located, readable problems.
func FuzzParseUnitsXLSX(f *testing.F) {
	header := []any{"Mã đơn vị", "Tên đơn vị", "Mã cấp trên", "Loại", "Số người", "Tên khác"}
	f.Add(workbook(f, [][]any{header, {"STTTT", "Sở Thông tin và Truyền thông", nil, "Cơ quan nhà nước", 85, "Sở TTTT"}, {}, {"VP", "Văn phòng", "STTTT", "agency", "1,250"}}))
	f.Add(workbook(f, [][]any{header, {"X", "S\xf4 A\x00", "NOPE", "bad", -1}}))
	f.Add(workbook(f, nil))
	for _, s := range []string{"", "PK\x03\x04", "PK\x05\x06" + strings.Repeat("\x00", 18), "not a workbook"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		us, err := ParseXLSX(bytes.NewReader(data))
		if err != nil {
			checkImportError(t, err, 1<<20) // Excel's last row is 1,048,576
			return
		}
		if err := Validate(us); err != nil {
			t.Fatalf("ParseXLSX output does not validate: %v", err)
		}
	})
}

// checkImportError checks that err lists located, readable problems, bounded in number,
// on rows 0 (the whole file) to rows.
func checkImportError(t *testing.T, err error, rows int) {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Errors) == 0 {
		t.Fatalf("error %T %v, want an *ImportError listing the problems", err, err)
	}
	if len(ie.Errors) > maxProblems+1 {
		t.Fatalf("%d problems, more than %d", len(ie.Errors), maxProblems+1)
	}
	for _, re := range ie.Errors {
		switch {
		case re.Reason == "":
			t.Fatalf("problem without a reason: %+v", re)
		case re.Row < 0 || re.Row > rows:
			t.Fatalf("problem at row %d, outside the file's %d rows: %+v", re.Row, rows, re)
		case re.Row == 0 && re.Column != "":
			t.Fatalf("problem names a column but no row: %+v", re)
		case !utf8.ValidString(re.Error()) || strings.ContainsRune(re.Error(), 0):
			t.Fatalf("problem is not readable text: %q", re.Error())
		case len(re.Error()) > 2000:
			t.Fatalf("problem of %d bytes", len(re.Error()))
		}
	}
}

package locality

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Locality lists are uploaded by organizers. Whatever the file, Parse yields a list that
// passes Validate, holds names as stored (NFC, bounded) and reads back the same once
// written out, or an *ImportError whose every problem is located and readable. `make fuzz`
// runs this target.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		sampleCSV,
		"\ufeffTen_Xa;ma_huyen;ten_huyen;ma_xa\r\n Xã Một ;01;Huyện A;001\r\n\r\nXã Hai;02;Huyện B;002\r\nXã Ba;01;Huyện A;003\r\n",
		header + "01,Huyện A,001,Xã Một\n,Huyện A,002,Xã Hai\n01,Huyện A,003,\n\n01,Huyện Khác,001,Xã Bốn\n" +
			"02,huyện  a,004,Xã Năm\n01,Huyện A,02,XÃ MỘT\n0 1,Huyện A,005,Xã Sáu\n",
		"", header, "ma_huyen,ten_huyen,ma_xa\n01,A,001\n", header[:len(header)-1] + ",dan_so\n",
		"ma_huyen,ten_huyen,ma_xa,ten_xa,ma_xa\n", header + "01,Huy\xean A,001,X\n", "\xff\xfem\x00a\x00",
		header + "01,A,001,X\n02,\"B,002,Y\n",
		header + "01,Huye\u0302\u0323n A,001,Xa\u0303 Mo\u0323\u0302t\n01,Huyện A,002,Xã Một\n",
		header + "01,\"Huyện\nA\",001,X\n", header + "01,A\x00,001,X\x00\n", "\x00,\x00,\x00,\x00\n",
		header + "01," + strings.Repeat("ạ", MaxNameRunes+1) + ",001,X\n",
		header + strings.Repeat("9", MaxCodeLength+1) + ",A,001,X\n",
		"ma_huyen\tten_huyen\tma_xa\tten_xa\n01\tA\t001\tX\n", "\"\n", "\n\n\n" + header + "\n01,A,001,X\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ls, err := Parse(bytes.NewReader(data))
		if err != nil {
			checkImportError(t, err, data)
			return
		}
		if err := Validate(ls); err != nil {
			t.Fatalf("Parse output does not validate: %v", err)
		}
		rows := bytes.Count(data, []byte("\n")) + 1
		if len(ls) > 2*rows {
			t.Fatalf("%d localities from %d rows", len(ls), rows)
		}
		for _, l := range ls {
			if !utf8.ValidString(l.Name) || !norm.NFC.IsNormalString(l.Name) || utf8.RuneCountInString(l.Name) > MaxNameRunes ||
				l.Name != strings.TrimSpace(l.Name) || strings.ContainsRune(l.Name, 0) {
				t.Fatalf("locality %s named %q, not as stored", l.Code, l.Name)
			}
		}
		again, err := Parse(bytes.NewReader(writeList(t, ls)))
		if err != nil || !reflect.DeepEqual(again, ls) {
			t.Fatalf("written out and read again: %v\n%+v\nwant %+v", err, again, ls)
		}
	})
}

// writeList writes a parsed list in the import format: one row per commune.
func writeList(t *testing.T, ls []Locality) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	names := map[string]string{}
	rows := [][]string{columns}
	for _, l := range ls {
		if l.ParentCode == "" {
			names[l.Code] = l.Name
			continue
		}
		rows = append(rows, []string{l.ParentCode, names[l.ParentCode], l.Code, l.Name})
	}
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func checkImportError(t *testing.T, err error, data []byte) {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Errors) == 0 {
		t.Fatalf("error %T %v, want an *ImportError listing the problems", err, err)
	}
	rows := bytes.Count(data, []byte("\n")) + 1
	// At most a fixed number of problems per row, plus one per header cell.
	if bound := 8*rows + bytes.Count(data, []byte(",")) + bytes.Count(data, []byte(";")) + bytes.Count(data, []byte("\t")); len(ie.Errors) > bound {
		t.Fatalf("%d problems, more than %d for this file", len(ie.Errors), bound)
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
		}
	}
}

package bank

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Question banks are uploaded through the organizer console. Whatever the file, an import
// yields a bank that passes Validate and survives export and re-import unchanged, or an
// *ImportError whose every problem is located and readable; never another error, since the
// reader cannot fail. `make fuzz` runs these targets.

func FuzzParseCSV(f *testing.F) {
	const body = "q1,tong-quan,Câu hỏi?,Một,Hai,,,B,Vì thế.\n"
	for _, s := range []string{
		testHeader + body,
		"\ufeff" + testHeader + body,
		strings.ReplaceAll(testHeader+body, "\n", "\r\n"),
		strings.ReplaceAll(testHeader+body, ",", ";"),
		strings.ReplaceAll(testHeader+body, ",", "\t"),
		"sep=;\n" + strings.ReplaceAll(testHeader+body, ",", ";"),
		"Mã câu hỏi,Chủ đề,Câu hỏi,Phương án A,Phương án B,Đáp án,Giải thích\nq1,tong-quan,Câu hỏi?,Một,Hai,B,Vì thế.\n",
		"STT,Mã,Chủ đề,Nội dung câu hỏi,Đáp án A,Đáp án B,Đáp án đúng,Giải thích\n1,q1,tong-quan,Câu hỏi?,Một,Hai,B,Vì thế.\n",
		"answer,question,topic,option_b,option_a,explanation,id\nB,Câu hỏi?,tong-quan,Hai,Một,Vì thế.,q1\n",
		"\n" + testHeader + "\n" + body + ",,,,,,,,\n\n",
		testHeader + "q1,tong-quan,Ca\u0302u ho\u0309i?,Mo\u0323\u0302t,Hai,,,B,\n",
		testHeader + ",tong-quan,Câu hỏi một?,Đúng,Sai,,,A,\n,tinh,Câu hỏi hai?,Có,Không,,,B,\n",
		testHeader + "q1,tong-quan,C\xe2u h\xf5i caf\xe9?,Một,Hai,,,A,\n",
		testHeader + "q1,tong-quan,Câu hỏi?,Một,Hai,,,A,,lạc chỗ\n",
		testHeader + "q1,tong-quan,\"Câu \"\"hỏi\"\"\nhai dòng?\",Một,Hai,,,A,\n",
		testHeader + "q1,tong-quan,\"Câu hỏi?,Một,Hai,,,A,\n",
		testHeader + "q1,tong-quan,Câu hỏi?,Một,Hai,,,1,\n",
		testHeader + "q1,tong-quan,Câu hỏi?,Một,Hai,một ,Bốn,A,\n",
		testHeader + "q1\x00,tong-quan,Câu\x00 hỏi?,Một,Hai,,,A,\n",
		testHeader + "q1,tong-quan," + strings.Repeat("ạ", MaxQuestionRunes+1) + ",Một,Hai,,,A,\n",
		"ma_cau_hoi,chu_de,cau_hoi,phuong_an_a,phuong_an_b,phuong_an_d,dap_an\n",
		"\xff\xfe" + testHeader, "PK\x03\x04", "", "\n\n\n", "\"", "sep=", "\xef\xbb\xbf",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseCSV(bytes.NewReader(data), testOptions())
		if err != nil {
			rows := bytes.Count(data, []byte("\n")) + 1
			// Problems grow with the file, not faster: a row has a bounded number of
			// fixed columns, plus at most one problem per extra cell.
			bound := 24*rows + bytes.Count(data, []byte(",")) + bytes.Count(data, []byte(";")) + bytes.Count(data, []byte("\t"))
			checkImportError(t, err, rows, bound, false)
			return
		}
		checkImportedBank(t, b, testOptions())
	})
}

func FuzzParseXLSX(f *testing.F) {
	header := []string{"ma_cau_hoi", "chu_de", "cau_hoi", "phuong_an_a", "phuong_an_b", "dap_an"}
	f.Add(buildXLSX(f, sheetData{"Câu hỏi", sampleRows(f)}, sheetData{"chu_de", topicRows(PlanTopics())}))
	f.Add(buildXLSX(f, sheetData{"Trang 1", [][]string{
		{"chu_de", "cau_hoi", "phuong_an_a", "phuong_an_b", "dap_an"},
		{"tinh", "Câu hỏi?", "Có", "Không", "a"},
	}}))
	f.Add(buildXLSX(f, sheetData{"cau_hoi", [][]string{header, nil, {"q1", "tong-quan", "Câu hỏi?", "Có", "", "A"}, nil,
		{"q1", "tinh", "Ca\u0302u ho\u0309i?", "Có", "Không", "G"}}},
		sheetData{"chu_de", [][]string{{"ma_chu_de", "ten_chu_de"}, {"tinh", "Tỉnh"}, {"tinh", ""}}}))
	f.Add(buildXLSX(f, sheetData{"cau_hoi", [][]string{header, {"q1\x00", "tong-quan", "\xff", "Có", "Không", "A"}}}))
	f.Add(buildXLSX(f, sheetData{"cau_hoi", nil}))
	for _, s := range []string{"", "PK\x03\x04", "PK\x05\x06" + strings.Repeat("\x00", 18), "not a workbook"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseXLSX(bytes.NewReader(data), testOptions())
		if err != nil {
			checkImportError(t, err, 1<<20, -1, true) // Excel's last row is 1,048,576
			return
		}
		checkImportedBank(t, b, testOptions())
	})
}

// checkImportError checks that err lists located, readable problems: rows within maxRow,
// at most bound of them (when bound ≥ 0); sheets named only for workbooks.
func checkImportError(t *testing.T, err error, maxRow, bound int, workbook bool) {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Errors) == 0 {
		t.Fatalf("error %T %v, want an *ImportError listing the problems", err, err)
	}
	if bound >= 0 && len(ie.Errors) > bound {
		t.Fatalf("%d problems, more than %d for this file", len(ie.Errors), bound)
	}
	for _, re := range ie.Errors {
		switch {
		case re.Reason == "":
			t.Fatalf("problem without a reason: %+v", re)
		case re.Row < 0 || re.Row > maxRow:
			t.Fatalf("problem at row %d, outside the file's %d rows: %+v", re.Row, maxRow, re)
		case re.Row == 0 && re.Column != "":
			t.Fatalf("problem names a column but no row: %+v", re)
		case re.Sheet != "" && !workbook:
			t.Fatalf("a CSV problem names a sheet: %+v", re)
		case !utf8.ValidString(re.Error()) || strings.ContainsRune(re.Error(), 0):
			t.Fatalf("problem is not readable text: %q", re.Error())
		}
	}
}

// checkImportedBank checks an imported bank: valid by the bank's own rules, its questions'
// texts in their stored form, and unchanged by export and re-import.
func checkImportedBank(t *testing.T, b *Bank, opts ParseOptions) {
	t.Helper()
	if b.Name != opts.Name || b.Version != opts.Version || len(b.Questions) == 0 {
		t.Fatalf("bank %s/%d with %d questions", b.Name, b.Version, len(b.Questions))
	}
	if err := b.Validate(); err != nil {
		t.Fatalf("imported bank fails Validate:\n%v", err)
	}
	for _, q := range b.Questions {
		for _, s := range append([]string{q.ID, q.Topic, q.Text, q.Explanation}, optionTexts(q)...) {
			if s != cleanCell(s) || !utf8.ValidString(s) {
				t.Fatalf("question %s holds %q, not in its stored form", q.ID, s)
			}
		}
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, b); err != nil {
		t.Fatal(err)
	}
	again, err := ParseCSV(&out, ParseOptions{Name: b.Name, Version: b.Version, Topics: b.Topics})
	if err != nil {
		t.Fatalf("the exported bank does not import again:\n%v\n%s", err, out.String())
	}
	if !reflect.DeepEqual(again, b) || again.Checksum() != b.Checksum() {
		t.Fatalf("export and re-import changed the bank:\n%+v\n%+v", b, again)
	}
}

func optionTexts(q Question) []string {
	var out []string
	for _, o := range q.Options {
		out = append(out, o.Text)
	}
	return out
}

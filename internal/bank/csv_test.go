package bank

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestParseCSVLayouts(t *testing.T) {
	const body = "q1,tong-quan,Câu hỏi?,Một,Hai,,,B,Vì thế.\n"
	want := Question{
		ID: "q1", Topic: "tong-quan", Text: "Câu hỏi?",
		Options:     []Option{{Text: "Một"}, {Text: "Hai", Correct: true}},
		Explanation: "Vì thế.",
	}
	tests := []struct {
		name string
		data string
	}{
		{"plain", testHeader + body},
		{"UTF-8 BOM", "\ufeff" + testHeader + body},
		{"CRLF line endings", strings.ReplaceAll(testHeader+body, "\n", "\r\n")},
		{"semicolon separator", strings.ReplaceAll(testHeader+body, ",", ";")},
		{"semicolon separator with BOM and commas in text",
			"\ufeffma_cau_hoi;chu_de;cau_hoi;phuong_an_a;phuong_an_b;dap_an;giai_thich\n" +
				"q1;tong-quan;Câu hỏi?;Một;Hai;B;Vì thế.\n"},
		{"tab separator", strings.ReplaceAll(testHeader+body, ",", "\t")},
		{"Excel sep= line", "sep=;\n" + strings.ReplaceAll(testHeader+body, ",", ";")},
		{"Vietnamese headers with diacritics", "Mã câu hỏi,Chủ đề,Câu hỏi,Phương án A,Phương án B,Đáp án,Giải thích\n" +
			"q1,tong-quan,Câu hỏi?,Một,Hai,B,Vì thế.\n"},
		{"Đáp án A/B + Đáp án đúng layout", "STT,Mã,Chủ đề,Nội dung câu hỏi,Đáp án A,Đáp án B,Đáp án đúng,Giải thích\n" +
			"1,q1,tong-quan,Câu hỏi?,Một,Hai,B,Vì thế.\n"},
		{"English headers, other order", "answer,question,topic,option_b,option_a,explanation,id\n" +
			"B,Câu hỏi?,tong-quan,Hai,Một,Vì thế.,q1\n"},
		{"spaces around quoted cells", "ma_cau_hoi, chu_de, cau_hoi, phuong_an_a, phuong_an_b, dap_an, giai_thich\n" +
			`q1, tong-quan, "Câu hỏi?", "Một", "Hai", B, "Vì thế."` + "\n"},
		{"blank rows and trailing empty rows", "\n" + testHeader + "\n" + body + ",,,,,,,,\n\n"},
		{"decomposed text is stored composed (NFC)", testHeader + norm.NFD.String(body)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := parseString(t, tt.data)
			if err != nil {
				t.Fatalf("unexpected error:\n%v", err)
			}
			if len(b.Questions) != 1 {
				t.Fatalf("got %d questions, want 1", len(b.Questions))
			}
			if got := b.Questions[0]; !equalQuestion(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

func equalQuestion(a, b Question) bool {
	if a.ID != b.ID || a.Topic != b.Topic || a.Text != b.Text || a.Explanation != b.Explanation || len(a.Options) != len(b.Options) {
		return false
	}
	for i := range a.Options {
		if a.Options[i] != b.Options[i] {
			return false
		}
	}
	return true
}

func TestParseCSVFileProblems(t *testing.T) {
	tests := []struct {
		name string
		data string
		opts *ParseOptions
		want []RowError
	}{
		{
			name: "missing required header",
			data: "ma_cau_hoi,chu_de,phuong_an_a,phuong_an_b,dap_an\nq1,tong-quan,Một,Hai,A\n",
			want: []RowError{{Row: 1, Column: "cau_hoi", Reason: "thiếu cột bắt buộc cau_hoi"}},
		},
		{
			name: "several missing headers, rows not checked",
			data: "chu_de,cau_hoi,phuong_an_a\ntong-quan,,\n",
			want: []RowError{
				{Row: 1, Column: "phuong_an_b", Reason: "thiếu cột bắt buộc phuong_an_b"},
				{Row: 1, Column: "dap_an", Reason: "thiếu cột bắt buộc dap_an"},
			},
		},
		{
			name: "no header row at all",
			data: "q1,tong-quan,Câu hỏi?,Một,Hai,A\n",
			want: []RowError{{Row: 1, Reason: "dòng đầu tiên phải là dòng tiêu đề với các cột chu_de, cau_hoi, phuong_an_a, phuong_an_b, dap_an"}},
		},
		{
			name: "unsupported and duplicate columns",
			data: "chu_de,cau_hoi,phuong_an_a,phuong_an_b,dap_an,Câu hỏi,độ khó\ntong-quan,Câu hỏi?,Một,Hai,A,,\n",
			want: []RowError{
				{Row: 1, Column: "cau_hoi", Reason: "cột bị lặp lại (đã có ở cột thứ 2)"},
				{Row: 1, Column: "độ khó", Reason: `cột không được hỗ trợ: "độ khó"`},
			},
		},
		{
			name: "seventh option column",
			data: "chu_de,cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,phuong_an_d,phuong_an_e,phuong_an_f,phuong_an_g,dap_an\n" +
				"tong-quan,Câu hỏi?,1,2,3,4,5,6,7,A\n",
			want: []RowError{{Row: 1, Column: "phuong_an_g", Reason: "chỉ hỗ trợ tối đa 6 phương án (A đến F)"}},
		},
		{
			name: "gap between option columns",
			data: "chu_de,cau_hoi,phuong_an_a,phuong_an_b,phuong_an_d,dap_an\ntong-quan,Câu hỏi?,1,2,4,A\n",
			want: []RowError{{Row: 1, Column: "phuong_an_c", Reason: "thiếu cột phuong_an_c: các cột phương án phải liền nhau, bắt đầu từ phuong_an_a"}},
		},
		{
			name: "empty file",
			data: "",
			want: []RowError{{Reason: "tệp trống: thiếu dòng tiêu đề"}},
		},
		{
			name: "header only",
			data: "\ufeff" + testHeader,
			want: []RowError{{Reason: "tệp không có câu hỏi nào"}},
		},
		{
			name: "UTF-16 file (Excel \"Unicode text\")",
			data: "\xff\xfem\x00a\x00",
			want: []RowError{{Reason: reasonEncodingUTF16}},
		},
		{
			name: "sep= line naming a character that cannot separate cells",
			data: "sep=\"\n" + testHeader,
			want: []RowError{{Row: 1, Reason: "dòng \"sep=\" chỉ định dấu phân cách không dùng được: \"\\\"\" (hãy dùng dấu phẩy, chấm phẩy hoặc tab)"}},
		},
		{
			name: "sep= line naming a control character",
			data: "sep=\x00\n" + testHeader,
			want: []RowError{{Row: 1, Reason: "dòng \"sep=\" chỉ định dấu phân cách không dùng được: \"\\x00\" (hãy dùng dấu phẩy, chấm phẩy hoặc tab)"}},
		},
		{
			name: "XLSX given as CSV",
			data: "PK\x03\x04rest",
			want: []RowError{{Reason: "tệp có dạng XLSX, không phải CSV"}},
		},
		{
			name: "broken quoting stops at the row",
			data: testHeader + "q1,tong-quan,Câu hỏi?,Một,Hai,,,A,\n" + `q2,tong-quan,Câu "hai",Một,Hai,,,A,` + "\n",
			want: []RowError{{Row: 3, Reason: "lỗi định dạng CSV: dấu ngoặc kép đặt sai chỗ ở dòng văn bản 3: ô có dấu ngoặc kép phải được bao trong ngoặc kép và viết \"\" cho mỗi dấu"}},
		},
		{
			name: "no topics given",
			data: testHeader + "q1,tong-quan,Câu hỏi?,Một,Hai,,,A,\n",
			opts: &ParseOptions{},
			want: []RowError{{Reason: reasonNoTopics}},
		},
		{
			name: "broken header encoding",
			data: "chu_de,c\xe2u h\xf5i,phuong_an_a,phuong_an_b,dap_an\n",
			want: []RowError{
				{Row: 1, Reason: reasonEncoding},
				{Row: 1, Column: "cau_hoi", Reason: "thiếu cột bắt buộc cau_hoi"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			if tt.opts != nil {
				opts = *tt.opts
			}
			_, err := ParseCSV(strings.NewReader(tt.data), opts)
			if got := rowErrors(t, err); !equalErrors(got, tt.want) {
				t.Errorf("errors:%s\nwant:%s", formatErrors(got), formatErrors(tt.want))
			}
		})
	}
}

// IDs left empty are derived from the text: the same whatever the row order
// or spelling variant, so stored attempts keep their meaning on re-import.
func TestGeneratedIDs(t *testing.T) {
	a, err := parseString(t, testHeader+
		",tong-quan,Câu hỏi một?,Đúng,Sai,,,A,\n"+
		",tinh,Câu hỏi hai?,Có,Không,,,B,\n")
	if err != nil {
		t.Fatal(err)
	}
	b, err := parseString(t, testHeader+
		",tinh,  câu HỎI hai? ,Có,Không,,,B,\n"+
		",tong-quan,Câu hỏi một?,Đúng,Sai,,,A,\n")
	if err != nil {
		t.Fatal(err)
	}
	if a.Questions[0].ID != b.Questions[1].ID || a.Questions[1].ID != b.Questions[0].ID {
		t.Errorf("generated IDs depend on order or spelling: %q %q vs %q %q",
			a.Questions[0].ID, a.Questions[1].ID, b.Questions[1].ID, b.Questions[0].ID)
	}
	if !strings.HasPrefix(a.Questions[0].ID, "q-") || !validID(a.Questions[0].ID) || a.Questions[0].ID == a.Questions[1].ID {
		t.Errorf("bad generated IDs %q, %q", a.Questions[0].ID, a.Questions[1].ID)
	}

	// A generated ID that clashes with one written in the file is reported
	// (this happens when an exported file is edited and rows are added).
	id := a.Questions[0].ID
	_, err = parseString(t, testHeader+
		id+",tong-quan,Câu hỏi đã sửa?,Đúng,Sai,,,A,\n"+
		",tong-quan,Câu hỏi một?,Đúng,Sai,,,A,\n")
	want := []RowError{{Row: 3, Column: "ma_cau_hoi", Reason: reasonGeneratedIDClash(id, 2)}}
	if got := rowErrors(t, err); !equalErrors(got, want) {
		t.Errorf("errors:%s\nwant:%s", formatErrors(got), formatErrors(want))
	}

	// Two identical texts without IDs: only the text duplicate is reported.
	_, err = parseString(t, testHeader+
		",tong-quan,Câu hỏi một?,Đúng,Sai,,,A,\n"+
		",tong-quan,câu hỏi một?,Đúng,Sai,,,A,\n")
	want = []RowError{{Row: 3, Column: "cau_hoi", Reason: "câu hỏi trùng với dòng 2"}}
	if got := rowErrors(t, err); !equalErrors(got, want) {
		t.Errorf("errors:%s\nwant:%s", formatErrors(got), formatErrors(want))
	}
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/bank.CSV"
	if err := writeFile(path, testHeader+"q1,tong-quan,Câu hỏi?,Một,Hai,,,A,\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseFile(path, testOptions()); err != nil {
		t.Fatalf("ParseFile(.CSV): %v", err)
	}

	for _, name := range []string{"bank.xls", "bank.txt"} {
		_, err := ParseFile(dir+"/"+name, testOptions())
		if errs := rowErrors(t, err); len(errs) != 1 || errs[0].Row != 0 {
			t.Errorf("%s: got %v", name, errs)
		}
	}
	if _, err := ParseFile(dir+"/missing.csv", testOptions()); err == nil || asImportError(err, new(*ImportError)) {
		t.Errorf("missing file: want a plain error, got %v", err)
	}
}

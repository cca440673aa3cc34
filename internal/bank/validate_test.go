package bank

import (
	"strings"
	"testing"
)

// Each case is one CSV body (rows after testHeader, which is row 1) and the
// exact problems expected.
func TestParseCSVRules(t *testing.T) {
	const ok2 = "q1,tong-quan,Câu hỏi một?,Đúng,Sai,,,A,\n"
	tests := []struct {
		name string
		rows string
		want []RowError
	}{
		{
			name: "empty option",
			rows: "q1,tong-quan,Câu hỏi?,Một,,Ba,Bốn,A,\n",
			want: []RowError{{Row: 2, Column: "phuong_an_b", Reason: "phương án trống"}},
		},
		{
			name: "only one option",
			rows: "q1,tong-quan,Câu hỏi?,Một,,,,A,\n",
			want: []RowError{{Row: 2, Column: "phuong_an_b", Reason: "phương án trống"}},
		},
		{
			name: "whitespace-only option is empty",
			rows: "q1,tong-quan,Câu hỏi?,Một,\"  \",,,A,\n",
			want: []RowError{{Row: 2, Column: "phuong_an_b", Reason: "phương án trống"}},
		},
		{
			name: "no correct answer",
			rows: "q1,tong-quan,Câu hỏi?,Một,Hai,,,,\n",
			want: []RowError{{Row: 2, Column: "dap_an", Reason: "không có đáp án đúng"}},
		},
		{
			name: "two correct answers",
			rows: "q1,tong-quan,Câu hỏi?,Một,Hai,,,\"A,B\",\n",
			want: []RowError{{Row: 2, Column: "dap_an", Reason: "có hơn một đáp án đúng"}},
		},
		{
			name: "two correct answers written together",
			rows: "q1,tong-quan,Câu hỏi?,Một,Hai,,,AB,\n",
			want: []RowError{{Row: 2, Column: "dap_an", Reason: "có hơn một đáp án đúng"}},
		},
		{
			name: "answer letter points at a missing option",
			rows: "q1,tong-quan,Câu hỏi?,Một,Hai,,,C,\n",
			want: []RowError{{Row: 2, Column: "dap_an", Reason: "đáp án C trỏ tới phương án trống"}},
		},
		{
			name: "answer letter points at an empty option inside the range",
			rows: "q1,tong-quan,Câu hỏi?,Một,Hai,,Bốn,C,\n",
			want: []RowError{
				{Row: 2, Column: "phuong_an_c", Reason: "phương án trống"},
				{Row: 2, Column: "dap_an", Reason: "đáp án C trỏ tới phương án trống"},
			},
		},
		{
			name: "answer not a letter",
			rows: "q1,tong-quan,Câu hỏi?,Một,Hai,,,1,\n",
			want: []RowError{{Row: 2, Column: "dap_an", Reason: `đáp án không hợp lệ: "1" (cần một chữ cái từ A đến F)`}},
		},
		{
			name: "answer letter beyond F",
			rows: "q1,tong-quan,Câu hỏi?,Một,Hai,,,G,\n",
			want: []RowError{{Row: 2, Column: "dap_an", Reason: `đáp án không hợp lệ: "G" (cần một chữ cái từ A đến F)`}},
		},
		{
			name: "unknown topic",
			rows: "q1,xyz,Câu hỏi?,Một,Hai,,,A,\n",
			want: []RowError{{Row: 2, Column: "chu_de", Reason: "chủ đề không tồn tại: xyz"}},
		},
		{
			name: "missing topic",
			rows: "q1,,Câu hỏi?,Một,Hai,,,A,\n",
			want: []RowError{{Row: 2, Column: "chu_de", Reason: "thiếu chủ đề"}},
		},
		{
			name: "empty question text",
			rows: "q1,tong-quan,,Một,Hai,,,A,\n",
			want: []RowError{{Row: 2, Column: "cau_hoi", Reason: "câu hỏi trống"}},
		},
		{
			name: "duplicate question, exact",
			rows: ok2 + "q2,tinh,Câu hỏi một?,Có,Không,,,B,\n",
			want: []RowError{{Row: 3, Column: "cau_hoi", Reason: "câu hỏi trùng với dòng 2"}},
		},
		{
			name: "duplicate question, other case and spacing",
			rows: ok2 + "q2,tinh,\"  CÂU   hỏi\nMỘT? \",Có,Không,,,B,\n",
			want: []RowError{{Row: 3, Column: "cau_hoi", Reason: "câu hỏi trùng với dòng 2"}},
		},
		{
			name: "duplicate question, decomposed Unicode (NFD)",
			// "Câu hỏi một?" typed with combining marks, as macOS does.
			rows: ok2 + "q2,tinh,Ca\u0302u ho\u0309i mo\u0323\u0302t?,Có,Không,,,B,\n",
			want: []RowError{{Row: 3, Column: "cau_hoi", Reason: "câu hỏi trùng với dòng 2"}},
		},
		{
			name: "duplicate options",
			rows: "q1,tong-quan,Câu hỏi?,Một,Hai,một ,Bốn,A,\n",
			want: []RowError{{Row: 2, Column: "phuong_an_c", Reason: "phương án trùng với phương án A"}},
		},
		{
			name: "duplicate question id",
			rows: ok2 + "Q1,tinh,Câu hỏi hai?,Có,Không,,,B,\n",
			want: []RowError{{Row: 3, Column: "ma_cau_hoi", Reason: "mã câu hỏi trùng với dòng 2"}},
		},
		{
			name: "bad question id",
			rows: "câu 1,tong-quan,Câu hỏi?,Một,Hai,,,A,\n",
			want: []RowError{{Row: 2, Column: "ma_cau_hoi", Reason: reasonBadID("câu 1")}},
		},
		{
			name: "question too long",
			rows: "q1,tong-quan," + strings.Repeat("ạ", MaxQuestionRunes+1) + ",Một,Hai,,,A,\n",
			want: []RowError{{Row: 2, Column: "cau_hoi", Reason: "câu hỏi quá dài: 1001 ký tự (tối đa 1000)"}},
		},
		{
			name: "option too long",
			rows: "q1,tong-quan,Câu hỏi?," + strings.Repeat("ạ", MaxOptionRunes+1) + ",Hai,,,A,\n",
			want: []RowError{{Row: 2, Column: "phuong_an_a", Reason: "phương án quá dài: 301 ký tự (tối đa 300)"}},
		},
		{
			name: "limits are inclusive",
			rows: "q1,tong-quan," + strings.Repeat("ạ", MaxQuestionRunes) + "," + strings.Repeat("b", MaxOptionRunes) + ",Hai,,,A,\n",
		},
		{
			name: "broken encoding (CP1252 bytes)",
			// "Câu hỏi café" saved as Windows-1252: 0xE2 for â, 0xE9 for é.
			rows: "q1,tong-quan,C\xe2u h\xf5i caf\xe9?,Một,Hai,,,A,\n",
			want: []RowError{{Row: 2, Column: "cau_hoi", Reason: "lỗi mã hoá: tệp không phải UTF-8 (hãy lưu tệp với mã hoá UTF-8)"}},
		},
		{
			name: "data in a column without header",
			rows: "q1,tong-quan,Câu hỏi?,Một,Hai,,,A,,lạc chỗ\n",
			want: []RowError{{Row: 2, Reason: "có dữ liệu ở cột thứ 10 nhưng cột này không có tiêu đề"}},
		},
		{
			name: "valid: topic by any case, answer lower-case with punctuation",
			rows: "q1,TONG-QUAN,Câu hỏi?,Một,Hai,Ba,,c.,\n",
		},
		{
			name: "valid: topic given by its title",
			rows: "q1,\"Kiến thức, kỹ năng về an toàn thông tin trên môi trường số\",Câu hỏi?,Một,Hai,,,B,\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := parseString(t, testHeader+tt.rows)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error:\n%v", err)
				}
				if len(b.Questions) == 0 {
					t.Fatal("no questions parsed")
				}
				return
			}
			if got := rowErrors(t, err); !equalErrors(got, tt.want) {
				t.Errorf("errors:%s\nwant:%s", formatErrors(got), formatErrors(tt.want))
			}
		})
	}
}

// All problems of a file come back together, in row order, each at the row a
// spreadsheet shows (a blank row and a multi-line cell must not shift the
// numbering).
func TestParseCSVReportsEveryProblem(t *testing.T) {
	data := testHeader +
		"q1,tong-quan,Câu hỏi một?,Đúng,Sai,,,A,\n" + // row 2: fine
		"q2,tong-quan,\"Câu hỏi\nnhiều dòng?\",Đúng,,,,A,\n" + // row 3: empty B
		"\n" + // row 4: blank
		"q4,khong-co,Câu hỏi bốn?,Đúng,Sai,,,,\n" + // row 5: topic, no answer
		",,,,,,,,\n" + // row 6: separators only, skipped
		"q6,tinh,câu hỏi MỘT?,Có,Không,Có,,\"A,B\",\n" // row 7: dup, dup option, two answers
	got := rowErrors(t, func() error { _, err := parseString(t, data); return err }())
	want := []RowError{
		{Row: 3, Column: "phuong_an_b", Reason: "phương án trống"},
		{Row: 5, Column: "chu_de", Reason: "chủ đề không tồn tại: khong-co"},
		{Row: 5, Column: "dap_an", Reason: "không có đáp án đúng"},
		{Row: 7, Column: "phuong_an_c", Reason: "phương án trùng với phương án A"},
		{Row: 7, Column: "dap_an", Reason: "có hơn một đáp án đúng"},
		{Row: 7, Column: "cau_hoi", Reason: "câu hỏi trùng với dòng 2"},
	}
	if !equalErrors(got, want) {
		t.Fatalf("errors:%s\nwant:%s", formatErrors(got), formatErrors(want))
	}

	var ie *ImportError
	_, err := parseString(t, data)
	if !asImportError(err, &ie) {
		t.Fatalf("not an ImportError: %v", err)
	}
	lines := ie.Error()
	wantLines := "dòng 3, cột phuong_an_b: phương án trống\n" +
		"dòng 5, cột chu_de: chủ đề không tồn tại: khong-co\n" +
		"dòng 5, cột dap_an: không có đáp án đúng\n" +
		"dòng 7, cột phuong_an_c: phương án trùng với phương án A\n" +
		"dòng 7, cột dap_an: có hơn một đáp án đúng\n" +
		"dòng 7, cột cau_hoi: câu hỏi trùng với dòng 2"
	if lines != wantLines {
		t.Errorf("Error() =\n%s\nwant\n%s", lines, wantLines)
	}
}

func TestBankValidate(t *testing.T) {
	valid := func() *Bank {
		return &Bank{
			Name:   "thu",
			Topics: []Topic{{Code: "tong-quan", Title: "Tổng quan"}},
			Questions: []Question{
				{ID: "a", Topic: "tong-quan", Text: "Một?", Options: []Option{{Text: "x", Correct: true}, {Text: "y"}}},
				{ID: "b", Topic: "tong-quan", Text: "Hai?", Options: []Option{{Text: "x"}, {Text: "y", Correct: true}}},
			},
		}
	}
	tests := []struct {
		name   string
		change func(b *Bank)
		want   []RowError
	}{
		{"valid", func(*Bank) {}, nil},
		{"one option", func(b *Bank) { b.Questions[0].Options = b.Questions[0].Options[:1] },
			[]RowError{{Row: 2, Column: "phuong_an_b", Reason: "cần ít nhất 2 phương án"}}},
		{"seven options", func(b *Bank) {
			b.Questions[0].Options = append(b.Questions[0].Options,
				Option{Text: "3"}, Option{Text: "4"}, Option{Text: "5"}, Option{Text: "6"}, Option{Text: "7"})
		}, []RowError{{Row: 2, Reason: "có 7 phương án, tối đa 6"}}},
		{"no correct", func(b *Bank) { b.Questions[1].Options[1].Correct = false },
			[]RowError{{Row: 3, Column: "dap_an", Reason: "không có đáp án đúng"}}},
		{"two correct", func(b *Bank) { b.Questions[1].Options[0].Correct = true },
			[]RowError{{Row: 3, Column: "dap_an", Reason: "có hơn một đáp án đúng"}}},
		{"correct option empty", func(b *Bank) { b.Questions[1].Options[1].Text = "" },
			[]RowError{
				{Row: 3, Column: "phuong_an_b", Reason: "phương án trống"},
				{Row: 3, Column: "dap_an", Reason: "đáp án B trỏ tới phương án trống"},
			}},
		{"missing id", func(b *Bank) { b.Questions[0].ID = "" },
			[]RowError{{Row: 2, Column: "ma_cau_hoi", Reason: "thiếu mã câu hỏi"}}},
		{"unknown topic", func(b *Bank) { b.Questions[1].Topic = "xyz" },
			[]RowError{{Row: 3, Column: "chu_de", Reason: "chủ đề không tồn tại: xyz"}}},
		{"duplicate text", func(b *Bank) { b.Questions[1].Text = " một? " },
			[]RowError{{Row: 3, Column: "cau_hoi", Reason: "câu hỏi trùng với dòng 2"}}},
		{"bad topic code", func(b *Bank) {
			b.Topics = append(b.Topics, Topic{Code: "Tổng quan", Title: "Khác"})
		}, []RowError{{Sheet: "chu_de", Row: 3, Column: "ma_chu_de", Reason: reasonBadTopicCode("Tổng quan")}}},
		{"duplicate topic", func(b *Bank) {
			b.Topics = append(b.Topics, Topic{Code: "tong-quan", Title: "tổng quan"})
		}, []RowError{
			{Sheet: "chu_de", Row: 3, Column: "ma_chu_de", Reason: "mã chủ đề trùng với dòng 2"},
			{Sheet: "chu_de", Row: 3, Column: "ten_chu_de", Reason: "tên chủ đề trùng với dòng 2"},
		}},
		{"no questions", func(b *Bank) { b.Questions = nil },
			[]RowError{{Reason: "tệp không có câu hỏi nào"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := valid()
			tt.change(b)
			err := b.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error:\n%v", err)
				}
				return
			}
			if got := rowErrors(t, err); !equalErrors(got, tt.want) {
				t.Errorf("errors:%s\nwant:%s", formatErrors(got), formatErrors(tt.want))
			}
		})
	}
}

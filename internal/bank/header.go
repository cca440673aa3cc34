package bank

import (
	"strings"
	"unicode/utf8"

	"github.com/dxcontest/contest-platform/internal/printable"
)

// Canonical column names of the import format. Errors name columns this way
// whatever spelling the file used, so the organizer can look them up in
// FORMAT.md.
const (
	ColID          = "ma_cau_hoi"
	ColTopic       = "chu_de"
	ColText        = "cau_hoi"
	ColAnswer      = "dap_an"
	ColExplanation = "giai_thich"

	// Columns of the XLSX topic sheet.
	ColTopicCode  = "ma_chu_de"
	ColTopicTitle = "ten_chu_de"

	// TopicSheet is the name of the XLSX sheet listing the topics.
	TopicSheet = "chu_de"
)

// OptionColumn returns the column name of the option at index i:
// 0 → "phuong_an_a" ... 5 → "phuong_an_f".
func OptionColumn(i int) string {
	return "phuong_an_" + strings.ToLower(OptionLetter(i))
}

// headerSpec describes one kind of table (questions or topics).
type headerSpec struct {
	// resolve maps a headerKey to a canonical column. It returns ignore for
	// columns that are allowed but unused (a row counter, notes), and a
	// non-empty reason when the header is recognizably wrong.
	resolve  func(key string) (column string, ignore bool, reason string)
	required []string
}

// header is a table's header row resolved to canonical columns.
type header struct {
	pos    map[string]int // canonical column → cell index
	titled []bool         // cell index → has a non-empty header
}

// cell returns the cleaned value of a canonical column in a row, or "" when
// the column is absent from the file or the row is short.
func (h header) cell(cells []string, column string) string {
	i, ok := h.pos[column]
	if !ok || i >= len(cells) {
		return ""
	}
	return cleanCell(cells[i])
}

func (h header) has(column string) bool {
	_, ok := h.pos[column]
	return ok
}

// mapHeader resolves a header row. fatal is true when the header is unusable
// (a required column is missing, or it is not a header at all): the rows are
// then not checked, because every row would only repeat a consequence of the
// header problem.
func mapHeader(sheet string, rec record, spec headerSpec) (h header, errs []RowError, fatal bool) {
	h = header{pos: map[string]int{}, titled: make([]bool, len(rec.cells))}
	add := func(col, reason string) {
		errs = append(errs, RowError{Sheet: sheet, Row: rec.row, Column: col, Reason: reason})
	}
	unsupported := 0
	for i, raw := range rec.cells {
		text := cleanCell(raw)
		if text == "" {
			continue
		}
		h.titled[i] = true
		if !utf8.ValidString(text) {
			add("", reasonEncoding)
			continue
		}
		col, ignore, reason := spec.resolve(headerKey(text))
		switch {
		case ignore:
			continue
		case col == "" && reason != "":
			add(printable.Text(text), reason)
			continue
		case col == "":
			unsupported++
			add(printable.Text(text), reasonUnsupportedColumn(text))
			continue
		}
		if first, dup := h.pos[col]; dup {
			add(col, reasonDuplicateColumn(first+1))
			continue
		}
		h.pos[col] = i
	}
	var missing []string
	for _, col := range spec.required {
		if !h.has(col) {
			missing = append(missing, col)
		}
	}
	if unsupported > 0 && 2*len(missing) > len(spec.required) {
		// Most required columns are absent and unknown ones are present:
		// most likely the header row is missing and this is data. One
		// clear message beats a list about every cell.
		return h, []RowError{{Sheet: sheet, Row: rec.row, Reason: reasonNotAHeader(spec.required)}}, true
	}
	for _, col := range missing {
		add(col, reasonMissingColumn(col))
		fatal = true
	}
	return h, errs, fatal
}

// questionHeaders is the header spec of the question table. Aliases cover
// the spellings organizers commonly use: English names, and "Đáp án A..D" +
// "Đáp án đúng", the layout of many existing Vietnamese question banks.
func questionHeaders() headerSpec {
	return headerSpec{
		resolve:  resolveQuestionHeader,
		required: []string{ColTopic, ColText, OptionColumn(0), OptionColumn(1), ColAnswer},
	}
}

func resolveQuestionHeader(key string) (column string, ignore bool, reason string) {
	switch key {
	case "ma_cau_hoi", "ma_cau", "ma", "ma_so", "id", "question_id":
		return ColID, false, ""
	case "chu_de", "ma_chu_de", "topic", "topic_code":
		return ColTopic, false, ""
	case "cau_hoi", "noi_dung_cau_hoi", "noi_dung", "question", "question_text", "text":
		return ColText, false, ""
	case "dap_an", "dap_an_dung", "phuong_an_dung", "answer", "correct", "correct_answer", "correct_option":
		return ColAnswer, false, ""
	case "giai_thich", "explanation":
		return ColExplanation, false, ""
	case "stt", "so_thu_tu", "ghi_chu", "note", "notes":
		return "", true, ""
	}
	for _, prefix := range []string{"phuong_an_", "dap_an_", "lua_chon_", "option_", "choice_"} {
		letter, ok := strings.CutPrefix(key, prefix)
		if !ok || len(letter) != 1 || letter[0] < 'a' || letter[0] > 'z' {
			continue
		}
		if i := int(letter[0] - 'a'); i < MaxOptions {
			return OptionColumn(i), false, ""
		}
		return "", false, reasonTooManyOptCols
	}
	return "", false, ""
}

// topicHeaders is the header spec of the XLSX topic sheet.
func topicHeaders() headerSpec {
	return headerSpec{
		resolve:  resolveTopicHeader,
		required: []string{ColTopicCode, ColTopicTitle},
	}
}

func resolveTopicHeader(key string) (column string, ignore bool, reason string) {
	switch key {
	case "ma_chu_de", "ma", "code", "topic_code":
		return ColTopicCode, false, ""
	case "ten_chu_de", "ten", "tieu_de", "title", "name":
		return ColTopicTitle, false, ""
	case "chu_de", "topic":
		// In the question sheet chu_de holds the code; here it could be
		// either, so ask for an unambiguous name instead of guessing.
		return "", false, reasonAmbiguousTopicColumn
	case "stt", "so_thu_tu", "ghi_chu", "note", "notes":
		return "", true, ""
	}
	return "", false, ""
}

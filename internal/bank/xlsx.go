package bank

import (
	"bytes"
	"io"

	"github.com/xuri/excelize/v2"
)

// xlsxUnzipLimit bounds the unpacked size of a workbook: a small upload can
// otherwise unzip to gigabytes.
const xlsxUnzipLimit = 256 << 20

// ParseXLSX reads a question bank in the import format (see FORMAT.md) from
// an XLSX workbook. Questions are on the sheet named "cau_hoi" (any case,
// with or without diacritics), or else on the first sheet; topics on the
// sheet "chu_de" with columns ma_chu_de and ten_chu_de, or, if the workbook
// has none, in opts.Topics. Cells are read as displayed.
//
// Like ParseCSV it returns a complete, valid bank, an *ImportError listing
// every problem, or another error when r cannot be read.
func ParseXLSX(r io.Reader, opts ParseOptions) (*Bank, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit})
	if err != nil {
		return nil, fileError(reasonBadXLSX(err))
	}
	defer f.Close() // only removes temporary files; nothing to report

	questionSheet, topicSheet := pickSheets(f.GetSheetList())
	if questionSheet == "" {
		return nil, fileError(reasonNoQuestionSht)
	}

	topics, errs := opts.Topics, checkTopics(opts.Topics, TopicSheet, nil)
	if topicSheet != "" {
		tt, terrs := readSheet(f, topicSheet)
		if terrs != nil {
			topics, errs = nil, terrs
		} else {
			topics, errs = readTopics(tt)
		}
	}
	qt, qerrs := readSheet(f, questionSheet)
	if qerrs != nil {
		return nil, newImportError(append(errs, qerrs...))
	}
	return buildBank(qt, topics, errs, opts)
}

// pickSheets finds the question and topic sheets by name.
func pickSheets(names []string) (questions, topics string) {
	for _, n := range names {
		switch headerKey(n) {
		case "chu_de", "topics":
			if topics == "" {
				topics = n
			}
		case "cau_hoi", "questions":
			if questions == "" {
				questions = n
			}
		}
	}
	if questions == "" {
		for _, n := range names {
			if n != topics {
				return n, topics
			}
		}
	}
	return questions, topics
}

// readSheet reads a worksheet into a table. excelize returns row i (0-based)
// at index i, empty rows included, so numbering matches the spreadsheet.
func readSheet(f *excelize.File, sheet string) (table, []RowError) {
	cells, err := f.GetRows(sheet)
	if err != nil {
		return table{}, []RowError{{Sheet: sheet, Reason: reasonBadSheet(err)}}
	}
	rows := make([]record, len(cells))
	for i, c := range cells {
		rows[i] = record{row: i + 1, cells: c}
	}
	t, ok := newTable(sheet, rows)
	if !ok {
		return table{}, []RowError{{Sheet: sheet, Reason: reasonEmptySheet}}
	}
	return t, nil
}

// readTopics reads the topic sheet and checks it.
func readTopics(t table) ([]Topic, []RowError) {
	h, errs, fatal := mapHeader(t.sheet, t.header, topicHeaders())
	if fatal {
		return nil, errs
	}
	topics := make([]Topic, 0, len(t.rows))
	rows := make([]int, 0, len(t.rows))
	for _, rec := range t.rows {
		topics = append(topics, Topic{
			// Codes are case-insensitive in files and stored lower-case.
			Code:  lower(h.cell(rec.cells, ColTopicCode)),
			Title: h.cell(rec.cells, ColTopicTitle),
		})
		rows = append(rows, rec.row)
		errs = append(errs, untitledData(t.sheet, h, rec)...)
	}
	return topics, append(errs, checkTopics(topics, t.sheet, rows)...)
}

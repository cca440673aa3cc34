package unit

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/dxcontest/contest-platform/internal/csvsheet"
	"github.com/dxcontest/contest-platform/internal/printable"
)

// The import format's columns (canonical names; headers are matched without case or
// diacritics, and a few other spellings are accepted, see resolveHeader).
const (
	ColCode      = "ma_don_vi"
	ColName      = "ten_don_vi"
	ColParent    = "ma_cap_tren"
	ColType      = "loai"
	ColHeadcount = "so_nguoi"
	ColAliases   = "ten_khac"
)

var columns = []string{ColCode, ColName, ColParent, ColType, ColHeadcount, ColAliases}

// resolveHeader maps a columnIndex key to a column; ignore marks columns allowed but unused.
func resolveHeader(key string) (col string, ignore bool) {
	switch key {
	case "ma_don_vi", "ma", "ma_dv", "code", "unit_code":
		return ColCode, false
	case "ten_don_vi", "ten", "ten_dv", "don_vi", "co_quan_don_vi", "name", "unit_name":
		return ColName, false
	case "ma_cap_tren", "ma_don_vi_cap_tren", "ma_don_vi_cha", "cap_tren", "parent", "parent_code":
		return ColParent, false
	case "loai", "loai_don_vi", "type":
		return ColType, false
	case "so_nguoi", "so_can_bo", "bien_che", "quan_so", "headcount":
		return ColHeadcount, false
	case "ten_khac", "ten_goi_khac", "ten_viet_tat", "viet_tat", "alias", "aliases":
		return ColAliases, false
	case "stt", "so_thu_tu", "ghi_chu", "note", "notes":
		return "", true
	}
	return "", false
}

// record is a non-blank row and the row number a spreadsheet shows it on.
type record struct {
	num   int
	cells []string
}

// ParseFile parses a .csv or .xlsx file, chosen by extension (any case). Errors are
// prefixed with the path; an *ImportError inside is still found by errors.As.
func ParseFile(path string) ([]Unit, error) {
	var parse func(io.Reader) ([]Unit, error)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		parse = Parse
	case ".xlsx":
		parse = ParseXLSX
	case ".xls":
		return nil, fmt.Errorf("%s: %w", path, fileError(reasonXLS))
	default:
		return nil, fmt.Errorf("%s: %w", path, fileError(reasonUnsupportedExt(ext)))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("unit: open unit list: %w", err)
	}
	defer f.Close() // read-only: a close error cannot lose data
	us, err := parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return us, nil
}

// Parse reads a unit list from CSV (UTF-8 with or without BOM; comma, semicolon or tab
// separated; columnIndex ma_don_vi,ten_don_vi and the optional ma_cap_tren, loai, so_nguoi,
// ten_khac in any order). It returns the units in file order, or an *ImportError with
// every problem found. Cells are text: "=1+2" is a name, never a formula.
func Parse(r io.Reader) ([]Unit, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, fileError(reasonEncodingUTF16)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, fileError(reasonXLSXAsCSV)
	}
	records, err := readCSV(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))
	if err != nil {
		return nil, err
	}
	return fromRecords(records)
}

// xlsxUnzipLimit bounds the unpacked size of a workbook: a small upload can otherwise
// unzip to gigabytes.
const xlsxUnzipLimit = 64 << 20

// ParseXLSX reads a unit list from a workbook: the sheet named "don_vi" (any case, with or
// without diacritics), or else the first sheet, in the same columns as Parse. Cells are
// read as displayed.
func ParseXLSX(r io.Reader) ([]Unit, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipLimit})
	if err != nil {
		return nil, fileError(reasonBadXLSX(err))
	}
	defer f.Close() // only removes temporary files; nothing to report
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError(reasonNoSheet)
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if k := headerKey(s); k == "don_vi" || k == "units" {
			sheet = s
			break
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fileError(reasonBadXLSX(err))
	}
	defer rows.Close() // read-only
	var records []record
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, fileError(reasonBadXLSX(err))
		}
		if blank(cells) {
			continue
		}
		if len(records) > MaxUnits {
			return nil, fileError(reasonTooManyUnits(len(records)))
		}
		records = append(records, record{num: n, cells: cells})
	}
	return fromRecords(records)
}

// readLimited reads at most MaxFileBytes; more is an import problem, not a system failure.
func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("unit: read import file: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, fileError(reasonFileTooLarge())
	}
	return data, nil
}

// readCSV splits CSV bytes into non-blank records numbered as a spreadsheet shows them.
func readCSV(data []byte) ([]record, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = csvsheet.Separator(data)
	cr.FieldsPerRecord = -1 // short rows read as empty cells
	cr.ReuseRecord = false
	var out []record
	row := 0
	for {
		start := cr.InputOffset()
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		// encoding/csv skips blank lines; a spreadsheet shows them as rows.
		row += 1 + csvsheet.LeadingBlankLines(data[start:])
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// The rest of the file cannot be split reliably after a quoting error.
			return nil, &ImportError{Errors: []RowError{{Row: row, Reason: reasonCSVSyntax(csvsheet.ErrorDetail(pe))}}}
		}
		if err != nil {
			return nil, fmt.Errorf("unit: read CSV: %w", err)
		}
		if blank(cells) {
			continue
		}
		if len(out) > MaxUnits {
			return nil, fileError(reasonTooManyUnits(len(out)))
		}
		out = append(out, record{num: row, cells: cells})
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// columnIndex is the position of each column in a row; -1 when the file lacks it.
type columnIndex map[string]int

func (h columnIndex) cell(cells []string, col string) string {
	i, ok := h[col]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// mapHeader finds each column's position.
func mapHeader(h record) (columnIndex, []RowError) {
	pos := columnIndex{}
	var errs []RowError
	for i, cell := range h.cells {
		text := strings.TrimSpace(cell)
		if text == "" {
			continue
		}
		col, ignore := resolveHeader(headerKey(text))
		switch {
		case ignore:
		case col == "":
			errs = append(errs, RowError{Row: h.num, Column: printable.Cut(text, maxQuoted), Reason: reasonUnsupportedColumn(text)})
		default:
			if first, dup := pos[col]; dup {
				errs = append(errs, RowError{Row: h.num, Column: col, Reason: reasonDuplicateColumn(first + 1)})
				continue
			}
			pos[col] = i
		}
	}
	for _, col := range []string{ColCode, ColName} {
		if _, ok := pos[col]; !ok {
			errs = append(errs, RowError{Row: h.num, Column: col, Reason: reasonMissingColumn(col)})
		}
	}
	return pos, errs
}

// row is one data row's unit and which of its cells passed their own checks, so that the
// cross-row checks only use those.
type row struct {
	num               int
	unit              Unit
	codeOK, parentOK  bool
	nameOK, aliasesOK bool
}

func fromRecords(records []record) ([]Unit, error) {
	if len(records) == 0 {
		return nil, fileError(reasonEmptyFile)
	}
	h, errs := mapHeader(records[0])
	if errs != nil {
		return nil, newImportError(errs)
	}
	if len(records) == 1 {
		return nil, fileError(reasonNoRows)
	}
	rows := make([]row, 0, len(records)-1)
	for _, rec := range records[1:] {
		rw, rerrs := readRow(rec, h)
		rows = append(rows, rw)
		errs = append(errs, rerrs...)
	}
	errs = append(errs, crossCheck(rows)...)
	if err := newImportError(errs); err != nil {
		return nil, err
	}
	us := make([]Unit, len(rows))
	for i, r := range rows {
		us[i] = r.unit
	}
	return us, nil
}

// readRow cleans a record's cells and checks each on its own.
func readRow(rec record, h columnIndex) (row, []RowError) {
	rw := row{num: rec.num}
	var errs []RowError
	add := func(col, reason string) { errs = append(errs, RowError{Row: rec.num, Column: col, Reason: reason}) }

	code := h.cell(rec.cells, ColCode)
	switch {
	case !utf8.ValidString(code):
		add(ColCode, reasonEncoding)
	case code == "":
		add(ColCode, reasonEmpty("mã đơn vị"))
	case !ValidCode(code):
		add(ColCode, reasonBadCode(code))
	default:
		rw.unit.Code, rw.codeOK = code, true
	}
	if name := NormalizeName(h.cell(rec.cells, ColName)); nameProblem(name) != "" {
		add(ColName, "tên đơn vị "+nameProblemWithWhat(name))
	} else {
		rw.unit.Name, rw.nameOK = name, true
	}
	parent := h.cell(rec.cells, ColParent)
	switch {
	case parent == "":
		rw.parentOK = true
	case !ValidCode(parent):
		add(ColParent, reasonBadCode(parent))
	default:
		rw.unit.ParentCode, rw.parentOK = parent, true
	}
	if t, ok := parseType(h.cell(rec.cells, ColType)); ok {
		rw.unit.Type = t
	} else {
		add(ColType, reasonBadType(h.cell(rec.cells, ColType)))
	}
	if cell := h.cell(rec.cells, ColHeadcount); cell != "" {
		if n, ok := parseHeadcount(cell); ok {
			rw.unit.Headcount = &n
		} else {
			add(ColHeadcount, reasonBadHeadcount(cell))
		}
	}
	aliases, aerrs := readAliases(h.cell(rec.cells, ColAliases), rw.unit.Name)
	for _, reason := range aerrs {
		add(ColAliases, reason)
	}
	rw.unit.Aliases, rw.aliasesOK = aliases, len(aerrs) == 0
	return rw, errs
}

// nameProblemWithWhat words nameProblem after "tên đơn vị".
func nameProblemWithWhat(name string) string {
	if name == "" {
		return "trống"
	}
	return nameProblem(name)
}

// readAliases splits the aliases cell on ";" and line breaks (Alt+Enter in Excel), drops
// repeats and spellings of the unit's own name, and checks each.
func readAliases(cell, name string) ([]string, []string) {
	if cell == "" {
		return nil, nil
	}
	if !utf8.ValidString(cell) {
		return nil, []string{reasonEncoding}
	}
	parts := strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '\n' || r == '\r' })
	var out, problems []string
	seen := map[string]bool{Key(name): true}
	for _, p := range parts {
		a := NormalizeName(p)
		if a == "" {
			continue
		}
		if problem := nameProblem(a); problem != "" {
			problems = append(problems, reasonAliasProblem(a, problem))
			continue
		}
		if k := Key(a); !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	if len(out) > MaxAliases {
		problems = append(problems, reasonTooManyAliases(len(out)))
	}
	return out, problems
}

// parseHeadcount reads a whole number, with "." "," or spaces as thousands separators as a
// spreadsheet may display it ("1.250").
func parseHeadcount(cell string) (int, bool) {
	s := cell
	for _, sep := range []string{".", ",", " ", "\u00a0"} {
		if strings.Contains(s, sep) {
			groups := strings.Split(s, sep)
			for i, g := range groups {
				if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
					return 0, false
				}
			}
			s = strings.Join(groups, "")
			break
		}
	}
	if s == "" || len(s) > 9 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > MaxHeadcount {
		return 0, false
	}
	return n, true
}

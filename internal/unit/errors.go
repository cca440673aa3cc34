package unit

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dxcontest/contest-platform/internal/printable"
)

// RowError is one problem in an imported file, located as a spreadsheet shows it: Row is
// 1-based with the header as row 1 (0 for the file as a whole), Column the canonical header
// name. Reason is in Vietnamese, for the organizer.
type RowError struct {
	Row    int
	Column string
	Reason string
}

// Error formats the problem as "dòng 5, cột ma_don_vi: mã đơn vị trống".
func (e RowError) Error() string {
	var loc []string
	if e.Row > 0 {
		loc = append(loc, "dòng "+strconv.Itoa(e.Row))
	}
	if e.Column != "" {
		loc = append(loc, "cột "+e.Column)
	}
	if len(loc) == 0 {
		return e.Reason
	}
	return strings.Join(loc, ", ") + ": " + e.Reason
}

// ImportError carries every problem found in a file, so the organizer fixes it in one pass.
// Errors that are not about the content (an unreadable reader) are ordinary errors.
type ImportError struct {
	Errors []RowError
}

// Error lists the problems one per line.
func (e *ImportError) Error() string {
	lines := make([]string, len(e.Errors))
	for i, re := range e.Errors {
		lines[i] = re.Error()
	}
	return strings.Join(lines, "\n")
}

// maxProblems bounds what one file can make the parser report: a file of a million bad
// rows says what is wrong in its first thousand problems.
const maxProblems = 1000

// newImportError returns nil for no problems; otherwise they are ordered by row, keeping
// discovery order within a row, and cut at maxProblems.
func newImportError(errs []RowError) error {
	if len(errs) == 0 {
		return nil
	}
	errs = slices.Clone(errs)
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Row, b.Row) })
	if len(errs) > maxProblems {
		more := len(errs) - maxProblems
		errs = append(errs[:maxProblems], RowError{Reason: fmt.Sprintf("và %d lỗi khác (chỉ liệt kê %d lỗi đầu tiên)", more, maxProblems)})
	}
	return &ImportError{Errors: errs}
}

func fileError(reason string) error { return &ImportError{Errors: []RowError{{Reason: reason}}} }

// The organizer's messages, in one place so their wording stays consistent.
const (
	reasonEncoding      = "lỗi mã hoá: tệp không phải UTF-8 (hãy lưu tệp với kiểu \"CSV UTF-8\")"
	reasonEncodingUTF16 = "lỗi mã hoá: tệp đang ở dạng UTF-16; hãy lưu lại với kiểu \"CSV UTF-8\""
	reasonEmptyFile     = "tệp trống: thiếu dòng tiêu đề (ít nhất " + ColCode + "," + ColName + ")"
	reasonNoRows        = "tệp không có đơn vị nào"
	reasonLineBreak     = "có ký tự xuống dòng"
	reasonControlChar   = "có ký tự điều khiển (ký tự ẩn, không in được)"
	reasonXLSXAsCSV     = "đây là tệp Excel (.xlsx) chứ không phải CSV: hãy tải lên với phần mở rộng .xlsx"
	reasonXLS           = "tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8"
	reasonNoSheet       = "tệp Excel không có trang tính nào"
	reasonParentMissing = "mã đơn vị cấp trên không có trong danh sách"
	reasonParentSelf    = "đơn vị không thể là cấp trên của chính nó"
)

func reasonFileTooLarge() string {
	return fmt.Sprintf("tệp quá lớn: tối đa %d MB", MaxFileBytes>>20)
}

func reasonTooManyUnits(n int) string {
	return fmt.Sprintf("quá nhiều đơn vị: %d (tối đa %d)", n, MaxUnits)
}

func reasonCSVSyntax(detail string) string {
	return "lỗi định dạng CSV: " + printable.Cut(detail, printable.DetailBytes)
}

func reasonBadXLSX(err error) string {
	return "không đọc được tệp Excel: " + printable.Error(err)
}

func reasonUnsupportedExt(ext string) string {
	return fmt.Sprintf("phần mở rộng %q không được hỗ trợ: dùng .csv hoặc .xlsx", ext)
}

func reasonMissingColumn(col string) string { return "thiếu cột bắt buộc " + col }

func reasonDuplicateColumn(first int) string {
	return fmt.Sprintf("cột bị lặp lại (đã có ở cột thứ %d)", first)
}

func reasonUnsupportedColumn(header string) string {
	return fmt.Sprintf("cột không được hỗ trợ: %s (chỉ dùng %s)", quote(header), strings.Join(columns, ", "))
}

func reasonEmpty(what string) string { return what + " trống" }

func reasonBadCode(code string) string {
	return fmt.Sprintf("mã không hợp lệ: %s (chỉ dùng chữ số, chữ cái không dấu, dấu chấm, gạch ngang, gạch dưới; tối đa %d ký tự)", quote(code), MaxCodeLength)
}

func reasonTooLong(n int) string {
	return fmt.Sprintf("quá dài: %d ký tự (tối đa %d)", n, MaxNameRunes)
}

func reasonBadType(cell string) string {
	var labels []string
	for _, t := range Types() {
		labels = append(labels, string(t)+" ("+t.Label("vi")+")")
	}
	return fmt.Sprintf("loại đơn vị không hợp lệ: %s (dùng một trong: %s; để trống là other)", quote(cell), strings.Join(labels, ", "))
}

func reasonBadHeadcount(cell string) string {
	return fmt.Sprintf("số người không hợp lệ: %s (một số nguyên từ 0 đến %d, hoặc để trống)", quote(cell), MaxHeadcount)
}

func reasonTooManyAliases(n int) string {
	return fmt.Sprintf("quá nhiều tên khác: %d (tối đa %d)", n, MaxAliases)
}

func reasonAliasProblem(alias, problem string) string {
	return fmt.Sprintf("tên khác %s %s", quote(alias), problem)
}

func reasonDuplicateCode(row int) string {
	return fmt.Sprintf("mã đơn vị trùng với dòng %d", row)
}

func reasonSiblingName(row int) string {
	return fmt.Sprintf("tên trùng với dòng %d trong cùng đơn vị cấp trên", row)
}

func reasonAliasTaken(alias string, row int) string {
	return fmt.Sprintf("tên khác %s trùng với tên hoặc tên khác của đơn vị ở dòng %d", quote(alias), row)
}

func reasonCycle(path []string) string {
	return "đơn vị cấp trên tạo thành vòng lặp: " + strings.Join(path, " → ")
}

func reasonTooDeep(depth int) string {
	return fmt.Sprintf("quá nhiều cấp: %d cấp (tối đa %d)", depth, MaxDepth)
}

// quote is s in double quotes for messages, escaped when not printable and cut at
// maxQuoted bytes: a message quotes a cell, never a whole pasted document.
func quote(s string) string { return `"` + printable.Cut(s, maxQuoted) + `"` }

const maxQuoted = 120

func utfValid(s string) bool { return utf8.ValidString(s) }

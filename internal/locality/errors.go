package locality

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

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

// Error formats the problem as "dòng 5, cột ma_xa: mã xã trống".
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
// Errors that are not about the content (an unreadable reader) are returned as ordinary
// errors instead.
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

// newImportError returns nil for no problems; otherwise they are ordered by row, keeping
// discovery order within a row.
func newImportError(errs []RowError) error {
	if len(errs) == 0 {
		return nil
	}
	errs = slices.Clone(errs)
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Row, b.Row) })
	return &ImportError{Errors: errs}
}

func fileError(reason string) error { return &ImportError{Errors: []RowError{{Reason: reason}}} }

// The organizer's messages, in one place so their wording stays consistent.
const (
	reasonEncoding      = "lỗi mã hoá: tệp không phải UTF-8 (hãy lưu tệp với kiểu \"CSV UTF-8\")"
	reasonEncodingUTF16 = "lỗi mã hoá: tệp đang ở dạng UTF-16; hãy lưu lại với kiểu \"CSV UTF-8\""
	reasonEmptyFile     = "tệp trống: thiếu dòng tiêu đề " + ColDistrictCode + "," + ColDistrictName + "," + ColCommuneCode + "," + ColCommuneName
	reasonNoRows        = "tệp không có đơn vị hành chính nào"
	reasonLineBreak     = "tên có ký tự xuống dòng"
	reasonControlChar   = "tên có ký tự điều khiển (ký tự ẩn, không in được)"
)

func reasonFileTooLarge() string {
	return fmt.Sprintf("tệp quá lớn: tối đa %d MB", MaxFileBytes>>20)
}

func reasonCSVSyntax(err error) string { return "lỗi định dạng CSV: " + printable.Error(err) }

func reasonMissingColumn(col string) string { return "thiếu cột bắt buộc " + col }

func reasonDuplicateColumn(first int) string {
	return fmt.Sprintf("cột bị lặp lại (đã có ở cột thứ %d)", first)
}

func reasonUnsupportedColumn(header string) string {
	return fmt.Sprintf("cột không được hỗ trợ: %q (chỉ dùng %s, %s, %s, %s)", header,
		ColDistrictCode, ColDistrictName, ColCommuneCode, ColCommuneName)
}

func reasonEmpty(what string) string { return what + " trống" }

func reasonBadCode(code string) string {
	return fmt.Sprintf("mã không hợp lệ: %q (chỉ dùng chữ số, chữ cái không dấu, dấu gạch ngang, gạch dưới; tối đa %d ký tự)", code, MaxCodeLength)
}

func reasonTooLong(n int) string {
	return fmt.Sprintf("tên quá dài: %d ký tự (tối đa %d)", n, MaxNameRunes)
}

func reasonDistrictRenamed(row int, name string) string {
	return fmt.Sprintf("tên huyện khác với dòng %d (%q) dù cùng mã huyện", row, name)
}

func reasonDistrictNameTaken(code string, row int) string {
	return fmt.Sprintf("tên huyện trùng với huyện mã %s ở dòng %d", code, row)
}

func reasonDuplicateCommune(row int) string { return fmt.Sprintf("mã xã trùng với dòng %d", row) }

func reasonCommuneIsDistrict(row int) string {
	return fmt.Sprintf("mã xã trùng với mã huyện ở dòng %d", row)
}

func reasonCommuneNameTaken(row int) string {
	return fmt.Sprintf("tên xã trùng với dòng %d trong cùng huyện", row)
}

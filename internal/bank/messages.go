package bank

import (
	"fmt"
	"strings"

	"github.com/dxcontest/contest-platform/internal/printable"
)

// Every reason an organizer can read is written here, in Vietnamese, so the
// wording stays consistent between the CSV, XLSX and Validate paths and can
// be reviewed in one place.

const (
	reasonEncoding             = "lỗi mã hoá: tệp không phải UTF-8 (hãy lưu tệp với mã hoá UTF-8)"
	reasonEncodingUTF16        = "lỗi mã hoá: tệp không phải UTF-8 (tệp đang ở dạng UTF-16; hãy lưu dưới dạng \"CSV UTF-8\")"
	reasonXLSXAsCSV            = "tệp có dạng XLSX, không phải CSV"
	reasonEmptyFile            = "tệp trống: thiếu dòng tiêu đề"
	reasonEmptySheet           = "trang tính trống: thiếu dòng tiêu đề"
	reasonNoQuestions          = "tệp không có câu hỏi nào"
	reasonNoTopics             = "thiếu danh sách chủ đề: cần trang tính chu_de (tệp XLSX) hoặc danh sách chủ đề do hệ thống cung cấp (tệp CSV)"
	reasonNoQuestionSht        = "không tìm thấy trang tính câu hỏi"
	reasonTooManyOptCols       = "chỉ hỗ trợ tối đa 6 phương án (A đến F)"
	reasonAmbiguousTopicColumn = "tên cột không rõ nghĩa trong trang tính chu_de: dùng ma_chu_de cho mã và ten_chu_de cho tên chủ đề"
	reasonXLS                  = "tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8"

	reasonEmptyText      = "câu hỏi trống"
	reasonEmptyOption    = "phương án trống"
	reasonTooFewOptions  = "cần ít nhất 2 phương án"
	reasonNoCorrect      = "không có đáp án đúng"
	reasonManyCorrect    = "có hơn một đáp án đúng"
	reasonNoTopic        = "thiếu chủ đề"
	reasonNoID           = "thiếu mã câu hỏi"
	reasonEmptyTopicCode = "mã chủ đề trống"
	reasonEmptyTopicName = "tên chủ đề trống"
)

func reasonFileTooLarge(maxBytes int) string {
	return fmt.Sprintf("tệp quá lớn: tối đa %d MB", maxBytes>>20)
}

func reasonBadSepLine(sep rune) string {
	return fmt.Sprintf("dòng \"sep=\" chỉ định dấu phân cách không dùng được: %q (hãy dùng dấu phẩy, chấm phẩy hoặc tab)", string(sep))
}

func reasonCSVSyntax(detail string) string {
	return "lỗi định dạng CSV: " + printable.Cut(detail, printable.DetailBytes)
}

// The reader's own error quotes the file's bytes as they are: shown escaped and bounded.
func reasonBadXLSX(err error) string {
	return "không đọc được tệp XLSX (tệp hỏng hoặc có mật khẩu): " + printable.Error(err)
}

func reasonBadSheet(err error) string {
	return "không đọc được trang tính: " + printable.Error(err)
}

func reasonUnsupportedExt(ext string) string {
	return fmt.Sprintf("định dạng tệp không được hỗ trợ: %q (chỉ nhận .csv hoặc .xlsx)", ext)
}

func reasonMissingColumn(name string) string { return "thiếu cột bắt buộc " + name }

func reasonOptionColumnGap(name string) string {
	return fmt.Sprintf("thiếu cột %s: các cột phương án phải liền nhau, bắt đầu từ phuong_an_a", name)
}

func reasonDuplicateColumn(firstCol int) string {
	return fmt.Sprintf("cột bị lặp lại (đã có ở cột thứ %d)", firstCol)
}

func reasonUnsupportedColumn(header string) string {
	return fmt.Sprintf("cột không được hỗ trợ: %q", header)
}

func reasonUntitledData(col int) string {
	return fmt.Sprintf("có dữ liệu ở cột thứ %d nhưng cột này không có tiêu đề", col)
}

func reasonTooLong(what string, n, limit int) string {
	return fmt.Sprintf("%s quá dài: %d ký tự (tối đa %d)", what, n, limit)
}

func reasonTooManyOptions(n int) string {
	return fmt.Sprintf("có %d phương án, tối đa %d", n, MaxOptions)
}

func reasonDuplicateOption(letter string) string {
	return "phương án trùng với phương án " + letter
}

func reasonAnswerInvalid(cell string) string {
	return fmt.Sprintf("đáp án không hợp lệ: %q (cần một chữ cái từ A đến F)", cell)
}

func reasonAnswerEmptyOption(letter string) string {
	return fmt.Sprintf("đáp án %s trỏ tới phương án trống", letter)
}

func reasonUnknownTopic(code string) string {
	return "chủ đề không tồn tại: " + printable.Text(code)
}

func reasonDuplicateQuestion(row int) string {
	return fmt.Sprintf("câu hỏi trùng với dòng %d", row)
}

func reasonDuplicateID(row int) string {
	return fmt.Sprintf("mã câu hỏi trùng với dòng %d", row)
}

func reasonGeneratedIDClash(id string, row int) string {
	return fmt.Sprintf("mã câu hỏi tự sinh %s trùng với mã ở dòng %d: hãy điền mã câu hỏi cho dòng này", id, row)
}

func reasonBadID(id string) string {
	return fmt.Sprintf("mã câu hỏi không hợp lệ: %q (chỉ dùng chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; tối đa %d ký tự)", id, MaxIDLength)
}

func reasonBadTopicCode(code string) string {
	return fmt.Sprintf("mã chủ đề không hợp lệ: %q (chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang; tối đa %d ký tự)", code, MaxIDLength)
}

func reasonDuplicateTopicCode(row int) string {
	return fmt.Sprintf("mã chủ đề trùng với dòng %d", row)
}

func reasonDuplicateTopicName(row int) string {
	return fmt.Sprintf("tên chủ đề trùng với dòng %d", row)
}

func reasonNotAHeader(required []string) string {
	return "dòng đầu tiên phải là dòng tiêu đề với các cột " + strings.Join(required, ", ")
}

package exam

// Stable codes of every error a person or organizer may read. The web layer keys its
// translation table on them; the Vietnamese text is what Error returns.
const (
	CodeNoQuotas        = "exam.no_quotas"
	CodeDuplicateTopic  = "exam.duplicate_topic"
	CodeBadQuota        = "exam.bad_quota"
	CodeUnknownTopic    = "exam.unknown_topic"
	CodeTooFewQuestions = "exam.too_few_questions"

	CodeUnknownItem   = "answer.unknown_item"
	CodeUnknownOption = "answer.unknown_option"

	CodeBadAnswerField      = "answer.bad_field"
	CodeBadAnswerLetter     = "answer.bad_letter"
	CodeRepeatedAnswerField = "answer.repeated_field"
	CodeTooManyFields       = "answer.too_many_fields"

	CodePredictionRequired = "prediction.required"
	CodePredictionNegative = "prediction.negative"
	CodePredictionFormat   = "prediction.format"
	CodePredictionComma    = "prediction.comma"
	CodePredictionDecimal  = "prediction.decimal"
	CodePredictionGrouping = "prediction.grouping"
	CodePredictionTooLarge = "prediction.too_large"
)

// Message is one entry of the translation table.
type Message struct {
	Code       string
	Vietnamese string
	English    string
}

// Messages returns the translation table of every code. Prediction errors use these
// texts as they are; quota and answer errors build a more precise Vietnamese text with
// their values (topic, counts) in Error, and are listed here with a generic one.
func Messages() []Message {
	return []Message{
		{CodeNoQuotas, "Chưa khai báo số câu hỏi cần rút cho chủ đề nào.", "No topic quotas are declared."},
		{CodeDuplicateTopic, "Một chủ đề được khai báo nhiều lần.", "A topic is listed more than once."},
		{CodeBadQuota, "Số câu hỏi cần rút của chủ đề phải lớn hơn 0.", "A topic's number of questions must be greater than 0."},
		{CodeUnknownTopic, "Chủ đề không có trong ngân hàng câu hỏi.", "The topic is not in the question bank."},
		{CodeTooFewQuestions, "Chủ đề không đủ câu hỏi để rút.", "The topic has fewer questions than each attempt draws."},
		{CodeUnknownItem, "Bài thi không có câu hỏi này.", "The paper has no such question."},
		{CodeUnknownOption, "Câu hỏi không có phương án này.", "The question has no such option."},
		{CodeBadAnswerField, "Biểu mẫu gửi lên có trường không phải câu trả lời.", "The form has a field that is not an answer."},
		{CodeBadAnswerLetter, "Câu trả lời phải là một chữ cái từ A đến J.", "An answer must be one letter from A to J."},
		{CodeRepeatedAnswerField, "Một câu trả lời được gửi nhiều lần.", "An answer was sent more than once."},
		{CodeTooManyFields, "Biểu mẫu gửi lên có quá nhiều trường.", "The form has too many fields."},
		{CodePredictionRequired, "Vui lòng nhập số dự đoán.", "Please enter your prediction."},
		{CodePredictionNegative, "Số dự đoán không được là số âm.", "The prediction cannot be negative."},
		{CodePredictionFormat, "Số dự đoán chỉ được gồm chữ số, ví dụ 1234.", "The prediction may contain digits only, e.g. 1234."},
		{CodePredictionComma, "Vui lòng nhập số nguyên, không dùng dấu phẩy (ví dụ 1234 hoặc 1.234).", "Please enter a whole number without commas (e.g. 1234 or 1.234)."},
		{CodePredictionDecimal, "Số dự đoán phải là số nguyên, không có phần thập phân.", "The prediction must be a whole number, without decimals."},
		{CodePredictionGrouping, "Dấu chấm hoặc dấu cách chỉ dùng để tách hàng nghìn (ví dụ 1.234.567 hoặc 1 234 567).", "Dots or spaces may only separate thousands (e.g. 1.234.567 or 1 234 567)."},
		{CodePredictionTooLarge, "Số dự đoán không được lớn hơn 1.000.000.000.", "The prediction cannot exceed 1,000,000,000."},
	}
}

// Vietnamese returns the Vietnamese text of a code, or "" for an unknown code.
func Vietnamese(code string) string { return lookup(code).Vietnamese }

// English returns the English text of a code, or "" for an unknown code.
func English(code string) string { return lookup(code).English }

func lookup(code string) Message {
	for _, m := range Messages() {
		if m.Code == code {
			return m
		}
	}
	return Message{}
}

package exam

// Stable codes of every error a person or organizer may read. They are also the keys of
// their texts in internal/locale's catalogs (vi.yaml, en.yaml): a prediction error's text
// is the catalog's as it is; quota and answer errors build a more precise Vietnamese text
// with their values (topic, counts) in Error, and the catalog has a generic one.
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

package exam

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Bounds of a posted answers form.
const (
	// MaxAnswerItems bounds an answer field's item index: q0 … q999. Rounds have at most
	// 200 questions (the CRD); the bound keeps field names short.
	MaxAnswerItems = 1000
	// MaxFormValues bounds the values of a whole posted form, answers or not: a paper's
	// answers and the form's few other fields (csrf, prediction). A form with more is not
	// the exam page's, and is refused before any of it is looked at.
	MaxFormValues = MaxAnswerItems + 24
)

// ParseAnswerFields reads the answers of a posted exam form: fields q<index> (index
// 0 … MaxAnswerItems-1 written without leading zeros) holding one option letter A–J.
// An empty value leaves the item unanswered; fields not starting with "q" (csrf,
// prediction, …) are not answers and are ignored. Anything else — another name starting
// with "q", a repeated field, a value that is not one letter (a NUL byte, a long string),
// more than MaxFormValues values — is an *AnswerFieldError naming the field, so hostile
// input never reaches the database. Fields are checked in name order, so the error is
// the same for the same form.
//
// Whether the item and the letter exist in the attempt's paper is checked later, against
// the paper ([ValidateAnswers], and the store's save).
func ParseAnswerFields(form map[string][]string) (Answers, error) {
	if len(form) > MaxFormValues {
		return nil, &AnswerFieldError{Code: CodeTooManyFields, Item: -1}
	}
	values := 0
	names := make([]string, 0, len(form))
	for k, vs := range form {
		values += max(len(vs), 1)
		if values > MaxFormValues {
			return nil, &AnswerFieldError{Code: CodeTooManyFields, Item: -1}
		}
		if strings.HasPrefix(k, "q") {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	answers := make(Answers, len(names))
	for _, k := range names {
		item, ok := answerItem(k)
		if !ok {
			return nil, &AnswerFieldError{Code: CodeBadAnswerField, Field: shortField(k), Item: -1}
		}
		vs := form[k]
		switch {
		case len(vs) > 1:
			return nil, &AnswerFieldError{Code: CodeRepeatedAnswerField, Field: k, Item: item}
		case len(vs) == 0 || vs[0] == "":
			continue
		case len(vs[0]) != 1 || vs[0][0] < 'A' || vs[0][0] >= 'A'+maxOptions:
			return nil, &AnswerFieldError{Code: CodeBadAnswerLetter, Field: k, Item: item}
		}
		answers[item] = vs[0]
	}
	return answers, nil
}

// answerItem reads the index of a field named q<index>: decimal digits, no sign, no
// leading zero, below MaxAnswerItems.
func answerItem(name string) (int, bool) {
	digits := name[1:]
	if digits == "" || len(digits) > 3 || (digits[0] == '0' && len(digits) > 1) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n < MaxAnswerItems
}

// maxFieldShown bounds how much of a refused field's name an error repeats.
const maxFieldShown = 24

// shortField cuts a field name to maxFieldShown bytes at a character boundary.
func shortField(s string) string {
	if len(s) <= maxFieldShown {
		return s
	}
	cut := maxFieldShown
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// AnswerFieldError says a posted form's answer fields are not what the exam page sends.
type AnswerFieldError struct {
	// Code is CodeBadAnswerField, CodeBadAnswerLetter, CodeRepeatedAnswerField or
	// CodeTooManyFields.
	Code string
	// Field is the field's name as sent, cut to 24 bytes (it may hold any byte: show it
	// quoted, as Quoted does); empty for CodeTooManyFields.
	Field string
	// Item is the 0-based item the field names, or -1 when the name is not an answer's.
	Item int
}

// Quoted is the field's name in Go quotes, with control and invalid bytes escaped, fit
// for a message.
func (e *AnswerFieldError) Quoted() string { return fmt.Sprintf("%q", e.Field) }

func (e *AnswerFieldError) Error() string {
	switch e.Code {
	case CodeTooManyFields:
		return fmt.Sprintf("biểu mẫu gửi lên có quá nhiều trường (tối đa %d)", MaxFormValues)
	case CodeBadAnswerField:
		return fmt.Sprintf("trường %s không phải là câu trả lời của câu hỏi nào (q0 đến q%d)", e.Quoted(), MaxAnswerItems-1)
	case CodeRepeatedAnswerField:
		return fmt.Sprintf("trường %s (câu %d) được gửi nhiều lần", e.Quoted(), e.Item+1)
	default:
		return fmt.Sprintf("trường %s (câu %d) phải là một chữ cái từ A đến %s", e.Quoted(), e.Item+1, optionID(maxOptions-1))
	}
}

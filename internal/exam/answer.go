package exam

import (
	"fmt"
	"slices"
)

// Answers maps an item's index in the paper to the chosen option ID ("A", "B", ...).
// Stored as attempt.answers, e.g. {"0":"B","3":"A"}; an absent item is unanswered.
type Answers map[int]string

// ValidateAnswer checks that item is a question of the paper and optionID one of its
// shown options. Only a tampered or outdated page can fail it.
func ValidateAnswer(p Paper, item int, optionID string) error {
	if item < 0 || item >= len(p.Items) {
		return &AnswerError{Code: CodeUnknownItem, Item: item, OptionID: optionID, Items: len(p.Items)}
	}
	n := len(p.Items[item].Order)
	if shownPosition(optionID, n) < 0 {
		return &AnswerError{Code: CodeUnknownOption, Item: item, OptionID: optionID, Options: n}
	}
	return nil
}

// ValidateAnswers checks every answer of a submission, reporting the first problem in
// item order so the message is stable.
func ValidateAnswers(p Paper, a Answers) error {
	items := make([]int, 0, len(a))
	for i := range a {
		items = append(items, i)
	}
	slices.Sort(items)
	for _, i := range items {
		if err := ValidateAnswer(p, i, a[i]); err != nil {
			return err
		}
	}
	return nil
}

// AnswerError says an answer names a question or option the paper does not have.
type AnswerError struct {
	Code     string // CodeUnknownItem or CodeUnknownOption
	Item     int    // 0-based item index as sent
	OptionID string
	Items    int // questions in the paper (CodeUnknownItem)
	Options  int // options of the item (CodeUnknownOption)
}

func (e *AnswerError) Error() string {
	if e.Code == CodeUnknownItem {
		return fmt.Sprintf("bài thi không có câu số %d (bài thi có %d câu)", e.Item+1, e.Items)
	}
	return fmt.Sprintf("câu %d không có phương án %q (chọn một trong các phương án từ A đến %s)",
		e.Item+1, e.OptionID, optionID(e.Options-1))
}

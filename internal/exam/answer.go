package exam

import (
	"fmt"
	"slices"
)

// Answers maps an item's index in the paper to the chosen option ID ("A", "B", ...).
// Stored as attempt.answers, e.g. {"0":"B","3":"A"}; an absent item is unanswered.
type Answers map[int]string

// Shape is what the answer rule needs of a paper: how many options each item shows. It
// is small enough to keep in memory for every attempt under way (one byte an item), so
// answers can be checked without reading the paper again.
type Shape []uint8

// Shape returns the paper's shape.
func (p Paper) Shape() Shape {
	s := make(Shape, len(p.Items))
	for i, it := range p.Items {
		s[i] = uint8(len(it.Order))
	}
	return s
}

// Validate checks every answer against the shape — each names an item of the paper and
// one of its shown options — reporting the first problem in item order so the message is
// stable. This is the answer rule; only a tampered or outdated page can fail it.
func (s Shape) Validate(a Answers) error {
	items := make([]int, 0, len(a))
	for i := range a {
		items = append(items, i)
	}
	slices.Sort(items)
	for _, i := range items {
		if i < 0 || i >= len(s) {
			return &AnswerError{Code: CodeUnknownItem, Item: i, OptionID: a[i], Items: len(s)}
		}
		if shownPosition(a[i], int(s[i])) < 0 {
			return &AnswerError{Code: CodeUnknownOption, Item: i, OptionID: a[i], Options: int(s[i])}
		}
	}
	return nil
}

// ValidateAnswers checks every answer of a submission against the paper (Shape.Validate).
func ValidateAnswers(p Paper, a Answers) error { return p.Shape().Validate(a) }

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

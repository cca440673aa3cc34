package exam

import "github.com/dxcontest/contest-platform/internal/bank"

// Result is the outcome of an attempt.
type Result struct {
	Correct int
	Total   int
	// PerItem is in paper order. It reveals the key: the server decides when to show
	// it (the round's revealAnswers policy).
	PerItem []ItemResult
}

// ItemResult is one question's outcome.
type ItemResult struct {
	Chosen        string // option ID chosen, "" when unanswered or not a valid option
	CorrectOption string // option ID of the correct option in this attempt
	IsCorrect     bool
	// Question is the question's position in the bank, and Option the bank's index of the
	// option chosen (-1 when none): the answer as the item analysis counts it, whatever
	// order the options were shown in.
	Question, Option int
}

// Score scores the answers against the bank. Unanswered items and answers that are not
// an option of their item count as wrong; answers to items the paper does not have are
// ignored. It fails only when the paper does not match the bank, or a question of the
// bank does not have exactly one correct option (which bank validation refuses).
func Score(p Paper, b *bank.Bank, a Answers) (Result, error) {
	res := Result{Total: len(p.Items), PerItem: make([]ItemResult, len(p.Items))}
	for i, it := range p.Items {
		at, err := locate(b, it, i)
		if err != nil {
			return Result{}, err
		}
		q := &b.Questions[at]
		key := q.CorrectIndex()
		if key < 0 {
			return Result{}, &PaperError{Item: i, QuestionID: it.QuestionID,
				Reason: "không có đúng một đáp án đúng trong ngân hàng câu hỏi"}
		}
		r := ItemResult{Question: at, Option: -1}
		for k := 0; k < len(it.Order); k++ {
			if int(it.Order[k]-'0') == key {
				r.CorrectOption = optionID(k)
				break
			}
		}
		if chosen, ok := a[i]; ok && shownPosition(chosen, len(it.Order)) >= 0 {
			r.Chosen = chosen
			r.IsCorrect = chosen == r.CorrectOption
			r.Option = int(it.Order[shownPosition(chosen, len(it.Order))] - '0')
		}
		if r.IsCorrect {
			res.Correct++
		}
		res.PerItem[i] = r
	}
	return res, nil
}

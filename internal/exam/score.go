package exam

import (
	"fmt"

	"github.com/dxcontest/contest-platform/internal/bank"
)

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
	CorrectOption string // option ID of the correct option in this attempt; "" when any is accepted
	IsCorrect     bool
	// Corrected says the item was scored with a key correction, not the bank's key;
	// AnyAccepted that the correction accepts whichever option was chosen.
	Corrected   bool
	AnyAccepted bool
	// Question is the question's position in the bank, and Option the bank's index of the
	// option chosen (-1 when none): the answer as the item analysis counts it, whatever
	// order the options were shown in and whatever the key (so it stays true after a
	// key correction).
	Question, Option int
}

// Score scores the answers against the bank. Unanswered items and answers that are not
// an option of their item count as wrong; answers to items the paper does not have are
// ignored. It fails only when the paper does not match the bank, or a question of the
// bank does not have exactly one correct option (which bank validation refuses).
func Score(p Paper, b *bank.Bank, a Answers) (Result, error) { return ScoreWith(p, b, a, nil) }

// ScoreWith scores the answers as Score does, with the round's key corrections in force:
// a corrected question is scored with the correction's key instead of the bank's. The
// result depends only on the paper, the bank, the answers and the corrections, never on
// an earlier score: rescoring a round is scoring it again from scratch.
func ScoreWith(p Paper, b *bank.Bank, a Answers, c Corrections) (Result, error) {
	res := Result{Total: len(p.Items), PerItem: make([]ItemResult, len(p.Items))}
	for i, it := range p.Items {
		at, err := locate(b, it, i)
		if err != nil {
			return Result{}, err
		}
		q := &b.Questions[at]
		key, corrected := c.keyFor(q)
		if !key.Any && (key.Option < 0 || key.Option >= len(q.Options)) {
			reason := "không có đúng một đáp án đúng trong ngân hàng câu hỏi"
			if corrected {
				reason = fmt.Sprintf("đáp án điều chỉnh %s không phải một phương án của câu hỏi", key)
			}
			return Result{}, &PaperError{Item: i, QuestionID: it.QuestionID, Reason: reason}
		}
		r := ItemResult{Corrected: corrected, AnyAccepted: key.Any, Question: at, Option: -1}
		if !key.Any {
			for k := 0; k < len(it.Order); k++ {
				if int(it.Order[k]-'0') == key.Option {
					r.CorrectOption = optionID(k)
					break
				}
			}
		}
		if chosen, ok := a[i]; ok {
			if k := shownPosition(chosen, len(it.Order)); k >= 0 {
				r.Chosen = chosen
				r.Option = int(it.Order[k] - '0')
				r.IsCorrect = key.Accepts(r.Option)
			}
		}
		if r.IsCorrect {
			res.Correct++
		}
		res.PerItem[i] = r
	}
	return res, nil
}

package exam

import (
	"fmt"

	"github.com/dxcontest/contest-platform/internal/bank"
)

// maxOptions is how many options an item can hold: the permutation is stored one
// decimal digit per option. The bank allows at most bank.MaxOptions (6).
const maxOptions = 10

// optionLetters are the identifiers of shown options, by shown position.
const optionLetters = "ABCDEFGHIJ"

// Paper is one attempt's drawn questions in the order shown, as stored in
// attempt.paper. It holds no answer key but is server-side only: with the bank it
// determines the correct letters.
type Paper struct {
	Items []Item `json:"items"`
}

// Item is one question of a paper.
type Item struct {
	// QuestionID is the bank question's ID.
	QuestionID string `json:"id"`
	// At is the question's position in the bank's Questions when drawn. It is a hint
	// for a constant-time lookup; QuestionID stays authoritative.
	At int `json:"at"`
	// Order lists the bank option indices in the order shown, one digit each: "2031"
	// shows bank option 2 as A, 0 as B, 3 as C and 1 as D. A digit string keeps the
	// stored JSON short ("2031" rather than [2,0,3,1]).
	Order string `json:"order"`
}

// Len is the number of questions in the paper.
func (p Paper) Len() int { return len(p.Items) }

// optionID returns the identifier of the option shown at position k.
func optionID(k int) string { return optionLetters[k : k+1] }

// shownPosition returns the shown position of an option identifier in an item with n
// options, or -1 when it is not one of them.
func shownPosition(id string, n int) int {
	if len(id) != 1 {
		return -1
	}
	k := int(id[0]) - 'A'
	if k < 0 || k >= n {
		return -1
	}
	return k
}

// Question returns the bank question of item i, for server-side use (reveal pages,
// explanations). It fails when i is out of range or the paper does not match the bank.
func (p Paper) Question(b *bank.Bank, i int) (*bank.Question, error) {
	if i < 0 || i >= len(p.Items) {
		return nil, &AnswerError{Item: i, Code: CodeUnknownItem, Items: len(p.Items)}
	}
	return resolve(b, p.Items[i], i)
}

// Check verifies that every item of the paper names a question of the bank and that
// its Order is a permutation of that question's options. A stored paper that fails
// this was drawn from another bank or was altered.
func (p Paper) Check(b *bank.Bank) error {
	for i, it := range p.Items {
		if _, err := resolve(b, it, i); err != nil {
			return err
		}
	}
	return nil
}

// resolve finds the bank question of an item and checks the item's permutation.
func resolve(b *bank.Bank, it Item, i int) (*bank.Question, error) {
	at, err := locate(b, it, i)
	if err != nil {
		return nil, err
	}
	return &b.Questions[at], nil
}

// locate finds the position in the bank of an item's question and checks the item's
// permutation.
func locate(b *bank.Bank, it Item, i int) (int, error) {
	at := -1
	if it.At >= 0 && it.At < len(b.Questions) && b.Questions[it.At].ID == it.QuestionID {
		at = it.At
	} else {
		for j := range b.Questions {
			if b.Questions[j].ID == it.QuestionID {
				at = j
				break
			}
		}
	}
	if at < 0 {
		return -1, &PaperError{Item: i, QuestionID: it.QuestionID,
			Reason: fmt.Sprintf("không có trong ngân hàng câu hỏi %s phiên bản %d", b.Name, b.Version)}
	}
	if q := &b.Questions[at]; !isPermutation(it.Order, len(q.Options)) {
		return -1, &PaperError{Item: i, QuestionID: it.QuestionID,
			Reason: fmt.Sprintf("thứ tự phương án %q không khớp với %d phương án của câu hỏi", it.Order, len(q.Options))}
	}
	return at, nil
}

// isPermutation reports whether order holds each digit 0..n-1 exactly once.
func isPermutation(order string, n int) bool {
	if len(order) != n || n > maxOptions {
		return false
	}
	var seen uint16
	for i := 0; i < len(order); i++ {
		d := int(order[i]) - '0'
		if d < 0 || d >= n || seen&(1<<d) != 0 {
			return false
		}
		seen |= 1 << d
	}
	return true
}

// PaperError says that a stored paper does not match the bank it claims to be drawn
// from: a server-side data problem, never the contestant's doing.
type PaperError struct {
	Item       int
	QuestionID string
	Reason     string
}

func (e *PaperError) Error() string {
	return fmt.Sprintf("bài thi không khớp ngân hàng câu hỏi: câu %d (mã %s) %s", e.Item+1, e.QuestionID, e.Reason)
}

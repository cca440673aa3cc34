package exam

import (
	"fmt"

	"github.com/dxcontest/contest-platform/internal/bank"
)

// Key is what counts as right for one question: one option, by its index in the bank's
// order (the letter the bank file gives it: 0 is A), or, when Any, whichever option was
// chosen. A question nobody answered stays wrong under Any: "accept any answer" accepts
// answers, and an unanswered question has none (docs/decisions.md, key corrections).
type Key struct {
	Option int
	Any    bool
}

// AnyKey is the key that accepts whichever option was chosen.
var AnyKey = Key{Any: true}

// KeyOf is the key the bank gives a question (Option -1 when the bank does not mark exactly
// one option, which bank validation refuses).
func KeyOf(q *bank.Question) Key { return Key{Option: q.CorrectIndex()} }

// String is the key as the bank file writes it: a letter "A".."J", or "any".
func (k Key) String() string {
	if k.Any {
		return "any"
	}
	if k.Option < 0 || k.Option >= maxOptions {
		return "?"
	}
	return optionID(k.Option)
}

// ParseKey reads a key written by String ("A".."J", or "any").
func ParseKey(s string) (Key, error) {
	if s == "any" {
		return AnyKey, nil
	}
	if k := shownPosition(s, maxOptions); k >= 0 {
		return Key{Option: k}, nil
	}
	return Key{}, fmt.Errorf("key %q: want a letter from A to J, or \"any\"", s)
}

// Accepts says whether the bank option index chosen counts as right under the key.
func (k Key) Accepts(option int) bool { return k.Any || option == k.Option }

// CheckKey says whether k can be the key of q: an option q has, or any.
func CheckKey(q *bank.Question, k Key) error {
	if k.Any {
		return nil
	}
	if k.Option < 0 || k.Option >= len(q.Options) {
		return fmt.Errorf("question %s has options A to %s: there is no option %s", q.ID, optionID(len(q.Options)-1), k)
	}
	return nil
}

// Corrections are the key corrections in force for one round, by bank question ID: the
// key each corrected question is scored with instead of the bank's. A bank version never
// changes; a correction belongs to the round that uses it.
type Corrections map[string]Key

// keyFor is the key item it of the paper is scored with: the correction's, else the bank's.
func (c Corrections) keyFor(q *bank.Question) (Key, bool) {
	if k, ok := c[q.ID]; ok {
		return k, true
	}
	return KeyOf(q), false
}

package integrity

import (
	"cmp"
	"slices"

	"github.com/dxcontest/contest-platform/internal/exam"
)

// Choices are the options an attempt chose, by bank question ID, as the bank numbers them
// (0 for the bank's first option): papers are drawn and shuffled per attempt, so two
// attempts are compared on the questions both drew, option by option, never by letter.
// Unanswered is -1.
type Choices map[string]int8

// Unanswered is the choice of a question left blank.
const Unanswered int8 = -1

// ChoicesOf reads an attempt's choices from its paper and answers. An answer that names no
// shown option (which the answer rule never lets through) reads as unanswered.
func ChoicesOf(p exam.Paper, answers exam.Answers) Choices {
	out := make(Choices, len(p.Items))
	for i, it := range p.Items {
		out[it.QuestionID] = Unanswered
		letter, ok := answers[i]
		if !ok || len(letter) != 1 {
			continue
		}
		k := int(letter[0]) - 'A'
		if k < 0 || k >= len(it.Order) {
			continue
		}
		if d := int(it.Order[k]) - '0'; d >= 0 && d <= 9 {
			out[it.QuestionID] = int8(d)
		}
	}
	return out
}

// Key is the correct option of each bank question, by ID (bank numbering): with it a
// signal says how many of the identical answers are identical mistakes, the strongest sign
// that answers were copied. Nil leaves that count at zero.
type Key map[string]int8

// SameAnswers returns, for each pair of submitted attempts of different accounts whose
// starts are within r.Timeline of each other and whose submissions are too, and which chose
// the same option on every question both drew (blank for blank) with at least r.MinShared
// of those questions answered, a signal for each of the two accounts. Attempts without
// choices are left out. At most r.MaxPairs pairs are reported (the earliest started).
func SameAnswers(attempts []Attempt, r Rules, key Key) []Signal {
	var list []*Attempt
	for i := range attempts {
		a := &attempts[i]
		if a.Submitted && !a.SubmittedAt.IsZero() && a.Choices != nil {
			list = append(list, a)
		}
	}
	slices.SortFunc(list, func(a, b *Attempt) int {
		if c := a.StartedAt.Compare(b.StartedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	var out []Signal
	for i, a := range list {
		for _, b := range list[i+1:] {
			startGap := b.StartedAt.Sub(a.StartedAt)
			if startGap > r.Timeline {
				break
			}
			if a.ContestantID == b.ContestantID {
				continue
			}
			submitGap := b.SubmittedAt.Sub(a.SubmittedAt).Abs()
			if submitGap > r.Timeline {
				continue
			}
			shared, wrong, same := compare(a.Choices, b.Choices, key)
			if !same || shared < max(r.MinShared, 1) {
				continue
			}
			if r.MaxPairs > 0 && len(out) >= 2*r.MaxPairs {
				return out
			}
			for _, p := range [][2]*Attempt{{a, b}, {b, a}} {
				me, other := p[0], p[1]
				out = append(out, Signal{Kind: KindSameAnswers, ContestantID: me.ContestantID,
					Key: key2(me.ID, other.ID), Attempt: me.ID, OtherAttempt: other.ID, Others: []int64{other.ContestantID},
					Accounts: 2, From: me.StartedAt, To: me.SubmittedAt, Correct: me.Correct, Total: me.Total, Saves: me.Saves,
					Shared: shared, SharedWrong: wrong, StartGap: startGap, SubmitGap: submitGap, Limit: max(r.MinShared, 1),
					Window: r.Timeline})
			}
		}
	}
	return out
}

func key2(mine, other int64) string { return key(KindSameAnswers, mine, other) }

// compare says whether two attempts chose alike on every question both drew, how many of
// those both answered, and how many of these were the same wrong option.
func compare(a, b Choices, key Key) (shared, wrong int, same bool) {
	if len(b) < len(a) {
		a, b = b, a
	}
	for q, ca := range a {
		cb, ok := b[q]
		if !ok {
			continue
		}
		if ca != cb {
			return 0, 0, false
		}
		if ca == Unanswered {
			continue
		}
		shared++
		if right, ok := key[q]; ok && right != ca {
			wrong++
		}
	}
	return shared, wrong, true
}

package itemstats

import (
	"fmt"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
)

// Blank is the option of a question left unanswered.
const Blank = -1

// Sums are what the analysis keeps of the attempts that gave one answer to one question:
// how many they are, and the sum of their scores and of their squares.
type Sums struct {
	Attempts int64
	Score    int64
	ScoreSq  int64
}

func (s *Sums) add(o Sums) {
	s.Attempts += o.Attempts
	s.Score += o.Score
	s.ScoreSq += o.ScoreSq
}

// Tally collects the sums of a round's answers, per question of one bank version and per
// option chosen. Its size is the bank's, whatever the number of attempts.
type Tally struct {
	bank  *bank.Bank
	index map[string]int
	// sums[q][0] is question q left blank, sums[q][1+o] its option o chosen.
	sums [][bank.MaxOptions + 1]Sums
	// attempts counted: by AddResponses, or as the caller says (AddAttempts).
	attempts int64
	// corr are the round's key corrections in force when the answers were read.
	corr exam.Corrections
}

// NewTally starts an empty tally for the questions of b.
func NewTally(b *bank.Bank) *Tally {
	t := &Tally{bank: b, index: make(map[string]int, len(b.Questions)), sums: make([][bank.MaxOptions + 1]Sums, len(b.Questions))}
	for i, q := range b.Questions {
		t.index[q.ID] = i
	}
	return t
}

// Add counts one attempt's answer to the question at index q of the bank: the bank option
// chosen (Blank when none) and the attempt's score.
func (t *Tally) Add(q, option, score int) error {
	s, err := t.cell(q, option)
	if err != nil {
		return err
	}
	sc := int64(score)
	s.add(Sums{Attempts: 1, Score: sc, ScoreSq: sc * sc})
	return nil
}

// AddSums adds the sums of the attempts that gave one answer (the bank option, or Blank)
// to the question with this ID, as the database computes them. A question the bank does not
// have, or an option it does not have, is an error: the attempts were not drawn from it.
func (t *Tally) AddSums(id string, option int, s Sums) error {
	q, ok := t.index[id]
	if !ok {
		return fmt.Errorf("question %q is not in bank %s version %d", id, t.bank.Name, t.bank.Version)
	}
	c, err := t.cell(q, option)
	if err != nil {
		return err
	}
	if s.Attempts < 0 || s.Score < 0 || s.ScoreSq < 0 {
		return fmt.Errorf("question %q option %d: negative sums %+v", id, option, s)
	}
	c.add(s)
	return nil
}

// SetCorrections says which key corrections were in force when the answers and scores
// were read (regrade.InForce of the round's): the analysis judges each corrected question
// by its corrected key, as the scores were computed. Read them with the scores, in one
// snapshot, or a correction applied in between would mix two keys.
func (t *Tally) SetCorrections(c exam.Corrections) { t.corr = c }

// Corrections are the key corrections the analysis uses (SetCorrections).
func (t *Tally) Corrections() exam.Corrections { return t.corr }

// Bank is the bank version the tally is for.
func (t *Tally) Bank() *bank.Bank { return t.bank }

// AddAttempts counts attempts whose answers were added by sums, for the analysis's header.
func (t *Tally) AddAttempts(n int64) { t.attempts += n }

func (t *Tally) cell(q, option int) (*Sums, error) {
	if q < 0 || q >= len(t.sums) {
		return nil, fmt.Errorf("question index %d is outside bank %s version %d (%d questions)", q, t.bank.Name, t.bank.Version, len(t.sums))
	}
	if option < Blank || option >= len(t.bank.Questions[q].Options) {
		return nil, fmt.Errorf("question %q has no option %d (%d options)", t.bank.Questions[q].ID, option, len(t.bank.Questions[q].Options))
	}
	return &t.sums[q][option+1], nil
}

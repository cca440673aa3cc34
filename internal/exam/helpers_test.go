package exam

import (
	"fmt"
	"math/rand/v2"

	"github.com/dxcontest/contest-platform/internal/bank"
)

// testBank builds a bank of topics × perTopic questions with nopts options each. The
// correct option sits at bank index q%nopts, so tests can compute it. Texts do not
// contain the IDs, so a test can search rendered output for a leaked ID.
func testBank(topics, perTopic, nopts int) *bank.Bank {
	b := &bank.Bank{Name: "test", Version: 1}
	for t := 0; t < topics; t++ {
		code := fmt.Sprintf("t%d", t+1)
		b.Topics = append(b.Topics, bank.Topic{Code: code, Title: "Chủ đề " + code})
		for q := 0; q < perTopic; q++ {
			id := fmt.Sprintf("%s-%03d", code, q+1)
			opts := make([]bank.Option, nopts)
			for o := range opts {
				opts[o] = bank.Option{Text: fmt.Sprintf("Lựa chọn %d của câu %d/%d", o, t, q), Correct: o == q%nopts}
			}
			b.Questions = append(b.Questions, bank.Question{ID: id, Topic: code, Text: fmt.Sprintf("Nội dung câu %d/%d", t, q), Options: opts})
		}
	}
	return b
}

// evenQuotas asks each of the first topics of b for per questions.
func evenQuotas(b *bank.Bank, per int) []Quota {
	qs := make([]Quota, len(b.Topics))
	for i, t := range b.Topics {
		qs[i] = Quota{Topic: t.Code, Questions: per}
	}
	return qs
}

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// correctLetter returns the shown letter of the correct option of item i.
func correctLetter(p Paper, b *bank.Bank, i int) string {
	q, err := p.Question(b, i)
	if err != nil {
		panic(err)
	}
	key := q.CorrectIndex()
	for k := 0; k < len(p.Items[i].Order); k++ {
		if int(p.Items[i].Order[k]-'0') == key {
			return optionID(k)
		}
	}
	panic("no key")
}

// chiSquare returns Pearson's statistic of counts against a uniform expectation.
func chiSquare(counts []int) float64 {
	total := 0
	for _, c := range counts {
		total += c
	}
	exp := float64(total) / float64(len(counts))
	var x float64
	for _, c := range counts {
		d := float64(c) - exp
		x += d * d / exp
	}
	return x
}

package webapp

import (
	"context"
	"testing"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/store"
)

// A question whose options are web addresses (the sample bank's first “nền tảng số”
// question) fits the phone: a long word wraps instead of widening the page, which a mobile
// browser would otherwise show zoomed out, every question in small print.
func TestE2ELongOptionsFitThePhone(t *testing.T) {
	e := newEnv(t)
	// A version of the bank whose topic holds exactly the questions the round draws from
	// it, the one with addresses among them.
	b := *e.bank
	b.Version = 2
	b.Questions = nil
	kept := 0
	for _, q := range e.bank.Questions {
		if q.Topic == "nen-tang-so" {
			if q.ID != "mau-nen-tang-so-01" && kept >= 2 {
				continue
			}
			if q.ID != "mau-nen-tang-so-01" {
				kept++
			}
		}
		b.Questions = append(b.Questions, q)
	}
	if n := len(b.QuestionsByTopic("nen-tang-so")); n != 3 {
		t.Fatalf("the topic keeps %d questions, want 3", n)
	}
	if _, err := store.SaveBank(context.Background(), e.pool, &b); err != nil {
		t.Fatal(err)
	}
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.Bank.Version = 2 })

	p, _ := examPhone(t, e, 1, &saveLog{}) // opens the exam page, which must fit
	p.see("https://timhieuchuyendoiso.binhthuan.gov.vn")
	p.checkNoErrors()
}

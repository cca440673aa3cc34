package exam

import (
	"encoding/json"
	"testing"
)

// The plan's shape: 15 questions, 3 from each of 5 topics of a 500-question bank.
func BenchmarkDraw(b *testing.B) {
	bk := testBank(5, 100, 4)
	q := evenQuotas(bk, 3)
	rnd := seeded(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Draw(bk, q, rnd); err != nil {
			b.Fatal(err)
		}
	}
}

// With a fresh crypto-seeded generator per draw, as a web handler would do.
func BenchmarkDrawNewRand(b *testing.B) {
	bk := testBank(5, 100, 4)
	q := evenQuotas(bk, 3)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Draw(bk, q, NewRand()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPaperMarshal(b *testing.B) {
	bk := testBank(5, 100, 4)
	p, _ := Draw(bk, evenQuotas(bk, 3), seeded(1))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	bk := testBank(5, 100, 4)
	p, _ := Draw(bk, evenQuotas(bk, 3), seeded(1))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Render(bk); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScore(b *testing.B) {
	bk := testBank(5, 100, 4)
	p, _ := Draw(bk, evenQuotas(bk, 3), seeded(1))
	a := Answers{}
	for i := range p.Items {
		a[i] = "B"
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(p, bk, a); err != nil {
			b.Fatal(err)
		}
	}
}

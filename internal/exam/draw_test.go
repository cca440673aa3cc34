package exam

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestDrawMeetsQuotas(t *testing.T) {
	tests := []struct {
		name   string
		topics int
		per    int
		quotas []Quota
		mixed  bool // bank questions not grouped by topic
	}{
		{"plan: 5 topics x 3 from 500", 5, 100, []Quota{{"t1", 3}, {"t2", 3}, {"t3", 3}, {"t4", 3}, {"t5", 3}}, false},
		{"uneven quotas", 5, 100, []Quota{{"t1", 5}, {"t2", 1}, {"t3", 4}, {"t4", 2}, {"t5", 3}}, false},
		{"a topic drawn whole", 3, 4, []Quota{{"t1", 4}, {"t2", 2}}, false},
		{"subset of topics, out of bank order", 5, 20, []Quota{{"t4", 7}, {"t2", 8}}, false},
		{"one question", 1, 1, []Quota{{"t1", 1}}, false},
		{"bank with topics interleaved", 5, 30, []Quota{{"t1", 3}, {"t2", 3}, {"t3", 3}, {"t4", 3}, {"t5", 3}}, true},
		{"more than the stack buffers", 40, 10, func() []Quota {
			var qs []Quota
			for i := 1; i <= 40; i++ {
				qs = append(qs, Quota{Topic: "t" + strconv.Itoa(i), Questions: 2})
			}
			return qs
		}(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testBank(tt.topics, tt.per, 4)
			if tt.mixed {
				seeded(99).Shuffle(len(b.Questions), func(i, j int) { b.Questions[i], b.Questions[j] = b.Questions[j], b.Questions[i] })
			}
			for seed := uint64(0); seed < 50; seed++ {
				p, err := Draw(b, tt.quotas, seeded(seed))
				if err != nil {
					t.Fatal(err)
				}
				want, total := map[string]int{}, 0
				for _, q := range tt.quotas {
					want[q.Topic] = q.Questions
					total += q.Questions
				}
				if p.Len() != total {
					t.Fatalf("paper has %d items, want %d", p.Len(), total)
				}
				got, ids := map[string]int{}, map[string]bool{}
				for _, it := range p.Items {
					if ids[it.QuestionID] {
						t.Fatalf("question %s drawn twice", it.QuestionID)
					}
					ids[it.QuestionID] = true
					q := b.Questions[it.At]
					if q.ID != it.QuestionID {
						t.Fatalf("At %d points to %s, item says %s", it.At, q.ID, it.QuestionID)
					}
					if !isPermutation(it.Order, len(q.Options)) {
						t.Fatalf("order %q is not a permutation of %d options", it.Order, len(q.Options))
					}
					got[q.Topic]++
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("per topic = %v, want %v", got, want)
				}
				if err := p.Check(b); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestDrawErrors(t *testing.T) {
	b := testBank(3, 5, 4) // t1, t2, t3 with 5 questions each
	tests := []struct {
		name   string
		quotas []Quota
		codes  []string
		say    []string // substrings the message must contain
	}{
		{"no quotas", nil, []string{CodeNoQuotas}, []string{"chưa khai báo"}},
		{"unknown topic", []Quota{{"t1", 3}, {"zz", 2}}, []string{CodeUnknownTopic}, []string{`"zz"`, "không có trong ngân hàng", "2 câu"}},
		{"too few", []Quota{{"t2", 6}}, []string{CodeTooFewQuestions}, []string{`"t2"`, "chỉ có 5", "không đủ 6"}},
		{"zero", []Quota{{"t1", 0}}, []string{CodeBadQuota}, []string{`"t1"`, "lớn hơn 0"}},
		{"negative", []Quota{{"t1", -1}}, []string{CodeBadQuota}, []string{"-1"}},
		{"duplicate", []Quota{{"t1", 1}, {"t1", 1}}, []string{CodeDuplicateTopic}, []string{`"t1"`, "nhiều lần"}},
		{"every problem at once", []Quota{{"t1", 9}, {"nope", 1}, {"t3", 7}},
			[]string{CodeTooFewQuestions, CodeUnknownTopic, CodeTooFewQuestions}, []string{`"t1" chỉ có 5`, `"nope"`, `"t3" chỉ có 5`, "không đủ 7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Draw(b, tt.quotas, seeded(1))
			if err == nil {
				t.Fatalf("Draw succeeded with %d items", p.Len())
			}
			if err2 := CheckQuotas(b, tt.quotas); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("CheckQuotas = %v, Draw = %v", err2, err)
			}
			var codes []string
			for _, e := range unjoin(err) {
				var qe *QuotaError
				if !errors.As(e, &qe) {
					t.Fatalf("%v is not a *QuotaError", e)
				}
				codes = append(codes, qe.Code)
			}
			if !reflect.DeepEqual(codes, tt.codes) {
				t.Errorf("codes = %v, want %v", codes, tt.codes)
			}
			for _, s := range tt.say {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q does not contain %q", err, s)
				}
			}
		})
	}
	var qe *QuotaError
	if err := CheckQuotas(b, []Quota{{"t2", 6}}); !errors.As(err, &qe) || qe.Have != 5 || qe.Want != 6 || qe.Topic != "t2" {
		t.Errorf("QuotaError = %+v, want topic t2 have 5 want 6", qe)
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestDrawIsReproducibleAndVaries(t *testing.T) {
	b := testBank(5, 100, 4)
	q := evenQuotas(b, 3)
	a, _ := Draw(b, q, seeded(7))
	a2, _ := Draw(b, q, seeded(7))
	if !reflect.DeepEqual(a, a2) {
		t.Fatal("same seed gave different papers")
	}
	c, _ := Draw(b, q, seeded(8))
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same paper")
	}
	n1, _ := Draw(b, q, NewRand())
	n2, _ := Draw(b, q, NewRand())
	if reflect.DeepEqual(n1, n2) {
		t.Fatal("two crypto-seeded draws are equal")
	}
}

// Every question of a topic is equally likely to be drawn.
func TestDrawQuestionsUniformly(t *testing.T) {
	b := testBank(2, 10, 4)
	quotas := []Quota{{"t1", 3}, {"t2", 1}}
	counts := make([]int, 10)
	const runs = 20000
	for seed := uint64(0); seed < runs; seed++ {
		p, err := Draw(b, quotas, seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			if it.At < 10 {
				counts[it.At]++
			}
		}
	}
	// 9 degrees of freedom: P(χ² > 27.9) ≈ 0.001.
	if x := chiSquare(counts); x > 27.9 {
		t.Errorf("question counts %v are not uniform (χ² = %.1f)", counts, x)
	}
}

// Topics are mixed, not grouped: the first item's topic is spread over all topics.
func TestDrawMixesTopics(t *testing.T) {
	b := testBank(5, 100, 4)
	counts := make([]int, 5)
	for seed := uint64(0); seed < 5000; seed++ {
		p, _ := Draw(b, evenQuotas(b, 3), seeded(seed))
		counts[p.Items[0].At/100]++
	}
	// 4 degrees of freedom: P(χ² > 18.5) ≈ 0.001.
	if x := chiSquare(counts); x > 18.5 {
		t.Errorf("first item's topic counts %v are not uniform (χ² = %.1f)", counts, x)
	}
}

func TestDrawOptionCountLimit(t *testing.T) {
	b := testBank(1, 1, 11)
	if _, err := Draw(b, []Quota{{"t1", 1}}, seeded(1)); err == nil || !strings.Contains(err.Error(), "11 phương án") {
		t.Fatalf("err = %v, want too many options", err)
	}
}

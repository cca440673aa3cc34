package exam

import (
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/dxcontest/contest-platform/internal/bank"
)

// Quota is how many questions one topic contributes to each attempt.
type Quota struct {
	Topic     string
	Questions int
}

// NewRand returns a generator for production draws: ChaCha8 seeded from crypto/rand,
// so a draw cannot be predicted. Like every *rand.Rand it is not safe for concurrent
// use: make one per attempt start (it is cheap) or per goroutine.
func NewRand() *rand.Rand {
	var seed [32]byte
	// crypto/rand.Read never returns an error (since Go 1.24 it aborts the program
	// rather than hand out weak randomness).
	_, _ = crand.Read(seed[:])
	return rand.New(rand.NewChaCha8(seed))
}

// stackSlots bounds the per-topic bookkeeping kept on the stack; the round spec allows
// 20 topics, more falls back to the heap.
const stackSlots = 32

// slot is the draw's bookkeeping for one quota.
type slot struct {
	have int // questions of the topic in the bank
	next int // index in picks of the next pick to place
	end  int // one past this topic's last pick
	seen int // questions of the topic passed so far in the bank walk
}

// Draw draws a paper: for each quota that many distinct questions of the topic,
// chosen uniformly, in a fully shuffled order (topics are not grouped), each with its
// options shuffled. It fails, naming every offending topic with what it has and what
// is wanted, when a quota cannot be met. Only rnd decides the outcome, so a seeded rnd
// reproduces a paper.
func Draw(b *bank.Bank, quotas []Quota, rnd *rand.Rand) (Paper, error) {
	var slotBuf [stackSlots]slot
	slots := slotBuf[:0]
	if len(quotas) > stackSlots {
		slots = make([]slot, 0, len(quotas))
	}
	slots = slots[:len(quotas)]
	total, err := countQuotas(b, quotas, slots)
	if err != nil {
		return Paper{}, err
	}

	// Choose, per topic, which of its questions (by rank within the topic) to take.
	var pickBuf [64]int
	picks := pickBuf[:0]
	if total > len(pickBuf) {
		picks = make([]int, 0, total)
	}
	picks = picks[:total]
	off := 0
	for j, q := range quotas {
		chosen := picks[off : off+q.Questions]
		sample(rnd, slots[j].have, chosen)
		slices.Sort(chosen)
		slots[j].next, slots[j].end = off, off+q.Questions
		off += q.Questions
	}

	// One walk over the bank turns ranks within topics into bank positions.
	items := make([]Item, total)
	placed, j := 0, -1
	for at := 0; at < len(b.Questions) && placed < total; at++ {
		j = slotNear(quotas, b.Questions[at].Topic, j)
		if j < 0 {
			continue
		}
		s := &slots[j]
		if s.next < s.end && picks[s.next] == s.seen {
			items[s.next].At = at
			s.next++
			placed++
		}
		s.seen++
	}

	// Question order: fully shuffled.
	for i := len(items) - 1; i > 0; i-- {
		k := rnd.IntN(i + 1)
		items[i], items[k] = items[k], items[i]
	}

	// Option order per item, built in one buffer and turned into one string.
	var orderBuf [256]byte
	orders := orderBuf[:0]
	for i := range items {
		q := &b.Questions[items[i].At]
		n := len(q.Options)
		if n > maxOptions {
			return Paper{}, fmt.Errorf("câu hỏi %s có %d phương án, tối đa %d", q.ID, n, maxOptions)
		}
		start := len(orders)
		for d := 0; d < n; d++ {
			orders = append(orders, byte('0'+d))
		}
		perm := orders[start:]
		for k := n - 1; k > 0; k-- {
			r := rnd.IntN(k + 1)
			perm[k], perm[r] = perm[r], perm[k]
		}
	}
	all := string(orders)
	off = 0
	for i := range items {
		q := &b.Questions[items[i].At]
		items[i].QuestionID = q.ID
		items[i].Order = all[off : off+len(q.Options)]
		off += len(q.Options)
	}
	return Paper{Items: items}, nil
}

// CheckQuotas reports whether a paper can be drawn from b with these quotas, listing
// every problem. Use it to validate a round against its pinned bank before opening.
func CheckQuotas(b *bank.Bank, quotas []Quota) error {
	var slotBuf [stackSlots]slot
	slots := slotBuf[:0]
	if len(quotas) > stackSlots {
		slots = make([]slot, 0, len(quotas))
	}
	_, err := countQuotas(b, quotas, slots[:len(quotas)])
	return err
}

// countQuotas validates the quotas against the bank, records each topic's question
// count in slots and returns the paper's length.
func countQuotas(b *bank.Bank, quotas []Quota, slots []slot) (int, error) {
	if len(quotas) == 0 {
		return 0, &QuotaError{Code: CodeNoQuotas}
	}
	j := -1
	for i := range b.Questions {
		if j = slotNear(quotas, b.Questions[i].Topic, j); j >= 0 {
			slots[j].have++
		}
	}
	var errs []error
	total := 0
	for j, q := range quotas {
		switch {
		case slotOf(quotas, q.Topic) != j:
			errs = append(errs, &QuotaError{Code: CodeDuplicateTopic, Topic: q.Topic, Want: q.Questions})
		case q.Questions <= 0:
			errs = append(errs, &QuotaError{Code: CodeBadQuota, Topic: q.Topic, Want: q.Questions})
		case !hasTopic(b, q.Topic):
			errs = append(errs, &QuotaError{Code: CodeUnknownTopic, Topic: q.Topic, Want: q.Questions})
		case slots[j].have < q.Questions:
			errs = append(errs, &QuotaError{Code: CodeTooFewQuestions, Topic: q.Topic, Have: slots[j].have, Want: q.Questions})
		default:
			total += q.Questions
		}
	}
	return total, errors.Join(errs...)
}

func hasTopic(b *bank.Bank, code string) bool {
	_, ok := b.Topic(code)
	return ok
}

// slotOf returns the index of the first quota for topic, or -1. A linear scan beats a
// map for the handful of topics a round has.
func slotOf(quotas []Quota, topic string) int {
	for j := range quotas {
		if quotas[j].Topic == topic {
			return j
		}
	}
	return -1
}

// slotNear is slotOf that tries the previous question's slot first: banks usually
// list a topic's questions together, so one comparison mostly suffices.
func slotNear(quotas []Quota, topic string, prev int) int {
	if prev >= 0 && quotas[prev].Topic == topic {
		return prev
	}
	return slotOf(quotas, topic)
}

// sample fills out with len(out) distinct values from [0, n), every subset equally
// likely (Floyd's algorithm: len(out) random numbers, no scratch space).
func sample(rnd *rand.Rand, n int, out []int) {
	m := 0
	for j := n - len(out); j < n; j++ {
		t := rnd.IntN(j + 1)
		if slices.Contains(out[:m], t) {
			t = j
		}
		out[m] = t
		m++
	}
}

// QuotaError is one reason a paper cannot be drawn with the given quotas.
type QuotaError struct {
	Code  string // CodeNoQuotas, CodeDuplicateTopic, CodeBadQuota, CodeUnknownTopic or CodeTooFewQuestions
	Topic string
	Have  int // questions the bank has in the topic
	Want  int // questions each attempt draws from the topic
}

func (e *QuotaError) Error() string {
	switch e.Code {
	case CodeNoQuotas:
		return "chưa khai báo số câu hỏi cần rút cho chủ đề nào"
	case CodeDuplicateTopic:
		return fmt.Sprintf("chủ đề %q được khai báo nhiều lần", e.Topic)
	case CodeBadQuota:
		return fmt.Sprintf("chủ đề %q: số câu hỏi cần rút phải lớn hơn 0 (đang là %d)", e.Topic, e.Want)
	case CodeUnknownTopic:
		return fmt.Sprintf("chủ đề %q không có trong ngân hàng câu hỏi (cần rút %d câu)", e.Topic, e.Want)
	default:
		return fmt.Sprintf("chủ đề %q chỉ có %d câu hỏi, không đủ %d câu cần rút cho mỗi lượt thi", e.Topic, e.Have, e.Want)
	}
}

package exam

import "github.com/dxcontest/contest-platform/internal/bank"

// ShownQuestion is one question as the contestant sees it. It deliberately has no
// field that could carry the answer key (no correctness flag, no bank ID, no
// explanation); a test reflects over these types to keep it that way.
type ShownQuestion struct {
	// Index is the item's position in the paper (0-based): the key of its answer.
	Index int `json:"index"`
	// Number is what people read: "Câu 1" for Index 0.
	Number  int           `json:"number"`
	Topic   string        `json:"topic"`
	Text    string        `json:"text"`
	Options []ShownOption `json:"options"`
}

// ShownOption is one option in the order shown in this attempt.
type ShownOption struct {
	// ID is the option's position letter in this attempt ("A", "B", ...).
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Render returns the paper's questions as shown to the contestant: in paper order,
// options in the attempt's order, identified by position letters. It fails when the
// paper does not match the bank (see [Paper.Check]).
func (p Paper) Render(b *bank.Bank) ([]ShownQuestion, error) {
	nopts := 0
	for _, it := range p.Items {
		nopts += len(it.Order) // resolve checks it equals the question's option count
	}
	shown := make([]ShownQuestion, len(p.Items))
	opts := make([]ShownOption, nopts) // one backing array for every item's options
	for i, it := range p.Items {
		q, err := resolve(b, it, i)
		if err != nil {
			return nil, err
		}
		n := len(it.Order)
		o := opts[:n:n]
		opts = opts[n:]
		for k := 0; k < n; k++ {
			o[k] = ShownOption{ID: optionID(k), Text: q.Options[it.Order[k]-'0'].Text}
		}
		title := q.Topic
		if t, ok := b.Topic(q.Topic); ok {
			title = t.Title
		}
		shown[i] = ShownQuestion{Index: i, Number: i + 1, Topic: title, Text: q.Text, Options: o}
	}
	return shown, nil
}

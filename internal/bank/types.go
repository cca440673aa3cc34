package bank

// Bank is one version of a question bank: the topics it covers and its
// questions. A round pins a bank by name and version, so a Bank value is
// treated as immutable once built: methods never modify it and callers
// should not either.
type Bank struct {
	Name      string
	Version   int
	Topics    []Topic
	Questions []Question
}

// Topic is a content area of the contest. Code is the short, stable key used
// in files and in round specs (questions per topic); Title is what people read.
type Topic struct {
	Code  string
	Title string
}

// Question is one multiple-choice question. Topic holds the topic code.
// Exactly one option is correct in a valid bank.
type Question struct {
	ID          string
	Topic       string
	Text        string
	Options     []Option
	Explanation string
}

// Option is one answer choice of a question.
type Option struct {
	Text    string
	Correct bool
}

// QuestionsByTopic returns the questions of one topic in bank order. The
// returned slice is new, but the questions share their Options with the bank.
func (b *Bank) QuestionsByTopic(code string) []Question {
	var out []Question
	for _, q := range b.Questions {
		if q.Topic == code {
			out = append(out, q)
		}
	}
	return out
}

// CountByTopic returns how many questions each topic has. Every topic of the
// bank is present, with 0 when it has no questions, so a round spec asking
// for questions from an empty topic can be refused with a clear message.
func (b *Bank) CountByTopic() map[string]int {
	counts := make(map[string]int, len(b.Topics))
	for _, t := range b.Topics {
		counts[t.Code] = 0
	}
	for _, q := range b.Questions {
		counts[q.Topic]++
	}
	return counts
}

// Topic returns the topic with the given code.
func (b *Bank) Topic(code string) (Topic, bool) {
	for _, t := range b.Topics {
		if t.Code == code {
			return t, true
		}
	}
	return Topic{}, false
}

// CorrectIndex returns the index of the correct option, or -1 unless exactly
// one option is marked correct.
func (q Question) CorrectIndex() int {
	idx := -1
	for i, o := range q.Options {
		if !o.Correct {
			continue
		}
		if idx >= 0 {
			return -1
		}
		idx = i
	}
	return idx
}

// OptionLetter returns the letter the import format uses for the option at
// index i: 0 → "A", 1 → "B", ...
func OptionLetter(i int) string {
	if i < 0 || i >= 26 {
		return "?"
	}
	return string(rune('A' + i))
}

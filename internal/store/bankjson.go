package store

import (
	"encoding/json"
	"fmt"

	"github.com/dxcontest/contest-platform/internal/bank"
)

// bankFormat versions the JSON shape of question_bank.content. Stored versions are
// immutable, so a later shape must keep reading this one: bump the number and branch on it
// instead of changing what format 1 means.
const bankFormat = 1

// bankJSON is question_bank.content. The bank package stays free of storage concerns, so the
// shape is fixed here with explicit tags: renaming a Go field cannot silently change what is
// stored. Name and version are the row's key columns and are not repeated inside.
type bankJSON struct {
	Format    int            `json:"format"`
	Topics    []topicJSON    `json:"topics"`
	Questions []questionJSON `json:"questions"`
}

type topicJSON struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

type questionJSON struct {
	ID          string       `json:"id"`
	Topic       string       `json:"topic"`
	Text        string       `json:"text"`
	Options     []optionJSON `json:"options"`
	Explanation string       `json:"explanation,omitempty"`
}

type optionJSON struct {
	Text    string `json:"text"`
	Correct bool   `json:"correct,omitempty"`
}

func encodeBank(b *bank.Bank) ([]byte, error) {
	doc := bankJSON{
		Format:    bankFormat,
		Topics:    make([]topicJSON, len(b.Topics)),
		Questions: make([]questionJSON, len(b.Questions)),
	}
	for i, t := range b.Topics {
		doc.Topics[i] = topicJSON(t)
	}
	for i, q := range b.Questions {
		opts := make([]optionJSON, len(q.Options))
		for j, o := range q.Options {
			opts[j] = optionJSON(o)
		}
		doc.Questions[i] = questionJSON{ID: q.ID, Topic: q.Topic, Text: q.Text, Options: opts, Explanation: q.Explanation}
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode question bank: %w", err)
	}
	return data, nil
}

func decodeBank(name string, version int, data []byte) (*bank.Bank, error) {
	var doc bankJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("decode question bank: %w", err)
	}
	if doc.Format != bankFormat {
		return nil, fmt.Errorf("decode question bank: content format %d is unknown to this binary (it reads format %d)", doc.Format, bankFormat)
	}
	b := &bank.Bank{
		Name:      name,
		Version:   version,
		Topics:    make([]bank.Topic, len(doc.Topics)),
		Questions: make([]bank.Question, len(doc.Questions)),
	}
	for i, t := range doc.Topics {
		b.Topics[i] = bank.Topic(t)
	}
	for i, q := range doc.Questions {
		opts := make([]bank.Option, len(q.Options))
		for j, o := range q.Options {
			opts[j] = bank.Option(o)
		}
		b.Questions[i] = bank.Question{ID: q.ID, Topic: q.Topic, Text: q.Text, Options: opts, Explanation: q.Explanation}
	}
	return b, nil
}

package bank

import (
	"encoding/csv"
	"fmt"
	"io"
)

// WriteCSV writes the bank's questions in the import format, with canonical
// headers, as many option columns as the longest question needs, and a UTF-8
// BOM so that Excel opens Vietnamese text correctly. Parsing the output with
// the bank's topics gives the same bank back, which lets organizers export a
// bank, edit it in a spreadsheet and import it again.
func WriteCSV(w io.Writer, b *Bank) error {
	options := MinOptions
	for _, q := range b.Questions {
		options = max(options, len(q.Options))
	}
	header := []string{ColID, ColTopic, ColText}
	for i := range options {
		header = append(header, OptionColumn(i))
	}
	header = append(header, ColAnswer, ColExplanation)

	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("bank: write CSV: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("bank: write CSV: %w", err)
	}
	for _, q := range b.Questions {
		row := []string{q.ID, q.Topic, q.Text}
		answer := ""
		for i := range options {
			text := ""
			if i < len(q.Options) {
				text = q.Options[i].Text
				if q.Options[i].Correct {
					answer += OptionLetter(i)
				}
			}
			row = append(row, text)
		}
		row = append(row, answer, q.Explanation)
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("bank: write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("bank: write CSV: %w", err)
	}
	return nil
}

package bank

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseOptions says what the file itself does not.
type ParseOptions struct {
	// Name and Version identify the resulting bank; the store assigns them
	// (a round pins a bank version), so they are not read from the file.
	Name    string
	Version int
	// Topics the questions may use. Required for CSV, which has a single
	// table; for XLSX used only when the workbook has no chu_de sheet (the
	// file's own topic list wins, so a workbook is self-contained).
	Topics []Topic
}

// record is one row of a sheet: its number as a spreadsheet shows it and its
// raw cells.
type record struct {
	row   int
	cells []string
}

// table is one sheet as read from a file, format-independent: the header
// row and the non-blank rows after it.
type table struct {
	sheet  string // worksheet name; "" for CSV
	header record
	rows   []record
}

// newTable splits rows into header and data. ok is false when there is no
// non-blank row at all. Blank rows are dropped: spreadsheets often carry
// empty or separator-only rows at the end.
func newTable(sheet string, rows []record) (t table, ok bool) {
	t.sheet = sheet
	for _, r := range rows {
		if isBlank(r.cells) {
			continue
		}
		if !ok {
			t.header, ok = r, true
			continue
		}
		t.rows = append(t.rows, r)
	}
	return t, ok
}

func isBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// buildBank turns a question table and a topic list into a bank, or returns
// an *ImportError with every problem, including earlier ones passed in errs.
func buildBank(qt table, topics []Topic, errs []RowError, opts ParseOptions) (*Bank, error) {
	if len(topics) == 0 {
		errs = append(errs, RowError{Reason: reasonNoTopics})
	}
	h, herrs, fatal := mapHeader(qt.sheet, qt.header, questionHeaders())
	errs = append(errs, herrs...)
	if !fatal {
		if gap := optionColumnGap(h); gap != "" {
			errs = append(errs, RowError{Sheet: qt.sheet, Row: qt.header.row, Column: gap, Reason: reasonOptionColumnGap(gap)})
			fatal = true
		}
	}
	if fatal {
		return nil, newImportError(errs)
	}
	if len(qt.rows) == 0 {
		errs = append(errs, RowError{Reason: reasonNoQuestions})
	}

	idx := newTopicIndex(topics)
	qs := make([]Question, 0, len(qt.rows))
	rows := make([]int, 0, len(qt.rows))
	generated := make([]bool, 0, len(qt.rows))
	for _, rec := range qt.rows {
		q, gen, issues := readQuestion(h, rec.cells, idx)
		errs = appendIssues(errs, qt.sheet, rec.row, issues)
		errs = append(errs, untitledData(qt.sheet, h, rec)...)
		qs = append(qs, q)
		rows = append(rows, rec.row)
		generated = append(generated, gen)
	}
	errs = append(errs, checkDuplicates(qs, qt.sheet, rows, generated)...)
	if err := newImportError(errs); err != nil {
		return nil, err
	}
	return &Bank{Name: opts.Name, Version: opts.Version, Topics: slices.Clone(topics), Questions: qs}, nil
}

// optionColumnGap returns the first missing option column before a present
// one ("phuong_an_c" when A, B and D are present), or "".
func optionColumnGap(h header) string {
	missing := ""
	for i := range MaxOptions {
		switch col := OptionColumn(i); {
		case !h.has(col) && missing == "":
			missing = col
		case h.has(col) && missing != "":
			return missing
		}
	}
	return ""
}

// readQuestion builds a question from a row and checks it. Options run from
// A to the last non-empty one (at least B), so an empty option inside the
// range, required A/B included, is reported as "phương án trống".
func readQuestion(h header, cells []string, topics topicIndex) (q Question, generated bool, issues []issue) {
	q = Question{
		ID:          h.cell(cells, ColID),
		Topic:       topics.resolve(h.cell(cells, ColTopic)),
		Text:        h.cell(cells, ColText),
		Explanation: h.cell(cells, ColExplanation),
	}
	var texts [MaxOptions]string
	last := -1
	for i := range texts {
		if texts[i] = h.cell(cells, OptionColumn(i)); texts[i] != "" {
			last = i
		}
	}
	q.Options = make([]Option, max(last+1, MinOptions))
	for i := range q.Options {
		q.Options[i].Text = texts[i]
	}
	issues = checkQuestion(q, topics)

	answer := h.cell(cells, ColAnswer)
	letters, ok := parseAnswer(answer)
	switch {
	case !ok:
		issues = append(issues, issue{ColAnswer, reasonAnswerInvalid(answer)})
	case len(letters) == 0:
		issues = append(issues, issue{ColAnswer, reasonNoCorrect})
	case len(letters) > 1:
		issues = append(issues, issue{ColAnswer, reasonManyCorrect})
	case letters[0] >= len(q.Options) || q.Options[letters[0]].Text == "":
		issues = append(issues, issue{ColAnswer, reasonAnswerEmptyOption(OptionLetter(letters[0]))})
	default:
		q.Options[letters[0]].Correct = true
	}

	if q.ID == "" && utf8.ValidString(q.Text) && q.Text != "" {
		q.ID, generated = generatedID(q.Text), true
	}
	return q, generated, issues
}

// parseAnswer reads a dap_an cell: option letters A–F in any case. Several
// letters ("A,B", "A; B", "AB") mean several correct answers, which the
// format does not allow but must be reported as such, not as a typo.
// Punctuation around a letter ("A.", "(B)") is tolerated. ok is false for
// anything else. An empty cell gives no letters.
func parseAnswer(cell string) (letters []int, ok bool) {
	tokens := strings.FieldsFunc(strings.ToUpper(cell), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;/&+.()", r)
	})
	if len(tokens) == 0 {
		return nil, strings.TrimSpace(cell) == ""
	}
	for _, tok := range tokens {
		for _, r := range tok {
			if r < 'A' || r >= 'A'+MaxOptions {
				return nil, false
			}
			if i := int(r - 'A'); !slices.Contains(letters, i) {
				letters = append(letters, i)
			}
		}
	}
	return letters, true
}

// generatedID derives an ID from the question text, so re-importing the same
// file, or the same questions in another order, yields the same IDs and the
// attempts already stored keep pointing at the right questions.
func generatedID(text string) string {
	sum := sha256.Sum256([]byte(textKey(text)))
	return "q-" + hex.EncodeToString(sum[:6])
}

// untitledData reports data in columns without a header: it would otherwise
// be dropped silently.
func untitledData(sheet string, h header, rec record) []RowError {
	var errs []RowError
	for i, c := range rec.cells {
		if (i >= len(h.titled) || !h.titled[i]) && strings.TrimSpace(c) != "" {
			errs = append(errs, RowError{Sheet: sheet, Row: rec.row, Reason: reasonUntitledData(i + 1)})
		}
	}
	return errs
}

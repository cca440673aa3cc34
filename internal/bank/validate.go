package bank

import (
	"strings"
	"unicode/utf8"
)

// issue is a problem within one question or topic, before it is placed at a
// row: the same checks serve files (rows as read) and banks built in code
// (rows as they would be written).
type issue struct {
	column string
	reason string
}

// Validate checks a bank built or changed in code against the same rules as
// an import. Problems are reported as an *ImportError located where they
// would appear in an exported file: question i at row i+2 of the question
// table, topic i at row i+2 of the chu_de sheet.
func (b *Bank) Validate() error {
	var errs []RowError
	errs = append(errs, checkTopics(b.Topics, TopicSheet, nil)...)
	if len(b.Topics) == 0 {
		errs = append(errs, RowError{Reason: reasonNoTopics})
	}
	if len(b.Questions) == 0 {
		errs = append(errs, RowError{Reason: reasonNoQuestions})
	}
	topics := newTopicIndex(b.Topics)
	rows := make([]int, len(b.Questions))
	for i, q := range b.Questions {
		rows[i] = i + 2
		var issues []issue
		if q.ID == "" {
			issues = append(issues, issue{ColID, reasonNoID})
		}
		issues = append(issues, checkQuestion(q, topics)...)
		issues = append(issues, checkCorrect(q)...)
		errs = appendIssues(errs, "", rows[i], issues)
	}
	errs = append(errs, checkDuplicates(b.Questions, "", rows, nil)...)
	return newImportError(errs)
}

func appendIssues(errs []RowError, sheet string, row int, issues []issue) []RowError {
	for _, is := range issues {
		errs = append(errs, RowError{Sheet: sheet, Row: row, Column: is.column, Reason: is.reason})
	}
	return errs
}

// checkQuestion applies the per-question rules except which option is
// correct: files state that in the dap_an column, which the parser checks
// with messages about the letter; banks built in code use checkCorrect.
func checkQuestion(q Question, topics topicIndex) []issue {
	var out []issue
	add := func(col, reason string) { out = append(out, issue{col, reason}) }

	switch {
	case !utf8.ValidString(q.ID):
		add(ColID, reasonEncoding)
	case q.ID != "" && !validID(q.ID):
		add(ColID, reasonBadID(q.ID))
	}
	switch {
	case !utf8.ValidString(q.Topic):
		add(ColTopic, reasonEncoding)
	case q.Topic == "":
		add(ColTopic, reasonNoTopic)
	case topics.known && !topics.has(q.Topic):
		add(ColTopic, reasonUnknownTopic(q.Topic))
	}
	if reason := checkText(q.Text, "câu hỏi", MaxQuestionRunes); reason != "" {
		add(ColText, reason)
	}

	switch n := len(q.Options); {
	case n < MinOptions:
		add(OptionColumn(n), reasonTooFewOptions)
	case n > MaxOptions:
		add("", reasonTooManyOptions(n))
	}
	seen := make(map[string]int, len(q.Options))
	for i, o := range q.Options {
		col := OptionColumn(i)
		if reason := checkText(o.Text, "phương án", MaxOptionRunes); reason != "" {
			add(col, reason)
			continue
		}
		k := textKey(o.Text)
		if first, dup := seen[k]; dup {
			add(col, reasonDuplicateOption(OptionLetter(first)))
			continue
		}
		seen[k] = i
	}

	if q.Explanation != "" {
		if reason := checkText(q.Explanation, "giải thích", MaxExplanationRunes); reason != "" {
			add(ColExplanation, reason)
		}
	}
	return out
}

// checkText returns why a required text field is unacceptable, or "".
func checkText(s, what string, limit int) string {
	switch {
	case !utf8.ValidString(s):
		return reasonEncoding
	case strings.TrimSpace(s) == "":
		if what == "phương án" {
			return reasonEmptyOption
		}
		return what + " trống"
	case runeCount(s) > limit:
		return reasonTooLong(what, runeCount(s), limit)
	}
	return ""
}

// checkCorrect requires exactly one correct option, and a non-empty one.
func checkCorrect(q Question) []issue {
	correct := 0
	for _, o := range q.Options {
		if o.Correct {
			correct++
		}
	}
	switch {
	case correct == 0:
		return []issue{{ColAnswer, reasonNoCorrect}}
	case correct > 1:
		return []issue{{ColAnswer, reasonManyCorrect}}
	}
	if i := q.CorrectIndex(); strings.TrimSpace(q.Options[i].Text) == "" {
		return []issue{{ColAnswer, reasonAnswerEmptyOption(OptionLetter(i))}}
	}
	return nil
}

// checkDuplicates finds questions that repeat an earlier question's text or
// ID. rows gives each question's row; generated marks IDs the parser made up,
// whose clash is reported differently (and not at all when the texts clash
// too, since the text duplicate is the cause). generated may be nil.
func checkDuplicates(qs []Question, sheet string, rows []int, generated []bool) []RowError {
	var errs []RowError
	firstText := make(map[string]int, len(qs))
	textDup := make([]bool, len(qs))
	for i, q := range qs {
		if !utf8.ValidString(q.Text) || strings.TrimSpace(q.Text) == "" {
			continue // already reported; an unreadable text identifies nothing
		}
		k := textKey(q.Text)
		if first, dup := firstText[k]; dup {
			textDup[i] = true
			errs = append(errs, RowError{Sheet: sheet, Row: rows[i], Column: ColText, Reason: reasonDuplicateQuestion(first)})
			continue
		}
		firstText[k] = rows[i]
	}
	firstID := make(map[string]int, len(qs))
	for i, q := range qs {
		if q.ID == "" {
			continue
		}
		// IDs are compared without case: they end up in URLs and reports
		// where "MAU-1" and "mau-1" would be confused.
		k := lower(q.ID)
		first, dup := firstID[k]
		switch {
		case !dup:
			firstID[k] = rows[i]
		case generated != nil && generated[i] && textDup[i]:
			// The duplicate text was reported; the ID clash follows from it.
		case generated != nil && generated[i]:
			errs = append(errs, RowError{Sheet: sheet, Row: rows[i], Column: ColID, Reason: reasonGeneratedIDClash(q.ID, first)})
		default:
			errs = append(errs, RowError{Sheet: sheet, Row: rows[i], Column: ColID, Reason: reasonDuplicateID(first)})
		}
	}
	return errs
}

// checkTopics validates a topic list. rows gives each topic's row in the
// sheet; nil means "as exported", topic i at row i+2.
func checkTopics(topics []Topic, sheet string, rows []int) []RowError {
	var errs []RowError
	firstCode := map[string]int{}
	firstTitle := map[string]int{}
	for i, t := range topics {
		row := i + 2
		if rows != nil {
			row = rows[i]
		}
		add := func(col, reason string) {
			errs = append(errs, RowError{Sheet: sheet, Row: row, Column: col, Reason: reason})
		}
		switch {
		case !utf8.ValidString(t.Code):
			add(ColTopicCode, reasonEncoding)
		case t.Code == "":
			add(ColTopicCode, reasonEmptyTopicCode)
		case !validTopicCode(t.Code):
			add(ColTopicCode, reasonBadTopicCode(t.Code))
		default:
			if first, dup := firstCode[t.Code]; dup {
				add(ColTopicCode, reasonDuplicateTopicCode(first))
			} else {
				firstCode[t.Code] = row
			}
		}
		switch {
		case !utf8.ValidString(t.Title):
			add(ColTopicTitle, reasonEncoding)
		case strings.TrimSpace(t.Title) == "":
			add(ColTopicTitle, reasonEmptyTopicName)
		case runeCount(t.Title) > MaxTopicTitleRunes:
			add(ColTopicTitle, reasonTooLong("tên chủ đề", runeCount(t.Title), MaxTopicTitleRunes))
		default:
			k := textKey(t.Title)
			if first, dup := firstTitle[k]; dup {
				add(ColTopicTitle, reasonDuplicateTopicName(first))
			} else {
				firstTitle[k] = row
			}
		}
	}
	return errs
}

// validID accepts IDs safe in URLs, file names and SQL without quoting.
func validID(id string) bool {
	if id == "" || len(id) > MaxIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case (c == '-' || c == '_' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

// validTopicCode accepts lower-case words joined by single hyphens
// ("an-toan-thong-tin"): codes appear in round specs typed by engineers.
func validTopicCode(code string) bool {
	if code == "" || len(code) > MaxIDLength || code[0] == '-' || code[len(code)-1] == '-' || strings.Contains(code, "--") {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

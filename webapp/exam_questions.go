package webapp

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/dxcontest/contest-platform/internal/exam"
)

// examQuestionsHTML writes the exam page's questions: per question a fieldset with its
// number and text, and a radio button per option, the saved answer checked.
//
// Written in Go rather than ranged over in the page's template: the loop over 15 questions
// and 60 options was most of the exam page's rendering, itself the largest part of the app's
// CPU per exam flow under `contest loadtest` (html/template evaluates each action through
// reflection and an escaper chain). Every text from the bank is escaped here with
// template.HTMLEscapeString; the rest is letters and numbers. TestExamQuestionsHTMLMatchesTemplate
// keeps the output equal to the template this replaced.
func examQuestionsHTML(qs []exam.ShownQuestion, answers exam.Answers, label func(number int) string) template.HTML {
	size := 0
	for _, q := range qs {
		size += 160 + len(q.Text)
		for _, o := range q.Options {
			size += 120 + len(o.Text)
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, q := range qs {
		idx := strconv.Itoa(q.Index)
		b.WriteString("\n  <fieldset class=\"question\" id=\"q")
		b.WriteString(idx)
		b.WriteString("\">\n    <legend><span class=\"qnum\">")
		b.WriteString(template.HTMLEscapeString(label(q.Number)))
		b.WriteString("</span> ")
		b.WriteString(template.HTMLEscapeString(q.Text))
		b.WriteString("</legend>\n")
		chosen := answers[q.Index]
		for _, o := range q.Options {
			id := template.HTMLEscapeString(o.ID)
			b.WriteString("    <label class=\"option\"><input type=\"radio\" name=\"q")
			b.WriteString(idx)
			b.WriteString("\" value=\"")
			b.WriteString(id)
			b.WriteByte('"')
			if chosen == o.ID {
				b.WriteString(" checked")
			}
			b.WriteString("> <span class=\"letter\">")
			b.WriteString(id)
			b.WriteString(".</span> ")
			b.WriteString(template.HTMLEscapeString(o.Text))
			b.WriteString("</label>\n")
		}
		b.WriteString("  </fieldset>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every text above is escaped
}

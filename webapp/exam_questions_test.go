package webapp

import (
	"fmt"
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dxcontest/contest-platform/internal/exam"
)

// The markup examQuestionsHTML replaced, as it was in templates/exam.html: the reference
// its output must equal (html/template also writes '+' as "&#43;", which is the same text).
const examQuestionsTemplate = `{{$d := .}}{{range $d.Questions}}{{$q := .}}
  <fieldset class="question" id="q{{.Index}}">
    <legend><span class="qnum">{{label .Number}}</span> {{.Text}}</legend>
    {{range .Options}}
    <label class="option"><input type="radio" name="q{{$q.Index}}" value="{{.ID}}"{{if eq (index $d.Answers $q.Index) .ID}} checked{{end}}> <span class="letter">{{.ID}}.</span> {{.Text}}</label>
    {{end}}
  </fieldset>
  {{end}}`

func TestExamQuestionsHTMLMatchesTemplate(t *testing.T) {
	label := func(n int) string { return fmt.Sprintf("Câu %d/15 <&>", n) }
	ref := template.Must(template.New("q").Funcs(template.FuncMap{"label": label}).Parse(examQuestionsTemplate))
	texts := []string{
		"Chuyển đổi số là gì?", `<script>alert("x")</script>`, "a & b 'c' \"d\" 1+1", "nul\x00byte",
		"Ca\u0302u ho\u0309i (NFD)", "🇻🇳 emoji", "", "   spaces   ", "</legend></fieldset><input name=q0 value=A checked>",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var qs []exam.ShownQuestion
		answers := exam.Answers{}
		for i := range 1 + rng.IntN(16) {
			q := exam.ShownQuestion{Index: i, Number: i + 1, Text: texts[rng.IntN(len(texts))]}
			for k := range 2 + rng.IntN(5) {
				q.Options = append(q.Options, exam.ShownOption{ID: string(rune('A' + k)), Text: texts[rng.IntN(len(texts))]})
			}
			if rng.IntN(3) > 0 {
				answers[i] = q.Options[rng.IntN(len(q.Options))].ID
			}
			qs = append(qs, q)
		}
		var want strings.Builder
		if err := ref.Execute(&want, struct {
			Questions []exam.ShownQuestion
			Answers   exam.Answers
		}{qs, answers}); err != nil {
			t.Fatal(err)
		}
		got := string(examQuestionsHTML(qs, answers, label))
		if w := strings.ReplaceAll(want.String(), "&#43;", "+"); normalizeSpace(got) != normalizeSpace(w) {
			t.Fatalf("case %d differs from the template:\ngot  %q\nwant %q", round, got, w)
		}
	}
}

// normalizeSpace drops the blank lines and indentation the template's actions leave, which
// browsers ignore between elements.
func normalizeSpace(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// What the person typed can never open markup: every bank text is escaped.
func TestExamQuestionsHTMLEscapes(t *testing.T) {
	got := string(examQuestionsHTML([]exam.ShownQuestion{{Index: 0, Number: 1, Text: `<img src=x onerror="a">`,
		Options: []exam.ShownOption{{ID: "A", Text: "</label><script>"}, {ID: "B", Text: "x&y"}}}}, exam.Answers{0: "B"},
		func(n int) string { return fmt.Sprint("Câu ", n) }))
	for _, bad := range []string{"<img", "<script", "</label><"} {
		if strings.Contains(got, bad) {
			t.Fatalf("unescaped %q in %s", bad, got)
		}
	}
	if !strings.Contains(got, `value="B" checked>`) || strings.Contains(got, `value="A" checked`) {
		t.Fatalf("the saved answer is not the one checked: %s", got)
	}
}

package webapp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/locale"
)

// saveReply is the autosave's JSON answer as the page's script reads it.
type saveReply struct {
	Saved           *int   `json:"saved"`
	Deadline        string `json:"deadline"`
	PredictionError string `json:"prediction_error"`
	PredictionCode  string `json:"prediction_code"`
	Error           string `json:"error"`
	Code            string `json:"code"`
}

func decodeSave(t *testing.T, r response) saveReply {
	t.Helper()
	var s saveReply
	if err := json.Unmarshal([]byte(r.raw), &s); err != nil {
		t.Fatalf("HTTP %d: the answer is not JSON (%v): %.300s", r.status, err, r.raw)
	}
	return s
}

// An autosave batch with valid answers and a prediction that is not a whole number keeps
// the answers and reports the prediction's problem on its own, in the person's language;
// the prediction saved before stays.
func TestAutosaveKeepsAnswersWhenThePredictionIsInvalid(t *testing.T) {
	e := newEnv(t)
	b := e.register(1)
	id := b.start("dot-1")
	path := fmt.Sprintf("/attempts/%d/answers", id)

	if r := b.postJSON(path, url.Values{"prediction": {"25"}}); r.status != http.StatusOK {
		t.Fatalf("a valid prediction: %d %s", r.status, r.body)
	}
	r := b.postJSON(path, url.Values{"q0": {"A"}, "q1": {"B"}, "prediction": {"1,234"}})
	if r.status != http.StatusOK {
		t.Fatalf("answers with an invalid prediction: HTTP %d, want 200: %s", r.status, r.body)
	}
	s := decodeSave(t, r)
	if s.Saved == nil || *s.Saved != 2 || s.Deadline == "" {
		t.Errorf("answers with an invalid prediction: %s, want saved 2 and the deadline", r.raw)
	}
	if s.PredictionCode != exam.CodePredictionComma || s.PredictionError != locale.T(locale.Vietnamese, exam.CodePredictionComma) {
		t.Errorf("prediction problem %q / %q, want %s in Vietnamese", s.PredictionCode, s.PredictionError, exam.CodePredictionComma)
	}
	at := e.attempt(id)
	if want := (exam.Answers{0: "A", 1: "B"}); !reflect.DeepEqual(at.Answers, want) {
		t.Errorf("stored answers %v, want %v", at.Answers, want)
	}
	if at.Prediction == nil || *at.Prediction != 25 {
		t.Errorf("stored prediction %v, want the 25 saved before", at.Prediction)
	}

	// In English, and a prediction alone.
	b.get("/lang/en?next=/")
	r = b.postJSON(path, url.Values{"q2": {"C"}, "prediction": {"12.5"}})
	if s := decodeSave(t, r); r.status != http.StatusOK || s.PredictionCode != exam.CodePredictionDecimal || s.PredictionError != locale.T(locale.English, exam.CodePredictionDecimal) {
		t.Errorf("English: HTTP %d %s", r.status, r.raw)
	}
	r = b.postJSON(path, url.Values{"prediction": {"-3"}})
	if s := decodeSave(t, r); r.status != http.StatusOK || s.Saved == nil || *s.Saved != 0 || s.PredictionCode != exam.CodePredictionNegative {
		t.Errorf("an invalid prediction alone: HTTP %d %s", r.status, r.raw)
	}
	// A valid prediction carries no problem.
	r = b.postJSON(path, url.Values{"prediction": {"1.234"}})
	if s := decodeSave(t, r); r.status != http.StatusOK || s.PredictionCode != "" || s.PredictionError != "" || strings.Contains(r.raw, "prediction_") {
		t.Errorf("a valid prediction: HTTP %d %s", r.status, r.raw)
	}
	if at := e.attempt(id); at.Prediction == nil || *at.Prediction != 1234 || len(at.Answers) != 3 {
		t.Errorf("stored %v / %v", at.Answers, at.Prediction)
	}

	// Without the script ("Lưu bài"): the answers are kept and the exam comes back with the
	// problem next to the prediction and what was typed still in the field.
	b.get("/lang/vi?next=/")
	page := b.post(path, url.Values{"q3": {"D"}, "prediction": {"3,5"}})
	if page.status != http.StatusUnprocessableEntity {
		t.Fatalf("no-script save with an invalid prediction: HTTP %d: %s", page.status, alertOf(page.body))
	}
	for _, want := range []string{`id="prediction-error"`, `aria-invalid="true"`, `value="3,5"`, locale.T(locale.Vietnamese, exam.CodePredictionComma)} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the exam page shown again lacks %q", want)
		}
	}
	if at := e.attempt(id); at.Answers[3] != "D" || *at.Prediction != 1234 {
		t.Errorf("no-script save: stored %v / %v", at.Answers, *at.Prediction)
	}
}

// The status codes the exam page's script relies on: 200 means saved (a refused prediction
// is reported inside it), 409 means the attempt is closed (the page goes to the result),
// every other 4xx is a refusal with a message that retrying cannot change, and only 429,
// 503 and other 5xx are worth retrying.
func TestAutosaveStatusContract(t *testing.T) {
	e := newEnv(t)
	b := e.register(1)
	other := e.register(2)
	id := b.start("dot-1")
	path := fmt.Sprintf("/attempts/%d/answers", id)

	for _, tc := range []struct {
		name   string
		who    *browser
		form   url.Values
		status int
	}{
		{"answers", b, url.Values{"q0": {"A"}, "prediction": {"7"}}, http.StatusOK},
		{"an invalid prediction", b, url.Values{"q1": {"A"}, "prediction": {"12.5"}}, http.StatusOK},
		{"an empty prediction", b, url.Values{"q2": {"A"}, "prediction": {"  "}}, http.StatusOK},
		{"a letter the question lacks", b, url.Values{"q0": {"J"}}, http.StatusUnprocessableEntity},
		{"a question the paper lacks", b, url.Values{"q200": {"A"}}, http.StatusUnprocessableEntity},
		{"a malformed answer", b, url.Values{"q0": {"A\x00"}}, http.StatusUnprocessableEntity},
		{"someone else's attempt", other, url.Values{"q0": {"A"}}, http.StatusNotFound},
	} {
		r := tc.who.postJSON(path, tc.form)
		s := decodeSave(t, r)
		if r.status != tc.status {
			t.Errorf("%s: HTTP %d, want %d: %s", tc.name, r.status, tc.status, r.raw)
		}
		if r.status >= 400 && s.Error == "" {
			t.Errorf("%s: HTTP %d without a message: %s", tc.name, r.status, r.raw)
		}
	}

	// From another site, or signed out: refusals the page shows, never retries.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader("q0=B"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := b.do(req); r.status != http.StatusForbidden || decodeSave(t, r).Error == "" {
		t.Errorf("from another site: HTTP %d %s", r.status, r.raw)
	}
	if r := e.browser().postJSON(path, url.Values{"q0": {"B"}}); r.status != http.StatusUnauthorized || decodeSave(t, r).Error == "" {
		t.Errorf("signed out: HTTP %d %s", r.status, r.raw)
	}
	if got := e.attempt(id).Answers; !reflect.DeepEqual(got, exam.Answers{0: "A", 1: "A", 2: "A"}) {
		t.Errorf("stored answers %v after the refusals", got)
	}

	// Closed: 409, with or without a valid prediction.
	if r := b.post(fmt.Sprintf("/attempts/%d/submit", id), url.Values{"prediction": {"7"}}); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.status)
	}
	for _, form := range []url.Values{{"q0": {"B"}}, {"prediction": {"8"}}, {"prediction": {"8,5"}}} {
		if r := b.postJSON(path, form); r.status != http.StatusConflict || decodeSave(t, r).Error == "" {
			t.Errorf("save %v after the submit: HTTP %d %s", form, r.status, r.raw)
		}
	}
}

// Hostile answer fields are refused with a message naming the problem before any SQL:
// never a 500, and the stored answers stay as they were.
func TestHostileAnswerFieldsAreRefused(t *testing.T) {
	e := newEnv(t)
	b := e.register(1)
	id := b.start("dot-1")
	save := fmt.Sprintf("/attempts/%d/answers", id)
	if r := b.postJSON(save, url.Values{"q0": {"A"}, "q1": {"B"}, "prediction": {"25"}}); r.status != http.StatusOK {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	want := e.attempt(id).Answers

	// 10,000 fields in all with the prediction (Go's own limit on a form): far over the
	// body limit of a contestant's form, refused before it is read.
	manyAnswers, manyOthers := url.Values{}, url.Values{"q0": {"C"}}
	for i := range 9_999 {
		manyAnswers.Set(fmt.Sprintf("q%d", i), "C")
		if i < 9_998 {
			manyOthers.Set(fmt.Sprintf("f%d", i), "1")
		}
	}
	for _, tc := range []struct {
		name string
		form url.Values
		says string // part of the message
	}{
		{"a NUL byte", url.Values{"q0": {"\x00"}}, `"q0"`},
		{"a letter and a NUL byte", url.Values{"q0": {"A\x00"}}, `"q0"`},
		{"a NUL byte beside a valid answer", url.Values{"q0": {"C"}, "q1": {"\x00"}}, `"q1"`},
		{"an overlong value", url.Values{"q0": {strings.Repeat("A", 10_000)}}, `"q0"`},
		{"a lower-case letter", url.Values{"q0": {"c"}}, `"q0"`},
		{"a question number out of range", url.Values{"q99999": {"A"}}, `"q99999"`},
		{"a field that is no question", url.Values{"qx": {"A"}}, `"qx"`},
		{"a NUL byte in the name", url.Values{"q\x00": {"A"}}, `"q\x00"`},
		{"a repeated field", url.Values{"q0": {"C", "D"}}, `"q0"`},
		{"10,000 answers", manyAnswers, "1024"},
		{"10,000 other fields", manyOthers, "1024"},
	} {
		for _, kind := range []string{"script", "form"} {
			for _, endpoint := range []string{"answers", "submit"} {
				path := fmt.Sprintf("/attempts/%d/%s", id, endpoint)
				form := url.Values{}
				for k, v := range tc.form {
					form[k] = v
				}
				form.Set("prediction", "30")
				var r response
				var msg string
				if kind == "script" {
					r = b.postJSON(path, form)
					msg = decodeSave(t, r).Error
				} else {
					r = b.post(path, form)
					msg = alertOf(r.body)
				}
				tooLarge := len(form.Encode()) > formBodyLimit
				switch {
				case tooLarge && (r.status != http.StatusRequestEntityTooLarge || msg == ""):
					t.Errorf("%s (%s, %s): HTTP %d, want 413 with a message: %.300s", tc.name, kind, endpoint, r.status, msg)
				case tooLarge:
				case r.status != http.StatusUnprocessableEntity:
					t.Errorf("%s (%s, %s): HTTP %d, want 422: %.300s", tc.name, kind, endpoint, r.status, msg)
				case !strings.Contains(msg, tc.says) || !strings.Contains(msg, "không hợp lệ"):
					t.Errorf("%s (%s, %s): message %q, want one naming %s", tc.name, kind, endpoint, msg, tc.says)
				}
				if at := e.attempt(id); !reflect.DeepEqual(at.Answers, want) || *at.Prediction != 25 || at.Finished() {
					t.Fatalf("%s (%s, %s): stored %v / %d / %s, want %v / 25 / in progress", tc.name, kind, endpoint, at.Answers, *at.Prediction, at.Status, want)
				}
			}
		}
	}
}

package webapp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/roundsource"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

// answerAll submits an attempt of dot-1 with every answer right by the bank's key except
// the items wrong lists, and the prediction.
func (b *browser) answerAll(id int64, prediction string, wrong ...int) {
	b.e.t.Helper()
	key, err := exam.Score(b.e.attempt(id).Paper, b.e.bank, exam.Answers{})
	if err != nil {
		b.e.t.Fatal(err)
	}
	form := url.Values{"prediction": {prediction}}
	for i, it := range key.PerItem {
		letter := it.CorrectOption
		for _, w := range wrong {
			if w == i {
				letter = map[string]string{"A": "B"}[letter]
				if letter == "" {
					letter = "A"
				}
			}
		}
		form.Set(fmt.Sprintf("q%d", i), letter)
	}
	if r := b.post(fmt.Sprintf("/attempts/%d/submit", id), form); r.status != http.StatusSeeOther {
		b.e.t.Fatalf("submit: %d %s", r.status, alertOf(r.body))
	}
}

func (e *env) correct(id int64) int {
	e.t.Helper()
	a := e.attempt(id)
	if a.Correct == nil {
		e.t.Fatalf("attempt %d has no score", id)
	}
	return *a.Correct
}

// An editor corrects a key: the page shows the question, the preview says what changes
// (scores, best results, the prize list) and writes nothing, applying rescores the round
// in one transaction with its audit entry, later submits are scored with it, and the
// people whose score changed read a note on their result page, naming the question only
// once the answers may be shown.
func TestConsoleKeyCorrection(t *testing.T) {
	e := newEnv(t)
	// dot-1 draws from a bank version of its own, so that its answers may be shown after
	// submit later in the test without handing them to another round.
	e.ownBankVersion("dot-1", 2)
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	an, binh, chi := e.register(1), e.register(2), e.register(3)
	idAn, idBinh := an.start("dot-1"), binh.start("dot-1")
	paperAn, paperBinh := e.attempt(idAn).Paper, e.attempt(idBinh).Paper
	// The question corrected is on An's paper and not on Bình's.
	item, q := -1, ""
	for i, it := range paperAn.Items {
		if itemIndex(paperBinh, it.QuestionID) < 0 {
			item, q = i, it.QuestionID
			break
		}
	}
	if item < 0 {
		t.Skip("the two papers hold the same questions")
	}
	an.answerAll(idAn, "5")        // 15/15, far from the actual count
	binh.answerAll(idBinh, "0", 0) // 14/15, predicts nobody perfect
	idChi := chi.start("dot-1")    // still answering
	var question exam.Item = paperAn.Items[item]
	bq := e.bank.Questions[question.At]
	newKey := exam.Key{Option: (bq.CorrectIndex() + 1) % len(bq.Options)}

	ed := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	if r := ed.get("/console/rounds/dot-1"); !strings.Contains(r.raw, `href="/console/rounds/dot-1/corrections"`) {
		t.Fatalf("the round page does not lead to corrections: %d", r.status)
	}
	page := ed.get("/console/rounds/dot-1/corrections?question=" + url.QueryEscape(q))
	if page.status != http.StatusOK || !strings.Contains(page.body, bq.Text) || !strings.Contains(page.body, "Đáp án đang áp dụng: "+exam.KeyOf(&bq).String()) {
		t.Fatalf("corrections page: %d %s", page.status, alertOf(page.body))
	}
	if !strings.Contains(page.body, "Đợt thi vẫn còn bài đang làm") {
		t.Error("the page does not say that the round is being answered")
	}
	form := url.Values{"question": {q}, "key": {newKey.String()}, "reason": {"Đáp án trong tệp ngân hàng câu hỏi bị nhập nhầm"}}

	// Refusals keep what was typed.
	short := url.Values{"question": {q}, "key": {newKey.String()}, "reason": {"ngắn"}}
	if r := ed.post("/console/rounds/dot-1/corrections/preview", short); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "ghi lý do") {
		t.Errorf("a preview without a real reason: %d %s", r.status, alertOf(r.body))
	}
	same := url.Values{"question": {q}, "key": {exam.KeyOf(&bq).String()}, "reason": form["reason"]}
	if r := ed.post("/console/rounds/dot-1/corrections/preview", same); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "đang được áp dụng") {
		t.Errorf("a correction to the key in force: %d %s", r.status, alertOf(r.body))
	}
	for _, bad := range []url.Values{{"question": {"khong-co"}, "key": {"A"}, "reason": form["reason"]}, {"question": {q}, "key": {"Z"}, "reason": form["reason"]},
		{"question": {q}, "key": {"F"}, "reason": form["reason"]}} {
		if len(bq.Options) == 6 && bad.Get("key") == "F" {
			continue
		}
		if r := ed.post("/console/rounds/dot-1/corrections/preview", bad); r.status != http.StatusUnprocessableEntity {
			t.Errorf("preview %v: %d %s", bad, r.status, alertOf(r.body))
		}
	}

	// The preview: An loses a point and the first prize; Bình, nearer the new actual count
	// of perfect results (0), takes it.
	preview := ed.post("/console/rounds/dot-1/corrections/preview", form)
	if preview.status != http.StatusOK {
		t.Fatalf("preview: %d %s", preview.status, alertOf(preview.body))
	}
	for _, want := range []string{"1 trong 2 bài đã nộp đổi điểm (0 bài tăng, 1 bài giảm)", "1 trong 2 người dự thi đổi kết quả tốt nhất",
		"(đáp án câu hỏi dự đoán): 1 → 0", "Danh sách giải thay đổi với 2 người", "Giải Nhất (hạng 1)", "Giải Nhì (hạng 2)",
		"xếp hạng khi đợt thi kết thúc sẽ dùng điểm đã điều chỉnh"} {
		if !strings.Contains(preview.body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if e.correct(idAn) != 15 || countRows(t, e, "key_correction") != 0 || countRows(t, e, "score_change") != 0 {
		t.Fatal("the preview wrote something")
	}

	// Applying: one transaction, with its audit entry.
	apply := url.Values{"question": {q}, "key": {newKey.String()}, "reason": form["reason"], "seen": {"0"}}
	r := ed.post("/console/rounds/dot-1/corrections", apply)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/console/rounds/dot-1/corrections?done=applied&next=atClose") {
		t.Fatalf("apply: %d %q %s", r.status, r.location, alertOf(r.body))
	}
	if e.correct(idAn) != 14 || e.correct(idBinh) != 14 {
		t.Errorf("scores after the correction: An %d, Bình %d", e.correct(idAn), e.correct(idBinh))
	}
	entry := e.lastAudit()
	var before, after map[string]any
	_ = json.Unmarshal(entry.Before, &before)
	_ = json.Unmarshal(entry.After, &after)
	if entry.Action != "key.correct" || entry.Actor != "dieu.hanh" || entry.Reason != form.Get("reason") || entry.Target != "contest/dot-1 "+q ||
		before["key"] != exam.KeyOf(&bq).String() || after["key"] != newKey.String() || after["attempts_changed"] != float64(1) || after["people_changed"] != float64(1) {
		t.Errorf("audit entry %+v (before %v, after %v)", entry, before, after)
	}
	done := ed.get(r.location)
	if !strings.Contains(done.body, "Đã áp dụng điều chỉnh đáp án câu "+q) || !strings.Contains(done.body, "Lần 1 — câu "+q) ||
		!strings.Contains(done.body, "1 bài đổi điểm, 1 người đổi kết quả tốt nhất") {
		t.Errorf("the page after applying:\n%s", done.body)
	}
	if rows := tableAfter(t, done.raw, "Lần 1"); len(rows) != 2 || rows[1][0] != "Nguyễn Thị Minh Khai" || rows[1][3] != "15" || rows[1][4] != "14" {
		t.Errorf("score changes listed: %q", rows)
	}
	// Applying what was previewed on an outdated view is refused.
	if r := ed.post("/console/rounds/dot-1/corrections", url.Values{"question": {q}, "key": {"any"}, "reason": form["reason"], "seen": {"0"}}); r.status != http.StatusConflict {
		t.Errorf("a correction on an outdated preview: %d %s", r.status, alertOf(r.body))
	}

	// Chi answers the corrected question with the new key and submits after: scored with it.
	if i := itemIndex(e.attempt(idChi).Paper, q); i >= 0 {
		letter := shownLetter(e.attempt(idChi).Paper, i, newKey.Option)
		if r := chi.post(fmt.Sprintf("/attempts/%d/submit", idChi), url.Values{"prediction": {"1"}, fmt.Sprintf("q%d", i): {letter}}); r.status != http.StatusSeeOther {
			t.Fatalf("Chi submits: %d", r.status)
		}
		if got := e.correct(idChi); got != 1 {
			t.Errorf("Chi's attempt scores %d with the corrected key", got)
		}
	}

	// An reads a note; while the answers are hidden, it does not say which question.
	res := an.get(fmt.Sprintf("/attempts/%d/result", idAn))
	if !strings.Contains(res.body, "Số câu đúng: 14/15") || !strings.Contains(res.body, "đã được điều chỉnh từ 15 thành 14 câu đúng sau khi Ban Tổ chức sửa đáp án của một câu hỏi") {
		t.Errorf("An's result page:\n%s", res.body)
	}
	if strings.Contains(res.body, "sửa đáp án câu ") {
		t.Error("the note names the question while the answers are hidden")
	}
	if r := binh.get(fmt.Sprintf("/attempts/%d/result", idBinh)); strings.Contains(r.body, "điều chỉnh") {
		t.Error("Bình's unchanged score carries a note")
	}
	if strings.Contains(res.body, q) || strings.Contains(res.body, bq.Text) || strings.Contains(res.body, "Đáp án đúng:") {
		t.Error("An's result page shows the corrected question while the answers are hidden")
	}

	// Once the answers may be shown, the note names the question by its number on An's
	// paper and the question says its key was corrected.
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.RevealAnswers = contestv1alpha1.RevealAfterSubmit })
	res = an.get(fmt.Sprintf("/attempts/%d/result", idAn))
	if !strings.Contains(res.body, "từ 15 thành 14 câu đúng sau khi Ban Tổ chức sửa đáp án câu "+strconv.Itoa(item+1)+".") ||
		strings.Count(res.body, "Đáp án của câu này đã được Ban Tổ chức điều chỉnh") != 1 ||
		!strings.Contains(res.body, "Đáp án đúng: "+shownLetter(paperAn, item, newKey.Option)) {
		t.Errorf("An's result page with the answers shown:\n%s", res.body)
	}

	// A second correction of the question replaces the first: any answer is right.
	seen := strconv.FormatInt(lastCorrection(t, e), 10)
	if r := ed.post("/console/rounds/dot-1/corrections", url.Values{"question": {q}, "key": {"any"}, "reason": form["reason"], "seen": {seen}}); r.status != http.StatusSeeOther {
		t.Fatalf("second correction: %d %s", r.status, alertOf(r.body))
	}
	if e.correct(idAn) != 15 {
		t.Errorf("An's score once any answer is right: %d", e.correct(idAn))
	}
	res = an.get(fmt.Sprintf("/attempts/%d/result", idAn))
	if strings.Contains(res.body, "điều chỉnh từ") || !strings.Contains(res.body, "Ban Tổ chức tính mọi phương án của câu này là đúng") {
		t.Errorf("An's page after the second correction:\n%s", res.body)
	}
	if page := ed.get("/console/rounds/dot-1/corrections"); !strings.Contains(page.body, "đã được thay thế") || !strings.Contains(page.body, "Lần 2 — câu "+q) {
		t.Errorf("history after two corrections:\n%s", page.body)
	}
}

func itemIndex(p exam.Paper, qid string) int {
	for i, it := range p.Items {
		if it.QuestionID == qid {
			return i
		}
	}
	return -1
}

func shownLetter(p exam.Paper, i, bankOption int) string {
	return string(rune('A' + strings.IndexByte(p.Items[i].Order, byte('0'+bankOption))))
}

func countRows(t *testing.T, e *env, table string) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func lastCorrection(t *testing.T, e *env) int64 {
	t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), `SELECT max(id) FROM key_correction`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// Viewers neither see nor reach corrections: the page shows answer keys.
func TestConsoleKeyCorrectionIsForEditors(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.account("theo.doi", "viewer", "mat-khau-theo-doi-2024")
	v := e.signedInAs("theo.doi", "mat-khau-theo-doi-2024")
	if r := v.get("/console/rounds/dot-1"); strings.Contains(r.raw, "/corrections") {
		t.Error("a viewer is offered corrections")
	}
	if r := v.get("/console/rounds/dot-1/corrections"); r.status != http.StatusForbidden {
		t.Errorf("a viewer opens corrections: %d", r.status)
	}
	q := e.bank.Questions[0].ID
	if r := v.post("/console/rounds/dot-1/corrections", url.Values{"question": {q}, "key": {"any"}, "reason": {"Lý do đủ dài để ghi nhận"}}); r.status != http.StatusForbidden {
		t.Errorf("a viewer applies a correction: %d", r.status)
	}
	if countRows(t, e, "key_correction") != 0 {
		t.Error("a viewer's correction was stored")
	}
}

// On a ranked round served from the cluster, applying a correction that changes scores asks
// the operator for a new ranking (the round's annotation, on a real API server), audited
// with the correction's reason; one that changes no score does not.
func TestConsoleKeyCorrectionReranksARankedRound(t *testing.T) {
	if testing.Short() {
		t.Skip("needs a kube-apiserver")
	}
	ctrllog.SetLogger(logr.Discard())
	kube, err := kubetest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kube.Stop() })
	ctx := context.Background()
	if err := kube.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "contest"}}); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	round := testRound("dot-1", time.Now().Add(-time.Hour), time.Now().Add(time.Hour), 30*time.Minute)
	if err := kube.Client.Create(ctx, &round); err != nil {
		t.Fatal(err)
	}
	source, err := roundsource.NewKube(ctx, kube.Config, "contest")
	if err != nil {
		t.Fatal(err)
	}
	e.reconfigure(func(c *Config) { c.Rounds = source })
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	an := e.register(1)
	id := an.start("dot-1")
	an.answerAll(id, "1")
	// The round reads as ranked (its ranking is not what this test is about).
	round.Status = rankedStatus(true)
	if err := kube.Client.Status().Update(ctx, &round); err != nil {
		t.Fatal(err)
	}
	ed := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	waitFor(t, func() bool { return strings.Contains(ed.get("/console/rounds/dot-1").body, "Đã xếp hạng") })

	it := e.attempt(id).Paper.Items[0]
	bq := e.bank.Questions[it.At]
	reason := "Câu hỏi có hai phương án cùng đúng theo văn bản mới"
	preview := ed.post("/console/rounds/dot-1/corrections/preview", url.Values{"question": {it.QuestionID}, "key": {"any"}, "reason": {reason}})
	if !strings.Contains(preview.body, "Không bài nào đổi điểm") {
		t.Fatalf("preview of a correction that changes nothing (An answered right): %s", alertOf(preview.body))
	}
	r := ed.post("/console/rounds/dot-1/corrections", url.Values{"question": {it.QuestionID}, "key": {"any"}, "reason": {reason}, "seen": {"0"}})
	if r.status != http.StatusSeeOther || !strings.Contains(r.location, "next=unchanged") {
		t.Fatalf("apply a correction that changes nothing: %d %q", r.status, r.location)
	}
	var got contestv1alpha1.ContestRound
	if err := kube.Client.Get(ctx, client.ObjectKey{Namespace: "contest", Name: "dot-1"}, &got); err != nil {
		t.Fatal(err)
	}
	if tok := got.Annotations[contestv1alpha1.RerankAnnotation]; tok != "" {
		t.Errorf("a correction that changes no score asked for a new ranking: %q", tok)
	}

	other := exam.Key{Option: (bq.CorrectIndex() + 1) % len(bq.Options)}
	seen := strconv.FormatInt(lastCorrection(t, e), 10)
	preview = ed.post("/console/rounds/dot-1/corrections/preview", url.Values{"question": {it.QuestionID}, "key": {other.String()}, "reason": {reason}})
	if !strings.Contains(preview.body, "hệ thống tự yêu cầu xếp hạng lại") {
		t.Errorf("the preview does not say the round will be ranked again: %s", alertOf(preview.body))
	}
	r = ed.post("/console/rounds/dot-1/corrections", url.Values{"question": {it.QuestionID}, "key": {other.String()}, "reason": {reason}, "seen": {seen}})
	if r.status != http.StatusSeeOther || !strings.Contains(r.location, "next=rerank") {
		t.Fatalf("apply: %d %q %s", r.status, r.location, alertOf(r.body))
	}
	if err := kube.Client.Get(ctx, client.ObjectKey{Namespace: "contest", Name: "dot-1"}, &got); err != nil {
		t.Fatal(err)
	}
	if tok := got.Annotations[contestv1alpha1.RerankAnnotation]; !strings.HasSuffix(tok, "-dieu.hanh") {
		t.Errorf("re-rank annotation %q", tok)
	}
	actions := e.auditActions()
	if n := len(actions); n < 2 || actions[n-1] != "dieu.hanh results.rerank contest/dot-1" || actions[n-2] != "dieu.hanh key.correct contest/dot-1 "+it.QuestionID {
		t.Errorf("audit actions %v", actions)
	}
	if a := e.lastAudit(); !strings.Contains(a.Reason, it.QuestionID) || !strings.Contains(a.Reason, reason) {
		t.Errorf("re-rank reason %q", a.Reason)
	}
	if e.correct(id) != 14 {
		t.Errorf("An's score %d", e.correct(id))
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

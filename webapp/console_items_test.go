package webapp

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/store"
)

// answeredRound gives the round 60 finished attempts on the sample bank's first four
// questions, shown in bank order: 40 strong people get q0, q1 and half of them q3 right
// and choose a wrong option of q2; 20 weak ones get only q2 right. q2 then looks keyed
// wrong; it returns q2's ID and the wrong option's letter.
func (e *env) answeredRound(roundKey string) (string, string) {
	e.t.Helper()
	ctx := context.Background()
	b := e.bank
	var p exam.Paper
	for i := range 4 {
		p.Items = append(p.Items, exam.Item{QuestionID: b.Questions[i].ID, At: i, Order: "0123"[:len(b.Questions[i].Options)]})
	}
	paper, _ := json.Marshal(p)
	key := func(q int) string { return bank.OptionLetter(b.Questions[q].CorrectIndex()) }
	wrong := func(q int) string {
		return bank.OptionLetter((b.Questions[q].CorrectIndex() + 1) % len(b.Questions[q].Options))
	}
	start := time.Now().Add(-3 * time.Hour)
	for i := range 60 {
		a := exam.Answers{0: key(0), 1: key(1), 2: wrong(2), 3: wrong(3)}
		switch {
		case i >= 40:
			a = exam.Answers{0: wrong(0), 1: wrong(1), 2: key(2)}
		case i%2 == 0:
			a[3] = key(3)
		}
		res, err := exam.Score(p, b, a)
		if err != nil {
			e.t.Fatal(err)
		}
		js, _ := json.Marshal(a)
		var id int64
		if err := e.pool.QueryRow(ctx, `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender,
			participant_group, locality_code, password_hash) VALUES ($1, $2, $3, 'Người Thử', '1990-01-01', 'male', 'resident', '22963', 'x')
			RETURNING id`, testContest, fmt.Sprintf("0601900200%02d", i), fmt.Sprintf("09090200%02d", i)).Scan(&id); err != nil {
			e.t.Fatal(err)
		}
		if _, err := e.pool.Exec(ctx, `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline, submitted_at,
			bank_name, bank_version, paper, answers, total, correct, prediction, responses)
			VALUES ($1, $2, 1, 'submitted', $3, $4, $5, 'mau', 1, $6, $7, 4, $8, 1, $9)`, roundKey, id, start,
			start.Add(30*time.Minute), start.Add(10*time.Minute), paper, js, res.Correct, itemstats.Responses(res)); err != nil {
			e.t.Fatal(err)
		}
	}
	return b.Questions[2].ID, wrong(2)
}

// The item analysis page, per role. While the round (or another on the same bank version)
// can still be answered, it shows the key only to editors and admins, with a warning; a
// viewer gets the page without any question or key. Once every round on the version is
// over, viewers see it too. Dubious questions come first, with the reason in words. The
// report downloaded meanwhile withholds its item analysis sheet by the same rule.
func TestConsoleItems(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.account("theo.doi", "viewer", "mat-khau-theo-doi-2024")
	e.account("bien.tap", "editor", "mat-khau-bien-tap-2024")
	viewer := e.signedInAs("theo.doi", "mat-khau-theo-doi-2024")
	editor := e.signedInAs("bien.tap", "mat-khau-bien-tap-2024")
	admin := e.organizer()
	q2, wrong := e.answeredRound("contest/dot-1")
	q2Text := e.bank.Questions[2].Text
	keyOf2 := bank.OptionLetter(e.bank.Questions[2].CorrectIndex())
	if err := store.ReplaceRanking(context.Background(), e.pool, store.RankingRun{Round: "contest/dot-1", ComputedAt: time.Now(), TieBreak: []string{"Correct"}}, nil); err != nil {
		t.Fatal(err)
	}

	if r := viewer.get("/console/rounds/dot-1"); !strings.Contains(r.raw, `href="/console/rounds/dot-1/items"`) {
		t.Errorf("the round page does not link to its item analysis: %d", r.status)
	}

	// Round dot-1 is open.
	r := viewer.get("/console/rounds/dot-1/items")
	if r.status != http.StatusOK || !strings.Contains(r.body, "chỉ tài khoản có vai trò Điều hành trở lên được xem") ||
		strings.Contains(r.body, q2Text) || strings.Contains(r.body, q2) || strings.Contains(r.body, "(đáp án)") {
		t.Fatalf("a viewer during the round: %d\n%s", r.status, r.body)
	}
	for _, who := range []*browser{editor, admin} {
		r := who.get("/console/rounds/dot-1/items")
		if r.status != http.StatusOK || !strings.Contains(r.body, "trang này có đáp án đúng") {
			t.Fatalf("an editor during the round: %d %s", r.status, alertOf(r.body))
		}
		first := strings.Index(r.raw, `<article class="card item`)
		if first < 0 || !strings.Contains(r.raw[first:first+200], "item dubious") || !strings.Contains(r.raw[first:first+400], q2) {
			t.Errorf("the first question shown is not the dubious %s", q2)
		}
		for _, want := range []string{q2Text, "60</strong> lượt thi đã tính", "4</strong> câu hỏi đã được hỏi", "1</strong> câu đáng ngờ",
			fmt.Sprintf("Phương án %s được chọn nhiều hơn đáp án %s (40 so với 20 lượt)", wrong, keyOf2),
			"Độ phân biệt âm (-0,94)", "33,3%", "(đáp án)"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the editor's page lacks %q", want)
			}
		}
		if strings.Count(r.raw, `<article class="card item`) != 4 {
			t.Errorf("%d questions shown, want 4", strings.Count(r.raw, `<article class="card item`))
		}
	}
	if got := itemsSheet(t, viewer, "dot-1"); !strings.Contains(got, report.ItemsWithheld[:40]) || strings.Contains(got, q2) {
		t.Errorf("the report's item sheet during the round: %q", got)
	}

	// The round is over, and no other round draws from its bank version: viewers see it.
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) {
		r.Spec.OpensAt, r.Spec.ClosesAt = metav1.NewTime(time.Now().Add(-5*time.Hour)), metav1.NewTime(time.Now().Add(-2*time.Hour))
	})
	for _, other := range []string{"dot-0", "dot-2"} {
		e.rounds.update(other, func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.Bank.Version = 2 })
	}
	r = viewer.get("/console/rounds/dot-1/items")
	if r.status != http.StatusOK || !strings.Contains(r.body, q2Text) || strings.Contains(r.body, "trang này có đáp án đúng") ||
		!strings.Contains(r.body, "Độ phân biệt âm (-0,94)") {
		t.Errorf("a viewer after the round: %d %s", r.status, alertOf(r.body))
	}
	if got := itemsSheet(t, viewer, "dot-1"); !strings.Contains(got, q2) || strings.Contains(got, report.ItemsWithheld[:40]) {
		t.Errorf("the report's item sheet after the round: %q", got)
	}
	// A round nobody answered has nothing to show; an unknown round is not found.
	if r := editor.get("/console/rounds/dot-0/items"); r.status != http.StatusOK || !strings.Contains(r.body, "Chưa có lượt thi nào kết thúc có câu trả lời.") {
		t.Errorf("a round without attempts: %d %s", r.status, alertOf(r.body))
	}
	if r := viewer.get("/console/rounds/dot-9/items"); r.status != http.StatusNotFound {
		t.Errorf("an unknown round: %d", r.status)
	}
}

// itemsSheet downloads the round's report as CSV files and returns the item analysis's.
func itemsSheet(t *testing.T, b *browser, round string) string {
	t.Helper()
	r := b.get("/console/rounds/" + round + "/report-csv.zip")
	if r.status != http.StatusOK {
		t.Fatalf("report: %d %s", r.status, alertOf(r.body))
	}
	z, err := zip.NewReader(bytes.NewReader([]byte(r.raw)), int64(len(r.raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "phan-tich-cau-hoi.csv" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(data)
		}
	}
	t.Fatal("the report has no item analysis file")
	return ""
}

// The item analysis judges each question by the key in force: q2, keyed wrong, is flagged
// and offers editors its key correction; once the editor corrects it, the page (computed a
// moment before and kept for a minute) shows at once the corrected key, its figures and no
// flag; accepting any answer shows that. Viewers are offered no correction.
func TestConsoleItemsFollowKeyCorrections(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.account("bien.tap", "editor", "mat-khau-bien-tap-2024")
	e.account("theo.doi", "viewer", "mat-khau-theo-doi-2024")
	editor := e.signedInAs("bien.tap", "mat-khau-bien-tap-2024")
	viewer := e.signedInAs("theo.doi", "mat-khau-theo-doi-2024")
	q2, wrong := e.answeredRound("contest/dot-1")
	keyOf2 := bank.OptionLetter(e.bank.Questions[2].CorrectIndex())
	link := `href="/console/rounds/dot-1/corrections?question=` + q2 + `"`
	q2Card := func(raw string) string {
		t.Helper()
		at := strings.Index(raw, `<h2 id="q-`+q2+`"`)
		if at < 0 {
			t.Fatalf("no card for %s", q2)
		}
		end := strings.Index(raw[at:], "</article>")
		return raw[at : at+end]
	}

	r := editor.get("/console/rounds/dot-1/items")
	if r.status != http.StatusOK || !strings.Contains(r.body, "1</strong> câu đáng ngờ") || !strings.Contains(q2Card(r.raw), link) ||
		!strings.Contains(q2Card(r.raw), "Điều chỉnh đáp án câu này") || strings.Contains(r.body, "đã được điều chỉnh") {
		t.Fatalf("before the correction: %d %s", r.status, alertOf(r.body))
	}

	apply := func(key string, seen string) {
		t.Helper()
		r := editor.post("/console/rounds/dot-1/corrections", url.Values{"question": {q2}, "key": {key},
			"reason": {"Đáp án trong ngân hàng bị nhập nhầm"}, "seen": {seen}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("applying %s: %d %s", key, r.status, alertOf(r.body))
		}
	}
	apply(wrong, "0")
	r = editor.get("/console/rounds/dot-1/items")
	card := q2Card(r.raw)
	for _, want := range []string{"0</strong> câu đáng ngờ",
		fmt.Sprintf("Đáp án của câu này đã được điều chỉnh cho đợt thi: %s (trong ngân hàng câu hỏi: %s)", wrong, keyOf2)} {
		if !strings.Contains(r.body, want) {
			t.Errorf("after correcting to %s, the page lacks %q", wrong, want)
		}
	}
	// 40 of 60 chose the corrected key; the bank's key is marked as such.
	if !strings.Contains(card, "66,7%") || !strings.Contains(card, link) || !strings.Contains(card, "Xem điều chỉnh đáp án của câu này") ||
		!strings.Contains(card, "(đáp án trong ngân hàng)") || strings.Contains(card, "item dubious") || strings.Contains(card, "Độ phân biệt âm") {
		t.Errorf("q2 after its correction:\n%s", card)
	}

	var seen string
	if err := e.pool.QueryRow(context.Background(), `SELECT max(id)::text FROM key_correction WHERE round = 'contest/dot-1'`).Scan(&seen); err != nil {
		t.Fatal(err)
	}
	apply("any", seen)
	r = editor.get("/console/rounds/dot-1/items")
	if card := q2Card(r.raw); !strings.Contains(card, "mọi phương án đều đúng (trong ngân hàng câu hỏi: "+keyOf2+")") ||
		!strings.Contains(card, "100,0%") || strings.Contains(card, "(đáp án)") {
		t.Errorf("q2 accepting any answer:\n%s", card)
	}

	// After the round, a viewer sees the analysis and that q2 was corrected, with no link to
	// a page they may not use.
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) {
		r.Spec.OpensAt, r.Spec.ClosesAt = metav1.NewTime(time.Now().Add(-5*time.Hour)), metav1.NewTime(time.Now().Add(-2*time.Hour))
	})
	for _, other := range []string{"dot-0", "dot-2"} {
		e.rounds.update(other, func(r *contestv1alpha1.ContestRound) { r.Spec.Exam.Bank.Version = 2 })
	}
	if r := viewer.get("/console/rounds/dot-1/items"); r.status != http.StatusOK || !strings.Contains(r.body, "mọi phương án đều đúng") ||
		strings.Contains(r.raw, "/corrections") {
		t.Errorf("a viewer after the round: %d %s", r.status, alertOf(r.body))
	}
}

// The cache keeps an analysis for a minute, drops every one kept when a key correction
// commits (forget), and does not keep one whose computation a correction overlapped: its
// snapshot may predate the correction.
func TestItemsCacheForget(t *testing.T) {
	var ic itemsCache
	ctx := context.Background()
	now := time.Now()
	computed := 0
	compute := func(during func()) func(context.Context) (roundItems, error) {
		return func(context.Context) (roundItems, error) {
			computed++
			if during != nil {
				during()
			}
			return roundItems{analysis: &itemstats.Analysis{Attempts: int64(computed)}}, nil
		}
	}
	get := func(at time.Time, during func()) int64 {
		t.Helper()
		r, _, err := ic.get(ctx, "r", at, compute(during))
		if err != nil {
			t.Fatal(err)
		}
		return r.analysis.Attempts
	}
	if get(now, nil) != 1 || get(now.Add(time.Second), nil) != 1 {
		t.Fatal("not kept")
	}
	ic.forget()
	if get(now.Add(2*time.Second), nil) != 2 {
		t.Error("kept after a correction")
	}
	// A correction commits while the analysis is computed: shown once, not kept.
	if get(now.Add(itemsTTL+3*time.Second), ic.forget) != 3 || get(now.Add(itemsTTL+4*time.Second), nil) != 4 ||
		get(now.Add(itemsTTL+5*time.Second), nil) != 4 {
		t.Errorf("computed %d times, want 4", computed)
	}
	if get(now.Add(2*itemsTTL+4*time.Second), nil) != 5 {
		t.Error("kept past its minute")
	}
}

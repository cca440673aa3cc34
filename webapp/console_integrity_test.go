package webapp

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/integrity"
	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/rankjob"
	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/store"
)

// integrityKinds are the kinds of signal as the catalog keys name them.
func integrityKinds() []string {
	var out []string
	for _, k := range integrity.Kinds() {
		out = append(out, string(k))
	}
	return out
}

// named registers person n under a name of their own, and returns the browser and id.
func (e *env) named(n int, name string) (*browser, int64) {
	e.t.Helper()
	b := e.registerAs(n, func(f url.Values) { f.Set("full_name", name) })
	var id int64
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM contestant WHERE national_id = $1`, registration(n).Get("national_id")).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return b, id
}

// decide posts a decision of the review queue about a person.
func (b *browser) decide(round string, id int64, decision, reason string) response {
	b.e.t.Helper()
	return b.consolePost("/console/integrity?round="+round, "/console/integrity/"+strconv.FormatInt(id, 10),
		url.Values{"round": {round}, "decision": {decision}, "reason": {reason}})
}

// scanned asks for a new scan of the round ("Quét lại"), waits until this replica's
// background scans are done, and returns the queue.
func (b *browser) scanned(round string) response {
	b.e.t.Helper()
	if r := b.get("/console/integrity?round=" + round + "&rescan=1"); r.status != http.StatusSeeOther || r.location != "/console/integrity?round="+round {
		b.e.t.Fatalf("rescan: %d %q %s", r.status, r.location, alertOf(r.body))
	}
	b.e.app.scans.wg.Wait()
	page := b.get("/console/integrity?round=" + round)
	if page.status != http.StatusOK || !strings.Contains(page.body, "Quét lúc") || strings.Contains(page.body, "Đang quét") {
		b.e.t.Fatalf("queue after the scan: %d %s", page.status, alertOf(page.body))
	}
	return page
}

func (e *env) ineligible(id int64) store.Flag {
	e.t.Helper()
	var f store.Flag
	if err := e.pool.QueryRow(context.Background(), `SELECT ineligible, coalesce(ineligible_reason, ''), coalesce(ineligible_by, ''), ineligible_at
		FROM contestant WHERE id = $1`, id).Scan(&f.Ineligible, &f.Reason, &f.By, &f.At); err != nil {
		e.t.Fatal(err)
	}
	return f
}

// The review queue end to end: real attempts through the HTTP app make the signals, an
// editor sees each person with the evidence in words, dismisses one (who comes back only
// with new evidence) and excludes another (the eligibility flag the ranking and the
// report honour); each decision is one audit entry; nobody is excluded by the scan itself.
func TestIntegrityReviewQueue(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) {
		r.Spec.Integrity = &contestv1alpha1.IntegrityRules{SharedNetworkAccounts: ptr(int32(4))}
	})
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(true) })

	// A perfect attempt submitted at once.
	fast, fastID := e.named(1, "Trần Văn Nhanh")
	fast.submitAttempt(true)
	// Three accounts starting on one phone, in one lab.
	var lab []int64
	for i, name := range []string{"Lê Thị Một", "Lê Thị Hai", "Lê Thị Ba"} {
		b, id := e.named(2+i, name)
		b.ip, b.ua = "171.244.8.10", phoneUA
		b.start("dot-1")
		lab = append(lab, id)
	}
	// Two accounts answering the same paper alike, side by side.
	copier, copierID := e.named(5, "Phạm Văn Chép")
	source, sourceID := e.named(6, "Phạm Văn Gốc")
	copier.ip, source.ip = "14.160.1.2", "27.72.3.4"
	ca, sa := copier.start("dot-1"), source.start("dot-1")
	if _, err := e.pool.Exec(ctx, `UPDATE attempt SET paper = (SELECT paper FROM attempt WHERE id = $1) WHERE id = $2`, sa, ca); err != nil {
		t.Fatal(err)
	}
	answers := url.Values{"prediction": {"100"}}
	for i := range 15 {
		answers.Set(fmt.Sprintf("q%d", i), []string{"A", "B", "C", "D"}[i%4])
	}
	for _, p := range []struct {
		b  *browser
		id int64
	}{{copier, ca}, {source, sa}} {
		if r := p.b.post(fmt.Sprintf("/attempts/%d/submit", p.id), answers); r.status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", r.status, alertOf(r.body))
		}
	}
	// Someone with nothing unusual.
	_, plainID := e.named(7, "Hồ Thị Thường")

	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	ed := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	page := ed.scanned("dot-1")
	for _, want := range []string{
		"Trần Văn Nhanh", "đúng 15/15 câu, nộp sau", "(ngưỡng: dưới 60 giây)",
		"Lê Thị Hai", "bắt đầu trên cùng một thiết bị (cùng trình duyệt, mạng 171.244.8.0/24) với 2 tài khoản khác",
		// The round's own threshold: 4 accounts on a network (the lab's 3 and nobody else).
		"4 tài khoản trên một mạng",
		"Phạm Văn Chép", "chọn giống hệt nhau ở 15 câu chung", "Phạm Văn Gốc (060*******06)",
		"Nhiều tài khoản trên một mạng", "BÌNH THƯỜNG",
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the queue does not say %q", want)
		}
	}
	if strings.Contains(page.body, "Hồ Thị Thường") || strings.Contains(page.body, "bắt đầu từ cùng mạng") {
		t.Errorf("a person without signals, or a network below its threshold, is listed")
	}
	var excludedByScan int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM contestant WHERE ineligible`).Scan(&excludedByScan); err != nil || excludedByScan != 0 {
		t.Fatalf("the scan excluded %d people (%v): nothing is excluded automatically", excludedByScan, err)
	}

	// Refused: no reason, no decision, an unknown decision, a person without signals.
	if r := ed.decide("dot-1", fastID, "dismissed", "ngắn"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "từ 10 đến 500 ký tự") {
		t.Errorf("a decision without a real reason: %d", r.status)
	}
	if r := ed.decide("dot-1", fastID, "delete", "Một lý do đủ dài để ghi lại"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("an unknown decision: %d", r.status)
	}
	if r := ed.decide("dot-1", plainID, "excluded", "Một lý do đủ dài để ghi lại"); r.status != http.StatusConflict || e.ineligible(plainID).Ineligible {
		t.Errorf("a decision about a person without signals: %d", r.status)
	}
	if r := ed.decide("dot-9", fastID, "dismissed", "Một lý do đủ dài để ghi lại"); r.status != http.StatusNotFound {
		t.Errorf("a decision in an unknown round: %d", r.status)
	}

	// Dismissed: out of the queue, recorded, audited.
	const ok = "Đã gọi điện xác minh: thí sinh là giáo viên tin học, làm lại lần hai"
	if r := ed.decide("dot-1", fastID, "dismissed", ok); r.status != http.StatusSeeOther || r.location != "/console/integrity?round=dot-1&done=dismissed" {
		t.Fatalf("dismiss: %d %q %s", r.status, r.location, alertOf(r.body))
	}
	a := e.lastAudit()
	if a.Action != organizer.ActionIntegrityDismiss || a.Actor != "dieu.hanh" || a.Target != fmt.Sprintf("contestant/%d", fastID) || a.Reason != ok ||
		!strings.Contains(string(a.After), `"decision": "dismissed"`) || !strings.Contains(string(a.After), "fast_perfect:") || e.ineligible(fastID).Ineligible {
		t.Errorf("dismissal's audit entry %+v", a)
	}
	page = ed.get("/console/integrity?round=dot-1&done=dismissed")
	if strings.Contains(page.body, "Trần Văn Nhanh</strong>") || !strings.Contains(page.body, "Đã ghi nhận không vi phạm.") {
		t.Errorf("the dismissed person is still in the queue")
	}
	// New evidence brings them back, saying so.
	fast.submitAttempt(true)
	page = ed.scanned("dot-1")
	if !strings.Contains(page.body, "Trần Văn Nhanh</strong>") || !strings.Contains(page.body, "Trước đây đã được xác định không vi phạm; nay có dấu hiệu mới.") {
		t.Errorf("a dismissed person with a new fast perfect attempt is not back")
	}

	// Excluded: the eligibility flag is set with the reason, in the transaction of the audit entry.
	const breach = "Bài làm trùng khớp hoàn toàn với tài khoản Phạm Văn Gốc, thừa nhận làm hộ"
	if r := ed.decide("dot-1", copierID, "excluded", breach); r.status != http.StatusSeeOther {
		t.Fatalf("exclude: %d %s", r.status, alertOf(r.body))
	}
	if f := e.ineligible(copierID); !f.Ineligible || f.Reason != breach || f.By != "dieu.hanh" || f.At == nil {
		t.Errorf("flag %+v", f)
	}
	a = e.lastAudit()
	if a.Action != organizer.ActionIntegrityExclude || a.Reason != breach || !strings.Contains(string(a.Before), `"ineligible": false`) ||
		!strings.Contains(string(a.After), `"ineligible": true`) || !strings.Contains(string(a.After), "same_answers:") ||
		!strings.Contains(string(a.After), "giống hệt nhau") {
		t.Errorf("exclusion's audit entry %+v", a)
	}
	page = ed.get("/console/integrity?round=dot-1&done=excluded")
	if strings.Contains(page.body, "Phạm Văn Chép</strong>") || !strings.Contains(page.body, "Phạm Văn Gốc</strong>") ||
		!strings.Contains(page.raw, `href="/console/rounds/dot-0#rerank"`) {
		t.Errorf("after the exclusion: the excluded person listed, the other one gone, or no re-rank offered")
	}
	if !strings.Contains(page.body, breach) || !strings.Contains(page.body, ok) {
		t.Errorf("the recent decisions do not list both")
	}
	if el := ed.get("/console/eligibility"); !strings.Contains(el.body, breach) {
		t.Errorf("the eligibility screen does not list the exclusion")
	}
	for _, id := range append(lab, sourceID) {
		if e.ineligible(id).Ineligible {
			t.Errorf("contestant %d was excluded without a decision", id)
		}
	}

	// The ranking and the report follow the existing flag.
	round, _ := e.app.findRound(ctx, "dot-1")
	if _, err := rankjob.Run(ctx, e.pool, round, e.app.attempts.Bank, time.Now()); err != nil {
		t.Fatal(err)
	}
	var reason string
	if err := e.pool.QueryRow(ctx, `SELECT ineligible_reason FROM ranking_entry WHERE round = 'contest/dot-1' AND contestant_id = $1`, copierID).Scan(&reason); err != nil ||
		reason != "flagged by organizers: "+breach {
		t.Errorf("ranking reason %q (%v)", reason, err)
	}
	rep, err := report.Build(ctx, e.pool, "contest/dot-1", report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sheet []string
	_ = rep.Table(report.SheetExclusions).Each(ctx, func(row []report.Cell) error {
		for _, c := range row {
			sheet = append(sheet, c.String())
		}
		return nil
	})
	all := strings.Join(sheet, "|")
	if !strings.Contains(all, "Phạm Văn Chép") || !strings.Contains(all, "Loại khỏi xét giải") || !strings.Contains(all, "chọn giống hệt nhau ở 15 câu chung") ||
		strings.Contains(all, "Phạm Văn Gốc|") {
		t.Errorf("exclusions sheet: %s", all)
	}
}

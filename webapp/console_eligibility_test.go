package webapp

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/rankjob"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// The eligibility screen shows whom each round's rules exclude, as the ranking will, and
// lets an editor flag a person with a reason: the flag and its reason reach the ranking,
// the change is in the audit log, and ranked rounds are offered a new ranking.
func TestEligibilityScreen(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	units := []unit.Unit{
		{Code: "STTTT", Name: "Sở Thông tin và Truyền thông", Type: unit.TypeAgency, Aliases: []string{"Sở TT&TT"}},
		{Code: "STTTT-VP", Name: "Văn phòng Sở Thông tin và Truyền thông", ParentCode: "STTTT", Type: unit.TypeAgency},
		{Code: "SGD", Name: "Sở Giáo dục và Đào tạo", Type: unit.TypeAgency},
	}
	if err := store.ReplaceUnits(ctx, e.pool, testContest, units); err != nil {
		t.Fatal(err)
	}
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) {
		r.Spec.Ranking.IneligibleUnits = []string{"STTTT"}
		r.Spec.Ranking.IneligibleOrganizations = []string{"Sở TT&TT"} // as people type it
	})
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(true) })
	inOffice := e.registerAs(1, func(f url.Values) { f.Set("unit", "STTTT-VP"); f.Set("organization", "") })
	typed := e.registerAs(2, func(f url.Values) { f.Set("unit", "-"); f.Set("organization", "Sở TT&TT") })
	teacher := e.registerAs(3, func(f url.Values) { f.Set("unit", "SGD"); f.Set("organization", "") })
	for _, b := range []*browser{inOffice, typed, teacher} {
		b.submitAttempt(false)
	}
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	b := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")

	page := b.get("/console/eligibility")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Thể lệ này áp dụng cho 2 người") ||
		!strings.Contains(page.body, "Đơn vị mã STTTT-VP trực thuộc đơn vị mã STTTT") || !strings.Contains(page.body, "Ghi đơn vị “Sở TT&TT”") ||
		strings.Contains(page.body, "Sở Giáo dục") {
		t.Fatalf("the rules' matches: %d\n%s", page.status, page.body)
	}

	// The teacher is flagged by hand, with the reason.
	found := b.get("/console/eligibility?login=0912300003")
	if !strings.Contains(found.body, "Nguyễn Thị Minh Khai") || !strings.Contains(found.raw, `value="flag"`) {
		t.Fatalf("lookup: %s", alertOf(found.body))
	}
	var id int64
	if err := e.pool.QueryRow(ctx, `SELECT id FROM contestant WHERE phone = '0912300003'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	post := func(reason string) response {
		return b.consolePost("/console/eligibility", "/console/eligibility/"+strconv.FormatInt(id, 10), url.Values{"action": {"flag"}, "reason": {reason}})
	}
	if r := post("ngắn"); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a flag without a real reason: %d", r.status)
	}
	reason := "Thành viên Tổ thư ký; biên soạn câu hỏi"
	if r := post(reason); r.status != http.StatusSeeOther {
		t.Fatalf("flag: %d %s", r.status, alertOf(r.body))
	}
	if a := e.lastAudit(); a.Action != "eligibility.flag" || a.Actor != "dieu.hanh" || a.Reason != reason ||
		!strings.Contains(string(a.Before), `"ineligible": false`) || !strings.Contains(string(a.After), `"ineligible": true`) {
		t.Errorf("audit: %+v", a)
	}
	done := b.get("/console/eligibility?done=flag")
	if !strings.Contains(done.body, reason) || !strings.Contains(done.body, "Các đợt thi đã xếp hạng") || !strings.Contains(done.raw, `href="/console/rounds/dot-0#rerank"`) {
		t.Errorf("after flagging: %s", done.body)
	}

	// The ranking follows: the rules exclude two, the committee one more, with its reason.
	round, _ := e.app.findRound(ctx, "dot-1")
	res, err := rankjob.Run(ctx, e.pool, round, e.app.attempts.Bank, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if res.Participants != 3 || len(res.Winners) != 0 {
		t.Errorf("ranking: %d participants, winners %+v", res.Participants, res.Winners)
	}
	var reasons []string
	rows, _ := e.pool.Query(ctx, `SELECT ineligible_reason FROM ranking_entry WHERE round = 'contest/dot-1' ORDER BY ineligible_reason`)
	for rows.Next() {
		var r string
		_ = rows.Scan(&r)
		reasons = append(reasons, r)
	}
	rows.Close()
	want := []string{"flagged by organizers: Thành viên Tổ thư ký, biên soạn câu hỏi", `organization "Sở TT&TT" is excluded`, `unit "STTTT-VP" is under excluded unit "STTTT"`}
	if strings.Join(reasons, "|") != strings.Join(want, "|") {
		t.Errorf("ranking reasons %q, want %q", reasons, want)
	}
}

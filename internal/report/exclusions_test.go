package report_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/integrity"
	"github.com/dxcontest/contest-platform/internal/ranking"
	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// The exclusions sheet lists the ranked people organizers flagged, with who, when and on
// what evidence (a review-queue decision's summary), and says when the flag changed after
// the ranking. People the rules exclude are on the ranking sheet only.
func TestExclusionsSheet(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	f := reporttest.Load(t, pool)
	flagInRanking := func(person int, note string) {
		if _, err := pool.Exec(ctx, `UPDATE ranking_entry SET eligible = false, ineligible_reason = $3, prize = ''
			WHERE round = $1 AND contestant_id = $2`, reporttest.Round, f.IDs[person], ranking.ReasonFlagged+": "+note); err != nil {
			t.Fatal(err)
		}
	}
	// Đặng Văn Giang: excluded through the review queue, and ranked again since.
	const why = "Bài làm giống hệt tài khoản khác, đã xác minh với đơn vị"
	giang := f.IDs[6]
	if _, _, err := store.SetEligibility(ctx, pool, reporttest.ContestID, giang, true, why, "dieu.hanh"); err != nil {
		t.Fatal(err)
	}
	summary := "Lượt thi số 7 và lượt thi số 9 của Trần Văn Bảy (060*******08): chọn giống hệt nhau ở 6 câu chung."
	if _, err := store.RecordIntegrityDecision(ctx, pool, store.IntegrityDecision{ContestID: reporttest.ContestID, ContestantID: giang,
		Round: reporttest.Round, Decision: integrity.Excluded, Reason: why, Keys: []string{"same_answers:7:9"},
		Evidence: json.RawMessage(`[]`), Summary: summary, By: "dieu.hanh"}); err != nil {
		t.Fatal(err)
	}
	flagInRanking(6, why)
	// Trần Thị Bình: flagged when ranked, the flag cleared since.
	flagInRanking(1, "Nghi vấn")
	// Hoàng Văn Em is flagged in the fixture, after a ranking that did not know it.

	rep, err := report.Build(ctx, pool, reporttest.Round, report.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	tab := rep.Table(report.SheetExclusions)
	rows := texts(t, tab)
	var names []string
	for _, r := range rows {
		names = append(names, r[column(tab, "Họ và tên")])
	}
	if strings.Join(names, "|") != "Trần Thị Bình|Hoàng Văn Em|Đặng Văn Giang" {
		t.Fatalf("people %q", names)
	}
	g := rows[2]
	for title, want := range map[string]string{
		"Hạng": "7", "Số CCCD": "060*******06", "Lý do của Ban Tổ chức": why, "Người đánh dấu": "dieu.hanh",
		"Quyết định rà soát": "Loại khỏi xét giải", "Người quyết định": "dieu.hanh", "Dấu hiệu (tóm tắt)": summary, "Ghi chú": "",
		"Lý do trong bảng xếp hạng": "Ban Tổ chức đánh dấu không xét giải: " + why,
	} {
		if got := g[column(tab, title)]; got != want {
			t.Errorf("Giang's %s = %q, want %q", title, got, want)
		}
	}
	if g[column(tab, "Thời điểm đánh dấu")] == "" || g[column(tab, "Thời điểm quyết định")] == "" {
		t.Errorf("times missing: %q", g)
	}
	if note := rows[0][column(tab, "Ghi chú")]; !strings.Contains(note, "Đã bỏ đánh dấu sau lần xếp hạng này") || rows[0][column(tab, "Người đánh dấu")] != "" {
		t.Errorf("cleared flag: %q", rows[0])
	}
	if note := rows[1][column(tab, "Ghi chú")]; !strings.Contains(note, "Bị đánh dấu sau lần xếp hạng này") {
		t.Errorf("flag after the ranking: %q", rows[1])
	}
}

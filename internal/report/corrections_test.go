package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// correct records a key correction of the fixture's round at the given time, with a score
// change for each attempt named (by contestant name), as the attempt service writes them.
func correct(t *testing.T, pool *pgxpool.Pool, at time.Time, question, old, new, reason string, names ...string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := pool.QueryRow(ctx, `INSERT INTO key_correction (round, bank_name, bank_version, question_id, old_key, new_key, reason, created_by,
			created_at, attempts_changed, people_changed)
		VALUES ($1, 'mau', 1, $2, $3, $4, $5, 'dieu.hanh', $6, $7, $7) RETURNING id`,
		reporttest.Round, question, old, new, reason, at, len(names)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if _, err := pool.Exec(ctx, `INSERT INTO score_change (correction_id, attempt_id, contestant_id, old_correct, new_correct)
			SELECT $1, a.id, a.contestant_id, a.correct, a.correct - 1 FROM attempt a JOIN contestant c ON c.id = a.contestant_id
			WHERE a.round = $2 AND c.full_name = $3 AND a.status <> 'in_progress' ORDER BY a.id LIMIT 1`, id, reporttest.Round, name); err != nil {
			t.Fatal(err)
		}
	}
}

// The report lists the round's key corrections, each followed by the attempts whose score
// it changed, and its summary says when a correction came after the ranking.
func TestReportListsKeyCorrections(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	reporttest.Load(t, pool)
	ranked := time.Date(2024, 9, 1, 0, 5, 0, 0, time.UTC)
	correct(t, pool, ranked.Add(-time.Hour), "q-001", "B", "C", "Đáp án trong tệp bị nhập nhầm", "Nguyễn Văn An", "Trần Thị Bình")
	correct(t, pool, ranked.Add(-time.Minute), "q-002", "A", "any", "Câu hỏi có hai cách hiểu")

	rep, err := report.Build(ctx, pool, reporttest.Round, report.Options{Now: ranked.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tab := range rep.Tables {
		names = append(names, tab.Name)
	}
	if got := strings.Join(names, "|"); !strings.Contains(got, report.SheetRanking+"|"+report.SheetCorrections+"|"+report.SheetExclusions+"|"+report.SheetByOrganization) {
		t.Fatalf("sheets %q", got)
	}
	tab := rep.Table(report.SheetCorrections)
	rows := texts(t, tab)
	col := func(title string) int { return column(tab, title) }
	var lines []string
	for _, r := range rows {
		if len(r) != len(tab.Columns) {
			t.Fatalf("row of %d cells under %d columns: %q", len(r), len(tab.Columns), r)
		}
		lines = append(lines, strings.Join([]string{r[col("Lần điều chỉnh")], r[col("Mã câu hỏi")], r[col("Đáp án cũ")], r[col("Đáp án mới")],
			r[col("Họ và tên")], r[col("Điểm cũ")], r[col("Điểm mới")]}, " "))
	}
	want := []string{"1 q-001 B C   ", "1 q-001   Nguyễn Văn An 15 14", "1 q-001   Trần Thị Bình 15 14", "2 q-002 A Mọi phương án đều đúng   "}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("corrections sheet\n got  %q\n want %q", lines, want)
	}
	if r := rows[0]; r[col("Lý do")] != "Đáp án trong tệp bị nhập nhầm" || r[col("Người điều chỉnh")] != "dieu.hanh" ||
		r[col("Thời điểm")] != "2024-09-01 06:05:00.000" || r[col("Số bài đổi điểm")] != "2" {
		t.Errorf("correction line %q", r)
	}
	if id := rows[1][col("Số CCCD")]; !strings.Contains(id, "*") {
		t.Errorf("national ID %q is not masked", id)
	}
	summary := ""
	for _, r := range texts(t, rep.Table(report.SheetSummary)) {
		summary += strings.Join(r, ": ") + "\n"
	}
	if !strings.Contains(summary, "Điều chỉnh đáp án: 2 lần") || strings.Contains(summary, "CẢNH BÁO: điều chỉnh") {
		t.Errorf("summary:\n%s", summary)
	}

	// A correction after the ranking: the summary says the ranking must be done again.
	correct(t, pool, ranked.Add(time.Minute), "q-003", "D", "A", "Đáp án D đã lỗi thời")
	rep, err = report.Build(ctx, pool, reporttest.Round, report.Options{Now: ranked.Add(time.Hour), Unmasked: true})
	if err != nil {
		t.Fatal(err)
	}
	summary = ""
	for _, r := range texts(t, rep.Table(report.SheetSummary)) {
		summary += strings.Join(r, ": ") + "\n"
	}
	if !strings.Contains(summary, "CẢNH BÁO: điều chỉnh đáp án sau khi xếp hạng") || !strings.Contains(summary, "Cần xếp hạng lại") {
		t.Errorf("summary after a late correction:\n%s", summary)
	}
	if rows := texts(t, rep.Table(report.SheetCorrections)); len(rows) != 5 || strings.Contains(rows[1][col("Số CCCD")], "*") {
		t.Errorf("unmasked sheet %q", rows)
	}
}

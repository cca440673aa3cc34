package report_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// texts reads a table back as CSV would show it (not neutralized).
func texts(t *testing.T, tab *report.Table) [][]string {
	t.Helper()
	var out [][]string
	err := tab.Each(context.Background(), func(row []report.Cell) error {
		line := make([]string, len(row))
		for i, c := range row {
			line[i] = c.String()
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func column(tab *report.Table, title string) int {
	for i, c := range tab.Columns {
		if c.Title == title {
			return i
		}
	}
	return -1
}

func TestBuild(t *testing.T) {
	pool := pgtest.Migrated(t)
	f := reporttest.Load(t, pool)
	now := time.Date(2024, 9, 2, 1, 0, 0, 0, time.UTC)
	rep, err := report.Build(context.Background(), pool, reporttest.Round, report.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tab := range rep.Tables {
		names = append(names, tab.Name)
		if len(tab.Columns) == 0 {
			t.Errorf("sheet %s has no columns", tab.Name)
		}
		for _, row := range texts(t, tab) {
			if len(row) != len(tab.Columns) {
				t.Errorf("sheet %s: row of %d cells under %d columns: %q", tab.Name, len(row), len(tab.Columns), row)
			}
		}
	}
	want := []string{report.SheetSummary, report.SheetPrizes, report.SheetRanking, report.SheetExclusions, report.SheetByOrganization,
		report.SheetByLocality, report.SheetByGroup, report.SheetByDay, report.SheetItems}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", names, want)
	}

	t.Run("prizes", func(t *testing.T) {
		tab := rep.Table(report.SheetPrizes)
		rows := texts(t, tab)
		var got []string
		for _, r := range rows {
			got = append(got, r[0]+":"+r[2])
		}
		wantPrizes := []string{"Giải Nhất:Nguyễn Văn An", "Giải Nhì:Trần Thị Bình", report.PendingPrize + ":Lê Văn Cường",
			report.PendingPrize + ":Phạm Thị Dung", "Giải Ba:Võ Thị Phương", ":Đặng Văn Giang"}
		if strings.Join(got, "|") != strings.Join(wantPrizes, "|") {
			t.Errorf("prize sheet %q, want %q", got, wantPrizes)
		}
		first := rows[0]
		for title, want := range map[string]string{
			"Số CCCD": "060*******34", "Số điện thoại": "0912***678", "Đơn vị": `=HYPERLINK("http://x")`,
			"Xã, phường, thị trấn": "Phường Mũi Né", "Huyện, thị xã, thành phố": "Thành phố Phan Thiết",
			"Đối tượng": "Cán bộ, công chức, viên chức, người lao động", "Số câu đúng": "15", "Tổng số câu": "15",
			"Dự đoán": "2", "Chênh lệch dự đoán": "0", "Thời gian làm bài (giây)": "600.000",
			"Thời gian làm bài (giờ:phút:giây)": "0:10:00", "Thời điểm nộp bài": "2024-08-17 08:10:00.000",
		} {
			if got := first[column(tab, title)]; got != want {
				t.Errorf("winner's %s = %q, want %q", title, got, want)
			}
		}
		if note := rows[2][column(tab, "Ghi chú")]; !strings.Contains(note, "1 suất Giải Nhì, 1 suất Giải Ba") {
			t.Errorf("tie note %q", note)
		}
		if note, want := rows[5][column(tab, "Ghi chú")], "Không đạt điều kiện nhận Giải Khuyến khích: cần ít nhất 11 câu đúng, có 10 câu"; note != want {
			t.Errorf("note of a person below a prize's condition %q, want %q", note, want)
		}
	})

	t.Run("ranking", func(t *testing.T) {
		tab := rep.Table(report.SheetRanking)
		rows := texts(t, tab)
		if len(rows) != len(f.Lines) {
			t.Fatalf("%d ranking rows, want %d", len(rows), len(f.Lines))
		}
		bin := rows[1]
		if got := bin[column(tab, "Thời gian làm bài (giây)")]; got != "660.000500" {
			t.Errorf("exact time used %q", got)
		}
		if got := bin[column(tab, "Thời điểm nộp bài")]; got != "2024-08-18 00:01:00.000500" {
			t.Errorf("exact submission time %q", got)
		}
		em := rows[4]
		if em[column(tab, "Đủ điều kiện nhận giải")] != "Không" ||
			em[column(tab, "Lý do không đủ điều kiện")] != "Đơn vị “Sở Thông tin và Truyền thông” không thuộc đối tượng xét giải" {
			t.Errorf("ineligible line %q", em)
		}
		if rows[2][column(tab, "Đồng hạng tại ranh giới giải")] != "Có" || rows[0][column(tab, "Đồng hạng tại ranh giới giải")] != "" {
			t.Errorf("boundary flags wrong: %q / %q", rows[2], rows[0])
		}
		if got := rows[6][column(tab, "Dự đoán")]; got != "(không trả lời)" {
			t.Errorf("unanswered prediction shows %q", got)
		}
		if got := rows[6][column(tab, "Điều kiện nhận giải")]; !strings.Contains(got, "cần ít nhất 11 câu đúng, có 10 câu") {
			t.Errorf("condition column of a person below it %q", got)
		}
		if got := rows[0][column(tab, "Điều kiện nhận giải")]; got != "" {
			t.Errorf("condition column of a winner %q", got)
		}
	})

	t.Run("summary", func(t *testing.T) {
		all := ""
		for _, r := range texts(t, rep.Table(report.SheetSummary)) {
			all += strings.Join(r, ": ") + "\n"
		}
		for _, want := range []string{
			"Vòng thi: default/vong-1", "Thời điểm xếp hạng: 2024-09-01 07:05:00.000", "Thời điểm lập báo cáo: 2024-09-02 08:00:00.000",
			"Số người dự thi: 7", "Số lượt thi: 10", "(đáp án câu hỏi dự đoán): 2", "Số giải đã xác định: 3",
			"CẢNH BÁO: đồng hạng tại ranh giới giải: 2 người đồng hạng 3 (Lê Văn Cường, Phạm Thị Dung)",
			"1 suất Giải Nhì, 1 suất Giải Ba", "Ban Tổ chức cần quyết định trước khi công bố kết quả",
			"1. số câu trả lời đúng", "đã được che",
			"Cơ cấu giải và điều kiện nhận giải: Giải Nhất: 1 suất, cần ít nhất 13 câu đúng; Giải Nhì: 2 suất, cần ít nhất 13 câu đúng",
			"Suất giải để trống: 1 suất Giải Khuyến khích không trao: không đủ người đủ điều kiện đạt từ 11 câu đúng trở lên",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("summary lacks %q:\n%s", want, all)
			}
		}
	})

	t.Run("locality", func(t *testing.T) {
		rows := texts(t, rep.Table(report.SheetByLocality))
		got := map[string]string{}
		for _, r := range rows {
			got[r[0]+" "+r[1]+" "+r[3]+" "+r[4]] = r[5] + "/" + r[6]
		}
		for key, want := range map[string]string{
			"Huyện 593  ":                       "5/6", // An 2, Bình 1, Dung 1, Em 1, Giang 1
			"Xã 593 22915 Phường Mũi Né":        "3/4",
			"Xã 593 22918 Phường Hàm Tiến":      "2/2",
			"Huyện 595  ":                       "2/4",
			"Xã 595  (Không ghi xã)":            "1/1",
			"Xã 595 22969 Thị trấn Liên Hương":  "1/3",
			"Xã 595 22972 Thị trấn Phan Rí Cửa": "0/0", // an attempt in progress is no participation
			"Huyện 602  ":                       "0/0",
		} {
			if got[key] != want {
				t.Errorf("%s: %q, want %q", key, got[key], want)
			}
		}
	})

	t.Run("groups", func(t *testing.T) {
		rows := texts(t, rep.Table(report.SheetByGroup))
		want := [][]string{{"Cán bộ, công chức, viên chức, người lao động", "3", "4"}, {"Lực lượng vũ trang", "1", "3"},
			{"Học sinh, sinh viên", "1", "1"}, {"Người dân", "2", "2"}}
		for i := range want {
			if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("group row %d = %q, want %q", i, rows[i], want[i])
			}
		}
	})
}

func TestBuildUnmasked(t *testing.T) {
	pool := pgtest.Migrated(t)
	reporttest.Load(t, pool)
	rep, err := report.Build(context.Background(), pool, reporttest.Round, report.Options{Unmasked: true})
	if err != nil {
		t.Fatal(err)
	}
	tab := rep.Table(report.SheetPrizes)
	first := texts(t, tab)[0]
	if first[column(tab, "Số CCCD")] != "060090000134" || first[column(tab, "Số điện thoại")] != "0912345678" {
		t.Errorf("unmasked winner %q", first)
	}
}

func TestBuildRefusesARoundNotRanked(t *testing.T) {
	pool := pgtest.Migrated(t)
	_, err := report.Build(context.Background(), pool, "default/chua-xep-hang", report.Options{})
	if !errors.Is(err, store.ErrNoRanking) {
		t.Fatalf("err = %v, want store.ErrNoRanking", err)
	}
}

// The sheet by unit counts people by the unit they chose: every unit of the list with its
// parent and type, the units under it added up, then the free texts under "Khác — …".
func TestBuildByUnit(t *testing.T) {
	pool := pgtest.Migrated(t)
	reporttest.Load(t, pool)
	rep, err := report.Build(context.Background(), pool, reporttest.Round, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tab := rep.Table(report.SheetByOrganization)
	rows := texts(t, tab)
	got := map[string][]string{}
	for _, r := range rows {
		key := r[0]
		if key == "" {
			key = r[1]
		}
		got[key] = r
	}
	col := func(title string) int {
		i := column(tab, title)
		if i < 0 {
			t.Fatalf("no column %q", title)
		}
		return i
	}
	name, parent, kind, own, all := col("Đơn vị"), col("Đơn vị cấp trên"), col("Loại"), col("Số người dự thi"), col("Số người dự thi (cả đơn vị trực thuộc)")
	for _, c := range []struct{ key, name, parent, kind, own, all string }{
		{"STTTT", "Sở Thông tin và Truyền thông", "", "Cơ quan nhà nước (sở, ban, ngành, UBND cấp huyện, phòng)", "1", "2"},
		{"STTTT-VP", "Văn phòng Sở", "Sở Thông tin và Truyền thông", "Cơ quan nhà nước (sở, ban, ngành, UBND cấp huyện, phòng)", "1", "1"},
		{"VP-UBND", "Văn phòng UBND tỉnh", "", "Cơ quan nhà nước (sở, ban, ngành, UBND cấp huyện, phòng)", "1", "1"},
		{"SYT", "Sở Y tế", "", "Cơ quan nhà nước (sở, ban, ngành, UBND cấp huyện, phòng)", "0", "0"},
		{"Khác — +84 group", "Khác — +84 group", "", "Khác (tự ghi)", "1", "1"},
		{"Khác — (không ghi đơn vị)", "Khác — (không ghi đơn vị)", "", "Khác (tự ghi)", "1", "1"},
	} {
		r, ok := got[c.key]
		if !ok {
			t.Errorf("no line %q in %q", c.key, rows)
			continue
		}
		if r[name] != c.name || r[parent] != c.parent || r[kind] != c.kind || r[own] != c.own || r[all] != c.all {
			t.Errorf("line %q: %q", c.key, r)
		}
	}
	if r := got["VP-UBND"]; r[col("Số người theo danh sách")] != "120" {
		t.Errorf("headcount of VP-UBND: %q", r)
	}
	if _, split := got["Khác — Sở Thông tin và Truyền thông"]; split {
		t.Error("a person who chose a unit is listed under the text they typed")
	}
}

package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/report/reporttest"
)

func TestReportUsageErrors(t *testing.T) {
	t.Setenv(databaseURLEnv, "")
	const db = "--database-url=postgres://unused"
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"help", []string{"report", "--help"}, ExitOK, "--format csv --out DIR", ""},
		{"unknown format", []string{"report", "--round", "vong-1", "--format", "pdf", "--out", "x.pdf", db}, ExitUsage, "", `unknown --format "pdf"`},
		{"no format", []string{"report", "--round", "vong-1", "--out", "x.csv", db}, ExitUsage, "", "--format is required"},
		{"no round", []string{"report", "--format", "csv", "--out", "dir", db}, ExitUsage, "", "--round is required"},
		{"namespaced round", []string{"report", "--round", "default/vong-1", "--format", "csv", "--out", "dir", db}, ExitUsage, "", "--namespace"},
		{"no out", []string{"report", "--round", "vong-1", "--format", "xlsx", db}, ExitUsage, "", "--out is required"},
		{"no database", []string{"report", "--round", "vong-1", "--out", "r.xlsx"}, ExitUsage, "", "no database given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode || !strings.Contains(stdout, tt.wantStdout) || !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("code %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.wantCode, stdout, tt.wantStdout, stderr, tt.wantStderr)
			}
		})
	}
}

func TestReportOfARoundNotRanked(t *testing.T) {
	dsn, _ := migratedDatabase(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	code, _, stderr := runCLI(t, "report", "--round", "vong-9", "--out", out, "--database-url", dsn)
	if code != ExitError || !strings.Contains(stderr, "round default/vong-9 has not been ranked yet") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a report was written: %v", err)
	}
}

// sheets is a report read back: rows of text by sheet name, header first.
type sheets map[string][][]string

func readXLSX(t *testing.T, path string) (sheets, []string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := sheets{}
	for _, name := range f.GetSheetList() {
		if out[name], err = f.GetRows(name); err != nil {
			t.Fatal(err)
		}
	}
	return out, f.GetSheetList()
}

func readCSVDir(t *testing.T, dir string, names map[string]string) sheets {
	t.Helper()
	out := sheets{}
	for sheet, file := range names {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if !strings.HasPrefix(text, "\uFEFF") {
			t.Errorf("%s has no UTF-8 BOM", file)
		}
		if strings.Count(text, "\n") != strings.Count(text, "\r\n") {
			t.Errorf("%s has line ends other than CRLF", file)
		}
		if out[sheet], err = csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\uFEFF"))).ReadAll(); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	return out
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return "" // excelize drops trailing empty cells
}

func col(t *testing.T, rows [][]string, title string) int {
	t.Helper()
	for i, h := range rows[0] {
		if h == title {
			return i
		}
	}
	t.Fatalf("no column %q in %q", title, rows[0])
	return -1
}

// checkReportFiles asserts what both formats must hold.
func checkReportFiles(t *testing.T, s sheets, f *reporttest.Fixture, unmasked bool) {
	t.Helper()
	prizes := s[report.SheetPrizes]
	wantHeader := "Giải|Hạng|Họ và tên|Số CCCD|Số điện thoại|Đơn vị|Xã, phường, thị trấn|Huyện, thị xã, thành phố|Đối tượng|" +
		"Số câu đúng|Tổng số câu|Dự đoán|Chênh lệch dự đoán|Thời gian làm bài (giây)|Thời gian làm bài (giờ:phút:giây)|Thời điểm nộp bài|Ghi chú"
	if got := strings.Join(prizes[0], "|"); got != wantHeader {
		t.Errorf("prize header\n%s\nwant\n%s", got, wantHeader)
	}
	var order []string
	for _, r := range prizes[1:] {
		order = append(order, r[0]+":"+r[2])
	}
	wantOrder := "Giải Nhất:Nguyễn Văn An|Giải Nhì:Trần Thị Bình|" + report.PendingPrize + ":Lê Văn Cường|" +
		report.PendingPrize + ":Phạm Thị Dung|Giải Ba:Võ Thị Phương|:Đặng Văn Giang"
	if strings.Join(order, "|") != wantOrder {
		t.Errorf("prizes in order %q, want %q", order, wantOrder)
	}
	idCol, phoneCol := col(t, prizes, "Số CCCD"), col(t, prizes, "Số điện thoại")
	for _, r := range prizes[1:] {
		var p reporttest.Person
		for _, q := range f.People {
			if q.Name == r[2] {
				p = q
			}
		}
		wantID, wantPhone := person.MaskNationalID(p.NationalID), person.MaskPhone(p.Phone)
		if unmasked {
			wantID, wantPhone = p.NationalID, p.Phone
		}
		if r[idCol] != wantID || r[phoneCol] != wantPhone {
			t.Errorf("%s: ID %q phone %q, want %q %q", r[2], r[idCol], r[phoneCol], wantID, wantPhone)
		}
	}
	if got := prizes[1][col(t, prizes, "Đơn vị")]; got != `'=HYPERLINK("http://x")` {
		t.Errorf("winner's organization %q is not neutralized", got)
	}

	ranking := s[report.SheetRanking]
	if len(ranking) != len(f.Lines)+1 {
		t.Errorf("ranking has %d rows, want %d and a header", len(ranking)-1, len(f.Lines))
	}
	for _, title := range []string{"Vị trí", "Hạng", "Số câu đúng", "Chênh lệch dự đoán", "Thời gian làm bài (giây)",
		"Thời điểm nộp bài", "Đủ điều kiện nhận giải", "Lý do không đủ điều kiện", "Đồng hạng tại ranh giới giải"} {
		col(t, ranking, title)
	}

	// Participation: what the fixture inserted, counted here from its definition.
	// By unit: every unit of the list by code (zero included), then the free texts of the
	// people who chose none, under "Khác — …" (no longer read as formulas).
	units := map[string]string{}
	for _, r := range s[report.SheetByOrganization][1:] {
		key := r[0]
		if key == "" {
			key = r[1]
		}
		units[key] = r[6] + "/" + r[7]
	}
	wantUnits := map[string]string{}
	for _, u := range reporttest.Units() {
		wantUnits[u.Code] = "0/0"
	}
	for key, c := range f.ByPerson(func(p reporttest.Person) string {
		switch {
		case p.Unit() != "":
			return p.Unit()
		case p.Organization == "":
			return "Khác — (không ghi đơn vị)"
		}
		return "Khác — " + p.Organization
	}) {
		wantUnits[key] = counts(c)
	}
	for key, want := range wantUnits {
		if got := units[key]; got != want {
			t.Errorf("unit %q: %q, want %q", key, got, want)
		}
	}
	if len(units) != len(wantUnits) {
		t.Errorf("units %q, want %d", units, len(wantUnits))
	}

	communes := map[string]string{}
	for _, r := range s[report.SheetByLocality][1:] {
		if r[0] == "Xã" && r[3] != "" {
			communes[r[3]] = r[5] + "/" + r[6]
		}
	}
	for code, c := range f.ByPerson(func(p reporttest.Person) string { return p.Locality }) {
		if code == "595" {
			continue // a district: checked in the report package
		}
		if got, want := communes[code], counts(c); got != want {
			t.Errorf("commune %s: %q, want %q", code, got, want)
		}
	}

	groups := map[string]string{}
	for _, r := range s[report.SheetByGroup][1:] {
		groups[r[0]] = r[1] + "/" + r[2]
	}
	for g, c := range f.ByPerson(func(p reporttest.Person) string { return p.Group }) {
		label := person.ParticipantGroup(g).Label()
		if got, want := groups[label], counts(c); got != want {
			t.Errorf("group %s: %q, want %q", label, got, want)
		}
	}

	loc, err := time.LoadLocation(contestv1alpha1.TimeZoneName)
	if err != nil {
		t.Fatal(err)
	}
	wantDays := f.ByDay(t, loc)
	days := s[report.SheetByDay]
	if len(days)-1 != len(wantDays) {
		t.Errorf("%d days, want %d", len(days)-1, len(wantDays))
	}
	for _, r := range days[1:] {
		day := r[0]
		if d, err := time.Parse("02/01/2006", day); err == nil { // XLSX shows the date the Vietnamese way
			day = d.Format(time.DateOnly)
		}
		w := wantDays[day]
		if got, want := r[1]+"/"+r[2], strconv.FormatInt(w.Attempts, 10)+"/"+strconv.FormatInt(w.NewParticipants, 10); got != want {
			t.Errorf("day %s: %q, want %q", day, got, want)
		}
	}

	summary := ""
	for _, r := range s[report.SheetSummary] {
		summary += strings.Join(r, ": ") + "\n"
	}
	if !strings.Contains(summary, "CẢNH BÁO: đồng hạng tại ranh giới giải: 2 người đồng hạng 3 (Lê Văn Cường, Phạm Thị Dung)") ||
		!strings.Contains(summary, "Ban Tổ chức cần quyết định") {
		t.Errorf("summary lacks the boundary-tie warning:\n%s", summary)
	}
}

func counts(c reporttest.Count) string {
	return strconv.FormatInt(c.Participants, 10) + "/" + strconv.FormatInt(c.Attempts, 10)
}

func TestReportXLSX(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	f := reporttest.Load(t, pool)
	for _, unmasked := range []bool{false, true} {
		t.Run("unmasked="+strconv.FormatBool(unmasked), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bao-cao.xlsx")
			args := []string{"report", "--round", "vong-1", "--format", "xlsx", "--out", path, "--database-url", dsn}
			if unmasked {
				args = append(args, "--unmasked")
			}
			code, stdout, stderr := runCLI(t, args...)
			if code != ExitOK {
				t.Fatalf("code %d, stderr %s", code, stderr)
			}
			if !strings.Contains(stdout, "wrote the report of round default/vong-1 (7 people ranked)") ||
				!strings.Contains(stderr, "2 people share rank 3 at a prize boundary") {
				t.Errorf("stdout %q\nstderr %q", stdout, stderr)
			}
			if strings.Contains(stderr, "full national IDs") != unmasked {
				t.Errorf("stderr %q", stderr)
			}
			if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
				t.Errorf("report file: %v %v", info, err)
			}
			s, names := readXLSX(t, path)
			want := "Tóm tắt|Giải thưởng|Xếp hạng|Loại khỏi xét giải|Theo đơn vị|Theo địa bàn|Theo đối tượng|Theo ngày|Phân tích câu hỏi"
			if got := strings.Join(names, "|"); got != want {
				t.Fatalf("sheets %q, want %q", got, want)
			}
			checkReportFiles(t, s, f, unmasked)
		})
	}
}

func TestReportCSV(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	f := reporttest.Load(t, pool)
	dir := filepath.Join(t.TempDir(), "bao-cao")
	files := map[string]string{
		report.SheetSummary: "tom-tat.csv", report.SheetPrizes: "giai-thuong.csv", report.SheetRanking: "xep-hang.csv",
		report.SheetExclusions:     "loai-khoi-xet-giai.csv",
		report.SheetByOrganization: "theo-don-vi.csv", report.SheetByLocality: "theo-dia-ban.csv",
		report.SheetByGroup: "theo-doi-tuong.csv", report.SheetByDay: "theo-ngay.csv", report.SheetItems: "phan-tich-cau-hoi.csv",
	}
	for run := 0; run < 2; run++ { // the second run replaces the first one's files
		code, _, stderr := runCLI(t, "report", "--round", "vong-1", "--namespace", "default", "--format", "csv", "--out", dir, "--database-url", dsn)
		if code != ExitOK {
			t.Fatalf("code %d, stderr %s", code, stderr)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(files) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %q, want only the %d CSV files", names, len(files))
	}
	checkReportFiles(t, readCSVDir(t, dir, files), f, false)
}

package webapp

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// firstDay is what the database says of one participant of a round: their unit, what they
// typed, their locality and the Vietnam day their first finished attempt started,
// computed here in Go from the attempts' times.
type firstDay struct {
	unit, organization, locality string
	day                          string // 02/01/2006, as the export's columns
}

func (e *env) firstDays(round string) map[int64]firstDay {
	e.t.Helper()
	rows, err := e.pool.Query(context.Background(), `SELECT c.id, coalesce(c.unit_code, ''), c.organization, c.locality_code, a.started_at
		FROM attempt a JOIN contestant c ON c.id = a.contestant_id WHERE a.round = $1 AND a.status <> 'in_progress'`, round)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[int64]firstDay{}
	first := map[int64]time.Time{}
	var id int64
	var f firstDay
	var started time.Time
	if _, err := pgx.ForEachRow(rows, []any{&id, &f.unit, &f.organization, &f.locality, &started}, func() error {
		if t, ok := first[id]; !ok || started.Before(t) {
			first[id] = started
			f.day = started.In(contestv1alpha1.TimeZone()).Format("02/01/2006")
			out[id] = f
		}
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// sheetRows reads a sheet's rows as stored (numbers unformatted).
func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows
}

func cellAt(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// The daily participation export, by unit and by locality, as a viewer downloads it: every
// number checked against the attempts in the database, a person counted once on the Vietnam
// day of their first finished attempt, the rate where the list gives a headcount, the
// download audited.
func TestConsoleDailyExport(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.enableConsole()
	e.account("theo.doi", "viewer", "mat-khau-theo-doi-2024")
	forty, twelve, zero := 40, 12, 0
	if err := store.ReplaceUnits(ctx, e.pool, testContest, []unit.Unit{
		{Code: "STTTT", Name: "Sở Thông tin và Truyền thông", Type: unit.TypeAgency, Headcount: &forty},
		{Code: "STTTT-VP", Name: "Văn phòng Sở", ParentCode: "STTTT", Type: unit.TypeAgency, Headcount: &twelve},
		{Code: "SYT", Name: "Sở Y tế", Type: unit.TypeAgency},
		{Code: "DTN", Name: "@Đoàn Thanh niên tỉnh", Type: unit.TypeOther, Headcount: &zero},
		{Code: "SNV", Name: "Sở Nội vụ", Type: unit.TypeAgency, Headcount: &forty},
	}); err != nil {
		t.Fatal(err)
	}
	// The round opened three days ago.
	opened := time.Now().Add(-50 * time.Hour)
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.OpensAt.Time = opened })
	people := []struct {
		org, unit, locality string
		attempts            int
		daysAgo             int // of the first attempt
	}{
		{"Sở Thông tin và Truyền thông", "", "22963", 2, 2},
		{"Văn phòng Sở", "STTTT-VP", "22915", 1, 0},
		{"Sở Y tế", "", "22915", 1, 1},
		{"Hội Phụ nữ", "-", "22963", 1, 2},
		{"hội  phụ nữ", "-", "22963", 1, 0},
		{"Đoàn Thanh niên", "DTN", "22963", 1, 0},
		{"Sở Nội vụ", "", "22963", 0, 0}, // registered, attempt still running: not counted
	}
	for i, p := range people {
		b := e.registerAs(i+1, func(f url.Values) { f.Set("organization", p.org); f.Set("unit", p.unit); f.Set("locality", p.locality) })
		if p.attempts == 0 {
			b.start("dot-1")
			continue
		}
		for range p.attempts {
			b.submitAttempt(false)
		}
		// The first attempt moved back to an earlier day, as if taken then.
		if _, err := e.pool.Exec(ctx, `UPDATE attempt a SET started_at = started_at - $2 * interval '1 day',
			deadline = deadline - $2 * interval '1 day', submitted_at = submitted_at - $2 * interval '1 day'
			FROM contestant c WHERE c.id = a.contestant_id AND c.national_id = $1 AND a.attempt_no = 1`,
			nationalIDOf(i+1), p.daysAgo); err != nil {
			t.Fatal(err)
		}
	}
	round := "contest/dot-1"
	want := e.firstDays(round)
	if len(want) != 6 {
		t.Fatalf("%d participants in the database, want 6", len(want))
	}
	var days []string
	for d := opened.In(e.app.loc); ; d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format("02/01/2006"))
		if d.Format(time.DateOnly) == time.Now().In(e.app.loc).Format(time.DateOnly) {
			break
		}
	}

	b := e.signedInAs("theo.doi", "mat-khau-theo-doi-2024")
	r := b.get("/console/rounds/dot-1/daily.xlsx")
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Disposition"), "tham-gia-dot-1-") {
		t.Fatalf("download: %d %s", r.status, alertOf(r.body))
	}
	f, err := excelize.OpenReader(strings.NewReader(r.raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); fmt.Sprint(got) != "[Theo đơn vị Theo địa bàn Theo ngày]" {
		t.Fatalf("sheets %q", got)
	}

	t.Run("by unit", func(t *testing.T) {
		rows := sheetRows(t, f, "Theo đơn vị")
		header := rows[0]
		if fmt.Sprint(header[8:]) != fmt.Sprint(days) || header[6] != "Tỷ lệ tham gia (%)" {
			t.Fatalf("header %q, want the days %q", header, days)
		}
		// Expected, per unit with the units under it, and per spelling of the others.
		parent := map[string]string{"STTTT-VP": "STTTT"}
		subtree, own := map[string]map[string]int{}, map[string]int{}
		spellings := map[string]map[string]int{}
		add := func(m map[string]map[string]int, k, day string) {
			if m[k] == nil {
				m[k] = map[string]int{}
			}
			m[k][day]++
		}
		for _, p := range want {
			if p.unit == "" {
				add(spellings, unit.Key(p.organization), p.day)
				continue
			}
			own[p.unit]++
			for c := p.unit; c != ""; c = parent[c] {
				add(subtree, c, p.day)
			}
		}
		headcount := map[string]int{"STTTT": 40, "STTTT-VP": 12, "DTN": 0, "SNV": 40}
		seen := map[string]bool{}
		for _, row := range rows[1:] {
			if row[0] == "Khác" {
				k := unit.Key(strings.TrimPrefix(row[2], "Khác — "))
				seen["Khác "+k] = true
				checkDays(t, row, 8, days, spellings[k], "spelling "+k)
				continue
			}
			code := row[1]
			seen[code] = true
			total := 0
			for _, n := range subtree[code] {
				total += n
			}
			if row[5] != strconv.Itoa(total) || row[7] != strconv.Itoa(own[code]) {
				t.Errorf("%s: %q, want %d with sub-units, %d own", code, row, total, own[code])
			}
			switch h, ok := headcount[code]; {
			case !ok || h == 0:
				if cellAt(row, 6) != "" {
					t.Errorf("%s: rate %q without a headcount", code, row[6])
				}
			default:
				rate, err := strconv.ParseFloat(row[6], 64)
				if err != nil || math.Abs(rate-100*float64(total)/float64(h)) > 1e-9 || row[4] != strconv.Itoa(h) {
					t.Errorf("%s: headcount %q rate %q, want %d and %v", code, row[4], row[6], h, 100*float64(total)/float64(h))
				}
			}
			checkDays(t, row, 8, days, subtree[code], code)
		}
		for _, code := range []string{"STTTT", "STTTT-VP", "SYT", "DTN", "SNV"} {
			if !seen[code] {
				t.Errorf("unit %s is missing", code)
			}
		}
		for k := range spellings {
			if !seen["Khác "+k] {
				t.Errorf("spelling %q is missing", k)
			}
		}
		if len(rows) != 1+5+len(spellings) || rows[1][1] != "STTTT" || rows[2][1] != "STTTT-VP" || rows[2][0] != "2" {
			t.Errorf("not the tree's order, or extra lines: %q", rows)
		}
		// A unit's name a spreadsheet would take for a formula is text.
		for _, row := range rows {
			if row[1] == "DTN" && row[2] != "'@Đoàn Thanh niên tỉnh" {
				t.Errorf("not neutralized: %q", row[2])
			}
		}
	})

	t.Run("by locality", func(t *testing.T) {
		locs, err := store.ListLocalities(ctx, e.pool, testContest)
		if err != nil {
			t.Fatal(err)
		}
		district := map[string]string{}
		for _, l := range locs {
			district[l.Code] = l.ParentCode
		}
		perCommune, perDistrict := map[string]map[string]int{}, map[string]map[string]int{}
		for _, p := range want {
			for m, k := range map[*map[string]map[string]int]string{&perCommune: p.locality, &perDistrict: district[p.locality]} {
				if (*m)[k] == nil {
					(*m)[k] = map[string]int{}
				}
				(*m)[k][p.day]++
			}
		}
		rows := sheetRows(t, f, "Theo địa bàn")
		checked := 0
		for _, row := range rows[1:] {
			switch {
			case row[0] == "Huyện":
				checkDays(t, row, 6, days, perDistrict[row[1]], "district "+row[1])
			case row[3] != "":
				checkDays(t, row, 6, days, perCommune[row[3]], "commune "+row[3])
			}
			if want := perCommune[row[3]]; row[0] == "Xã" && len(want) > 0 {
				checked++
			}
		}
		if checked != len(perCommune) || len(rows)-1 < len(locs) {
			t.Errorf("%d communes with people checked of %d; %d rows for %d localities", checked, len(perCommune), len(rows)-1, len(locs))
		}
	})

	t.Run("by day", func(t *testing.T) {
		rows := sheetRows(t, f, "Theo ngày")
		last := rows[len(rows)-1]
		if last[3] != strconv.Itoa(len(want)) {
			t.Errorf("cumulative participants %q, want %d: %q", last[3], len(want), rows)
		}
	})

	t.Run("CSV, zipped", func(t *testing.T) {
		r := b.get("/console/rounds/dot-1/daily-csv.zip")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/zip" {
			t.Fatalf("csv: %d", r.status)
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(r.raw)), int64(len(r.raw)))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		for _, zf := range zr.File {
			rc, _ := zf.Open()
			body, _ := io.ReadAll(rc)
			rc.Close()
			files[zf.Name] = string(body)
		}
		units := files["tham-gia-theo-don-vi.csv"]
		if len(files) != 3 || !strings.HasPrefix(units, "\uFEFFCấp,Mã đơn vị,") || !strings.Contains(units, "\r\n2,STTTT-VP,Văn phòng Sở,Sở Thông tin và Truyền thông,12,1,8.3,1,") ||
			files["tham-gia-theo-dia-ban.csv"] == "" || files["tham-gia-theo-ngay.csv"] == "" {
			t.Errorf("files %v; units:\n%s", len(files), units)
		}
	})

	t.Run("each download is audited", func(t *testing.T) {
		var formats []string
		if err := store.StreamAudit(ctx, e.pool, store.AuditFilter{Action: "participation.download"}, func(a store.AuditEntry) error {
			if a.Actor != "theo.doi" || a.Target != round {
				t.Errorf("audit %+v", a)
			}
			formats = append(formats, fmt.Sprint(auditState(t, a.After)["format"]))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(formats) != "[xlsx zip]" {
			t.Errorf("audited formats %q", formats)
		}
	})
}

// checkDays compares a line's day columns (after the fixed ones) with the expected counts.
func checkDays(t *testing.T, row []string, fixed int, days []string, want map[string]int, what string) {
	t.Helper()
	if len(row) != fixed+len(days) {
		t.Errorf("%s: %d cells, want %d and %d days", what, len(row), fixed, len(days))
		return
	}
	for i, d := range days {
		if got := row[fixed+i]; got != strconv.Itoa(want[d]) {
			t.Errorf("%s on %s: %s, want %d", what, d, got, want[d])
		}
	}
}

package webapp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// testUnitsCSV is a small list: a department with a division, each with a headcount, a
// department with an alias, a school.
const testUnitsCSV = "ma_don_vi,ten_don_vi,ma_cap_tren,loai,so_nguoi,ten_khac\n" +
	"STTTT,Sở Thông tin và Truyền thông,,agency,40,\n" +
	"STTTT-VP,Văn phòng Sở,STTTT,agency,12,\n" +
	"SYT,Sở Y tế,,agency,,Sở YT\n" +
	"THPT-PBC,Trường THPT Phan Bội Châu,,school,80,\n"

// badUnitsCSV has problems on rows 3, 4 and 5 (two on row 5).
const badUnitsCSV = "ma_don_vi,ten_don_vi,ma_cap_tren,loai,so_nguoi\n" +
	"A,Đơn vị A,,agency,\n" +
	"B,,A,agency,\n" +
	"C,Đơn vị C,Z,agency,\n" +
	"D,Đơn vị D,,kho-biet,abc\n"

// auditState decodes an audit entry's before or after.
func auditState(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("audit state %s: %v", raw, err)
	}
	return m
}

// countAudit counts the audit log's entries of an action.
func (e *env) countAudit(action string) int {
	e.t.Helper()
	n := 0
	for _, a := range e.auditActions() {
		if strings.Fields(a)[1] == action {
			n++
		}
	}
	return n
}

func (e *env) units() []unit.Unit {
	e.t.Helper()
	us, err := store.ListUnits(context.Background(), e.pool, testContest)
	if err != nil {
		e.t.Fatal(err)
	}
	return us
}

// unitsXLSX writes a unit list as a workbook, as an organizer's spreadsheet would be.
func unitsXLSX(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "don_vi"); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("don_vi", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An editor uploads the unit list in the console: a file with problems lists every one
// and saves nothing; a good file (CSV or XLSX) replaces the list, says what changed and is
// audited; a list that would drop units people chose is refused, naming them.
func TestConsoleUnitUpload(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	b := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	if page := b.get("/console/units"); page.status != http.StatusOK || !strings.Contains(page.body, "Chưa có danh sách đơn vị") {
		t.Fatalf("the empty list: %d %s", page.status, alertOf(page.body))
	}

	t.Run("every row problem is listed and nothing is stored", func(t *testing.T) {
		_, err := unit.Parse(strings.NewReader(badUnitsCSV))
		var want *unit.ImportError
		if !errors.As(err, &want) || len(want.Errors) != 4 {
			t.Fatalf("the test file should have 4 problems: %v", err)
		}
		r := b.uploadTo("/console/units", nil, "don-vi.csv", []byte(badUnitsCSV))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Tệp có 4 lỗi; chưa lưu gì.") {
			t.Fatalf("bad file: %d %s", r.status, alertOf(r.body))
		}
		table := tableAfter(t, r.body, "Các lỗi trong tệp don-vi.csv")
		if len(table)-1 != len(want.Errors) {
			t.Fatalf("%d problems shown, want %d: %q", len(table)-1, len(want.Errors), table)
		}
		for i, re := range want.Errors {
			if got := table[i+1]; fmt.Sprint(got) != fmt.Sprint([]string{fmt.Sprint(re.Row), re.Column, re.Reason}) {
				t.Errorf("problem %d: %q, want row %d, column %s: %s", i, got, re.Row, re.Column, re.Reason)
			}
		}
		if n := len(e.units()); n != 0 || e.countAudit("units.import") != 0 {
			t.Fatalf("a bad file stored %d units, audited %d times", n, e.countAudit("units.import"))
		}
	})

	t.Run("the form's own mistakes", func(t *testing.T) {
		for _, c := range []struct{ file, want string }{
			{"", "Vui lòng chọn tệp danh sách đơn vị"},
			{"don-vi.xls", "Excel 97-2003"},
			{"don-vi.pdf", "Chỉ nhận tệp .xlsx hoặc .csv"},
		} {
			if r := b.uploadTo("/console/units", nil, c.file, []byte(testUnitsCSV)); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, c.want) {
				t.Errorf("%q: %d, want %q: %s", c.file, r.status, c.want, alertOf(r.body))
			}
		}
		if big := b.uploadTo("/console/units", nil, "big.csv", bytes.Repeat([]byte("x"), unitUploadBodyLimit+1)); big.status != http.StatusRequestEntityTooLarge ||
			!strings.Contains(big.body, "Tệp quá lớn: tối đa 8 MB") {
			t.Errorf("too large: %d %s", big.status, alertOf(big.body))
		}
		if n := len(e.units()); n != 0 {
			t.Fatalf("%d units stored", n)
		}
	})

	t.Run("a good file replaces the list and is audited", func(t *testing.T) {
		r := b.uploadTo("/console/units", nil, "don-vi.csv", []byte(testUnitsCSV))
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/console/units?") {
			t.Fatalf("upload: %d %q %s", r.status, r.location, alertOf(r.body))
		}
		want, err := unit.Parse(strings.NewReader(testUnitsCSV))
		if err != nil {
			t.Fatal(err)
		}
		if got := e.units(); !reflect.DeepEqual(got, want) {
			t.Fatalf("stored %+v, want %+v", got, want)
		}
		if page := b.get(r.location); !strings.Contains(page.body, "Đã nhập danh sách 4 đơn vị: 4 đơn vị mới, 0 đơn vị thay đổi, 0 đơn vị bị bỏ.") {
			t.Errorf("no notice: %s", alertOf(page.body))
		}
		a := e.lastAudit()
		sum := sha256.Sum256([]byte(testUnitsCSV))
		after := auditState(t, a.After)
		if a.Actor != "dieu.hanh" || a.Action != "units.import" || a.Target != testContest || auditState(t, a.Before)["units"] != 0.0 ||
			after["file"] != "don-vi.csv" || after["bytes"] != float64(len(testUnitsCSV)) || after["sha256"] != hex.EncodeToString(sum[:]) ||
			after["units"] != 4.0 || after["added"] != 4.0 || after["changed"] != 0.0 || after["removed"] != 0.0 {
			t.Errorf("audit entry %+v: before %s after %s", a, a.Before, a.After)
		}
	})

	// People choose units: by the name typed, by an alias, by the type-ahead's code; one
	// types an organization the list lacks.
	e.registerAs(1, func(f url.Values) { f.Set("organization", "Sở Thông tin và Truyền thông") })
	e.registerAs(2, func(f url.Values) { f.Set("organization", "Văn phòng Sở"); f.Set("unit", "STTTT-VP") })
	e.registerAs(3, func(f url.Values) { f.Set("organization", "sở yt") })
	e.registerAs(4, func(f url.Values) { f.Set("organization", "Hội Phụ nữ phường Đức Long") })

	t.Run("the list as a tree with its people", func(t *testing.T) {
		page := b.get("/console/units")
		rows := byLabel(tableAfter(t, page.body, `id="list"`))
		for name, want := range map[string][]string{
			"Sở Thông tin và Truyền thông": {"STTTT", "Cơ quan nhà nước (sở, ban, ngành, UBND cấp huyện, phòng)", "40", "1", "2"},
			"Văn phòng Sở":                 {"STTTT-VP", "Cơ quan nhà nước (sở, ban, ngành, UBND cấp huyện, phòng)", "12", "1", "1"},
			"Sở Y tế Tên khác: Sở YT":      {"SYT", "Cơ quan nhà nước (sở, ban, ngành, UBND cấp huyện, phòng)", "—", "1", "1"},
			"Trường THPT Phan Bội Châu":    {"THPT-PBC", "Trường học, cơ sở giáo dục", "80", "0", "0"},
		} {
			if got := rows[name]; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %q, want %q", name, got, want)
			}
		}
		if !strings.Contains(page.raw, `<td class="d1">Văn phòng Sở</td>`) || !strings.Contains(page.body, "<strong>1</strong> người tự ghi tên đơn vị (chưa gán)") {
			t.Error("the division is not shown under its department, or the free text is not counted")
		}
		found := b.get("/console/units?q=van+phong")
		if rows := tableAfter(t, found.body, `id="list"`); len(rows) != 2 || rows[1][1] != "STTTT-VP" || !strings.Contains(found.body, "1 đơn vị khớp") {
			t.Errorf("search: %q", rows)
		}
	})

	t.Run("a list dropping units people chose is refused, naming them", func(t *testing.T) {
		before := e.countAudit("units.import")
		short := "ma_don_vi,ten_don_vi\nSTTTT,Sở Thông tin và Truyền thông\nTHPT-PBC,Trường THPT Phan Bội Châu\n"
		r := b.uploadTo("/console/units", nil, "thieu.csv", []byte(short))
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Chưa lưu gì: danh sách mới bỏ 2 đơn vị đang có người dự thi.") {
			t.Fatalf("in use: %d %s", r.status, alertOf(r.body))
		}
		rows := tableAfter(t, r.body, "Các đơn vị đang có người dự thi mà tệp thieu.csv bỏ đi")
		if fmt.Sprint(rows[1:]) != fmt.Sprint([][]string{{"STTTT-VP", "Văn phòng Sở Sở Thông tin và Truyền thông", "1"}, {"SYT", "Sở Y tế", "1"}}) {
			t.Errorf("units in use shown: %q", rows)
		}
		if !strings.Contains(r.body, "Hãy giữ các mã này trong tệp") {
			t.Error("the page does not say what to do")
		}
		if len(e.units()) != 4 || e.countAudit("units.import") != before {
			t.Error("a refused list changed the list or was audited")
		}
	})

	t.Run("an XLSX file; registration sees the new list at once", func(t *testing.T) {
		content := unitsXLSX(t, [][]any{
			{"Mã đơn vị", "Tên đơn vị", "Mã cấp trên", "Loại", "Số người"},
			{"STTTT", "Sở Thông tin và Truyền thông", "", "agency", 40},
			{"STTTT-VP", "Văn phòng Sở", "STTTT", "agency", 12},
			{"SYT", "Sở Y tế tỉnh Bình Thuận", "", "agency", ""},
			{"BQLDA", "Ban Quản lý dự án", "", "agency", 15},
		})
		r := b.uploadTo("/console/units", nil, "don-vi.xlsx", content)
		if r.status != http.StatusSeeOther {
			t.Fatalf("xlsx: %d %s", r.status, alertOf(r.body))
		}
		if page := b.get(r.location); !strings.Contains(page.body, "Đã nhập danh sách 4 đơn vị: 1 đơn vị mới, 1 đơn vị thay đổi, 1 đơn vị bị bỏ.") {
			t.Errorf("notice: %s", alertOf(page.body))
		}
		e.registerAs(5, func(f url.Values) { f.Set("organization", "Ban quản lý dự án") })
		if code, _ := e.stored(registration(5).Get("national_id")); code != "BQLDA" {
			t.Errorf("a unit of the new list typed at registration: %q", code)
		}
	})
}

package webapp

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/rankjob"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// unitCodeOf reads a person's unit by national ID, with "/mapped" when a mapping gave it.
func (e *env) unitCodeOf(nationalID string) string {
	e.t.Helper()
	var code string
	var mapped bool
	if err := e.pool.QueryRow(context.Background(), `SELECT coalesce(unit_code, ''), unit_mapped FROM contestant
		WHERE contest_id = $1 AND national_id = $2`, testContest, nationalID).Scan(&code, &mapped); err != nil {
		e.t.Fatal(err)
	}
	if mapped {
		code += "/mapped"
	}
	return code
}

func nationalIDOf(n int) string { return registration(n).Get("national_id") }

// mapSpelling maps what person n typed to a unit from the spelling's page, as an editor
// does: search, choose, map.
func (b *browser) mapSpelling(typed, search, code string) response {
	b.e.t.Helper()
	key := unit.Key(typed)
	page := b.get("/console/units/spelling?" + url.Values{"key": {key}, "q": {search}}.Encode())
	if page.status != http.StatusOK || !strings.Contains(page.raw, `value="`+code+`"`) {
		b.e.t.Fatalf("the page of %q does not offer %s: %d %s", typed, code, page.status, alertOf(page.body))
	}
	return b.post("/console/units/spellings/map", url.Values{"key": {key}, "unit": {code}})
}

// An editor maps what people typed to units: spellings are listed with how many people
// each, most first, with the unit the list names by them; mapping gives all of them the
// unit at once and undoing takes it back from exactly them, each step audited.
func TestConsoleSpellingMapping(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	b := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	// Before the list exists, people type their organization.
	e.registerAs(1, func(f url.Values) { f.Set("organization", "Sở Y tế") })
	if r := b.uploadTo("/console/units", nil, "don-vi.csv", []byte(testUnitsCSV)); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.status, alertOf(r.body))
	}
	e.registerAs(2, func(f url.Values) { f.Set("organization", "Sở TTTT Bình Thuận") })
	e.registerAs(3, func(f url.Values) { f.Set("organization", "SỞ TTTT BÌNH THUẬN ") })
	e.registerAs(4, func(f url.Values) { f.Set("organization", "sở tttt bình thuận") })
	e.registerAs(5, func(f url.Values) { f.Set("organization", "Văn phòng Sở TTTT") })
	// Someone who chose the department itself.
	e.registerAs(6, func(f url.Values) {
		f.Set("organization", "Sở Thông tin và Truyền thông")
		f.Set("unit", "STTTT")
	})

	page := b.get("/console/units/spellings")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Chưa gán: 3 cách viết của 5 người") {
		t.Fatalf("spellings: %d %s", page.status, alertOf(page.body))
	}
	rows := tableAfter(t, page.body, `id="free"`)
	if len(rows) != 4 || !strings.EqualFold(rows[1][0], "Sở TTTT Bình Thuận") || rows[1][1] != "3" {
		t.Fatalf("the largest spelling is not first: %q", rows)
	}
	suggested := byLabel(rows)["Sở Y tế"]
	if len(suggested) != 2 || !strings.Contains(suggested[1], "Gán vào: Sở Y tế") || !strings.Contains(suggested[1], "trùng tên đơn vị") {
		t.Errorf("no suggestion for a unit's own name: %q", suggested)
	}

	t.Run("a suggestion mapped in one click, audited", func(t *testing.T) {
		r := b.post("/console/units/spellings/map", url.Values{"key": {unit.Key("Sở Y tế")}, "unit": {"SYT"}})
		if r.status != http.StatusSeeOther || !strings.Contains(b.get(r.location).body, "Đã gán 1 người vào đơn vị Sở Y tế.") {
			t.Fatalf("map: %d %q", r.status, r.location)
		}
		if got := e.unitCodeOf(nationalIDOf(1)); got != "SYT/mapped" {
			t.Errorf("person 1: %s", got)
		}
		a := e.lastAudit()
		before, after := auditState(t, a.Before), auditState(t, a.After)
		if a.Action != "units.map" || a.Actor != "dieu.hanh" || a.Target != "Sở Y tế" || before["text"] != "Sở Y tế" || before["people"] != 1.0 ||
			before["unit"] != nil || after["unit"] != "SYT" || after["people"] != 1.0 {
			t.Errorf("audit %+v: %s → %s", a, a.Before, a.After)
		}
	})

	t.Run("a spelling of three people, found by searching the list", func(t *testing.T) {
		r := b.mapSpelling("Sở TTTT Bình Thuận", "thông tin", "STTTT")
		if r.status != http.StatusSeeOther {
			t.Fatalf("map: %d %s", r.status, alertOf(r.body))
		}
		for n := 2; n <= 4; n++ {
			if got := e.unitCodeOf(nationalIDOf(n)); got != "STTTT/mapped" {
				t.Errorf("person %d: %s", n, got)
			}
		}
		if a := e.lastAudit(); a.Action != "units.map" || auditState(t, a.Before)["people"] != 3.0 || auditState(t, a.After)["unit"] != "STTTT" {
			t.Errorf("audit %+v: %s → %s", a, a.Before, a.After)
		}
		// Mapped again (another editor was first): refused, nothing changes.
		if again := b.post("/console/units/spellings/map", url.Values{"key": {unit.Key("Sở TTTT Bình Thuận")}, "unit": {"SYT"}}); again.status != http.StatusConflict {
			t.Errorf("mapping a spelling mapped already: %d", again.status)
		}
		mapped := byLabel(tableAfter(t, b.get("/console/units/spellings").body, `id="mapped"`))
		if len(mapped) != 2 {
			t.Errorf("mapped list: %q", mapped)
		}
		// Someone who registers later with the same spelling is offered the same unit.
		e.registerAs(7, func(f url.Values) { f.Set("organization", "Sở TTTT  Bình Thuận") })
		later := byLabel(tableAfter(t, b.get("/console/units/spellings").body, `id="free"`))
		if got := later["Sở TTTT Bình Thuận"]; len(got) != 2 || !strings.Contains(got[1], "Gán vào: Sở Thông tin và Truyền thông") ||
			!strings.Contains(got[1], "đã gán cách viết này trước đây") {
			t.Errorf("a later registration with a mapped spelling: %q", later)
		}
	})

	t.Run("undo takes the unit back from exactly the mapped people", func(t *testing.T) {
		r := b.post("/console/units/spellings/unmap", url.Values{"key": {unit.Key("Sở TTTT Bình Thuận")}, "unit": {"STTTT"}})
		if r.status != http.StatusSeeOther || !strings.Contains(b.get(r.location).body, "Đã bỏ gán 3 người khỏi đơn vị Sở Thông tin và Truyền thông.") {
			t.Fatalf("undo: %d %q", r.status, r.location)
		}
		for n := 2; n <= 4; n++ {
			if got := e.unitCodeOf(nationalIDOf(n)); got != "" {
				t.Errorf("person %d after undo: %s", n, got)
			}
		}
		if got := e.unitCodeOf(nationalIDOf(6)); got != "STTTT" {
			t.Errorf("the person who chose the unit: %s", got)
		}
		a := e.lastAudit()
		if before, after := auditState(t, a.Before), auditState(t, a.After); a.Action != "units.unmap" || before["unit"] != "STTTT" ||
			before["people"] != 3.0 || before["text"] == nil || after["unit"] != nil || after["people"] != 3.0 {
			t.Errorf("audit %+v: %s → %s", a, a.Before, a.After)
		}
		if again := b.post("/console/units/spellings/unmap", url.Values{"key": {unit.Key("Sở TTTT Bình Thuận")}, "unit": {"STTTT"}}); again.status != http.StatusConflict {
			t.Errorf("undo twice: %d", again.status)
		}
	})

	t.Run("bad forms change nothing", func(t *testing.T) {
		before := len(e.auditActions())
		key := unit.Key("Văn phòng Sở TTTT")
		for _, c := range []struct {
			form url.Values
			want int
		}{
			{url.Values{"key": {key}}, http.StatusUnprocessableEntity},
			{url.Values{"key": {key}, "unit": {"KHONG-CO"}}, http.StatusUnprocessableEntity},
			{url.Values{"key": {key}, "unit": {"a b"}}, http.StatusUnprocessableEntity},
			{url.Values{"unit": {"STTTT"}}, http.StatusBadRequest},
			{url.Values{"key": {"khong ai viet the nay"}, "unit": {"STTTT"}}, http.StatusConflict},
		} {
			if r := b.post("/console/units/spellings/map", c.form); r.status != c.want {
				t.Errorf("map %v: %d, want %d", c.form, r.status, c.want)
			}
		}
		if r := b.get("/console/units/spelling?key=khong+ai"); r.status != http.StatusNotFound {
			t.Errorf("the page of a spelling nobody has: %d", r.status)
		}
		if got := e.unitCodeOf(nationalIDOf(5)); got != "" || len(e.auditActions()) != before {
			t.Errorf("a refused form changed %q or was audited", got)
		}
	})

	t.Run("people registered before the spellings existed are listed once computed", func(t *testing.T) {
		if _, err := e.pool.Exec(ctx, `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender,
			participant_group, organization, locality_code, password_hash) VALUES ($1, '060090099999', '0909099999', 'Lê Văn Cũ',
			'1990-01-01', 'male', 'official', 'VĂN PHÒNG SỞ TTTT', '22915', 'x')`, testContest); err != nil {
			t.Fatal(err)
		}
		if page := b.get("/console/units/spellings"); !strings.Contains(page.body, "đang chuẩn bị dữ liệu của 1 người") {
			t.Errorf("no word of the person not yet listed: %s", alertOf(page.body))
		}
		e.app.fillOrganizationKeys(ctx)
		page := b.get("/console/units/spellings")
		if strings.Contains(page.body, "đang chuẩn bị") || byLabel(tableAfter(t, page.body, `id="free"`))["Văn phòng Sở TTTT"][0] != "2" {
			t.Errorf("after the sweeper: %q", tableAfter(t, page.body, `id="free"`))
		}
	})
}

// The same department typed three ways (issue 11): before mapping, the ranking excludes
// only the person whose text names the unit; once an editor maps the other two spellings,
// all three are excluded, and a spelling mapped to a division is excluded with it.
func TestIneligibleUnitExcludedOnceMapped(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	b := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	list := "ma_don_vi,ten_don_vi,ma_cap_tren,loai\n" +
		"STTTT,Sở Thông tin và Truyền thông,,agency\n" +
		"STTTT-VP,Văn phòng Sở Thông tin và Truyền thông,STTTT,agency\n" +
		"SYT,Sở Y tế,,agency\n"
	if r := b.uploadTo("/console/units", nil, "don-vi.csv", []byte(list)); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.status, alertOf(r.body))
	}
	typed := map[int]string{1: "Sở Thông tin và Truyền thông", 2: "Sở TT&TT", 3: "so tttt", 4: "VP Sở TTTT", 5: "Sở Y tế"}
	for n := 1; n <= 5; n++ {
		e.registerAs(n, func(f url.Values) { f.Set("organization", typed[n]) }).submitAttempt(true)
	}
	if got := e.unitCodeOf(nationalIDOf(1)); got != "STTTT" {
		t.Fatalf("the unit's name typed: %q", got)
	}
	for _, n := range []int{2, 3, 4} {
		if got := e.unitCodeOf(nationalIDOf(n)); got != "" {
			t.Fatalf("%q: %q, want free text", typed[n], got)
		}
	}

	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Spec.Ranking.IneligibleUnits = []string{"STTTT"} })
	rank := func() map[int]string {
		t.Helper()
		rounds, _ := e.rounds.Rounds(ctx)
		var round *contestv1alpha1.ContestRound
		for i := range rounds {
			if rounds[i].Name == "dot-1" {
				round = &rounds[i]
			}
		}
		if _, err := rankjob.Run(ctx, e.pool, round, func(ctx context.Context, name string, version int) (*bank.Bank, error) {
			return store.LoadBank(ctx, e.pool, name, version)
		}, e.app.now()); err != nil {
			t.Fatal(err)
		}
		out := map[int]string{}
		for n := range typed {
			var eligible bool
			var reason string
			if err := e.pool.QueryRow(ctx, `SELECT r.eligible, r.ineligible_reason FROM ranking_entry r JOIN contestant c ON c.id = r.contestant_id
				WHERE r.round = $1 AND c.national_id = $2`, round.RoundKey(), nationalIDOf(n)).Scan(&eligible, &reason); err != nil {
				t.Fatal(err)
			}
			if eligible != (reason == "") {
				t.Fatalf("person %d: eligible %v with reason %q", n, eligible, reason)
			}
			out[n] = reason
		}
		return out
	}
	before := rank()
	want := map[int]string{1: `unit "STTTT" is excluded`, 2: "", 3: "", 4: "", 5: ""}
	for n, w := range want {
		if before[n] != w {
			t.Errorf("before mapping, %q: reason %q, want %q", typed[n], before[n], w)
		}
	}

	for _, m := range []struct{ typed, search, code string }{
		{"Sở TT&TT", "thông tin", "STTTT"}, {"so tttt", "sở thông", "STTTT"}, {"VP Sở TTTT", "văn phòng", "STTTT-VP"},
	} {
		if r := b.mapSpelling(m.typed, m.search, m.code); r.status != http.StatusSeeOther {
			t.Fatalf("map %q: %d %s", m.typed, r.status, alertOf(r.body))
		}
	}
	after := rank()
	want = map[int]string{1: `unit "STTTT" is excluded`, 2: `unit "STTTT" is excluded`, 3: `unit "STTTT" is excluded`,
		4: `unit "STTTT-VP" is under excluded unit "STTTT"`, 5: ""}
	for n, w := range want {
		if after[n] != w {
			t.Errorf("after mapping, %q: reason %q, want %q", typed[n], after[n], w)
		}
	}
}

package webapp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// withUnits imports the sample unit list into the test contest.
func (e *env) withUnits() {
	e.t.Helper()
	us, err := unit.Sample()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := store.ReplaceUnits(context.Background(), e.pool, testContest, us); err != nil {
		e.t.Fatal(err)
	}
}

// stored reads a contestant's unit and organization by national ID.
func (e *env) stored(nationalID string) (unitCode, organization string) {
	e.t.Helper()
	if err := e.pool.QueryRow(context.Background(), `SELECT coalesce(unit_code, ''), organization FROM contestant
		WHERE contest_id = $1 AND national_id = $2`, testContest, nationalID).Scan(&unitCode, &organization); err != nil {
		e.t.Fatal(err)
	}
	return unitCode, organization
}

func (e *env) contestants() int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM contestant`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// A unit is stored by code: chosen (the type-ahead's hidden field, or a choice), or found by
// the whole name or an alias typed; anything else stays free text ("Khác").
func TestRegisterWithUnit(t *testing.T) {
	e := newEnv(t)
	e.withUnits()
	tests := []struct {
		name, unit, organization string
		wantUnit, wantOrg        string
	}{
		{"chosen in the type-ahead", "STTTT-VP", "Văn phòng Sở", "STTTT-VP", "Văn phòng Sở Thông tin và Truyền thông"},
		{"an alias typed", "", "  sở tttt ", "STTTT", "Sở Thông tin và Truyền thông"},
		{"the name typed without diacritics", "", "SO Y TE", "SYT", "Sở Y tế"},
		{"a unit not in the list", "", "Hội Cựu chiến binh phường Đức Long", "", "Hội Cựu chiến binh phường Đức Long"},
		{"a part of a name is not a name", "", "Sở Thông tin", "", "Sở Thông tin"},
		{"other chosen: kept as typed", "-", "Sở TTTT", "", "Sở TTTT"},
		{"a resident with no unit", "", "", "", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := registration(100 + i)
			form.Set("unit", tt.unit)
			form.Set("organization", tt.organization)
			if tt.organization == "" {
				form.Set("participant_group", "resident")
			}
			b := e.browser()
			b.solve(b.get("/register").body, form)
			if r := b.post("/register", form); r.status != http.StatusSeeOther {
				t.Fatalf("status %d: %s", r.status, alertOf(r.body))
			}
			if u, org := e.stored(form.Get("national_id")); u != tt.wantUnit || org != tt.wantOrg {
				t.Errorf("stored unit %q organization %q, want %q %q", u, org, tt.wantUnit, tt.wantOrg)
			}
		})
	}
}

func TestRegisterRefusesUnknownUnitAndAsksAmongNamesakes(t *testing.T) {
	e := newEnv(t)
	e.withUnits()
	b := e.browser()
	form := registration(1)
	form.Set("unit", "NOPE")
	b.solve(b.get("/register").body, form)
	r := b.post("/register", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Đơn vị đã chọn không còn trong danh sách") {
		t.Fatalf("unknown code: status %d: %s", r.status, alertOf(r.body))
	}

	// Two communes of two districts share a name: the page asks which, and says where each is.
	form.Set("unit", "")
	form.Set("organization", "UBND xã Tân Hà")
	b.solve(r.raw, form)
	r = b.post("/register", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Có nhiều đơn vị cùng tên này") {
		t.Fatalf("a shared name: status %d: %s", r.status, alertOf(r.body))
	}
	for _, want := range []string{`type="radio" name="unit" value="X23221"`, `type="radio" name="unit" value="X23257"`,
		"— UBND huyện Đức Linh", "— UBND huyện Hàm Tân", `type="radio" name="unit" value="-"`} {
		if !strings.Contains(r.raw, want) && !strings.Contains(r.body, want) {
			t.Errorf("the choices lack %q", want)
		}
	}
	if strings.Contains(r.raw, `type="hidden" id="unit"`) {
		t.Error("a hidden unit field would hide the radio choice")
	}
	if e.contestants() != 0 {
		t.Fatal("a registration was stored before the unit was clear")
	}
	form.Set("unit", "X23257")
	b.solve(r.raw, form)
	if r = b.post("/register", form); r.status != http.StatusSeeOther {
		t.Fatalf("after choosing: status %d: %s", r.status, alertOf(r.body))
	}
	if u, _ := e.stored(form.Get("national_id")); u != "X23257" {
		t.Errorf("stored unit %q", u)
	}
}

// Without script, the find button sends the form back: the page lists the units matching
// the text as choices, keeps every field but the passwords, and registers nobody.
func TestRegisterFindsUnitsWithoutScript(t *testing.T) {
	e := newEnv(t)
	e.withUnits()
	b := e.browser()
	page := b.get("/register")
	if page.status != http.StatusOK || !strings.Contains(page.raw, `name="find_unit"`) {
		t.Fatalf("the page has no find button: %d", page.status)
	}
	// The page stays light: no unit list in it.
	if strings.Contains(page.raw, "STTTT") || strings.Contains(page.raw, "<datalist") {
		t.Error("the registration page ships the unit list")
	}
	form := registration(1)
	form.Set("organization", "sở tt")
	form.Set("find_unit", "1")
	r := b.post("/register", form)
	if r.status != http.StatusOK {
		t.Fatalf("find: status %d: %s", r.status, alertOf(r.body))
	}
	for _, want := range []string{`value="STTTT"`, "Sở Thông tin và Truyền thông", `value="-"`, "Các đơn vị có tên phù hợp với “sở tt”",
		`value="Nguyễn Thị Minh Khai"`, `value="0912300001"`} {
		if !strings.Contains(r.raw, want) && !strings.Contains(r.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(r.raw, form.Get("password")) {
		t.Error("the page sends the password back")
	}
	if e.contestants() != 0 {
		t.Fatal("the find button registered someone")
	}

	form.Del("find_unit")
	form.Set("unit", "STTTT")
	b.solve(r.raw, form)
	if r = b.post("/register", form); r.status != http.StatusSeeOther {
		t.Fatalf("after choosing: status %d: %s", r.status, alertOf(r.body))
	}
	if u, _ := e.stored(form.Get("national_id")); u != "STTTT" {
		t.Errorf("stored unit %q", u)
	}

	// Nothing found, and too little typed, are said.
	b2 := e.browser()
	for text, want := range map[string]string{"Câu lạc bộ không tên": "Không có đơn vị nào trong danh sách có tên như", "s": "gõ ít nhất 2 chữ"} {
		f := registration(2)
		f.Set("organization", text)
		f.Set("find_unit", "1")
		if r := b2.post("/register", f); r.status != http.StatusOK || !strings.Contains(r.body, want) {
			t.Errorf("find %q: status %d, page lacks %q", text, r.status, want)
		}
	}
}

type unitAnswer struct {
	Units []map[string]string `json:"units"`
	More  bool                `json:"more"`
}

func (b *browser) units(q string) (response, unitAnswer) {
	b.e.t.Helper()
	r := b.get("/units?q=" + url.QueryEscape(q))
	var a unitAnswer
	if r.status == http.StatusOK {
		if err := json.Unmarshal([]byte(r.raw), &a); err != nil {
			b.e.t.Fatalf("/units?q=%s: %v: %s", q, err, r.raw)
		}
	}
	return r, a
}

// /units answers the type-ahead: a few units, what the list says of them and nothing else.
func TestUnitSearchEndpoint(t *testing.T) {
	e := newEnv(t)
	e.withUnits()
	// Someone registered under a unit: nothing of theirs may appear in an answer.
	form := registration(7)
	form.Set("unit", "STTTT")
	b := e.browser()
	b.solve(b.get("/register").body, form)
	if r := b.post("/register", form); r.status != http.StatusSeeOther {
		t.Fatalf("register: %d", r.status)
	}

	r, a := e.browser().units("sở tt")
	if r.status != http.StatusOK || len(a.Units) == 0 || a.Units[0]["code"] != "STTTT" || a.Units[0]["name"] != "Sở Thông tin và Truyền thông" ||
		a.Units[0]["typeLabel"] != "Cơ quan nhà nước (sở, ban, ngành, UBND cấp huyện, phòng)" {
		t.Fatalf("status %d, answer %+v", r.status, a)
	}
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || r.header.Get("Cache-Control") != "private, max-age=60" {
		t.Errorf("headers %v", r.header)
	}
	for _, u := range a.Units {
		for k := range u {
			if k != "code" && k != "name" && k != "parent" && k != "type" && k != "typeLabel" {
				t.Errorf("answer carries %q", k)
			}
		}
	}
	for _, personal := range []string{form.Get("full_name"), form.Get("phone"), form.Get("national_id"), form.Get("email")} {
		if strings.Contains(r.raw, personal) || strings.Contains(r.body, personal) {
			t.Errorf("answer holds personal data %q", personal)
		}
	}

	// Bounded: ten units and "more"; parents named; a short or huge text costs nothing.
	_, a = e.browser().units("ubnd xã")
	if len(a.Units) != unitSuggestions || !a.More || a.Units[0]["parent"] == "" {
		t.Errorf("ubnd xã: %d units, more %v, first %+v", len(a.Units), a.More, a.Units[0])
	}
	for _, q := range []string{"", "s", " & ", strings.Repeat("sở ", 5000)} {
		r, a := e.browser().units(q)
		if r.status != http.StatusOK || (len(q) < 10 && len(a.Units) != 0) {
			t.Errorf("q of %d bytes: status %d, %d units", len(q), r.status, len(a.Units))
		}
	}

	// In English, the labels are English; the units are the list's.
	en := e.browser()
	en.get("/lang/en")
	if _, a := en.units("sở tt"); len(a.Units) == 0 || a.Units[0]["typeLabel"] != "State agency (department, board, district People's Committee, division)" {
		t.Errorf("English answer %+v", a)
	}
}

// One address asking for ever new searches is slowed down; answers already cached are not
// counted.
func TestUnitSearchIsRateLimitedPerAddress(t *testing.T) {
	e := newEnv(t)
	e.withUnits()
	b := e.browser()
	b.ip = "203.0.113.9"
	limited := 0
	var retry string
	for i := range 160 {
		r, _ := b.units(fmt.Sprintf("ubnd %d", i))
		if r.status == http.StatusTooManyRequests {
			limited++
			retry = r.header.Get("Retry-After")
		}
	}
	if limited == 0 || retry == "" {
		t.Fatalf("160 searches in a burst: %d refused, Retry-After %q", limited, retry)
	}
	if r, _ := b.units("ubnd 1"); r.status != http.StatusOK {
		t.Errorf("a cached answer was refused: %d", r.status)
	}
	other := e.browser()
	other.ip = "198.51.100.7"
	if r, _ := other.units("ubnd 159"); r.status != http.StatusOK {
		t.Errorf("another address was refused: %d", r.status)
	}
}

// A unit added by a new import is accepted at once, though the app holds the list it read
// before for a minute.
func TestRegisterWithUnitNewerThanTheListInMemory(t *testing.T) {
	e := newEnv(t)
	e.withUnits()
	e.register(1) // reads the list into memory
	us, err := unit.Sample()
	if err != nil {
		t.Fatal(err)
	}
	us = append(us, unit.Unit{Code: "MOI", Name: "Ban Quản lý mới", Type: unit.TypeAgency})
	if err := store.ReplaceUnits(context.Background(), e.pool, testContest, us); err != nil {
		t.Fatal(err)
	}
	form := registration(2)
	form.Set("unit", "MOI")
	b := e.browser()
	b.solve(b.get("/register").body, form)
	if r := b.post("/register", form); r.status != http.StatusSeeOther {
		t.Fatalf("status %d: %s", r.status, alertOf(r.body))
	}
	if u, org := e.stored(form.Get("national_id")); u != "MOI" || org != "Ban Quản lý mới" {
		t.Errorf("stored %q %q", u, org)
	}
}

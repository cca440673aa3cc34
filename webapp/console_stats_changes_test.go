package webapp

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// With figures allowed to be an hour old, what organizers change after the fact still
// reaches the dashboard at the next views: mapping a spelling to a unit, uploading the unit
// list again, correcting an answer key. Each marks the round's snapshot out of date in its
// own transaction; without that the dashboard would keep the old figures for the hour.
func TestConsoleDashboardFollowsChangesAfterTheFact(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.reconfigure(func(c *Config) { c.StatsMaxAge = time.Hour })
	org := e.organizer()
	if r := org.uploadTo("/console/units", nil, "don-vi.csv", []byte(testUnitsCSV)); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.status, alertOf(r.body))
	}
	an := e.registerAs(1, func(f url.Values) {
		f.Set("organization", "Sở Y tế")
		f.Set("unit", unitOther)
	})
	id := an.start("dot-1")
	an.answerAll(id, "1")

	const byUnit = "Theo cơ quan, đơn vị ("
	units := func() map[string][]string {
		return byLabel(tableAfter(t, org.get("/console").body, byUnit))
	}
	perfect := func() string {
		got := byLabel(tableAfter(t, org.get("/console").body, `id="rounds"`))["Đợt 1"]
		if len(got) < 5 {
			t.Fatalf("rounds table: %q", got)
		}
		return got[4]
	}
	// until views the dashboard until ok, as an organizer reloading it would.
	until := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the dashboard keeps the figures counted before", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if got := units(); got["Khác — Sở Y tế"] == nil || perfect() != "1" {
		t.Fatalf("first view: %q, perfect %s", got, perfect())
	}

	// A spelling mapped to a unit: An counts under Sở Y tế.
	if r := org.post("/console/units/spellings/map", url.Values{"key": {unit.Key("Sở Y tế")}, "unit": {"SYT"}}); r.status != http.StatusSeeOther {
		t.Fatalf("map: %d %s", r.status, alertOf(r.body))
	}
	until("mapping", func() bool { got := units(); return got["Sở Y tế"] != nil && got["Khác — Sở Y tế"] == nil })

	// The list uploaded again with the unit renamed.
	renamed := strings.Replace(testUnitsCSV, "SYT,Sở Y tế,", "SYT,Sở Y tế tỉnh Bình Thuận,", 1)
	if r := org.uploadTo("/console/units", nil, "don-vi.csv", []byte(renamed)); r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.status, alertOf(r.body))
	}
	until("renaming the unit", func() bool { return units()["Sở Y tế tỉnh Bình Thuận"] != nil })

	// An answered everything right; a key correction makes one of the answers wrong.
	it := e.attempt(id).Paper.Items[0]
	bq := e.bank.Questions[it.At]
	other := exam.Key{Option: (bq.CorrectIndex() + 1) % len(bq.Options)}
	r := org.post("/console/rounds/dot-1/corrections", url.Values{"question": {it.QuestionID}, "key": {other.String()},
		"reason": {"Đáp án trong ngân hàng câu hỏi bị nhập nhầm"}, "seen": {"0"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("correction: %d %s", r.status, alertOf(r.body))
	}
	until("the key correction", func() bool { return perfect() == "0" })
}

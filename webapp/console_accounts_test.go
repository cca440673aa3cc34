package webapp

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/store"
)

// auditActions lists the audit log's entries, oldest first, as "actor action target".
func (e *env) auditActions() []string {
	e.t.Helper()
	var out []string
	if err := store.StreamAudit(context.Background(), e.pool, store.AuditFilter{}, func(a store.AuditEntry) error {
		out = append(out, strings.TrimSpace(a.Actor+" "+a.Action+" "+a.Target))
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// lastAudit is the newest audit entry.
func (e *env) lastAudit() store.AuditEntry {
	e.t.Helper()
	list, err := store.ListAudit(context.Background(), e.pool, store.AuditFilter{}, 1)
	if err != nil || len(list) == 0 {
		e.t.Fatalf("no audit entry: %v", err)
	}
	return list[0]
}

var oneTimePattern = regexp.MustCompile(`<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>`)

// An account's whole life, done by an admin in the console, each step in the audit log:
// created with a one-time password, replaced at the first sign-in, its role limiting what
// it sees, disabled (its session ends at once), reset.
func TestOrganizerAccountLifecycle(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	admin := e.organizer()

	r := admin.consolePost("/console/accounts", "/console/accounts", url.Values{"username": {"tran.thu.ky"}, "role": {"viewer"}})
	m := oneTimePattern.FindStringSubmatch(r.raw)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("create: %d %s", r.status, alertOf(r.body))
	}
	if a := e.lastAudit(); a.Actor != testConsoleUser || a.Action != "account.create" || a.Target != "tran.thu.ky" ||
		!strings.Contains(string(a.After), `"role": "viewer"`) || strings.Contains(string(a.After), "argon2") {
		t.Errorf("audit of the creation: %+v", a)
	}
	if again := admin.consolePost("/console/accounts", "/console/accounts", url.Values{"username": {"tran.thu.ky"}, "role": {"admin"}}); again.status != http.StatusConflict {
		t.Errorf("the same username again: %d", again.status)
	}

	// The one-time password works once, for one thing: choosing a new password.
	viewer := e.browser()
	if r := viewer.consoleSignIn("tran.thu.ky", m[1], ""); r.status != http.StatusSeeOther || r.location != "/console/password" {
		t.Fatalf("first sign-in: %d %q %s", r.status, r.location, alertOf(r.body))
	}
	if r := viewer.get("/console"); r.status != http.StatusSeeOther || r.location != "/console/password" {
		t.Fatalf("the dashboard before the password is changed: %d %q", r.status, r.location)
	}
	if r := viewer.consolePost("/console/password", "/console/password", url.Values{"current": {m[1]}, "new": {"ngắn"}, "again": {"ngắn"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a short password: %d", r.status)
	}
	if r := viewer.consolePost("/console/password", "/console/password", url.Values{"current": {"sai-mat-khau-roi"}, "new": {"mật khẩu mới của thư ký"}, "again": {"mật khẩu mới của thư ký"}}); r.status != http.StatusUnauthorized {
		t.Errorf("a wrong current password: %d", r.status)
	}
	if r := viewer.consolePost("/console/password", "/console/password", url.Values{"current": {m[1]}, "new": {"mật khẩu mới của thư ký"}, "again": {"mật khẩu mới của thư ký"}}); r.status != http.StatusSeeOther {
		t.Fatalf("change the password: %d %s", r.status, alertOf(r.body))
	}
	if a := e.lastAudit(); a.Actor != "tran.thu.ky" || a.Action != "account.password" {
		t.Errorf("audit of the password change: %+v", a)
	}
	if r := viewer.get("/console"); r.status != http.StatusOK {
		t.Fatalf("the dashboard after the change: %d", r.status)
	}
	if r := e.browser().consoleSignIn("tran.thu.ky", m[1], ""); r.status != http.StatusUnauthorized {
		t.Errorf("the one-time password after it was replaced: %d", r.status)
	}

	// A viewer sees statistics, not banks, accounts or the audit log, and may not publish.
	for path, want := range map[string]int{"/console": 200, "/console/rounds/dot-1": 200, "/console/banks": 403, "/console/accounts": 403, "/console/audit": 403} {
		if r := viewer.get(path); r.status != want {
			t.Errorf("viewer GET %s: %d, want %d", path, r.status, want)
		}
	}
	if r := viewer.consolePost("/console/rounds/dot-1", "/console/rounds/dot-0/publish", url.Values{}); r.status != http.StatusForbidden || !strings.Contains(r.body, "Điều hành") {
		t.Errorf("viewer publishes: %d %s", r.status, alertOf(r.body))
	}
	if page := viewer.get("/console"); strings.Contains(page.raw, `href="/console/banks"`) || strings.Contains(page.raw, `href="/console/accounts"`) {
		t.Error("the viewer's menu offers pages the viewer may not open")
	}

	// Raised to editor: banks open (the role is read on every request).
	if r := admin.consolePost("/console/accounts", "/console/accounts/tran.thu.ky", url.Values{"action": {"role"}, "role": {"editor"}}); r.status != http.StatusSeeOther {
		t.Fatalf("set role: %d %s", r.status, alertOf(r.body))
	}
	if a := e.lastAudit(); a.Action != "account.role" || !strings.Contains(string(a.Before), `"viewer"`) || !strings.Contains(string(a.After), `"editor"`) {
		t.Errorf("audit of the role change: %s → %s", a.Before, a.After)
	}
	viewer = e.signedInAs("tran.thu.ky", "mật khẩu mới của thư ký") // a role change ends the session
	if r := viewer.get("/console/banks"); r.status != http.StatusOK {
		t.Errorf("editor GET /console/banks: %d", r.status)
	}

	// Disabled: the open session ends at once, on every replica.
	if r := admin.consolePost("/console/accounts", "/console/accounts/tran.thu.ky", url.Values{"action": {"disable"}}); r.status != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", r.status, alertOf(r.body))
	}
	if r := viewer.get("/console"); r.status != http.StatusSeeOther {
		t.Errorf("a disabled account's session: %d", r.status)
	}
	if r := e.browser().consoleSignIn("tran.thu.ky", "mật khẩu mới của thư ký", ""); r.status != http.StatusUnauthorized {
		t.Errorf("a disabled account signs in: %d", r.status)
	}

	// Nobody changes their own rights, and the last admin stays.
	if r := admin.consolePost("/console/accounts", "/console/accounts/"+testConsoleUser, url.Values{"action": {"disable"}}); r.status != http.StatusConflict {
		t.Errorf("an admin disables themselves: %d", r.status)
	}
	e.account("pho.ban", "admin", "mat-khau-pho-ban-2024")
	other := e.signedInAs("pho.ban", "mat-khau-pho-ban-2024")
	if r := other.consolePost("/console/accounts", "/console/accounts/"+testConsoleUser, url.Values{"action": {"role"}, "role": {"viewer"}}); r.status != http.StatusSeeOther {
		t.Errorf("another admin lowers an admin: %d %s", r.status, alertOf(r.body))
	}
	if _, _, err := store.ChangeOrganizer(context.Background(), e.pool, "pho.ban", store.OrganizerChange{Disable: true, KeepAnAdmin: true}); !errors.Is(err, store.ErrLastAdmin) {
		t.Errorf("disabling the last admin from the console: %v", err)
	}

	want := []string{
		testConsoleUser + " session.signin", testConsoleUser + " account.create tran.thu.ky", "tran.thu.ky session.signin",
		"tran.thu.ky account.password tran.thu.ky", testConsoleUser + " account.role tran.thu.ky", "tran.thu.ky session.signin",
		testConsoleUser + " account.disable tran.thu.ky", "pho.ban session.signin", "pho.ban account.role " + testConsoleUser,
	}
	if got := strings.Join(e.auditActions(), "\n"); got != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// The audit log refuses changes and deletions, whoever connects.
func TestAuditLogIsAppendOnly(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.organizer()
	ctx := context.Background()
	for _, sql := range []string{`UPDATE audit_log SET actor = 'someone-else'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := e.pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", sql, err)
		}
	}
	if got := e.auditActions(); len(got) != 1 || got[0] != testConsoleUser+" session.signin" {
		t.Errorf("audit log after the refusals: %v", got)
	}
}

// Each organizer action leaves its entry, with who and from which network; the export
// carries them, neutralized for Excel, and is itself recorded.
func TestEveryConsoleActionIsAudited(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(true) })
	b := e.organizer()
	b.ip = "203.0.113.77"
	steps := []struct {
		do     func() response
		action string
	}{
		{func() response {
			return b.consolePost("/console/rounds/dot-0", "/console/rounds/dot-0/publish", url.Values{})
		}, "results.publish"},
		{func() response {
			return b.consolePost("/console/rounds/dot-0", "/console/rounds/dot-0/unpublish", url.Values{})
		}, "results.unpublish"},
		{func() response {
			return b.upload(map[string]string{"name": "=cmd|calc", "version": "1"}, "x.csv", []byte("x"))
		}, ""}, // refused (bad name): nothing happened, nothing is recorded
		{func() response { return b.get("/console/audit.csv") }, "audit.export"},
		{func() response { return b.consolePost("/console", "/console/signout", url.Values{}) }, "session.signout"},
	}
	for _, s := range steps {
		before := len(e.auditActions())
		r := s.do()
		after := e.auditActions()
		switch {
		case s.action == "" && len(after) != before:
			t.Errorf("a refused action was recorded: %v (%d)", after[len(after)-1], r.status)
		case s.action != "" && (len(after) != before+1 || !strings.Contains(after[len(after)-1], s.action)):
			t.Errorf("%s: %d, audit log %v", s.action, r.status, after)
		}
	}
	list, _ := store.ListAudit(context.Background(), e.pool, store.AuditFilter{Action: "results"}, 10)
	if len(list) != 2 || list[0].ClientNet != "203.0.113.77" || list[0].Actor != testConsoleUser || list[0].ActorRole != "admin" {
		t.Errorf("results actions in the log: %+v", list)
	}

	// The export, after a target that Excel would run as a formula.
	if err := store.AppendAudit(context.Background(), e.pool, store.AuditEntry{Actor: "secret", Action: "account.provision.create", Target: "=HYPERLINK(\"http://x\")"}); err != nil {
		t.Fatal(err)
	}
	admin := e.organizer()
	csv := admin.get("/console/audit.csv")
	if csv.status != http.StatusOK || !strings.HasPrefix(csv.raw, "\uFEFF") || !strings.Contains(csv.raw, "Công bố kết quả") ||
		!strings.Contains(csv.raw, "'=HYPERLINK") || !strings.Contains(csv.header.Get("Content-Disposition"), "nhat-ky-thao-tac-") {
		t.Errorf("CSV export: %d %q\n%s", csv.status, csv.header.Get("Content-Disposition"), csv.raw)
	}
	if xlsx := admin.get("/console/audit.xlsx?action=results"); xlsx.status != http.StatusOK || !strings.HasPrefix(xlsx.raw, "PK") {
		t.Errorf("XLSX export: %d", xlsx.status)
	}
	page := admin.get("/console/audit?action=results")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Thu hồi công bố kết quả") || strings.Contains(page.body, "Đăng xuất</td>") {
		t.Errorf("audit page filtered by action: %d", page.status)
	}
}

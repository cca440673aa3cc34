package webapp

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/store"
)

const (
	helpdeskEditor   = "dieu.hanh"
	helpdeskEditorPw = "mat-khau-dieu-hanh-2024"
)

var (
	lookupTokenPattern = regexp.MustCompile(`name="lookup" value="([^"]+)"`)
	issuedCodePattern  = regexp.MustCompile(`<code id="code">(\d{4}) (\d{4})</code>`)
	resetTokenPattern  = regexp.MustCompile(`name="token" value="([A-Za-z0-9_-]{43})"`)
)

// helpdeskEnv is a recovery env (person 1 registered) with an admin, an editor and a viewer.
func helpdeskEnv(t *testing.T, on channels) *recoveryEnv {
	r := newRecoveryEnv(t, on)
	r.enableConsole()
	r.account(helpdeskEditor, "editor", helpdeskEditorPw)
	r.account("theo.doi", "viewer", "mat-khau-theo-doi-2024")
	return r
}

// lookup searches the helpdesk from its page and returns the answer and the token of the
// form that issues a code ("" when the page has none).
func (b *browser) lookup(q string) (response, string) {
	b.e.t.Helper()
	r := b.consolePost("/console/helpdesk", "/console/helpdesk", url.Values{"q": {q}})
	if m := lookupTokenPattern.FindStringSubmatch(r.raw); m != nil {
		return r, m[1]
	}
	return r, ""
}

// issue posts the form that issues a code.
func (b *browser) issue(token string, confirm bool, note string) response {
	b.e.t.Helper()
	form := url.Values{"lookup": {token}, "note": {note}}
	if confirm {
		form.Set("confirm", "yes")
	}
	return b.post("/console/helpdesk/code", form)
}

// codeOf is the code an issue page shows, as the organizer reads it ("1234 5678").
func codeOf(t *testing.T, r response) string {
	t.Helper()
	m := issuedCodePattern.FindStringSubmatch(r.raw)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("issue: %d %s", r.status, alertOf(r.body))
	}
	return m[1] + " " + m[2]
}

// The helpdesk end to end: an editor finds the person by phone or national ID, sees what to
// check and nothing secret, ticks, notes and issues a code shown once; the person types it
// on /recover/code, sets a password and signs in with it; the code works once; every lookup
// and the code are in the audit log under the editor's name, without the code; a viewer is
// turned away.
func TestHelpdeskResetEndToEnd(t *testing.T) {
	r := helpdeskEnv(t, channels{sms: true, email: true})
	ctx := context.Background()
	var id int64
	if err := r.pool.QueryRow(ctx, `SELECT id FROM contestant WHERE phone = '0912300001'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	target := fmt.Sprintf("#%d 060*******01", id)

	// A viewer neither sees nor uses the helpdesk.
	viewer := r.signedInAs("theo.doi", "mat-khau-theo-doi-2024")
	if page := viewer.get("/console"); strings.Contains(page.raw, `href="/console/helpdesk"`) {
		t.Error("the viewer's menu offers the helpdesk")
	}
	if got := viewer.get("/console/helpdesk"); got.status != http.StatusForbidden || !strings.Contains(got.body, "Điều hành") {
		t.Errorf("viewer GET /console/helpdesk: %d", got.status)
	}
	if got, token := viewer.lookup("0912300001"); got.status != http.StatusForbidden || token != "" || strings.Contains(got.body, "Minh Khai") {
		t.Errorf("viewer looks up: %d", got.status)
	}

	editor := r.signedInAs(helpdeskEditor, helpdeskEditorPw)
	if page := editor.get("/console"); !strings.Contains(page.raw, `<a href="/console/helpdesk">Hỗ trợ thí sinh</a>`) {
		t.Error("the editor's menu lacks the helpdesk")
	}
	page := editor.get("/console/helpdesk")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Bạn còn 30 lượt tra cứu trong khung 10 phút hiện tại.") {
		t.Fatalf("helpdesk page: %d\n%s", page.status, page.body)
	}

	// Bad input is refused for what it is, reads nothing and is not recorded.
	before := len(r.auditActions())
	for _, q := range []string{"", "abc", "0912", "060 192 000", strings.Repeat("9", 100)} {
		if got, token := editor.lookup(q); got.status != http.StatusUnprocessableEntity || token != "" || !strings.Contains(got.body, "Nhập số CCCD gồm 12 chữ số") {
			t.Errorf("lookup %q: %d %s", q, got.status, alertOf(got.body))
		}
	}
	// Nobody with that number: said so, and recorded (masked).
	if got, token := editor.lookup("0912 399 999"); got.status != http.StatusNotFound || token != "" || !strings.Contains(got.body, "Không có người dự thi nào đăng ký với số 0912***999") {
		t.Errorf("an unknown number: %d %s", got.status, alertOf(got.body))
	}
	if got := r.auditActions(); len(got) != before+1 || got[len(got)-1] != helpdeskEditor+" helpdesk.lookup 0912***999" {
		t.Errorf("audit after the refusals and a miss: %v", got[before:])
	}

	// Found by national ID, spaced as people read it out; then by phone, +84.
	got, token := editor.lookup("060 192 000 001")
	if got.status != http.StatusOK || token == "" {
		t.Fatalf("lookup by national ID: %d %s", got.status, alertOf(got.body))
	}
	got, token = editor.lookup("+84 912 300 001")
	if got.status != http.StatusOK || token == "" {
		t.Fatalf("lookup by phone: %d %s", got.status, alertOf(got.body))
	}
	for _, want := range []string{"Nguyễn Thị Minh Khai", "15/03/1992", "Nữ", "Cán bộ, công chức, viên chức, người lao động", "UBND xã Tiến Lợi",
		"Xã Tiến Lợi", "Thành phố Phan Thiết", "0912***001", "060*******01", "Được: nhận mã qua SMS đến số 0912***001",
		"Được: nhận liên kết qua thư điện tử k***@example.vn.", "Trong ngày đã cấp cho người này 0/3 mã.",
		"Bạn còn 27 lượt tra cứu"} {
		if !strings.Contains(got.body, want) {
			t.Errorf("the person's page lacks %q", want)
		}
	}
	for _, secret := range []string{"0912300001", "060192000001", "khai@example.vn", "argon2", "$argon"} {
		if strings.Contains(got.raw, secret) {
			t.Errorf("the person's page shows %q", secret)
		}
	}

	// Issuing needs the tick and a note; a refusal issues nothing.
	for _, bad := range []struct {
		confirm bool
		note    string
		want    string
	}{{false, "Gọi đường dây hỗ trợ, đã đổi số", "hãy đánh dấu ô xác nhận"}, {true, "", "từ 5 đến 300 ký tự"},
		{true, "ok", "từ 5 đến 300 ký tự"}, {true, strings.Repeat("dài ", 100), "từ 5 đến 300 ký tự"}} {
		got := editor.issue(token, bad.confirm, bad.note)
		if got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, bad.want) || !strings.Contains(got.body, "15/03/1992") ||
			issuedCodePattern.MatchString(got.raw) {
			t.Errorf("issue %+v: %d %s", bad, got.status, alertOf(got.body))
		}
	}
	var resets int
	if err := r.pool.QueryRow(ctx, `SELECT count(*) FROM password_reset`).Scan(&resets); err != nil || resets != 0 {
		t.Fatalf("refused issues left %d resets (%v)", resets, err)
	}

	// The SMS code and the email link asked for earlier are replaced by the helpdesk's code.
	r.ask(r.browser(), "sms", "0912300001")
	r.ask(r.browser(), "email", "0912300001")
	r.settle()
	smsCode := r.gw.lastCode(t)
	_, link := r.link()

	const note = "Gọi đường dây hỗ trợ lúc 9 giờ, đã đổi số điện thoại"
	issued := editor.issue(token, true, note)
	code := codeOf(t, issued)
	var expires time.Time
	var issuedBy, channel string
	if err := r.pool.QueryRow(ctx, `SELECT expires_at, issued_by, channel FROM password_reset WHERE revoked_at IS NULL AND used_at IS NULL`).Scan(&expires, &issuedBy, &channel); err != nil {
		t.Fatal(err)
	}
	if issuedBy != helpdeskEditor || channel != "helpdesk" {
		t.Errorf("the live reset: issued by %q, channel %q", issuedBy, channel)
	}
	host := strings.TrimPrefix(r.srv.URL, "http://")
	for _, want := range []string{"Mã dùng một lần cho Nguyễn Thị Minh Khai (CCCD 060*******01):",
		"Hết hiệu lực lúc " + translator{lang: "vi", loc: r.app.loc}.Time(expires) + " (sau 30 phút).",
		"Mã chỉ hiện một lần này", "Mở trang " + host + "/recover/code", "và mã số " + code, "ít nhất 8 ký tự", "nhập sai 5 lần"} {
		if !strings.Contains(issued.body, want) {
			t.Errorf("the code's page lacks %q:\n%s", want, issued.body)
		}
	}
	if issued.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the code's page may be cached: %q", issued.header.Get("Cache-Control"))
	}
	if d := time.Until(expires) - 30*time.Minute; d > time.Minute || d < -time.Minute {
		t.Errorf("the code expires at %s, want in 30 minutes", expires)
	}

	// The audit log: the lookups and the code, by the editor, with the note, never the code.
	list, err := store.ListAudit(ctx, r.pool, store.AuditFilter{Action: "helpdesk"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, a := range list {
		trail = append([]string{a.Actor + " " + a.Action + " " + a.Target}, trail...)
	}
	wantTrail := []string{helpdeskEditor + " helpdesk.lookup 0912***999", helpdeskEditor + " helpdesk.lookup " + target,
		helpdeskEditor + " helpdesk.lookup " + target, helpdeskEditor + " helpdesk.code " + target}
	if strings.Join(trail, "\n") != strings.Join(wantTrail, "\n") {
		t.Errorf("helpdesk audit trail:\n%s\nwant:\n%s", strings.Join(trail, "\n"), strings.Join(wantTrail, "\n"))
	}
	if a := list[0]; a.Reason != note || a.ActorRole != "editor" || !strings.Contains(string(a.After), `"expires_at"`) {
		t.Errorf("the code's entry: %+v (after %s)", a, a.After)
	}
	digits := strings.ReplaceAll(code, " ", "")
	var leaks int
	if err := r.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE concat(target, before::text, after::text, reason) LIKE '%' || $1 || '%'`, digits).Scan(&leaks); err != nil || leaks != 0 {
		t.Errorf("the code is in %d audit entries (%v)", leaks, err)
	}
	if strings.Contains(r.logs.String(), digits) {
		t.Error("the code is in the logs")
	}
	admin := r.organizer()
	if page := admin.get("/console/audit?action=helpdesk"); !strings.Contains(page.body, "Cấp mã đặt lại mật khẩu") ||
		!strings.Contains(page.body, "Tra cứu người dự thi (hỗ trợ)") || !strings.Contains(page.body, note) {
		t.Errorf("the audit page does not show the helpdesk's entries:\n%s", page.body)
	}

	// The SMS code is dead; the helpdesk's works once, typed as read out.
	person := r.browser()
	if got := person.post("/recover/code", url.Values{"login": {"0912300001"}, "code": {smsCode}}); got.status != http.StatusUnprocessableEntity {
		t.Errorf("the SMS code after the helpdesk's: %d", got.status)
	}
	if got := person.get(strings.TrimPrefix(link, r.srv.URL)); got.status != http.StatusGone {
		t.Errorf("the email link after the helpdesk's code: %d", got.status)
	}
	form := person.post("/recover/code", url.Values{"login": {"060 192 000 001"}, "code": {code}})
	m := resetTokenPattern.FindStringSubmatch(form.raw)
	if form.status != http.StatusOK || m == nil || !strings.Contains(form.body, "Tài khoản: 0912***001") {
		t.Fatalf("the helpdesk's code: %d %s", form.status, alertOf(form.body))
	}
	if again := r.browser().post("/recover/code", url.Values{"login": {"0912300001"}, "code": {code}}); again.status != http.StatusUnprocessableEntity {
		t.Errorf("the code used twice: %d", again.status)
	}
	if done := person.post("/recover/reset", url.Values{"token": {m[1]}, "password": {"mat-khau-qua-ho-tro"}, "password2": {"mat-khau-qua-ho-tro"}}); done.status != http.StatusSeeOther || done.location != "/?reset=1" {
		t.Fatalf("reset: %d %q %s", done.status, done.location, alertOf(done.body))
	}
	if s := r.signin("0912300001", "mat-khau-qua-ho-tro"); s.status != http.StatusSeeOther {
		t.Fatalf("sign-in with the new password: %d %s", s.status, alertOf(s.body))
	}
	if s := r.signin("0912300001", "mat-khau-bi-mat"); s.status != http.StatusUnauthorized {
		t.Errorf("sign-in with the old password: %d", s.status)
	}
	if r.metric("resets", "channel=helpdesk") != 1 || r.metric("requests", "channel=helpdesk") != 1 {
		t.Errorf("metrics: resets %v requests %v", r.metric("resets", "channel=helpdesk"), r.metric("requests", "channel=helpdesk"))
	}
}

// A code follows a recorded lookup of the same person by the same organizer, recently: a
// token of another organizer, a changed one, or one older than the lookup's time issues
// nothing.
func TestHelpdeskCodeNeedsARecentLookup(t *testing.T) {
	r := helpdeskEnv(t, channels{})
	editor := r.signedInAs(helpdeskEditor, helpdeskEditorPw)
	admin := r.organizer()
	_, adminToken := admin.lookup("0912300001")
	_, token := editor.lookup("0912300001")
	if adminToken == "" || token == "" {
		t.Fatal("no lookup token")
	}
	i := strings.IndexByte(token, '|')
	for name, bad := range map[string]string{
		"another organizer's": adminToken, "none": "", "changed": "9999" + token[i:], "huge": strings.Repeat("x", 10_000),
	} {
		if got := editor.issue(bad, true, "Gọi đường dây hỗ trợ"); got.status != http.StatusUnprocessableEntity ||
			!strings.Contains(got.body, "tra cứu lại người dự thi") || issuedCodePattern.MatchString(got.raw) {
			t.Errorf("%s token: %d %s", name, got.status, alertOf(got.body))
		}
	}
	r.clock.advance(helpdeskLookupTTL + time.Second)
	if got := editor.issue(token, true, "Gọi đường dây hỗ trợ"); got.status != http.StatusUnprocessableEntity {
		t.Errorf("a token past its time: %d", got.status)
	}
	var resets int
	if err := r.pool.QueryRow(context.Background(), `SELECT count(*) FROM password_reset`).Scan(&resets); err != nil || resets != 0 {
		t.Fatalf("%d resets issued (%v)", resets, err)
	}
}

// The helpdesk's limits, counted in PostgreSQL before deciding, so concurrent requests
// cannot all pass: lookups per organizer (another organizer is not held back), codes per
// person a day, codes per organizer an hour.
func TestHelpdeskRateLimits(t *testing.T) {
	r := helpdeskEnv(t, channels{})
	for n := 2; n <= 5; n++ {
		r.register(n)
	}
	editor := r.signedInAs(helpdeskEditor, helpdeskEditorPw)

	// 40 lookups at once: exactly the limit get an answer, the rest 429 without the person.
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	editor.get("/console/helpdesk")
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := "0912300001"
			if i%2 == 1 {
				q = "0912399999" // nobody: counted the same
			}
			got := editor.post("/console/helpdesk", url.Values{"q": {q}})
			if got.status == http.StatusTooManyRequests && (strings.Contains(got.body, "Minh Khai") || got.header.Get("Retry-After") != "600") {
				t.Errorf("a refused lookup: Retry-After %q, shows the person: %v", got.header.Get("Retry-After"), strings.Contains(got.body, "Minh Khai"))
			}
			mu.Lock()
			statuses[got.status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusOK]+statuses[http.StatusNotFound] != helpdeskLookups || statuses[http.StatusTooManyRequests] != 40-helpdeskLookups {
		t.Fatalf("40 concurrent lookups: %v, want %d answered", statuses, helpdeskLookups)
	}
	list, err := store.ListAudit(context.Background(), r.pool, store.AuditFilter{Action: "helpdesk.lookup"}, 100)
	if err != nil || len(list) != helpdeskLookups {
		t.Fatalf("%d lookups recorded (%v), want %d: a refused one is not a lookup", len(list), err, helpdeskLookups)
	}
	if got, _ := editor.lookup("0912300002"); got.status != http.StatusTooManyRequests || !strings.Contains(got.body, "quá 30 lần trong 10 phút") {
		t.Errorf("the next lookup: %d %s", got.status, alertOf(got.body))
	}

	// Another editor looks up as usual; codes: 6 at once for one person, 3 issued.
	r.account("ho.tro", "editor", "mat-khau-ho-tro-2024")
	other := r.signedInAs("ho.tro", "mat-khau-ho-tro-2024")
	tokens := map[int]string{}
	for n := 1; n <= 5; n++ {
		got, token := other.lookup(fmt.Sprintf("09123%05d", n))
		if got.status != http.StatusOK || token == "" {
			t.Fatalf("lookup of person %d: %d %s", n, got.status, alertOf(got.body))
		}
		tokens[n] = token
	}
	statuses = map[int]int{}
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := other.issue(tokens[1], true, "Gọi nhiều lần trong ngày")
			if got.status == http.StatusTooManyRequests && !strings.Contains(got.body, "Người này đã được cấp quá 3 mã trong ngày") {
				t.Errorf("the person's limit: %s", alertOf(got.body))
			}
			mu.Lock()
			statuses[got.status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusOK] != helpdeskPersonCodes || statuses[http.StatusTooManyRequests] != 6-helpdeskPersonCodes {
		t.Fatalf("6 concurrent codes for one person: %v, want %d issued", statuses, helpdeskPersonCodes)
	}
	// The organizer has spent 6 of 10 codes this hour (refusals count): 3 for person 2, then
	// person 3's first is the 10th, person 4's the 11th, refused before person 4 is counted.
	for _, n := range []int{2, 2, 2, 3} {
		codeOf(t, other.issue(tokens[n], true, "Gọi đường dây hỗ trợ"))
	}
	got := other.issue(tokens[4], true, "Gọi đường dây hỗ trợ")
	if got.status != http.StatusTooManyRequests || !strings.Contains(got.body, "Bạn đã cấp quá 10 mã trong một giờ") || got.header.Get("Retry-After") != "3600" {
		t.Fatalf("the organizer's 11th code: %d %s", got.status, alertOf(got.body))
	}
	var fourth int64
	if err := r.pool.QueryRow(context.Background(), `SELECT id FROM contestant WHERE phone = '0912300004'`).Scan(&fourth); err != nil {
		t.Fatal(err)
	}
	counts, err := store.Counts(context.Background(), r.pool, helpdeskPersonCounter(testContest, fourth), helpdeskCodeCounter("ho.tro"))
	if err != nil || counts[0] != 0 || counts[1] != helpdeskCodes+1 {
		t.Errorf("person 4's codes counted %v, the organizer's (%v): want 0 and %d", counts, err, helpdeskCodes+1)
	}
	var codes int
	if err := r.pool.QueryRow(context.Background(), `SELECT count(*) FROM password_reset WHERE channel = 'helpdesk'`).Scan(&codes); err != nil || codes != 7 {
		t.Errorf("%d helpdesk codes issued (%v), want 7", codes, err)
	}
	if list, _ := store.ListAudit(context.Background(), r.pool, store.AuditFilter{Action: "helpdesk.code", Actor: "ho.tro"}, 100); len(list) != 7 {
		t.Errorf("%d codes recorded, want 7: a refused code is not recorded", len(list))
	}
}

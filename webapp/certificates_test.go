package webapp

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pdftext"
)

// certificateRound registers people with the given names, each with a finished attempt in
// dot-1, and stores a ranking of them giving each the prize in prizes ("" for none, "tie"
// for a place held for a boundary tie). It returns their browsers.
func (e *env) certificateRound(names []string, prizes []string) []*browser {
	e.t.Helper()
	ctx := context.Background()
	var people []*browser
	var rows []store.RankingRow
	for i, name := range names {
		b := e.registerAs(100+i, func(f url.Values) { f.Set("full_name", name) })
		b.submitAttempt(i == 0)
		people = append(people, b)
		var contestant, attempt int64
		if err := e.pool.QueryRow(ctx, `SELECT a.contestant_id, a.id FROM attempt a JOIN contestant c ON c.id = a.contestant_id
			WHERE c.full_name = $1`, name).Scan(&contestant, &attempt); err != nil {
			e.t.Fatal(err)
		}
		row := store.RankingRow{Position: i + 1, Rank: i + 1, ContestantID: contestant, AttemptID: attempt, Correct: 15 - i, Total: 15,
			TimeUsed: time.Minute, SubmittedAt: time.Now(), Eligible: true, Prize: prizes[i]}
		if prizes[i] == "tie" {
			row.Prize, row.TieAtBoundary = "", true
		}
		rows = append(rows, row)
	}
	e.rankDot1(rows, time.Now())
	e.rounds.update("dot-1", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(true) })
	return people
}

func (e *env) rankDot1(rows []store.RankingRow, at time.Time) {
	e.t.Helper()
	if err := store.ReplaceRanking(context.Background(), e.pool, store.RankingRun{Round: "contest/dot-1", ComputedAt: at,
		Participants: len(rows), Attempts: int64(len(rows)), Perfect: 1, TieBreak: []string{"Correct"}}, rows); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) publishDot1() {
	e.t.Helper()
	if _, err := store.Publish(context.Background(), e.pool, "contest/dot-1", "test"); err != nil {
		e.t.Fatal(err)
	}
}

var verifyAddress = regexp.MustCompile(`https?://[^\s/]+/verify/([A-Z2-7-]+)`)

// pdfOf reads a downloaded certificate: its text, and the code its verification address
// carries.
func pdfOf(t *testing.T, r response) (text, code string) {
	t.Helper()
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("download: %d %q: %s", r.status, r.header.Get("Content-Type"), alertOf(r.body))
	}
	text, err := pdftext.Text([]byte(r.raw))
	if err != nil {
		t.Fatal(err)
	}
	m := verifyAddress.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("the certificate has no verification address:\n%s", text)
	}
	if !strings.Contains(text, m[1]) || strings.Count(text, m[1]) < 2 {
		t.Errorf("the code %s is not printed beside its address:\n%s", m[1], text)
	}
	return text, m[1]
}

func TestCertificateDownloads(t *testing.T) {
	e := newEnv(t)
	names := []string{"Nguyễn Thị Ánh Tuyết", "Trần Văn Đức", "Lê Thị Hồng", "Phạm Quốc Việt"}
	people := e.certificateRound(names, []string{"Giải Nhất", "Giải Nhì", "tie", ""})
	first, tied, none := people[0], people[2], people[3]
	outsider := e.register(199) // no attempt in dot-1

	// Nothing before the results are published.
	if r := first.get("/rounds/dot-1/certificates/participation"); r.status != http.StatusNotFound || !strings.Contains(r.body, "kết quả chưa được công bố") {
		t.Errorf("before publication: %d %s", r.status, alertOf(r.body))
	}
	if me := first.get("/me"); strings.Contains(me.raw, "/certificates/") {
		t.Error("“my attempts” offers certificates before publication")
	}
	e.publishDot1()

	me := first.get("/me")
	for _, want := range []string{`href="/rounds/dot-1/certificates/participation"`, `href="/rounds/dot-1/certificates/prize"`} {
		if !strings.Contains(me.raw, want) {
			t.Errorf("“my attempts” lacks %s", want)
		}
	}
	if !strings.Contains(me.body, "Giấy chứng nhận đạt Giải Nhất (PDF)") {
		t.Error("the prize link does not name the prize")
	}
	if me := tied.get("/me"); strings.Contains(me.raw, "certificates/prize") || !strings.Contains(me.body, "chờ Ban Tổ chức quyết định") {
		t.Error("a person tied at a boundary is offered a prize certificate, or not told it waits")
	}
	if me := none.get("/me"); strings.Contains(me.raw, "certificates/prize") || !strings.Contains(me.raw, "certificates/participation") {
		t.Error("a person without a prize: wrong links")
	}
	if me := outsider.get("/me"); strings.Contains(me.raw, "/certificates/") {
		t.Error("a person not ranked in the round is offered certificates")
	}

	// The certificates: the person's name with its diacritics, what they certify, the code.
	text, participation := pdfOf(t, first.get("/rounds/dot-1/certificates/participation"))
	for _, want := range []string{"GIẤY CHỨNG NHẬN", "Nguyễn Thị Ánh Tuyết", "UBND xã Tiến Lợi", "Đã tham gia cuộc thi", "Đợt 1", "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số”"} {
		if !strings.Contains(text, want) {
			t.Errorf("the participation certificate lacks %q:\n%s", want, text)
		}
	}
	r := first.get("/rounds/dot-1/certificates/prize")
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="chung-nhan-dat-giai-dot-1.pdf"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || !strings.Contains(cc, "private") {
		t.Errorf("Cache-Control %q: a personal file", cc)
	}
	text, prize := pdfOf(t, r)
	if !strings.Contains(text, "Đã đạt Giải Nhất") || prize == participation {
		t.Errorf("the prize certificate (code %s, participation %s):\n%s", prize, participation, text)
	}
	if again := first.get("/rounds/dot-1/certificates/prize"); again.raw != r.raw {
		t.Error("a second download differs from the first")
	}
	for who, b := range map[string]*browser{"tied": tied, "without a prize": none} {
		if r := b.get("/rounds/dot-1/certificates/prize"); r.status != http.StatusNotFound {
			t.Errorf("%s: prize certificate %d", who, r.status)
		}
	}
	if r := tied.get("/rounds/dot-1/certificates/prize"); !strings.Contains(r.body, "Ban Tổ chức sẽ quyết định") {
		t.Errorf("a tied person is not told why: %s", alertOf(r.body))
	}
	if _, code := pdfOf(t, none.get("/rounds/dot-1/certificates/participation")); code == participation {
		t.Error("two people share a code")
	}
	for _, path := range []string{"/rounds/dot-1/certificates/winner", "/rounds/dot-9/certificates/participation", "/rounds/dot-2/certificates/participation"} {
		if r := first.get(path); r.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, r.status)
		}
	}
	if r := outsider.get("/rounds/dot-1/certificates/participation"); r.status != http.StatusNotFound {
		t.Errorf("a person not ranked: %d", r.status)
	}

	// Anyone checks a code, without signing in.
	anyone := e.browser()
	v := anyone.get("/verify/" + prize)
	if v.status != http.StatusOK || !strings.Contains(v.body, "Giấy chứng nhận hợp lệ") || !strings.Contains(v.body, "Nguyễn Thị Ánh Tuyết") ||
		!strings.Contains(v.body, "Đã đạt Giải Nhất") || !strings.Contains(v.body, "Đợt 1") {
		t.Errorf("verify the prize certificate: %d\n%s", v.status, v.body)
	}
	if v.header.Get("X-Robots-Tag") != "noindex" || v.header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("the verification page may be indexed or leak its address: %v", v.header)
	}
	for _, s := range []string{"060192000100", "0912300100"} {
		if strings.Contains(v.raw, s) {
			t.Errorf("the verification page shows %s", s)
		}
	}
	if v := anyone.get("/verify/" + strings.ToLower(participation)); v.status != http.StatusOK || !strings.Contains(v.body, "Đã tham gia cuộc thi") {
		t.Errorf("a code typed in lower case: %d", v.status)
	}
	if r := anyone.get("/verify?code=" + url.QueryEscape(strings.ToLower(strings.ReplaceAll(participation, "-", " ")))); r.status != http.StatusSeeOther || r.location != "/verify/"+participation {
		t.Errorf("the form: %d %q", r.status, r.location)
	}
	if r := anyone.get("/verify"); r.status != http.StatusOK || !strings.Contains(r.raw, `name="code"`) {
		t.Errorf("the form page: %d", r.status)
	}
	tampered := []byte(prize)
	if tampered[5] == 'A' {
		tampered[5] = 'B'
	} else {
		tampered[5] = 'A'
	}
	for _, bad := range []string{string(tampered), "ABCD-EFGH", "x", strings.Repeat("A", 300), "%00"} {
		r := anyone.get("/verify/" + bad)
		if r.status != http.StatusNotFound || !strings.Contains(r.body, "Không có giấy chứng nhận nào mang mã xác thực này") {
			t.Errorf("verify %.20q: %d %s", bad, r.status, alertOf(r.body))
		}
	}

	// A re-rank withdraws the publication: the codes wait; published again, the prize
	// certificate of a prize the person no longer holds is void, the participation stands,
	// and the new download says the new prize.
	var rows []store.RankingRow
	if err := store.StreamRanking(context.Background(), e.pool, "contest/dot-1", func(r store.RankingRow) error {
		rows = append(rows, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rows[0].Prize, rows[1].Prize = "Giải Nhì", "Giải Nhất"
	e.rankDot1(rows, time.Now().Add(time.Minute))
	if r := anyone.get("/verify/" + prize); r.status != http.StatusNotFound || !strings.Contains(r.body, "đang được Ban Tổ chức xem xét lại") {
		t.Errorf("verify while unpublished: %d %s", r.status, alertOf(r.body))
	}
	if r := first.get("/rounds/dot-1/certificates/participation"); r.status != http.StatusNotFound {
		t.Errorf("download while unpublished: %d", r.status)
	}
	e.publishDot1()
	if r := anyone.get("/verify/" + prize); r.status != http.StatusNotFound || !strings.Contains(r.body, "không còn hiệu lực") {
		t.Errorf("verify a prize taken back: %d %s", r.status, alertOf(r.body))
	}
	if r := anyone.get("/verify/" + participation); r.status != http.StatusOK {
		t.Errorf("verify participation after a re-rank: %d", r.status)
	}
	text, second := pdfOf(t, first.get("/rounds/dot-1/certificates/prize"))
	if !strings.Contains(text, "Đã đạt Giải Nhì") || second == prize {
		t.Errorf("after the re-rank the cached certificate was sent:\n%s", text)
	}
	if r := anyone.get("/verify/" + second); r.status != http.StatusOK || !strings.Contains(r.body, "Đã đạt Giải Nhì") {
		t.Errorf("verify the new prize certificate: %d", r.status)
	}
}

// Organizers download the round's prize certificates as one file, recorded in the log.
func TestConsoleCertificates(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.account("theo.doi", "viewer", "mat-khau-theo-doi-2024")
	e.certificateRound([]string{"Nguyễn Thị Ánh Tuyết", "Trần Văn Đức", "Lê Thị Hồng"}, []string{"Giải Nhất", "tie", "Giải Ba"})
	viewer := e.signedInAs("theo.doi", "mat-khau-theo-doi-2024")
	if r := viewer.get("/console/rounds/dot-1/certificates.pdf"); r.status != http.StatusNotFound || !strings.Contains(r.body, "sau khi kết quả của đợt được công bố") {
		t.Errorf("before publication: %d %s", r.status, alertOf(r.body))
	}
	if page := viewer.get("/console/rounds/dot-1"); strings.Contains(page.raw, "certificates.pdf") {
		t.Error("the round page offers certificates before publication")
	}
	e.publishDot1()
	if page := viewer.get("/console/rounds/dot-1"); !strings.Contains(page.raw, `href="/console/rounds/dot-1/certificates.pdf"`) {
		t.Error("the round page does not offer the certificates")
	}
	r := viewer.get("/console/rounds/dot-1/certificates.pdf")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("download: %d %s", r.status, alertOf(r.body))
	}
	pages, err := pdftext.Pages([]byte(r.raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || !strings.Contains(pages[0], "Nguyễn Thị Ánh Tuyết") || !strings.Contains(pages[0], "Đã đạt Giải Nhất") ||
		!strings.Contains(pages[1], "Lê Thị Hồng") || !strings.Contains(pages[1], "Đã đạt Giải Ba") {
		t.Errorf("%d pages:\n%s", len(pages), strings.Join(pages, "\n----\n"))
	}
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE actor = 'theo.doi'
		AND action = 'certificates.download' AND target = 'contest/dot-1' AND after->>'certificates' = '2'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("audit entries: %d, %v", n, err)
	}
	// Each page's code verifies.
	for i, p := range pages {
		m := verifyAddress.FindStringSubmatch(p)
		if m == nil {
			t.Fatalf("page %d has no verification address", i+1)
		}
		if v := e.browser().get("/verify/" + m[1]); v.status != http.StatusOK {
			t.Errorf("page %d: verify %d", i+1, v.status)
		}
	}
}

// A stranger cannot make the server check codes without end: the route is limited per
// address, and other addresses are not affected.
func TestVerifyIsRateLimited(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.ip = "203.0.113.7"
	limited := 0
	for range 80 {
		r := b.get("/verify/AAAA-BBBB-CCCC-DDDD-EEEE-FFF")
		if r.status == http.StatusTooManyRequests {
			limited++
			if r.header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		} else if r.status != http.StatusNotFound {
			t.Fatalf("status %d", r.status)
		}
	}
	if limited == 0 {
		t.Error("80 verifications at once from one address were all served")
	}
	other := e.browser()
	other.ip = "198.51.100.9"
	if r := other.get("/verify/AAAA-BBBB-CCCC-DDDD-EEEE-FFF"); r.status != http.StatusNotFound {
		t.Errorf("another address: %d", r.status)
	}
}

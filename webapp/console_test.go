package webapp

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/store"
)

const (
	testConsoleUser     = "ban-to-chuc"
	testConsolePassword = "mat-khau-ban-to-chuc-2024"
)

// enableConsole gives the env an admin organizer account (testConsoleUser), as `contest
// admin create` or the chart's Secret would, with a password already chosen.
func (e *env) enableConsole() {
	e.t.Helper()
	e.account(testConsoleUser, "admin", testConsolePassword)
}

// account creates an organizer account with a chosen password.
func (e *env) account(username, role, pw string) {
	e.t.Helper()
	if _, err := store.CreateOrganizer(context.Background(), e.pool, store.Organizer{Username: username, Role: role,
		PasswordHash: password.Hash(pw), Source: store.SourceCLI, CreatedBy: "test"}); err != nil {
		e.t.Fatal(err)
	}
}

// signedInAs returns a browser signed in to the console as username.
func (e *env) signedInAs(username, pw string) *browser {
	e.t.Helper()
	b := e.browser()
	if r := b.consoleSignIn(username, pw, ""); r.status != http.StatusSeeOther {
		e.t.Fatalf("%s signs in: %d %q %s", username, r.status, r.location, alertOf(r.body))
	}
	return b
}

// consoleSignIn fills the console's sign-in form as a browser would.
func (b *browser) consoleSignIn(user, pw, next string) response {
	b.e.t.Helper()
	page := b.get("/console/signin")
	form := url.Values{"username": {user}, "password": {pw}, "next": {next}}
	return b.postSolved("/console/signin", page.raw, form)
}

// organizer returns a browser signed in to the console.
func (e *env) organizer() *browser {
	e.t.Helper()
	b := e.browser()
	if r := b.consoleSignIn(testConsoleUser, testConsolePassword, ""); r.status != http.StatusSeeOther || r.location != "/console" {
		e.t.Fatalf("organizer sign-in: %d %q %s", r.status, r.location, alertOf(r.body))
	}
	return b
}

// consolePost sends a console form from the page it is on.
func (b *browser) consolePost(page, path string, form url.Values) response {
	b.e.t.Helper()
	b.get(page)
	return b.post(path, form)
}

// upload sends the bank upload form as multipart, as the browser does.
func (b *browser) upload(fields map[string]string, fileName string, content []byte) response {
	b.e.t.Helper()
	return b.uploadTo("/console/banks", fields, fileName, content)
}

// uploadTo sends an upload form to path.
func (b *browser) uploadTo(path string, fields map[string]string, fileName string, content []byte) response {
	b.e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if fileName != "" {
		fw, _ := w.CreateFormFile("file", fileName)
		_, _ = fw.Write(content)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

var (
	rowPattern  = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	cellPattern = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagPattern  = regexp.MustCompile(`<[^>]+>`)
)

// tableAfter returns the text of the cells of the first table after marker, by row, the
// header row first.
func tableAfter(t *testing.T, body, marker string) [][]string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("the page lacks %q", marker)
	}
	rest := body[i:]
	start, end := strings.Index(rest, "<table"), strings.Index(rest, "</table>")
	if start < 0 || end < start {
		t.Fatalf("no table after %q", marker)
	}
	var rows [][]string
	for _, m := range rowPattern.FindAllStringSubmatch(rest[start:end], -1) {
		var cells []string
		for _, c := range cellPattern.FindAllStringSubmatch(m[1], -1) {
			cells = append(cells, strings.Join(strings.Fields(tagPattern.ReplaceAllString(c[1], " ")), " "))
		}
		rows = append(rows, cells)
	}
	return rows
}

// byLabel indexes a table's body rows by their first cell.
func byLabel(rows [][]string) map[string][]string {
	m := map[string][]string{}
	for _, r := range rows[1:] {
		if len(r) > 0 {
			m[r[0]] = r[1:]
		}
	}
	return m
}

// With no organizer account yet, the sign-in page says how to make the first one.
func TestConsoleWithoutAccounts(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	if r := b.get("/console"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/console/signin") {
		t.Fatalf("GET /console: %d %q", r.status, r.location)
	}
	if r := b.get("/console/signin"); r.status != http.StatusOK || !strings.Contains(r.body, "contest admin create") {
		t.Fatalf("sign-in page without accounts: %d %s", r.status, alertOf(r.body))
	}
	r := b.consoleSignIn("admin", "mat-khau-doan-bua-2024", "")
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Tên đăng nhập hoặc mật khẩu không đúng") {
		t.Fatalf("sign-in with no accounts: %d %s", r.status, alertOf(r.body))
	}
}

func TestConsoleSignIn(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()

	t.Run("pages need the console's own sign-in", func(t *testing.T) {
		contestant := e.register(1)
		for _, b := range []*browser{e.browser(), contestant} {
			if r := b.get("/console/banks"); r.status != http.StatusSeeOther || r.location != "/console/signin?next=%2Fconsole%2Fbanks" {
				t.Errorf("/console/banks without an organizer session: %d %q", r.status, r.location)
			}
		}
		page := e.browser().get("/console/signin")
		if page.status != http.StatusOK || !strings.Contains(page.body, "Đăng nhập trang quản trị") || !strings.Contains(page.raw, `data-bits=`) {
			t.Fatalf("sign-in page: %d", page.status)
		}
	})

	t.Run("wrong username or password", func(t *testing.T) {
		for _, c := range [][2]string{{testConsoleUser, "wrong-password-123"}, {"admin", testConsolePassword}, {"", ""}} {
			r := e.browser().consoleSignIn(c[0], c[1], "")
			if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Tên đăng nhập hoặc mật khẩu không đúng") {
				t.Errorf("%q/%q: %d %s", c[0], c[1], r.status, alertOf(r.body))
			}
			if strings.Contains(r.raw, c[1]) && c[1] != "" {
				t.Errorf("the page shows the typed password back")
			}
		}
	})

	t.Run("right credentials, then back where the organizer was going", func(t *testing.T) {
		b := e.browser()
		r := b.consoleSignIn(testConsoleUser, testConsolePassword, "/console/banks")
		if r.status != http.StatusSeeOther || r.location != "/console/banks" {
			t.Fatalf("sign-in: %d %q %s", r.status, r.location, alertOf(r.body))
		}
		cookie := r.header.Get("Set-Cookie")
		for _, want := range []string{consoleCookie + "=", "Path=/console", "HttpOnly", "SameSite=Strict", "Max-Age=28800"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("session cookie %q lacks %s", cookie, want)
			}
		}
		if page := b.get("/console"); page.status != http.StatusOK || !strings.Contains(page.body, "Tổng quan cuộc thi") || !strings.Contains(page.body, "Đăng xuất ("+testConsoleUser+")") {
			t.Fatalf("dashboard after sign-in: %d %s", page.status, alertOf(page.body))
		}
		// The contestant pages know nothing of it.
		if home := b.get("/"); strings.Contains(home.body, "Bài thi của tôi") {
			t.Error("the organizer session signs in a contestant")
		}
		if r := b.consolePost("/console", "/console/signout", url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("sign-out: %d", r.status)
		}
		if r := b.get("/console"); r.status != http.StatusSeeOther {
			t.Errorf("dashboard after sign-out: %d", r.status)
		}
	})

	t.Run("redirects stay in the console", func(t *testing.T) {
		for _, next := range []string{"//evil.example/admin", "/me", "https://evil.example", "/consoles"} {
			if r := e.browser().consoleSignIn(testConsoleUser, testConsolePassword, next); r.location != "/console" {
				t.Errorf("next %q: redirected to %q", next, r.location)
			}
		}
	})

	t.Run("a session ends with the password it was made with", func(t *testing.T) {
		b := e.organizer()
		hash := password.Hash("a-new-password-2025")
		if _, _, err := store.ChangeOrganizer(context.Background(), e.pool, testConsoleUser, store.OrganizerChange{PasswordHash: &hash}); err != nil {
			t.Fatal(err)
		}
		if r := b.get("/console"); r.status != http.StatusSeeOther {
			t.Errorf("old session after the password changed: %d", r.status)
		}
		if _, _, err := store.ChangeOrganizer(context.Background(), e.pool, testConsoleUser, store.OrganizerChange{PasswordHash: ptr(password.Hash(testConsolePassword))}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("failed sign-ins are throttled per network, and the owner elsewhere still signs in", func(t *testing.T) {
		e := newEnv(t)
		e.enableConsole()
		attacker := func() *browser { b := e.browser(); b.ip = "203.0.113.9"; return b }
		for i := range organizerSignin.pairLimit {
			if r := attacker().consoleSignIn(testConsoleUser, fmt.Sprintf("guess-%d-password", i), ""); r.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %s", i, r.status, alertOf(r.body))
			}
		}
		r := attacker().consoleSignIn(testConsoleUser, testConsolePassword, "")
		if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "15 phút") || r.header.Get("Retry-After") == "" {
			t.Fatalf("right password from the guessing network after %d failures: %d %s", organizerSignin.pairLimit, r.status, alertOf(r.body))
		}
		owner := e.browser()
		owner.ip = "198.51.100.20"
		if r := owner.consoleSignIn(testConsoleUser, testConsolePassword, ""); r.status != http.StatusSeeOther {
			t.Fatalf("the owner on another network: %d %s", r.status, alertOf(r.body))
		}
	})
}

func TestConsoleCrossOrigin(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(true) })
	b := e.organizer()
	refused := func(what string, header, value string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/console/rounds/dot-0/publish", strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(header, value)
		if r := b.do(req); r.status != http.StatusForbidden || !strings.Contains(r.body, "không đến từ trang của cuộc thi") {
			t.Errorf("%s: %d %s", what, r.status, alertOf(r.body))
		}
	}
	refused("another site's page", "Sec-Fetch-Site", "cross-site")
	refused("a sibling subdomain's page", "Sec-Fetch-Site", "same-site")
	refused("an older browser on another site", "Origin", "https://evil.example")
	if ok, _ := store.IsPublished(context.Background(), e.pool, "contest/dot-0"); ok {
		t.Fatal("a refused request published the results")
	}
	if r := b.consolePost("/console/rounds/dot-0", "/console/rounds/dot-0/publish", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("the page's own form: %d %s", r.status, alertOf(r.body))
	}
}

// registerAs registers person n with changes to the standard form.
func (e *env) registerAs(n int, change func(url.Values)) *browser {
	e.t.Helper()
	b := e.browser()
	form := registration(n)
	change(form)
	b.solve(b.get("/register").body, form)
	if r := b.post("/register", form); r.status != http.StatusSeeOther {
		e.t.Fatalf("register %d: %d %s", n, r.status, alertOf(r.body))
	}
	return b
}

// submit starts an attempt in dot-1 and submits it, with every answer right or none.
func (b *browser) submitAttempt(perfect bool) {
	b.e.t.Helper()
	id := b.start("dot-1")
	form := url.Values{"prediction": {"1"}}
	if perfect {
		key, err := exam.Score(b.e.attempt(id).Paper, b.e.bank, exam.Answers{})
		if err != nil {
			b.e.t.Fatal(err)
		}
		for i, it := range key.PerItem {
			form.Set(fmt.Sprintf("q%d", i), it.CorrectOption)
		}
	}
	if r := b.post(fmt.Sprintf("/attempts/%d/submit", id), form); r.status != http.StatusSeeOther {
		b.e.t.Fatalf("submit: %d %s", r.status, alertOf(r.body))
	}
}

func TestConsoleDashboardCounts(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.withUnits()
	// An official from Xã Tiến Lợi (the unit, found by its name): a perfect attempt and an
	// empty one.
	official := e.register(1)
	official.submitAttempt(true)
	official.submitAttempt(false)
	// A student from Phường Mũi Né who kept the school's name as typed ("Khác"): one attempt.
	e.registerAs(2, func(f url.Values) {
		f.Set("participant_group", "student")
		f.Set("organization", "Trường THPT Phan Bội Châu")
		f.Set("unit", unitOther)
		f.Set("locality", "22915")
	}).submitAttempt(false)
	// A resident with an attempt still running: not a participant yet.
	e.registerAs(3, func(f url.Values) { f.Set("participant_group", "resident"); f.Set("organization", "") }).start("dot-1")

	b := e.organizer()
	page := b.get("/console")
	if page.status != http.StatusOK {
		t.Fatalf("dashboard: %d %s", page.status, alertOf(page.body))
	}
	rounds := byLabel(tableAfter(t, page.body, `id="rounds"`))
	for title, want := range map[string][]string{
		"Đợt 1": {"Đang mở", "2", "3", "1", "1"},
		"Đợt 0": {"Đã kết thúc", "0", "0", "0", "0"},
		"Đợt 2": {"Sắp mở", "0", "0", "0", "0"},
	} {
		got := rounds[title]
		if len(got) != 7 || got[0] != want[0] || fmt.Sprint(got[2:6]) != fmt.Sprint(want[1:]) {
			t.Errorf("round %s: %q, want state %s and counts %v", title, got, want[0], want[1:])
		}
	}
	if !strings.Contains(page.body, "Tình hình tham gia — Đợt 1") {
		t.Error("the open round is not the one shown in detail")
	}
	check := func(heading string, want map[string][]string, rows int) {
		t.Helper()
		table := tableAfter(t, page.body, heading)
		got := byLabel(table)
		if len(table)-1 != rows {
			t.Errorf("%s: %d rows, want %d: %q", heading, len(table)-1, rows, table)
		}
		for label, w := range want {
			if g := got[label]; len(g) < len(w) || fmt.Sprint(g[:len(w)]) != fmt.Sprint(w) {
				t.Errorf("%s, %s: %q, want %q", heading, label, g, w)
			}
		}
	}
	check("Theo đối tượng", map[string][]string{
		"Cán bộ, công chức, viên chức, người lao động": {"1", "2"},
		"Học sinh, sinh viên": {"1", "1"},
		"Lực lượng vũ trang":  {"0", "0"},
		"Người dân":           {"0", "0"},
	}, 4)
	check(`<h3 id="by-district">Theo huyện`, map[string][]string{"Thành phố Phan Thiết": {"2", "3"}, "Thị xã La Gi": {"0", "0"}}, 10)
	check("xã, phường có nhiều người tham gia nhất", map[string][]string{
		"Xã Tiến Lợi": {"Thành phố Phan Thiết", "1", "2"}, "Phường Mũi Né": {"Thành phố Phan Thiết", "1", "1"}}, 2)
	// By unit: the unit with its parent, then what the other typed.
	check("Theo cơ quan, đơn vị (2/2", map[string][]string{"UBND xã Tiến Lợi": {"UBND thành phố Phan Thiết", "1", "2"},
		"Khác — Trường THPT Phan Bội Châu": {"", "1", "1"}}, 2)
	check(`<summary id="all-localities">Tất cả địa bàn`, map[string][]string{"Thành phố Phan Thiết": {"2", "3"}, "Xã Tiến Lợi": {"1", "2"}, "Xã Tiến Thành": {"0", "0"}}, 134)
	today := time.Now().In(e.app.loc).Format("02/01/2006")
	check(`<h3 id="by-day">Theo ngày`, map[string][]string{today: {"3", "2"}}, 1)
	if !strings.Contains(page.body, "2/124 xã, phường, thị trấn đã có người tham gia") {
		t.Error("the dashboard does not say how many communes have participants")
	}

	// Another round on request; the English page reads in English.
	if other := b.get("/console?round=dot-0"); !strings.Contains(other.body, "Tình hình tham gia — Đợt 0") || !strings.Contains(other.body, "Chưa có ai tham gia") {
		t.Errorf("dot-0 in detail: %s", alertOf(other.body))
	}
	b.get("/lang/en?next=/console")
	if en := b.get("/console"); !strings.Contains(en.body, "Contest overview") || !strings.Contains(en.body, "Pupils and students") {
		t.Error("the English dashboard is not in English")
	}
}

// badBankCSV has a problem on each of rows 3 to 6, and one good row.
const badBankCSV = "ma_cau_hoi,chu_de,cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,phuong_an_d,dap_an,giai_thich\n" +
	"q-1,tong-quan,Câu hỏi một?,A1,B1,C1,D1,A,\n" +
	"q-2,tong-quan,,A2,B2,C2,D2,B,\n" +
	"q-3,khong-co,Câu hỏi ba?,A3,B3,C3,D3,C,\n" +
	"q-4,tinh,Câu hỏi bốn?,A4,B4,C4,D4,Z,\n" +
	"q-5,tinh,Câu hỏi năm?,A5,,C5,D5,A,\n"

func TestConsoleBankUpload(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	b := e.organizer()
	ctx := context.Background()
	banks := func() int {
		list, err := store.ListBanks(ctx, e.pool)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before := banks()

	t.Run("every row problem is listed and nothing is stored", func(t *testing.T) {
		_, err := bank.ParseCSV(strings.NewReader(badBankCSV), bank.ParseOptions{Name: "dot-3", Version: 1, Topics: bank.PlanTopics()})
		var want *bank.ImportError
		if !errors.As(err, &want) || len(want.Errors) < 4 {
			t.Fatalf("the test file should have at least 4 problems: %v", err)
		}
		r := b.upload(map[string]string{"name": "dot-3", "version": "1"}, "cau-hoi.csv", []byte(badBankCSV))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, fmt.Sprintf("Tệp có %d lỗi; chưa lưu gì.", len(want.Errors))) {
			t.Fatalf("bad file: %d %s", r.status, alertOf(r.body))
		}
		table := tableAfter(t, r.body, "Các lỗi trong tệp cau-hoi.csv")
		if len(table)-1 != len(want.Errors) {
			t.Fatalf("%d problems shown, want %d: %q", len(table)-1, len(want.Errors), table)
		}
		rows := map[string]bool{}
		for i, re := range want.Errors {
			got := table[i+1]
			column := re.Column
			if column == "" {
				column = "—"
			}
			if fmt.Sprint(got) != fmt.Sprint([]string{fmt.Sprint(re.Row), column, re.Reason}) {
				t.Errorf("problem %d: %q, want row %d, column %s: %s", i, got, re.Row, column, re.Reason)
			}
			rows[got[0]] = true
		}
		for _, row := range []string{"3", "4", "5", "6"} {
			if !rows[row] {
				t.Errorf("no problem shown on row %s", row)
			}
		}
		if !strings.Contains(r.body, `value="dot-3"`) {
			t.Error("the form lost the typed name")
		}
		if n := banks(); n != before {
			t.Fatalf("%d banks stored after a bad file, want %d", n, before)
		}
	})

	t.Run("the form's own mistakes", func(t *testing.T) {
		for _, c := range []struct {
			fields map[string]string
			file   string
			want   string
		}{
			{map[string]string{"name": "Đợt 3", "version": "1"}, "a.csv", "Tên chỉ gồm chữ thường"},
			{map[string]string{"name": "dot-3", "version": "0"}, "a.csv", "Phiên bản phải là số nguyên"},
			{map[string]string{"name": "dot-3", "version": "1"}, "", "Vui lòng chọn tệp câu hỏi"},
			{map[string]string{"name": "dot-3", "version": "1"}, "cau-hoi.xls", "Excel 97-2003"},
			{map[string]string{"name": "dot-3", "version": "1"}, "cau-hoi.pdf", "Chỉ nhận tệp .xlsx hoặc .csv"},
		} {
			if r := b.upload(c.fields, c.file, []byte(badBankCSV)); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, c.want) {
				t.Errorf("%v %q: %d, want %q: %s", c.fields, c.file, r.status, c.want, alertOf(r.body))
			}
		}
		if n := banks(); n != before {
			t.Fatalf("%d banks stored, want %d", n, before)
		}
	})

	t.Run("a good file is stored and summarized", func(t *testing.T) {
		r := b.upload(map[string]string{"name": "mau", "version": "2"}, "ngan-hang.csv", bank.SampleCSV())
		if r.status != http.StatusSeeOther || r.location != "/console/banks/mau/2?saved=created" {
			t.Fatalf("upload: %d %q %s", r.status, r.location, alertOf(r.body))
		}
		stored, err := store.LoadBank(ctx, e.pool, "mau", 2)
		if err != nil {
			t.Fatal(err)
		}
		page := b.get(r.location)
		for _, want := range []string{"Đã lưu ngân hàng câu hỏi mau phiên bản 2.", stored.Checksum(), "Chưa có đợt thi nào dùng phiên bản này"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("summary lacks %q", want)
			}
		}
		topics := byLabel(tableAfter(t, page.body, "Số câu hỏi theo chủ đề"))
		for code, n := range stored.CountByTopic() {
			if got := topics[code]; len(got) != 2 || got[1] != fmt.Sprint(n) {
				t.Errorf("topic %s: %q, want %d questions", code, got, n)
			}
		}
		if list := b.get("/console/banks"); !strings.Contains(list.raw, `href="/console/banks/mau/2"`) {
			t.Error("the list does not show the new version")
		}
		// The same content again changes nothing and says so.
		again := b.upload(map[string]string{"name": "mau", "version": "2"}, "ngan-hang.csv", bank.SampleCSV())
		if again.location != "/console/banks/mau/2?saved=present" || !strings.Contains(b.get(again.location).body, "đã có sẵn với đúng nội dung này") {
			t.Errorf("same content again: %d %q", again.status, again.location)
		}
		// The version the rounds pin says which rounds use it.
		if v1 := b.get("/console/banks/mau/1"); !strings.Contains(v1.body, "Đợt 1") || strings.Contains(v1.body, "Chưa có đợt thi nào") {
			t.Error("the pinned version does not list its rounds")
		}
	})

	t.Run("other content under a stored version is refused", func(t *testing.T) {
		changed := bytes.Replace(bank.SampleCSV(), []byte("Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?"), []byte("Ngày Chuyển đổi số quốc gia là ngày nào?"), 1)
		r := b.upload(map[string]string{"name": "mau", "version": "2"}, "ngan-hang.csv", changed)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "mau phiên bản 2 đã có với nội dung khác") || !strings.Contains(r.body, "phiên bản 3") {
			t.Fatalf("conflict: %d %s", r.status, alertOf(r.body))
		}
	})

	t.Run("a file over the limit", func(t *testing.T) {
		big := bytes.Repeat([]byte("x"), uploadBodyLimit+1)
		r := b.upload(map[string]string{"name": "dot-9", "version": "1"}, "big.csv", big)
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "Tệp quá lớn") {
			t.Fatalf("too large: %d %s", r.status, alertOf(r.body))
		}
	})
}

// rankedStatus is a round's status as the operator writes it after ranking; decided says
// whether the rules decided every prize.
func rankedStatus(decided bool) contestv1alpha1.ContestRoundStatus {
	now := metav1.Now()
	prizes := metav1.Condition{Type: contestv1alpha1.ConditionPrizesDecided, Status: metav1.ConditionTrue, Reason: contestv1alpha1.ReasonAllPrizesDecided,
		Message: "every prize place was decided by the rules", LastTransitionTime: now}
	if !decided {
		prizes.Status, prizes.Reason = metav1.ConditionFalse, contestv1alpha1.ReasonBoundaryTie
		prizes.Message = "the rules cannot decide these places, the organizers must: 2 people (Trần Văn Ba, Lê Thị Bốn) tied at rank 3 for 1 × Giải Ba"
	}
	return contestv1alpha1.ContestRoundStatus{
		Phase: contestv1alpha1.PhaseRanked, Participants: 4, Attempts: 6, PerfectScores: 1,
		Conditions: []metav1.Condition{
			{Type: contestv1alpha1.ConditionRankingComplete, Status: metav1.ConditionTrue, Reason: contestv1alpha1.ReasonJobSucceeded, Message: "ranked 4 participants and 6 attempts", LastTransitionTime: now},
			prizes,
		},
		Winners: []contestv1alpha1.Winner{{Prize: "Giải Nhất", Rank: 1, Name: "Nguyễn Thị Minh Khai", MaskedNationalID: "060*******01",
			Organization: "UBND xã Tiến Lợi", Locality: "Xã Tiến Lợi", Correct: 15, Prediction: 1, Distance: 0,
			TimeUsed: metav1.Duration{Duration: 4*time.Minute + 12*time.Second}, SubmittedAt: now}},
	}
}

func TestConsolePublishing(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	b := e.organizer()
	public := e.browser()
	shown := func() bool {
		t.Helper()
		r := public.get("/rounds/dot-0/winners")
		if strings.Contains(r.body, "060192000001") {
			t.Fatal("the public page shows a full national ID")
		}
		has := strings.Contains(r.body, "Nguyễn Thị Minh Khai") && strings.Contains(r.body, "060*******01")
		if has == strings.Contains(r.body, "chưa được công bố") {
			t.Fatalf("the winners page is neither published nor unpublished: %s", r.body)
		}
		return has
	}
	publish := func(form url.Values) response {
		t.Helper()
		return b.consolePost("/console/rounds/dot-0", "/console/rounds/dot-0/publish", form)
	}

	// Before the round is ranked: refused, and the page says why.
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status.Phase = contestv1alpha1.PhaseClosed })
	page := b.get("/console/rounds/dot-0")
	if !strings.Contains(page.body, "Chỉ công bố được khi đợt thi đã xếp hạng xong (giai đoạn hiện tại: Đã đóng)") || strings.Contains(page.raw, `action="/console/rounds/dot-0/publish"`) {
		t.Errorf("results page before ranking: %s", alertOf(page.body))
	}
	if r := publish(url.Values{}); r.status != http.StatusConflict || !strings.Contains(r.body, "chưa xếp hạng xong (giai đoạn hiện tại: Đã đóng)") {
		t.Fatalf("publish before ranking: %d %s", r.status, alertOf(r.body))
	}
	if shown() {
		t.Fatal("winners shown before ranking")
	}

	// Ranked with a tie at a prize boundary: visible, and publishing needs a confirmation.
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(false) })
	page = b.get("/console/rounds/dot-0")
	for _, want := range []string{"Có người đồng hạng ở ranh giới giải", "2 people (Trần Văn Ba, Lê Thị Bốn) tied at rank 3",
		"Đã xếp hạng", "Đã xếp hạng 4 người tham gia với 6 lượt thi; 1 người đúng tất cả các câu", "Xếp hạng hoàn tất", "Các giải đã xác định", "Nguyễn Thị Minh Khai", "060*******01", "4 phút 12,000 giây",
		"Tôi xác nhận Ban Tổ chức đã xem xét"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	conds := byLabel(tableAfter(t, page.body, `id="ranking"`))
	// The reason in Vietnamese, the operator's own message kept as the technical detail.
	if got := conds["Các giải đã xác định"]; len(got) < 2 || got[0] != "Không" ||
		!strings.HasPrefix(got[1], "Có đồng hạng tại ranh giới giải: Ban Tổ chức quyết định") || !strings.Contains(got[1], "tied at rank 3") {
		t.Errorf("PrizesDecided row: %q", got)
	}
	if shown() {
		t.Fatal("winners shown before publishing")
	}
	if r := publish(url.Values{}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Hãy đánh dấu ô xác nhận") {
		t.Fatalf("publish a tie without confirming: %d %s", r.status, alertOf(r.body))
	}
	if shown() {
		t.Fatal("winners shown after a refused publication")
	}
	r := publish(url.Values{"confirm_tie": {"yes"}})
	if r.status != http.StatusSeeOther || r.location != "/console/rounds/dot-0?done=published" {
		t.Fatalf("publish with confirmation: %d %q %s", r.status, r.location, alertOf(r.body))
	}
	if page := b.get(r.location); !strings.Contains(page.body, "Đã công bố kết quả") || !strings.Contains(page.body, "(người công bố: "+testConsoleUser+")") {
		t.Errorf("after publishing: %s", alertOf(page.body))
	}
	if !shown() {
		t.Fatal("winners not shown after publishing")
	}

	// While the round is ranked again, nothing stale is shown.
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status.Phase = contestv1alpha1.PhaseRanking })
	if shown() {
		t.Error("winners shown while the round is being ranked again")
	}
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = rankedStatus(true) })
	if !shown() {
		t.Error("winners not shown once ranked again")
	}

	// Unpublish hides them; with every prize decided, publishing needs no confirmation.
	if r := b.consolePost("/console/rounds/dot-0", "/console/rounds/dot-0/unpublish", url.Values{}); r.status != http.StatusSeeOther || r.location != "/console/rounds/dot-0?done=unpublished" {
		t.Fatalf("unpublish: %d %q", r.status, r.location)
	}
	if shown() {
		t.Fatal("winners shown after unpublishing")
	}
	if r := publish(url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("publish without a tie: %d %s", r.status, alertOf(r.body))
	}
	if !shown() {
		t.Fatal("winners not shown after publishing again")
	}
	if r := b.get("/console/rounds/dot-9"); r.status != http.StatusNotFound {
		t.Errorf("unknown round: %d", r.status)
	}
}

func TestConsoleReportDownload(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	person := e.register(1)
	person.submitAttempt(true)
	b := e.organizer()
	if r := b.get("/console/rounds/dot-1/report.xlsx"); r.status != http.StatusNotFound || !strings.Contains(r.body, "Chưa có bảng xếp hạng") {
		t.Fatalf("report before ranking: %d %s", r.status, alertOf(r.body))
	}
	if page := b.get("/console/rounds/dot-1"); strings.Contains(page.raw, "report.xlsx") {
		t.Error("the results page offers a report that does not exist")
	}

	ctx := context.Background()
	var contestant, attempt int64
	if err := e.pool.QueryRow(ctx, `SELECT contestant_id, id FROM attempt`).Scan(&contestant, &attempt); err != nil {
		t.Fatal(err)
	}
	prediction := int64(1)
	if err := store.ReplaceRanking(ctx, e.pool, store.RankingRun{Round: "contest/dot-1", ComputedAt: time.Now(), Participants: 1,
		Attempts: 1, Perfect: 1, TieBreak: []string{"Correct", "PredictionDistance", "TimeUsed", "SubmittedAt"}},
		[]store.RankingRow{{Position: 1, Rank: 1, ContestantID: contestant, AttemptID: attempt, Correct: 15, Total: 15,
			Prediction: &prediction, TimeUsed: time.Minute, SubmittedAt: time.Now(), Eligible: true, Prize: "Giải Nhất"}}); err != nil {
		t.Fatal(err)
	}
	if page := b.get("/console/rounds/dot-1"); !strings.Contains(page.raw, `href="/console/rounds/dot-1/report.xlsx"`) {
		t.Error("the results page does not offer the report")
	}
	xlsx := b.get("/console/rounds/dot-1/report.xlsx")
	if xlsx.status != http.StatusOK || !strings.HasPrefix(xlsx.raw, "PK") ||
		xlsx.header.Get("Content-Disposition") != `attachment; filename="ket-qua-dot-1.xlsx"` {
		t.Fatalf("xlsx: %d %q %q", xlsx.status, xlsx.header.Get("Content-Type"), xlsx.header.Get("Content-Disposition"))
	}
	if strings.Contains(xlsx.raw, "060192000001") {
		t.Error("the report carries a full national ID")
	}
	zipped := b.get("/console/rounds/dot-1/report-csv.zip")
	zr, err := zip.NewReader(strings.NewReader(zipped.raw), int64(len(zipped.raw)))
	if err != nil {
		t.Fatalf("zip: %d %v", zipped.status, err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == "giai-thuong.csv" {
			rc, _ := f.Open()
			body, _ := io.ReadAll(rc)
			rc.Close()
			if !strings.Contains(string(body), "Nguyễn Thị Minh Khai") || strings.Contains(string(body), "060192000001") {
				t.Errorf("prize CSV: %s", body)
			}
		}
	}
	if !strings.Contains(strings.Join(names, " "), "giai-thuong.csv") || len(names) < 5 {
		t.Errorf("zip holds %v", names)
	}
}

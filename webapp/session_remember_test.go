package webapp

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/store"
)

// sessionCookieOf returns the session cookie a response set.
func sessionCookieOf(t *testing.T, r response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("no session cookie set (status %d)", r.status)
	return nil
}

// signedIn says whether the browser's session is accepted: /me answers instead of sending
// to the sign-in page.
func (b *browser) signedIn() bool {
	b.e.t.Helper()
	r := b.get("/me")
	return r.status == http.StatusOK
}

func signinForm(n int, remember bool) url.Values {
	f := url.Values{"login": {"09123" + pad5(n)}, "password": {"mat-khau-bi-mat"}}
	if remember {
		f.Set("remember", "yes")
	}
	return f
}

func (e *env) signIn(n int, remember bool) (*browser, response) {
	e.t.Helper()
	b := e.browser()
	r := b.postSolved("/signin", b.get("/signin").raw, signinForm(n, remember))
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("sign in %d: status %d: %s", n, r.status, alertOf(r.body))
	}
	return b, r
}

func (e *env) contestantIDOf(n int) int64 {
	e.t.Helper()
	ct, err := store.ContestantByLogin(context.Background(), e.pool, testContest, "09123"+pad5(n))
	if err != nil {
		e.t.Fatal(err)
	}
	return ct.ID
}

func TestRememberedSignIn(t *testing.T) {
	e := newEnv(t)
	e.register(1)

	t.Run("the forms offer the box, ticked on a first visit", func(t *testing.T) {
		b := e.browser()
		for _, page := range []string{"/signin", "/register"} {
			raw := b.get(page).raw
			if !strings.Contains(raw, `name="remember" value="yes" aria-describedby="remember-hint" checked`) {
				t.Errorf("%s: no ticked remember box", page)
			}
			if !strings.Contains(raw, "Ghi nhớ đăng nhập trên thiết bị này (30 ngày)") {
				t.Errorf("%s: the box does not say for how long", page)
			}
		}
		// Shown again after a mistake, the box is as the person left it.
		r := b.post("/signin", url.Values{"login": {"09123" + pad5(1)}, "password": {"sai"}})
		if strings.Contains(r.raw, `aria-describedby="remember-hint" checked`) {
			t.Error("an unticked box came back ticked")
		}
	})

	t.Run("remembered: a cookie that outlives the browser, for 30 days", func(t *testing.T) {
		_, r := e.signIn(1, true)
		c := sessionCookieOf(t, r)
		if c.MaxAge < 29*24*3600 || c.MaxAge > 30*24*3600 {
			t.Errorf("Max-Age %d, want 30 days", c.MaxAge)
		}
		s, ok := e.app.signer.decodeSession(c.Value, time.Now().Add(29*24*time.Hour))
		if !ok || s.Expires.Before(time.Now().Add(29*24*time.Hour)) {
			t.Errorf("the session inside ends too early: %v %v", s.Expires, ok)
		}
	})

	t.Run("not remembered: a browser-session cookie of 12 hours at most", func(t *testing.T) {
		_, r := e.signIn(1, false)
		c := sessionCookieOf(t, r)
		if c.MaxAge != 0 || !c.Expires.IsZero() {
			t.Errorf("Max-Age %d Expires %v: the cookie outlives the browser", c.MaxAge, c.Expires)
		}
		if _, ok := e.app.signer.decodeSession(c.Value, time.Now().Add(13*time.Hour)); ok {
			t.Error("the session is still good after 13 hours")
		}
	})

	t.Run("a cookie issued before epochs (three fields) still signs in", func(t *testing.T) {
		b := e.browser()
		id := e.contestantIDOf(1)
		old := e.app.signer.sign(sessionPurpose, b64("%d|%s|%d", id, testContest, time.Now().Add(time.Hour).Unix()))
		u, _ := url.Parse(e.srv.URL)
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: old}})
		if !b.signedIn() {
			t.Error("an old cookie was refused")
		}
	})

	t.Run("the box can be turned off", func(t *testing.T) {
		e2 := newEnv(t)
		e2.reconfigure(func(c *Config) { c.RememberTTL = -1 })
		if strings.Contains(e2.browser().get("/signin").raw, `name="remember"`) {
			t.Error("the box is offered although turned off")
		}
		e2.register(2)
		_, r := e2.signIn(2, true)
		if c := sessionCookieOf(t, r); c.MaxAge != 0 {
			t.Errorf("remembered although turned off: Max-Age %d", c.MaxAge)
		}
	})
}

func TestSignOutEverywhere(t *testing.T) {
	e := newEnv(t)
	e.register(1)
	phone, _ := e.signIn(1, true)
	lab, _ := e.signIn(1, false)
	// A second replica of the app, on the same database, that checks sessions again after
	// a short while.
	replica := &env{t: t, pool: e.pool, app: e.app, srv: e.srv, rounds: e.rounds, bank: e.bank}
	replica.reconfigure(func(c *Config) { c.SessionCheckTTL = 50 * time.Millisecond })
	labOnReplica := replica.browser()
	labOnReplica.client.Jar = lab.client.Jar
	u, _ := url.Parse(e.srv.URL)
	ru, _ := url.Parse(replica.srv.URL)
	labOnReplica.client.Jar.SetCookies(ru, lab.client.Jar.Cookies(u))
	if !phone.signedIn() || !lab.signedIn() || !labOnReplica.signedIn() {
		t.Fatal("not signed in on every device")
	}

	if !strings.Contains(phone.get("/me").raw, `action="/signout/everywhere"`) {
		t.Fatal("my page offers no way to sign out everywhere")
	}
	if r := phone.post("/signout/everywhere", url.Values{}); r.status != http.StatusUnprocessableEntity || !phone.signedIn() {
		t.Fatalf("a post without the form's field: %d, signed in %v", r.status, phone.signedIn())
	}
	r := phone.post("/signout/everywhere", url.Values{"everywhere": {"yes"}})
	if r.status != http.StatusSeeOther || r.location != "/signin?ended=1" {
		t.Fatalf("sign out everywhere: %d %s", r.status, r.location)
	}
	if !strings.Contains(phone.get(r.location).body, "Bạn đã đăng xuất trên mọi thiết bị") {
		t.Error("the sign-in page does not say what happened")
	}
	if phone.signedIn() {
		t.Error("this device is still signed in")
	}
	if lab.signedIn() {
		t.Error("another device on the same replica is still signed in")
	}
	time.Sleep(100 * time.Millisecond)
	if labOnReplica.signedIn() {
		t.Error("another device on another replica is still signed in after its check interval")
	}
	// Signing in again works, and only the new session is good.
	again, _ := e.signIn(1, true)
	if !again.signedIn() {
		t.Error("cannot sign in again")
	}
	if anon := e.browser().post("/signout/everywhere", url.Values{"everywhere": {"yes"}}); anon.status != http.StatusUnauthorized {
		t.Errorf("anonymous sign out everywhere: %d", anon.status)
	}
}

func TestPasswordResetEndsEarlierSessions(t *testing.T) {
	e := newEnv(t)
	e.register(1)
	thief, _ := e.signIn(1, true)
	if !thief.signedIn() {
		t.Fatal("not signed in")
	}
	token, err := e.app.issueLink(context.Background(), e.contestantIDOf(1), store.ChannelEmail, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	owner := e.browser()
	done := owner.post("/recover/reset", url.Values{"token": {token}, "password": {"mat-khau-moi-1"}, "password2": {"mat-khau-moi-1"}})
	if done.status != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", done.status, alertOf(done.body))
	}
	if !owner.signedIn() {
		t.Error("the person who reset is not signed in")
	}
	if thief.signedIn() {
		t.Error("a session from before the reset still works")
	}
}

func b64(format string, args ...any) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(format, args...)))
}

// Every page says whose session it is; the name comes with the session's check (one read
// per person per check interval), not from a read per page.
func TestPagesNameWhoIsSignedIn(t *testing.T) {
	e := newEnv(t)
	b := e.register(1)
	id := b.start("dot-1")
	for _, path := range []string{"/", "/me", "/rules", "/attempts/" + strconv.FormatInt(id, 10)} {
		if r := b.get(path); !strings.Contains(r.raw, `<p class="who">Nguyễn Thị Minh Khai</p>`) {
			t.Errorf("%s does not name who is signed in: %.300s", path, r.raw)
		}
	}
	if r := e.browser().get("/"); strings.Contains(r.raw, `class="who"`) || strings.Contains(r.raw, `action="/signout"`) {
		t.Error("a visitor's page names someone or offers to sign out")
	}
	// Read with the session's check: a name changed in the database shows once the check
	// interval has passed, and not on every page before it.
	if _, err := e.pool.Exec(context.Background(), `UPDATE contestant SET full_name = 'Trần Văn Bình' WHERE full_name = 'Nguyễn Thị Minh Khai'`); err != nil {
		t.Fatal(err)
	}
	if r := b.get("/me"); !strings.Contains(r.raw, `<p class="who">Nguyễn Thị Minh Khai</p>`) {
		t.Error("the name is read again on every page instead of with the session's check")
	}
	e.reconfigure(func(c *Config) { c.SessionCheckTTL = time.Millisecond })
	time.Sleep(5 * time.Millisecond)
	if r := b.get("/me"); !strings.Contains(r.raw, `<p class="who">Trần Văn Bình</p>`) {
		t.Errorf("the new name does not show after the check interval: %.300s", r.raw)
	}
}

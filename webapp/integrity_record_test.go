package webapp

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

const (
	phoneUA  = "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
	laptopUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)

type integrityRecord struct {
	net       *string
	device    []byte
	saves     int
	firstSave *time.Time
	lastSave  *time.Time
	started   time.Time
	submitted *time.Time
}

func (e *env) recordedOf(id int64) integrityRecord {
	e.t.Helper()
	var r integrityRecord
	if err := e.pool.QueryRow(context.Background(), `SELECT client_net, device_tag, save_count, first_save_at, last_save_at, started_at, submitted_at
		FROM attempt WHERE id = $1`, id).Scan(&r.net, &r.device, &r.saves, &r.firstSave, &r.lastSave, &r.started, &r.submitted); err != nil {
		e.t.Fatal(err)
	}
	return r
}

// What the review queue needs is recorded by the requests that already run, through the
// HTTP app on a real PostgreSQL: the registration's network, the start's network and a
// keyed hash of the browser, each autosave in the attempt's timeline — and nothing more:
// no address, no user agent in clear.
func TestIntegrityRecordedOnTheHotPath(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	phone := e.browser()
	phone.ip, phone.ua = "113.161.12.34", phoneUA
	form := registration(1)
	phone.solve(phone.get("/register").body, form)
	if r := phone.post("/register", form); r.status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", r.status, alertOf(r.body))
	}
	var regNet *string
	if err := e.pool.QueryRow(ctx, `SELECT registered_net FROM contestant WHERE national_id = $1`, form.Get("national_id")).Scan(&regNet); err != nil {
		t.Fatal(err)
	}
	if regNet == nil || *regNet != "113.161.12.0/24" {
		t.Errorf("registration's network %v, want 113.161.12.0/24", regNet)
	}

	id := phone.start("dot-1")
	r := e.recordedOf(id)
	if r.net == nil || *r.net != "113.161.12.0/24" || len(r.device) != 8 || r.saves != 0 || r.firstSave != nil {
		t.Fatalf("after the start: %+v", r)
	}
	if want := e.app.signer.digest(deviceTagPurpose, phoneUA)[:8]; !bytes.Equal(r.device, want) {
		t.Errorf("device tag %x, want the HMAC of the user agent %x", r.device, want)
	}
	// Neither the address nor the user agent is anywhere in the row.
	var row string
	if err := e.pool.QueryRow(ctx, `SELECT a::text FROM attempt a WHERE id = $1`, id).Scan(&row); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"113.161.12.34", "Android", fmt.Sprintf("%x", []byte("Mozilla"))} {
		if bytes.Contains([]byte(row), []byte(secret)) {
			t.Errorf("the attempt row holds %q: %s", secret, row)
		}
	}

	// Three autosaves: counted, first and last kept.
	for i := range 3 {
		if r := phone.postJSON(fmt.Sprintf("/attempts/%d/answers", id), url.Values{"q0": {"A"}, "q1": {[]string{"A", "B", "C"}[i]}}); r.status != http.StatusOK {
			t.Fatalf("save %d: %d %s", i, r.status, r.body)
		}
	}
	r = e.recordedOf(id)
	if r.saves != 3 || r.firstSave == nil || r.lastSave == nil || r.firstSave.After(*r.lastSave) || r.firstSave.Before(r.started) {
		t.Fatalf("after 3 saves: %+v", r)
	}
	first := *r.firstSave
	if s := phone.post(fmt.Sprintf("/attempts/%d/submit", id), url.Values{"prediction": {"12"}}); s.status != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", s.status, alertOf(s.body))
	}
	// A save the deadline or the submission refused is not counted.
	if s := phone.postJSON(fmt.Sprintf("/attempts/%d/answers", id), url.Values{"q2": {"A"}}); s.status != http.StatusConflict {
		t.Fatalf("save after submit: %d", s.status)
	}
	r = e.recordedOf(id)
	if r.saves != 3 || !r.firstSave.Equal(first) || r.submitted == nil || r.submitted.Before(*r.lastSave) {
		t.Errorf("after the submission: %+v", r)
	}

	// The same browser on another account has the same tag; another browser another one;
	// an IPv6 phone is kept by its /64.
	other := e.register(2)
	other.ip, other.ua = "113.161.12.200", phoneUA
	laptop := e.register(3)
	laptop.ip, laptop.ua = "113.161.12.201", laptopUA
	v6 := e.register(4)
	v6.ip, v6.ua = "2001:ee0:4f1c:9a20:1c2b:3d4e:5f60:7182", phoneUA
	same, diff, six := e.recordedOf(other.start("dot-1")), e.recordedOf(laptop.start("dot-1")), e.recordedOf(v6.start("dot-1"))
	if !bytes.Equal(same.device, r.device) || *same.net != *r.net || bytes.Equal(diff.device, r.device) || *diff.net != *r.net {
		t.Errorf("same browser %x, other browser %x, first %x", same.device, diff.device, r.device)
	}
	if six.net == nil || *six.net != "2001:ee0:4f1c:9a20::/64" {
		t.Errorf("IPv6 network %v", six.net)
	}
}

func TestIntegrityNet(t *testing.T) {
	for ip, want := range map[string]string{
		"113.161.12.34":                "113.161.12.0/24",
		"::ffff:10.1.2.3":              "10.1.2.0/24",
		"2001:ee0:4f1c:9a20:1:2:3:4":   "2001:ee0:4f1c:9a20::/64",
		"":                             "",
		"not an address":               "",
		"fe80::1%eth0":                 "fe80::/64",
		"2001:db8:ffff:ffff:ffff::abc": "2001:db8:ffff:ffff::/64",
	} {
		if got := integrityNet(ip); got != want {
			t.Errorf("integrityNet(%q) = %q, want %q", ip, got, want)
		}
	}
}

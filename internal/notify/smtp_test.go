package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/notify"
	"github.com/dxcontest/contest-platform/internal/testutil/smtptest"
)

const sender = `"Ban Tổ chức Cuộc thi" <no-reply@example.gov.vn>`

var sample = notify.Email{
	To:      "khai@example.vn",
	Subject: "Đặt lại mật khẩu — Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024",
	Text:    "Xin chào Nguyễn Thị Minh Khai,\n\nMở liên kết sau để đặt mật khẩu mới:\nhttps://thi.example.gov.vn/recover/reset?token=abc_DEF-123\n\nMột dòng rất dài " + strings.Repeat("chữ ", 60) + "\n",
	HTML:    "<p>Xin chào <b>Nguyễn Thị Minh Khai</b>,</p>\n<p><a href=\"https://thi.example.gov.vn/recover/reset?token=abc_DEF-123\">Đặt mật khẩu mới</a></p>\n",
}

func mailer(t *testing.T, srv *smtptest.Server) *notify.SMTP {
	t.Helper()
	m, err := notify.ParseSMTPURL(srv.URL(), "", sender)
	if err != nil {
		t.Fatal(err)
	}
	m.TLSConfig = srv.ClientTLS()
	m.Timeout = 10 * time.Second
	return m
}

func TestSMTPSendsOverSTARTTLSWithAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Username: "btc@example.gov.vn", Password: "p@ss:word/ với dấu"})
	if err := mailer(t, srv).Send(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t, 5*time.Second)
	if !got.TLS {
		t.Error("the message came in clear")
	}
	if got.From != "no-reply@example.gov.vn" || len(got.To) != 1 || got.To[0] != "khai@example.vn" {
		t.Errorf("envelope from %q to %v", got.From, got.To)
	}
	p := smtptest.Read(t, got.Data)
	if p.Subject != sample.Subject {
		t.Errorf("subject %q, want %q", p.Subject, sample.Subject)
	}
	if p.FromName != "Ban Tổ chức Cuộc thi" {
		t.Errorf("sender's name %q", p.FromName)
	}
	if p.ContentType != "multipart/alternative" {
		t.Errorf("content type %q", p.ContentType)
	}
	if p.Text != strings.ReplaceAll(sample.Text, "\n", "\r\n") {
		t.Errorf("text part:\n%q\nwant\n%q", p.Text, sample.Text)
	}
	if p.HTML != strings.ReplaceAll(sample.HTML, "\n", "\r\n") {
		t.Errorf("HTML part:\n%q\nwant\n%q", p.HTML, sample.HTML)
	}
	for _, h := range []string{"Date", "Message-Id", "Mime-Version", "Auto-Submitted"} {
		if p.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{ImplicitTLS: true, Username: "u", Password: "p"})
	if err := mailer(t, srv).Send(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	if got := srv.Next(t, 5*time.Second); !got.TLS || smtptest.Read(t, got.Data).Subject != sample.Subject {
		t.Errorf("message over TLS %v", got.TLS)
	}
}

func TestSMTPPlainRelayWithoutCredentials(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{NoTLS: true})
	if err := mailer(t, srv).Send(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	if got := srv.Next(t, 5*time.Second); got.TLS || smtptest.Read(t, got.Data).Subject != sample.Subject {
		t.Errorf("message %+v", got)
	}
}

// What must not be sent is not sent: in clear to a server without STARTTLS, to a server
// whose certificate is not trusted, with a wrong password; the error never holds the
// password or the recipient.
func TestSMTPRefusals(t *testing.T) {
	const password = "mat-khau-smtp"
	noTLS := smtptest.Start(t, smtptest.Options{NoTLS: true})
	cases := map[string]func() (*notify.SMTP, *smtptest.Server){
		"no STARTTLS": func() (*notify.SMTP, *smtptest.Server) {
			m, err := notify.ParseSMTPURL(strings.Replace(noTLS.URL(), "?tls=none", "", 1), "", sender)
			if err != nil {
				t.Fatal(err)
			}
			return m, noTLS
		},
		"untrusted certificate": func() (*notify.SMTP, *smtptest.Server) {
			srv := smtptest.Start(t, smtptest.Options{Username: "u", Password: password})
			m := mailer(t, srv)
			m.TLSConfig = nil
			return m, srv
		},
		"wrong password": func() (*notify.SMTP, *smtptest.Server) {
			srv := smtptest.Start(t, smtptest.Options{Username: "u", Password: "another"})
			m := mailer(t, srv)
			m.Password = password
			return m, srv
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			m, srv := setup()
			err := m.Send(context.Background(), sample)
			if err == nil {
				t.Fatal("sent")
			}
			if strings.Contains(err.Error(), password) || strings.Contains(err.Error(), sample.To) {
				t.Errorf("the error tells too much: %v", err)
			}
			if srv.Count() != 0 {
				t.Error("the server got a message")
			}
		})
	}
}

// A server that does not answer does not hold the sender past its timeout.
func TestSMTPTimeout(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	srv.Hold()
	m := mailer(t, srv)
	m.Timeout = 300 * time.Millisecond
	if err := m.Send(context.Background(), sample); err == nil {
		t.Fatal("a held message counts as sent")
	}
}

// A line break in a subject (a round's title comes from a resource) cannot add a header.
func TestEmailHeaderInjection(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	msg := sample
	msg.Subject = "Reset\r\nBcc: attacker@example.com"
	if err := mailer(t, srv).Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	p := smtptest.Read(t, srv.Next(t, 5*time.Second).Data)
	if p.Header.Get("Bcc") != "" || p.Subject != "Reset  Bcc: attacker@example.com" {
		t.Errorf("subject %q, Bcc %q", p.Subject, p.Header.Get("Bcc"))
	}
	msg = sample
	msg.To = "khai@example.vn>\r\nBcc: <attacker@example.com"
	if err := mailer(t, srv).Send(context.Background(), msg); err == nil {
		t.Error("sent to a recipient that is not one address")
	}
}

func TestParseSMTPURL(t *testing.T) {
	good := []struct {
		url, password string
		want          string
		security      notify.Security
		user, pass    string
	}{
		{"smtp://btc%40so.gov.vn:p%40ss@mail.so.gov.vn", "", "smtp://btc@so.gov.vn@mail.so.gov.vn:587", notify.StartTLS, "btc@so.gov.vn", "p@ss"},
		{"smtps://u:p@mail.so.gov.vn", "", "smtps://u@mail.so.gov.vn:465", notify.ImplicitTLS, "u", "p"},
		{"smtp://u@mail.so.gov.vn:2525", "from-secret", "smtp://u@mail.so.gov.vn:2525", notify.StartTLS, "u", "from-secret"},
		{"smtp://relay.mail.svc:25?tls=none", "", "smtp://relay.mail.svc:25", notify.Plain, "", ""},
	}
	for _, g := range good {
		s, err := notify.ParseSMTPURL(g.url, g.password, "no-reply@example.gov.vn")
		if err != nil {
			t.Errorf("%s: %v", g.url, err)
			continue
		}
		if s.String() != g.want || s.Security != g.security || s.Username != g.user || s.Password != g.pass {
			t.Errorf("%s: %s %v %q %q", g.url, s, s.Security, s.Username, s.Password)
		}
	}
	bad := map[string][2]string{
		"scheme":                    {"http://u:secret@mail", "scheme"},
		"no host":                   {"smtp://u:secret@", "no host"},
		"credentials in clear":      {"smtp://u:secret@relay:25?tls=none", "never sent without TLS"},
		"tls=none with smtps":       {"smtps://relay?tls=none", "tls=none goes with smtp://"},
		"unknown parameter":         {"smtp://u:secret@mail?auth=login", "unknown parameter"},
		"password without user":     {"smtp://:secret@mail", "without a user"},
		"not a URL":                 {"smtp://u:secret@mail:port", "not a URL"},
		"unknown tls value":         {"smtp://mail?tls=maybe", "the only value is none"},
		"sender is not one address": {"smtp://mail", "sender address"},
	}
	for name, b := range bad {
		from := "no-reply@example.gov.vn"
		if name == "sender is not one address" {
			from = "no-reply"
		}
		_, err := notify.ParseSMTPURL(b[0], "", from)
		if err == nil || !strings.Contains(err.Error(), b[1]) {
			t.Errorf("%s: %v, want %q", name, err, b[1])
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error shows the password: %v", name, err)
		}
	}
}

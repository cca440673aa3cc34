package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Security is how the connection to the SMTP server is protected.
type Security int

const (
	// StartTLS connects in clear and upgrades with STARTTLS before anything else is said; a
	// server that does not offer it is refused (port 587, smtp://).
	StartTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (port 465, smtps://).
	ImplicitTLS
	// Plain never encrypts: only for a relay on the same host or pod network, and never
	// with credentials (smtp://host:25?tls=none).
	Plain
)

// SMTP sends email through one SMTP server, one connection per message (recovery mail is
// rare: nothing to keep open between messages).
type SMTP struct {
	Host     string
	Port     string
	Security Security
	// Username and Password, when set, are sent with AUTH PLAIN, always over TLS.
	Username string
	Password string
	// From is the sender, e.g. "Ban Tổ chức" <no-reply@example.gov.vn>.
	From mail.Address
	// TLSConfig is the client's TLS configuration; nil: the system's roots, the server
	// verified as Host.
	TLSConfig *tls.Config
	// Timeout bounds one message from dialing to QUIT (default 30 s).
	Timeout time.Duration
	// LocalName is the name given in EHLO (default "localhost").
	LocalName string
	// Now is the clock of the Date header (default time.Now).
	Now func() time.Time
}

// ParseSMTPURL reads the server's address, security and credentials from a URL:
// smtp://user:password@host:587 (STARTTLS, the default port 587), smtps://user:password@host
// (TLS from the start, default port 465), smtp://host:25?tls=none (no TLS, no credentials).
// The user and password are percent-encoded in a URL (an @ in a password is %40); password,
// when not empty, replaces the one in the URL, so the URL can sit in plain configuration and
// the password alone in a Secret. from is the sender's address, with or without a name.
func ParseSMTPURL(raw, password, from string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url's error repeats the URL, password included: say what is wrong without it.
		return nil, errors.New("SMTP URL: not a URL (smtp://user:password@host:587 or smtps://user:password@host:465)")
	}
	s := &SMTP{Host: u.Hostname(), Port: u.Port()}
	switch u.Scheme {
	case "smtp":
		s.Security = StartTLS
		if s.Port == "" {
			s.Port = "587"
		}
	case "smtps":
		s.Security = ImplicitTLS
		if s.Port == "" {
			s.Port = "465"
		}
	default:
		return nil, fmt.Errorf("SMTP URL: scheme %q: want smtp (STARTTLS) or smtps (TLS)", u.Scheme)
	}
	if s.Host == "" {
		return nil, errors.New("SMTP URL: no host")
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return nil, fmt.Errorf("SMTP URL: unknown parameter %q (only tls=none)", k)
		}
	}
	switch q.Get("tls") {
	case "":
	case "none":
		if u.Scheme != "smtp" {
			return nil, errors.New("SMTP URL: tls=none goes with smtp://, not smtps://")
		}
		s.Security = Plain
	default:
		return nil, fmt.Errorf("SMTP URL: tls=%q: the only value is none", q.Get("tls"))
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if password != "" {
		s.Password = password
	}
	if s.Security == Plain && (s.Username != "" || s.Password != "") {
		return nil, errors.New("SMTP URL: credentials are never sent without TLS: drop tls=none or the user and password")
	}
	if s.Password != "" && s.Username == "" {
		return nil, errors.New("SMTP URL: a password without a user name")
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("sender address %q: %w", from, err)
	}
	s.From = *addr
	return s, nil
}

// String describes the server without its credentials, for logs.
func (s *SMTP) String() string {
	scheme := map[Security]string{StartTLS: "smtp", ImplicitTLS: "smtps", Plain: "smtp"}[s.Security]
	user := ""
	if s.Username != "" {
		user = s.Username + "@"
	}
	return scheme + "://" + user + net.JoinHostPort(s.Host, s.Port)
}

func (s *SMTP) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		c := s.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = s.Host
		}
		return c
	}
	return &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

// Send delivers m to the server, which takes it from there. Errors say at which step it
// failed, never with the credentials.
func (s *SMTP) Send(ctx context.Context, m Email) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	msg, err := m.render(s.From, now())
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	addr := net.JoinHostPort(s.Host, s.Port)
	dialer := &net.Dialer{}
	var conn net.Conn
	if s.Security == ImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: s.tlsConfig()}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("connect to %s: %w", addr, err)
	}
	defer conn.Close()
	// net/smtp takes no context: the connection's deadline bounds every step, and closing
	// it ends a step in progress when ctx ends first.
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	if err := s.converse(conn, m.To, msg); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w (%w)", addr, ctx.Err(), err)
		}
		return fmt.Errorf("%s: %w", addr, err)
	}
	return nil
}

func (s *SMTP) converse(conn net.Conn, to string, msg []byte) error {
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	local := s.LocalName
	if local == "" {
		local = "localhost"
	}
	if err := c.Hello(local); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if s.Security == StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("the server does not offer STARTTLS: nothing is sent in clear (use smtps:// for TLS from the start)")
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	}
	if s.Username != "" {
		ok, mechs := c.Extension("AUTH")
		if !ok || !slices.Contains(strings.Fields(strings.ToUpper(mechs)), "PLAIN") {
			return errors.New("the server does not offer AUTH PLAIN")
		}
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return fmt.Errorf("AUTH as %s: %w", s.Username, err)
		}
	}
	if err := c.Mail(s.From.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		// The server's reply often repeats the address: keep only its code, so the error
		// can go to a log.
		var reply *textproto.Error
		if errors.As(err, &reply) {
			return fmt.Errorf("RCPT TO: the server refused the recipient (%d)", reply.Code)
		}
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	return c.Quit()
}

// Package notify sends messages to people outside the web app: email through an SMTP server
// and SMS through a provider's HTTP gateway. It knows nothing of contests: the web app
// writes the messages (account recovery) and hands them over. No HTTP framework, database
// or Kubernetes import.
package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Email is one message to one address: a subject and the same text as plain text and as
// simple HTML (mail programs show the one they prefer).
type Email struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// Mailer sends email.
type Mailer interface {
	Send(ctx context.Context, m Email) error
}

// ErrBadMessage says a message cannot be written as an email (an address that is not one).
var ErrBadMessage = errors.New("bad message")

// render writes m as an RFC 5322 message from from: UTF-8 throughout, the subject and the
// sender's name encoded as RFC 2047 words, a multipart/alternative body of text and HTML,
// each quoted-printable (lines stay short whatever the language).
func (m Email) render(from mail.Address, date time.Time) ([]byte, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil || to.Name != "" || to.Address != m.To {
		return nil, fmt.Errorf("%w: recipient is not one bare address", ErrBadMessage)
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	var id [12]byte
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails on supported platforms

	var body bytes.Buffer
	parts := multipart.NewWriter(&body)
	for _, p := range []struct{ typ, text string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := parts.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, fmt.Errorf("write %s part: %w", p.typ, err)
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(p.text)); err != nil {
			return nil, fmt.Errorf("write %s part: %w", p.typ, err)
		}
		if err := qp.Close(); err != nil {
			return nil, fmt.Errorf("write %s part: %w", p.typ, err)
		}
	}
	if err := parts.Close(); err != nil {
		return nil, fmt.Errorf("close message: %w", err)
	}

	var msg bytes.Buffer
	header := func(name, value string) { msg.WriteString(fold(name+": "+value) + "\r\n") }
	header("From", from.String())
	header("To", to.String())
	header("Subject", encodeHeader(m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id[:])+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", `multipart/alternative; boundary="`+parts.Boundary()+`"`)
	// RFC 3834: out-of-office replies are not sent back to an automatic message.
	header("Auto-Submitted", "auto-generated")
	msg.WriteString("\r\n")
	msg.Write(body.Bytes())
	return msg.Bytes(), nil
}

// encodeHeader writes a header value as RFC 2047 words when it is not plain ASCII;
// control characters (a line break smuggled into a title) become spaces first, so a value
// can never start a header of its own.
func encodeHeader(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return mime.BEncoding.Encode("utf-8", s)
}

// maxLine is the line length RFC 5322 recommends.
const maxLine = 78

// fold breaks a header line at spaces so that its lines keep to maxLine where a space
// allows (each continuation starts with the space, as folding requires).
func fold(line string) string {
	var b strings.Builder
	for len(line) > maxLine {
		i := strings.LastIndexByte(line[:maxLine+1], ' ')
		if i <= 0 {
			j := strings.IndexByte(line[1:], ' ')
			if j < 0 {
				break
			}
			i = j + 1
		}
		b.WriteString(line[:i])
		b.WriteString("\r\n")
		line = line[i:]
	}
	b.WriteString(line)
	return b.String()
}

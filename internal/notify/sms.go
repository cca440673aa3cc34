package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Sender sends a text message to a Vietnamese mobile number (0xxxxxxxxx).
type Sender interface {
	Send(ctx context.Context, phone, text string) error
}

// GatewayConfig describes an SMS provider's HTTP API: Vietnamese brandname providers take
// one request per message, with an API key in a header and the number, the text and the
// registered brandname in a JSON or form body (or in the URL's query). The templates name
// what goes where with placeholders, each escaped for where it lands:
//
//	{phone}     the number as registered: 0912345678
//	{phone84}   the number in international form without +: 84912345678
//	{message}   the text
//	{brandname} Brandname
//	{id}        a random id, new for each message (for providers that want one)
//
// In URL they are query-escaped; in Body JSON-escaped when ContentType is JSON (the
// template supplies the quotes: "to": "{phone84}"), form-escaped when it is
// application/x-www-form-urlencoded, XML-escaped when it is XML, as they are otherwise.
type GatewayConfig struct {
	URL    string
	Method string
	// AuthHeader and Token: the header that carries the credential (e.g. Authorization, or
	// X-API-Key) and its whole value (e.g. "Bearer abc…"); Token comes from a Secret.
	AuthHeader  string
	Token       string
	ContentType string
	Body        string
	Brandname   string
	// Success, when set, is a regular expression the answer's body must match, besides a
	// 2xx status, for the message to count as accepted (many providers answer 200 with an
	// error code in the body), e.g. "\"code\"\\s*:\\s*\"?0\"?[,}]".
	Success string
	// Timeout bounds one request (default 10 s).
	Timeout time.Duration
}

// HTTPGateway is a Sender that calls an SMS provider's HTTP API.
type HTTPGateway struct {
	cfg     GatewayConfig
	success *regexp.Regexp
	client  *http.Client
}

// maxGatewayAnswer is how much of the provider's answer is read to look for Success.
const maxGatewayAnswer = 64 << 10

var placeholder = regexp.MustCompile(`\{(phone|phone84|message|brandname|id)\}`)

// NewHTTPGateway checks the configuration: an absolute http(s) URL, a known method, the
// number and the text sent somewhere, a Success that compiles.
func NewHTTPGateway(cfg GatewayConfig) (*HTTPGateway, error) {
	if cfg.Method == "" {
		cfg.Method = http.MethodPost
	}
	cfg.Method = strings.ToUpper(cfg.Method)
	if cfg.Method != http.MethodPost && cfg.Method != http.MethodGet && cfg.Method != http.MethodPut {
		return nil, fmt.Errorf("SMS gateway: method %q: want POST, GET or PUT", cfg.Method)
	}
	u, err := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(cfg.URL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("SMS gateway: the URL must be an absolute http(s) URL")
	}
	if cfg.ContentType == "" && cfg.Body != "" {
		cfg.ContentType = "application/json"
	}
	both := cfg.URL + cfg.Body
	if !strings.Contains(both, "{message}") || !strings.Contains(both, "{phone}") && !strings.Contains(both, "{phone84}") {
		return nil, errors.New("SMS gateway: the URL or the body must carry {message} and {phone} (or {phone84})")
	}
	if strings.Contains(cfg.Body+cfg.URL, "{brandname}") && cfg.Brandname == "" {
		return nil, errors.New("SMS gateway: the templates use {brandname} but no brandname is set")
	}
	if (cfg.AuthHeader == "") != (cfg.Token == "") {
		return nil, errors.New("SMS gateway: give both the auth header's name and its value (token), or neither")
	}
	g := &HTTPGateway{cfg: cfg}
	if cfg.Success != "" {
		if g.success, err = regexp.Compile(cfg.Success); err != nil {
			return nil, fmt.Errorf("SMS gateway: success pattern: %w", err)
		}
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	// Redirects are not followed: the request carries the credential.
	g.client = &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return g, nil
}

// fill replaces the placeholders of template with values escaped by escape.
func fill(template string, values map[string]string, escape func(string) string) string {
	return placeholder.ReplaceAllStringFunc(template, func(p string) string {
		return escape(values[p[1:len(p)-1]])
	})
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b[1 : len(b)-1])
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

func (g *HTTPGateway) bodyEscape() func(string) string {
	ct := strings.ToLower(g.cfg.ContentType)
	switch {
	case strings.Contains(ct, "json"):
		return jsonEscape
	case strings.Contains(ct, "x-www-form-urlencoded"):
		return url.QueryEscape
	case strings.Contains(ct, "xml"):
		return xmlEscape
	}
	return func(s string) string { return s }
}

// Send asks the gateway to send text to phone. Its errors name the step and the HTTP status,
// never the number, the text, the credential or what the provider answered, so they can go
// to a log.
func (g *HTTPGateway) Send(ctx context.Context, phone, text string) error {
	if len(phone) != 10 || phone[0] != '0' {
		return errors.New("SMS gateway: not a Vietnamese mobile number")
	}
	var id [8]byte
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails on supported platforms
	values := map[string]string{"phone": phone, "phone84": "84" + phone[1:], "message": text,
		"brandname": g.cfg.Brandname, "id": hex.EncodeToString(id[:])}
	var body io.Reader
	if g.cfg.Body != "" {
		body = strings.NewReader(fill(g.cfg.Body, values, g.bodyEscape()))
	}
	req, err := http.NewRequestWithContext(ctx, g.cfg.Method, fill(g.cfg.URL, values, url.QueryEscape), body)
	if err != nil {
		return errors.New("SMS gateway: the request cannot be built from the URL template")
	}
	if body != nil {
		req.Header.Set("Content-Type", g.cfg.ContentType)
	}
	if g.cfg.AuthHeader != "" {
		req.Header.Set(g.cfg.AuthHeader, g.cfg.Token)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		// url.Error repeats the URL, which may carry the number and the text.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return errors.New("SMS gateway: no answer in time")
		}
		return fmt.Errorf("SMS gateway: request failed: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxGatewayAnswer))
	if err != nil {
		return fmt.Errorf("SMS gateway: reading the answer (HTTP %d) failed", resp.StatusCode)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("SMS gateway: answered HTTP %d", resp.StatusCode)
	}
	if g.success != nil && !g.success.Match(answer) {
		return fmt.Errorf("SMS gateway: the answer (HTTP %d) does not match the success pattern", resp.StatusCode)
	}
	return nil
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

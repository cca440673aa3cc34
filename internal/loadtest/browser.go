package loadtest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dxcontest/contest-platform/internal/pow"
)

// Client is the network side of every browser the tool plays: one transport shared by all
// people, as an ingress keeps a pool of connections to the app whatever the number of
// phones behind it, and the options every request follows.
type Client struct {
	base      string // scheme://host[:port]
	transport *http.Transport
	timeout   time.Duration
	forwarded bool
	bodies    sync.Pool
	gzips     sync.Pool
	solvers   sync.Pool
	// communes are the locality codes the registration page offers, read from it once.
	communesOnce sync.Once
	communes     []string
}

// ClientOptions configure a Client.
type ClientOptions struct {
	// BaseURL is the site's address (http://127.0.0.1:8080, https://staging.example.vn).
	BaseURL string
	// Timeout bounds each request, the body included (default 30 s).
	Timeout time.Duration
	// ForwardedFor sends X-Forwarded-For with an address of each person's own, as the
	// ingress does for phones; the app believes it only from --trusted-proxy addresses.
	ForwardedFor bool
	// MaxConns bounds the connections to the site (0: no bound, one per request in
	// flight, as that many phones would open).
	MaxConns int
}

// NewClient checks the site's address and makes the shared transport.
func NewClient(o ClientOptions) (*Client, error) {
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, fmt.Errorf("site address %q: want http(s)://host[:port] with no path", o.BaseURL)
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	idle := max(o.MaxConns, 256)
	c := &Client{
		base:    u.Scheme + "://" + u.Host,
		timeout: o.Timeout, forwarded: o.ForwardedFor,
		// HTTP/1.1 like a phone's browser behind an ingress: a connection per request in
		// flight, kept alive for the next one.
		transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        idle,
			MaxIdleConnsPerHost: idle,
			MaxConnsPerHost:     o.MaxConns,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: 10 * time.Second,
		},
	}
	c.bodies.New = func() any { return new(bytes.Buffer) }
	c.solvers.New = func() any { return new(pow.Solver) }
	return c, nil
}

// Close drops the kept-alive connections.
func (c *Client) Close() { c.transport.CloseIdleConnections() }

// Person is one contestant's browser: a cookie jar of its own, its address, its login.
type Person struct {
	Index    int
	login    string
	password string
	addr     string
	http     *http.Client
	// mu keeps one flow at a time per person; readyAt is when the app's per-person limit
	// (3 requests a second, burst 30) lets the next flow through without a 429.
	mu       sync.Mutex
	readyAt  time.Time
	signedIn bool
}

// NewPerson is person i's browser, not signed in.
func (c *Client) NewPerson(i int, password string) *Person {
	jar, _ := cookiejar.New(nil) // cannot fail without options
	return &Person{Index: i, login: Phone(i), password: password, addr: address(i),
		http: &http.Client{Transport: c.transport, Jar: jar,
			// Redirects are followed by the flows, as separate, timed steps.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// mode is how a browser makes a request: the headers differ.
type mode int

const (
	navigate   mode = iota // a page loaded: a link, a redirect followed, a typed address
	formPost               // a form the browser posts itself (start, submit)
	scriptPost             // the page's script: fetch() of a form (autosave, sign-in, registration)
)

const userAgent = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 contest-loadtest"

// reply is an answer read to its end; release returns its body's buffer.
type reply struct {
	status     int
	location   string
	retryAfter string
	harder     bool
	body       *bytes.Buffer
}

func (c *Client) release(r *reply) {
	if r != nil && r.body != nil {
		r.body.Reset()
		c.bodies.Put(r.body)
		r.body = nil
	}
}

// do sends one request as person p's browser would and reads the answer to its end,
// inflated when the app compressed it (with a pooled reader: the transport's own would
// allocate a decompressor per answer).
func (c *Client) do(ctx context.Context, p *Person, m mode, method, path, form, accept string) (*reply, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, &failure{kind: "network", detail: err.Error()}
	}
	h := req.Header
	h.Set("User-Agent", userAgent)
	h.Set("Accept-Language", "vi-VN,vi;q=0.9,en;q=0.8")
	h.Set("Sec-Fetch-Site", "same-origin")
	h.Set("Accept-Encoding", "gzip")
	switch m {
	case navigate, formPost:
		h.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
		h.Set("Sec-Fetch-Mode", "navigate")
		h.Set("Sec-Fetch-Dest", "document")
		h.Set("Upgrade-Insecure-Requests", "1")
	case scriptPost:
		h.Set("Accept", accept)
		h.Set("Sec-Fetch-Mode", "cors")
		h.Set("Sec-Fetch-Dest", "empty")
	}
	if method == http.MethodPost {
		h.Set("Origin", c.base)
		h.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.forwarded {
		h.Set("X-Forwarded-For", p.addr)
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return nil, classify(err)
	}
	buf := c.bodies.Get().(*bytes.Buffer)
	if resp.Header.Get("Content-Encoding") == "gzip" {
		err = c.inflate(buf, resp.Body)
	} else {
		_, err = buf.ReadFrom(resp.Body)
	}
	resp.Body.Close()
	r := &reply{status: resp.StatusCode, location: resp.Header.Get("Location"), retryAfter: resp.Header.Get("Retry-After"),
		harder: resp.Header.Get("X-Challenge-Harder") != "", body: buf}
	if err != nil {
		c.release(r)
		return nil, classify(err)
	}
	return r, nil
}

func (c *Client) inflate(buf *bytes.Buffer, body io.Reader) error {
	zr, _ := c.gzips.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(body)
	} else {
		err = zr.Reset(body)
	}
	if err != nil {
		return err
	}
	_, err = buf.ReadFrom(zr)
	c.gzips.Put(zr)
	return err
}

// failure is why a step failed, by kind: "status 503", "timeout", "network", "unexpected
// page" (a page that is not the one the flow expects), "canceled" (the run was stopped).
type failure struct {
	kind   string
	detail string
}

func (f *failure) Error() string {
	if f.detail == "" {
		return f.kind
	}
	return f.kind + ": " + f.detail
}

func statusFailure(r *reply) *failure {
	return &failure{kind: "status " + strconv.Itoa(r.status)}
}

func unexpected(format string, args ...any) *failure {
	return &failure{kind: "unexpected page", detail: fmt.Sprintf(format, args...)}
}

func classify(err error) *failure {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return &failure{kind: "canceled"}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return &failure{kind: "timeout"}
	default:
		return &failure{kind: "network", detail: err.Error()}
	}
}

// kindOf is the kind of a flow's error.
func kindOf(err error) string {
	var f *failure
	if errors.As(err, &f) {
		return f.kind
	}
	return "network"
}

// retryDelay is the wait an answer asks for (Retry-After in seconds), else def.
func retryDelay(r *reply, def time.Duration) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(r.retryAfter)); err == nil && n >= 0 {
		return min(time.Duration(n)*time.Second, 5*time.Minute)
	}
	return def
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return &failure{kind: "canceled"}
	}
}

// solve does the page script's proof of work.
func (c *Client) solve(token string, bits int) string {
	s := c.solvers.Get().(*pow.Solver)
	defer c.solvers.Put(s)
	return s.Solve(token, bits)
}

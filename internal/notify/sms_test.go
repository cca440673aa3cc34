package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/notify"
)

// gateway is a provider's API on a local port: it records each request and answers as told.
type gateway struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []recordedRequest
	status int
	answer string
	delay  time.Duration
}

type recordedRequest struct {
	method, path, query, contentType, auth, body string
}

func newGateway(t *testing.T) *gateway {
	g := &gateway{status: http.StatusOK, answer: `{"code": "0", "message": "accepted"}`}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.got = append(g.got, recordedRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), string(body)})
		status, answer, delay := g.status, g.answer, g.delay
		g.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
			}
		}
		if status == http.StatusFound {
			w.Header().Set("Location", "/elsewhere")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gateway) last(t *testing.T) recordedRequest {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.got) == 0 {
		t.Fatal("the gateway got no request")
	}
	return g.got[len(g.got)-1]
}

const smsText = `Ma dat lai mat khau "cuoc thi": 12345678 & het han sau 10 phut <khong chia se>`

func TestGatewayJSON(t *testing.T) {
	g := newGateway(t)
	s, err := notify.NewHTTPGateway(notify.GatewayConfig{
		URL: g.srv.URL + "/v1/sms", AuthHeader: "Authorization", Token: "Bearer khoa-api",
		Body:      `{"from": "{brandname}", "to": "{phone84}", "text": "{message}", "ref": "{id}"}`,
		Brandname: "SO TTTT", Success: `"code"\s*:\s*"?0"?\s*[,}]`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "0912300001", smsText); err != nil {
		t.Fatal(err)
	}
	r := g.last(t)
	if r.method != http.MethodPost || r.path != "/v1/sms" || r.contentType != "application/json" || r.auth != "Bearer khoa-api" {
		t.Errorf("request %+v", r)
	}
	var body map[string]string
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	if body["from"] != "SO TTTT" || body["to"] != "84912300001" || body["text"] != smsText || len(body["ref"]) != 16 {
		t.Errorf("body %v", body)
	}
}

func TestGatewayFormAndQuery(t *testing.T) {
	g := newGateway(t)
	form, err := notify.NewHTTPGateway(notify.GatewayConfig{
		URL: g.srv.URL + "/send", ContentType: "application/x-www-form-urlencoded",
		Body: "phone={phone}&msg={message}&brand={brandname}", Brandname: "SO TTTT",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := form.Send(context.Background(), "0912300001", smsText); err != nil {
		t.Fatal(err)
	}
	v, err := url.ParseQuery(g.last(t).body)
	if err != nil || v.Get("phone") != "0912300001" || v.Get("msg") != smsText || v.Get("brand") != "SO TTTT" || len(v) != 3 {
		t.Errorf("form %v (%v)", v, err)
	}

	get, err := notify.NewHTTPGateway(notify.GatewayConfig{Method: "get", URL: g.srv.URL + "/send?to={phone84}&text={message}&key=k"})
	if err != nil {
		t.Fatal(err)
	}
	if err := get.Send(context.Background(), "0912300001", smsText); err != nil {
		t.Fatal(err)
	}
	r := g.last(t)
	q, _ := url.ParseQuery(r.query)
	if r.method != http.MethodGet || q.Get("to") != "84912300001" || q.Get("text") != smsText || q.Get("key") != "k" || r.body != "" {
		t.Errorf("GET %+v", r)
	}
}

// A provider that fails, refuses in its body, redirects or does not answer in time is an
// error that says what happened and nothing else: not the number, the text, the key, or
// what the provider answered.
func TestGatewayFailures(t *testing.T) {
	const secretAnswer = "LOI-NOI-BO 0912300001 khoa-api"
	cases := map[string]struct {
		status int
		answer string
		delay  time.Duration
		want   string
	}{
		"5xx":               {http.StatusBadGateway, secretAnswer, 0, "HTTP 502"},
		"4xx":               {http.StatusUnauthorized, secretAnswer, 0, "HTTP 401"},
		"refused in body":   {http.StatusOK, `{"code": "99", "detail": "` + secretAnswer + `"}`, 0, "does not match the success pattern"},
		"redirect":          {http.StatusFound, secretAnswer, 0, "HTTP 302"},
		"no answer in time": {http.StatusOK, `{"code": 0}`, 2 * time.Second, "no answer in time"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			g := newGateway(t)
			g.status, g.answer, g.delay = c.status, c.answer, c.delay
			s, err := notify.NewHTTPGateway(notify.GatewayConfig{
				URL: g.srv.URL + "/sms?key=khoa-api", AuthHeader: "X-API-Key", Token: "khoa-api",
				Body: `{"to": "{phone}", "text": "{message}"}`, Success: `"code"\s*:\s*"?0"?\s*[,}]`,
				Timeout: 200 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Send(context.Background(), "0912300001", smsText)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			for _, leak := range []string{"0912300001", "912300001", "khoa-api", "LOI-NOI-BO", "12345678"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("the error %q holds %q", err, leak)
				}
			}
		})
	}
	// A gateway that cannot be reached at all.
	s, err := notify.NewHTTPGateway(notify.GatewayConfig{URL: "http://127.0.0.1:1/sms?to={phone}&text={message}"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "0912300001", smsText); err == nil || strings.Contains(err.Error(), "0912300001") {
		t.Errorf("unreachable gateway: %v", err)
	}
}

func TestGatewayConfigErrors(t *testing.T) {
	cases := map[string]struct {
		cfg  notify.GatewayConfig
		want string
	}{
		"relative URL":      {notify.GatewayConfig{URL: "/sms?to={phone}&t={message}"}, "absolute http(s) URL"},
		"ftp":               {notify.GatewayConfig{URL: "ftp://x/{phone}/{message}"}, "absolute http(s) URL"},
		"method":            {notify.GatewayConfig{URL: "https://x/?p={phone}&m={message}", Method: "DELETE"}, "method"},
		"no message":        {notify.GatewayConfig{URL: "https://x/", Body: `{"to": "{phone}"}`}, "{message}"},
		"no phone":          {notify.GatewayConfig{URL: "https://x/", Body: `{"text": "{message}"}`}, "{phone}"},
		"brandname missing": {notify.GatewayConfig{URL: "https://x/", Body: `{"from": "{brandname}", "to": "{phone}", "text": "{message}"}`}, "brandname"},
		"half the auth":     {notify.GatewayConfig{URL: "https://x/", Body: `{"to": "{phone}", "text": "{message}"}`, AuthHeader: "Authorization"}, "auth header"},
		"bad pattern":       {notify.GatewayConfig{URL: "https://x/", Body: `{"to": "{phone}", "text": "{message}"}`, Success: "("}, "success pattern"},
	}
	for name, c := range cases {
		if _, err := notify.NewHTTPGateway(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

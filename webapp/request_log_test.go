package webapp

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// One structured line per request, with what an engineer greps for: the request's id (the
// one the ingress sent), the route, the status, the time taken and the client's address.
func TestRequestLogLine(t *testing.T) {
	e := newEnv(t)
	var logs syncBuffer
	e.reconfigure(func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/rules", nil)
	req.Header.Set(requestIDHeader, "ingress-id-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var line map[string]any
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, `"msg":"request"`) && strings.Contains(l, "ingress-id-123") {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	if line == nil {
		t.Fatalf("no request line with the ingress's id in:\n%s", logs.String())
	}
	for k, want := range map[string]any{"level": "INFO", "method": "GET", "route": "/rules", "status": float64(200), "ip": "127.0.0.1"} {
		if line[k] != want {
			t.Errorf("%s = %v, want %v (line %v)", k, line[k], want, line)
		}
	}
	if d, ok := line["duration_ms"].(float64); !ok || d <= 0 {
		t.Errorf("duration_ms = %v", line["duration_ms"])
	}
}

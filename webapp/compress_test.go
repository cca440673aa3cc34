package webapp

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestCompressOnlyWhatIsWorthIt: text bodies of gzipMinSize bytes or more are gzipped, in
// one write or many, flushed or not; shorter ones and binary ones go out as they are; and
// every body arrives whole.
func TestCompressOnlyWhatIsWorthIt(t *testing.T) {
	gin.SetMode(gin.TestMode)
	a := &App{}
	r := gin.New()
	r.Use(a.compress)
	text := func(n int) string { return strings.Repeat("Thí sinh ", n)[:n] }
	r.GET("/json", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"deadline": "2026-12-03T20:00:00Z"}) })
	r.GET("/page/:n", func(c *gin.Context) {
		n := map[string]int{"small": gzipMinSize - 1, "edge": gzipMinSize, "big": 16000}[c.Param("n")]
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(text(n)))
	})
	r.GET("/chunks", func(c *gin.Context) { // small writes adding up past the threshold
		c.Header("Content-Type", "text/csv")
		for range 30 {
			_, _ = c.Writer.WriteString(text(100))
		}
	})
	r.GET("/flushed", func(c *gin.Context) { // a stream: its first bytes must not wait
		c.Header("Content-Type", "text/plain")
		_, _ = c.Writer.WriteString("dòng 1\n")
		c.Writer.Flush()
		_, _ = c.Writer.WriteString("dòng 2\n")
	})
	r.GET("/binary", func(c *gin.Context) { c.Data(http.StatusOK, "application/zip", []byte(text(5000))) })
	r.GET("/redirect", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/json") })
	r.GET("/fails", func(c *gin.Context) { // a handler that checks Written before an error page
		c.Header("Content-Type", "text/csv")
		_, _ = c.Writer.WriteString("a;b\n")
		if !c.Writer.Written() {
			t.Error("held bytes must count as written")
		}
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	for _, tc := range []struct {
		path    string
		gzipped bool
		body    string
	}{
		{"/json", false, `{"deadline":"2026-12-03T20:00:00Z"}`},
		{"/page/small", false, text(gzipMinSize - 1)},
		{"/page/edge", true, text(gzipMinSize)},
		{"/page/big", true, text(16000)},
		{"/chunks", true, strings.Repeat(text(100), 30)},
		{"/flushed", true, "dòng 1\ndòng 2\n"},
		{"/binary", false, text(5000)},
		{"/redirect", false, ""},
		{"/fails", false, "a;b\n"},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got := string(raw)
		if enc := resp.Header.Get("Content-Encoding"); (enc == "gzip") != tc.gzipped {
			t.Errorf("%s: Content-Encoding %q, want gzip %v", tc.path, enc, tc.gzipped)
			continue
		}
		if tc.gzipped {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("%s: %v", tc.path, err)
			}
			b, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s: %v", tc.path, err)
			}
			got = string(b)
		}
		if tc.path != "/redirect" && got != tc.body {
			t.Errorf("%s: body %d bytes, want %d", tc.path, len(got), len(tc.body))
		}
		if resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: Vary %q", tc.path, resp.Header.Get("Vary"))
		}
	}
}

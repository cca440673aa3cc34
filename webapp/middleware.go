package webapp

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzip"
)

const requestIDHeader = "X-Request-ID"

// requestID tags the request (keeping the ingress's ID when it sent one) for logs.
func (a *App) requestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if id == "" || len(id) > 64 {
		id = randomToken(9)
	}
	c.Set("requestID", id)
	c.Header(requestIDHeader, id)
	c.Next()
}

func (a *App) log(c *gin.Context) *slog.Logger {
	return a.cfg.Logger.With("request_id", c.GetString("requestID"))
}

// logRequests writes one structured line per request.
func (a *App) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	if c.Request.URL.Path == "/healthz" || c.Request.URL.Path == "/readyz" || c.Request.URL.Path == "/metrics" {
		return
	}
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	// LogAttrs on the app's logger, not a.log(c): a logger derived per request (With) and
	// untyped key-value pairs were a tenth of the app's CPU per request under load.
	a.cfg.Logger.LogAttrs(c.Request.Context(), level, "request", slog.String("request_id", c.GetString("requestID")),
		slog.String("method", c.Request.Method), slog.String("route", c.FullPath()), slog.Int("status", c.Writer.Status()),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000), slog.String("ip", c.ClientIP()))
}

// recover turns a panic into a 500 page and a log line instead of a dropped connection.
func (a *App) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			a.log(c).Error("panic", "panic", fmt.Sprint(r), "path", c.Request.URL.Path)
			c.AbortWithStatus(http.StatusInternalServerError)
		}
	}()
	c.Next()
}

// contentSecurityPolicy is every page's: nothing from elsewhere, no inline script, and no
// framing (the embeddable widget under /embed/ alone may be framed: embed.go).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders: no third-party anything, no framing, no sniffing.
func (a *App) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if a.cfg.SecureCookies {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// compress gzips text responses for slow mobile networks.
func (a *App) compress(c *gin.Context) {
	if !strings.Contains(c.GetHeader("Accept-Encoding"), "gzip") || c.Request.Method == http.MethodHead ||
		c.Request.URL.Path == "/metrics" {
		c.Next()
		return
	}
	w := &gzipWriter{ResponseWriter: c.Writer}
	c.Writer = w
	c.Header("Vary", "Accept-Encoding")
	c.Next()
	w.finish()
}

// gzipMinSize: bodies shorter than this go out as they are. An autosave's reply is a few
// dozen bytes; gzip would add its header and a Huffman table to save nothing, and it cost a
// tenth of a flow's compression CPU (docs/BENCHMARKS.md). nginx's gzip_min_length and
// klauspost's gzhttp draw the line at about the same place.
const gzipMinSize = 1024

// gzipPool holds klauspost/compress's gzip writers at its fastest level: on the exam page
// it took a quarter of the CPU of the standard library's default level, for pages about
// 10 % larger (4.0 kB instead of 3.6 kB; docs/BENCHMARKS.md). Dynamic pages are small and
// sent once; the CPU is spent at the round's peak.
var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// gzipWriter compresses the body once the handler has said what it is (only text) and
// written at least gzipMinSize bytes of it; until then it holds what was written. It
// decides at the first Write: gin sends the status line and headers only then, after the
// renderer has set Content-Type.
type gzipWriter struct {
	gin.ResponseWriter
	gz          *gzip.Writer
	decided     bool
	compressing bool // the content type is compressible
	started     bool // the headers say gzip and gz is writing
	held        []byte
}

func (w *gzipWriter) decide() {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	ct := h.Get("Content-Type")
	w.compressing = h.Get("Content-Encoding") == "" && (strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "javascript") || ct == "image/svg+xml")
}

// start switches to gzip and writes what was held.
func (w *gzipWriter) start() error {
	w.started = true
	h := w.Header()
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	// Only now: responses without a text body (a submit's 303) need no writer.
	w.gz = gzipPool.Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
	w.ResponseWriter.WriteHeaderNow()
	held := w.held
	w.held = nil
	_, err := w.gz.Write(held)
	return err
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	w.decide()
	if !w.compressing {
		return w.ResponseWriter.Write(b)
	}
	if !w.started {
		if len(w.held)+len(b) < gzipMinSize {
			w.held = append(w.held, b...)
			return len(b), nil
		}
		if err := w.start(); err != nil {
			return 0, err
		}
	}
	return w.gz.Write(b)
}

// Written counts held bytes as written: a handler that fails after writing part of its
// body must not start an error page inside it.
func (w *gzipWriter) Written() bool { return len(w.held) > 0 || w.ResponseWriter.Written() }

// Flush sends what is written so far: a handler that flushes streams, so it is compressed.
func (w *gzipWriter) Flush() {
	if w.compressing && !w.started && len(w.held) > 0 {
		_ = w.start()
	}
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	w.ResponseWriter.Flush()
}

// finish ends the body: a short one goes out as it is, a compressed one gets its trailer.
func (w *gzipWriter) finish() {
	switch {
	case w.gz != nil:
		_ = w.gz.Close()
		gzipPool.Put(w.gz)
		w.gz = nil
	case len(w.held) > 0:
		_, _ = w.ResponseWriter.Write(w.held)
		w.held = nil
	}
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// language picks Vietnamese unless the person chose English (cookie) or their browser
// asks for English only.
func (a *App) language(c *gin.Context) {
	lang := langVI
	if v, err := c.Cookie("lang"); err == nil && (v == langEN || v == langVI) {
		lang = v
	}
	c.Set("lang", lang)
	c.Next()
}

func (a *App) switchLanguage(c *gin.Context) {
	lang := c.Param("code")
	if lang != langEN && lang != langVI {
		lang = langVI
	}
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie("lang", lang, 365*24*3600, "/", "", a.cfg.SecureCookies, true)
	c.Redirect(http.StatusSeeOther, localPath(c.Query("next"), "/"))
}

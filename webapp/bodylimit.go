package webapp

import (
	"errors"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/bank"
)

// Request body limits. Contestant forms are small (the registration form is under 2 KB,
// an autosave batch a few hundred bytes), so a few kilobytes bound what an anonymous
// request can make the server read, hold or spool to disk. Only the console's bank upload
// takes a file, and only from a signed-in organizer.
const (
	formBodyLimit   = 16 << 10
	uploadBodyLimit = bank.MaxFileBytes + 1<<20
	// uploadFormMemory is how much of an upload is kept in memory; the rest of the file
	// goes to a temporary file (bounded by uploadBodyLimit).
	uploadFormMemory = 8 << 20
)

// uploadRoute is the one route that accepts multipart bodies.
const uploadRoute = "/console/banks"

// limitBody caps every request body before anything reads it, refuses multipart bodies
// except on the upload route, and parses url-encoded forms up front so a body over the
// limit is answered as such instead of reading as a form with missing fields.
func (a *App) limitBody(c *gin.Context) {
	r := c.Request
	if r.Body == nil || r.Body == http.NoBody || r.Method == http.MethodGet || r.Method == http.MethodHead {
		c.Next()
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	upload := r.Method == http.MethodPost && c.FullPath() == uploadRoute
	limit := int64(formBodyLimit)
	if upload {
		limit = uploadBodyLimit
	}
	switch {
	case ct == "multipart/form-data" && !upload:
		a.metrics.refused("multipart")
		a.failAny(c, http.StatusUnsupportedMediaType, "error.bodyType")
		return
	case r.ContentLength > limit:
		a.tooLarge(c, upload, limit)
		return
	}
	r.Body = http.MaxBytesReader(c.Writer, r.Body, limit)
	if ct == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
				a.tooLarge(c, upload, limit)
				return
			}
			a.failAny(c, http.StatusBadRequest, "error.badForm")
			return
		}
	}
	c.Next()
}

func (a *App) tooLarge(c *gin.Context, upload bool, limit int64) {
	a.metrics.refused("body_too_large")
	c.Header("Connection", "close")
	if upload {
		a.consoleFail(c, http.StatusRequestEntityTooLarge, "console.bank.tooLarge", bank.MaxFileBytes>>20)
		return
	}
	a.failAny(c, http.StatusRequestEntityTooLarge, "error.bodyTooLarge", max(1, limit>>10))
}

// failAny answers with the console's page on console routes and the contestants' page
// elsewhere.
func (a *App) failAny(c *gin.Context, status int, code string, args ...any) {
	if isConsolePath(c.Request.URL.Path) {
		a.consoleFail(c, status, code, args...)
		return
	}
	a.fail(c, status, code, args...)
}

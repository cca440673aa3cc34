package webapp

import (
	"errors"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// Request body limits. Contestant forms are small (the registration form is under 2 KB,
// an autosave batch a few hundred bytes), so a few kilobytes bound what an anonymous
// request can make the server read, hold or spool to disk. Only the console's uploads (a
// question bank, the unit list) take a file, and only from a signed-in organizer.
const (
	formBodyLimit       = 16 << 10
	uploadBodyLimit     = bank.MaxFileBytes + 1<<20
	unitUploadBodyLimit = unit.MaxFileBytes + 1<<20
	// uploadFormMemory is how much of an upload is kept in memory; the rest of the file
	// goes to a temporary file (bounded by the route's body limit).
	uploadFormMemory = 8 << 20
)

// uploadLimit is what an upload route accepts: its body cap, and what to say of a file
// over its own limit.
type uploadLimit struct {
	body     int64
	tooLarge string // catalog key, with the file limit in MB
	fileMB   int
}

// uploadRoutes are the only routes that accept multipart bodies. Each handler reads its
// body only once the organizer's session and role are checked (the route's middleware),
// so a stranger's upload is answered unread; a new one is added here deliberately.
var uploadRoutes = map[string]uploadLimit{
	"/console/banks": {body: uploadBodyLimit, tooLarge: "console.bank.tooLarge", fileMB: bank.MaxFileBytes >> 20},
	"/console/units": {body: unitUploadBodyLimit, tooLarge: "console.units.tooLarge", fileMB: unit.MaxFileBytes >> 20},
}

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
	up, upload := uploadRoutes[c.FullPath()]
	upload = upload && r.Method == http.MethodPost
	limit := int64(formBodyLimit)
	if upload {
		limit = up.body
	}
	switch {
	case ct == "multipart/form-data" && !upload:
		a.metrics.refused("multipart")
		a.failAny(c, http.StatusUnsupportedMediaType, "error.bodyType")
		return
	case r.ContentLength > limit:
		a.tooLarge(c, up, upload, limit)
		return
	}
	r.Body = http.MaxBytesReader(c.Writer, r.Body, limit)
	if ct == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
				a.tooLarge(c, up, upload, limit)
				return
			}
			a.failAny(c, http.StatusBadRequest, "error.badForm")
			return
		}
	}
	c.Next()
}

func (a *App) tooLarge(c *gin.Context, up uploadLimit, upload bool, limit int64) {
	a.metrics.refused("body_too_large")
	c.Header("Connection", "close")
	if upload {
		a.consoleFail(c, http.StatusRequestEntityTooLarge, up.tooLarge, up.fileMB)
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

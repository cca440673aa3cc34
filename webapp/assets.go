package webapp

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/gin-gonic/gin"
)

//go:embed static templates
var embedded embed.FS

// assets are the embedded static files, each with a content hash for its URL so browsers
// on slow networks may cache them for a year and still get a new version at once.
type assets struct {
	files map[string][]byte
	hash  map[string]string
}

func loadAssets() (*assets, error) {
	st := &assets{files: map[string][]byte{}, hash: map[string]string{}}
	entries, err := fs.ReadDir(embedded, "static")
	if err != nil {
		return nil, fmt.Errorf("read static assets: %w", err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(embedded, "static/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(b)
		st.files[e.Name()] = b
		st.hash[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return st, nil
}

// url is the versioned address of an asset.
func (st *assets) url(name string) string {
	return "/static/" + name + "?v=" + st.hash[name]
}

func (a *App) serveAsset(c *gin.Context) {
	name := c.Param("file")
	b, ok := a.assets.files[name]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	if c.Query("v") == a.assets.hash[name] {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "public, max-age=300")
	}
	c.Header("ETag", `"`+a.assets.hash[name]+`"`)
	if c.GetHeader("If-None-Match") == `"`+a.assets.hash[name]+`"` {
		c.Status(http.StatusNotModified)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.Data(http.StatusOK, ct, b)
}

package webapp

import (
	"net/url"
	"strings"
)

// localPath returns next when it is a path on this site, and fallback otherwise: it must
// start with one slash, carry no scheme or host, and hold no backslash or control
// character (browsers read "/\evil" and "/<tab>/evil" as "//evil", another site).
func localPath(next, fallback string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || len(next) > 2048 {
		return fallback
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b < 0x20 || b == 0x7f || b == '\\' {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	return next
}

package webapp

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// crossOrigin refuses state-changing requests that a browser sends from another site,
// with the standard library's Fetch-metadata check (Sec-Fetch-Site, else Origin against
// Host). It replaces per-browser CSRF tokens: nothing secret sits in the pages, so a
// compressed page that reflects query text next to a token (BREACH) has nothing to give
// away, and no form or script has to carry a token. Requests without either header are
// not from a browser that could be tricked into sending them, and pass.
func (a *App) crossOrigin(c *gin.Context) {
	if err := a.origins.Check(c.Request); err != nil {
		a.metrics.refused("cross_origin")
		a.failAny(c, http.StatusForbidden, "error.csrf")
		return
	}
	c.Next()
}

func newCrossOriginProtection(trusted []string) (*http.CrossOriginProtection, error) {
	p := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if err := p.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	return p, nil
}

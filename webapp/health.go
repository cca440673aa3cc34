package webapp

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz says the process runs.
func (a *App) healthz(c *gin.Context) { c.String(http.StatusOK, "ok") }

// readyz says the app can serve: the database answers and it is not shutting down.
func (a *App) readyz(c *gin.Context) {
	if a.draining.Load() {
		c.String(http.StatusServiceUnavailable, "shutting down")
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := a.cfg.Pool.Ping(ctx); err != nil {
		c.String(http.StatusServiceUnavailable, "database unreachable")
		return
	}
	c.String(http.StatusOK, "ready")
}

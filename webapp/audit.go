package webapp

import (
	"encoding/json"
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/store"
)

// auditEntry is what a handler says of an organizer action; who, when and from where are
// added from the request.
type auditEntry struct {
	Action string
	Target string
	// Before and After are the state the action changed, encoded as JSON.
	Before, After any
	Reason        string
}

// audit records an action of the signed-in organizer, in q (the action's own transaction,
// so both commit or neither does).
func (a *App) audit(c *gin.Context, q store.Querier, e auditEntry) error {
	return a.auditAs(c, q, c.GetString("organizer"), c.GetString("organizerRole"), e)
}

// auditAs records an action of the named organizer (signing in, before the session exists).
func (a *App) auditAs(c *gin.Context, q store.Querier, actor, role string, e auditEntry) error {
	before, err := encodeState(e.Before)
	if err != nil {
		return err
	}
	after, err := encodeState(e.After)
	if err != nil {
		return err
	}
	return store.AppendAudit(c.Request.Context(), q, store.AuditEntry{Actor: actor, ActorRole: role, Action: e.Action,
		Target: e.Target, ClientNet: clientNet(c), Before: before, After: after, Reason: e.Reason})
}

func encodeState(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode audit state: %w", err)
	}
	return b, nil
}

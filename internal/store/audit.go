package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one organizer action in the append-only audit log.
type AuditEntry struct {
	ID        int64
	At        time.Time
	Actor     string
	ActorRole string
	Action    string
	Target    string
	ClientNet string
	// Before and After are the state the action changed, as JSON (null when none).
	Before json.RawMessage
	After  json.RawMessage
	Reason string
}

// AppendAudit writes an entry, in the caller's transaction when q is one, so the action
// and its record commit together.
func AppendAudit(ctx context.Context, q Querier, e AuditEntry) error {
	_, err := q.Exec(ctx, `INSERT INTO audit_log (actor, actor_role, action, target, client_net, before, after, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.Actor, e.ActorRole, e.Action, e.Target, e.ClientNet, nullJSON(e.Before), nullJSON(e.After), e.Reason)
	if err != nil {
		return fmt.Errorf("write audit entry %s: %w", e.Action, err)
	}
	return nil
}

func nullJSON(b json.RawMessage) any {
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	return []byte(b)
}

// AuditFilter narrows the audit log; zero fields do not.
type AuditFilter struct {
	Actor  string
	Action string
	Since  time.Time
	Until  time.Time
	// Before pages backwards: only entries with a smaller ID.
	Before int64
}

const auditColumns = `id, at, actor, actor_role, action, target, client_net, before, after, reason`

func (f AuditFilter) where() (string, []any) {
	return `WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR action = $2 OR action LIKE $2 || '.%')
		AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4) AND ($5 = 0 OR id < $5)`,
		[]any{f.Actor, f.Action, nullTime(f.Since), nullTime(f.Until), f.Before}
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func scanAudit(row pgx.Row) (AuditEntry, error) {
	var e AuditEntry
	var before, after []byte
	if err := row.Scan(&e.ID, &e.At, &e.Actor, &e.ActorRole, &e.Action, &e.Target, &e.ClientNet, &before, &after, &e.Reason); err != nil {
		return e, fmt.Errorf("read audit entry: %w", err)
	}
	e.Before, e.After = before, after
	return e, nil
}

// ListAudit returns up to limit entries matching f, newest first.
func ListAudit(ctx context.Context, q Querier, f AuditFilter, limit int) ([]AuditEntry, error) {
	where, args := f.where()
	rows, err := q.Query(ctx, `SELECT `+auditColumns+` FROM audit_log `+where+` ORDER BY id DESC LIMIT $6`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// StreamAudit calls fn with every entry matching f, oldest first, without holding them all.
func StreamAudit(ctx context.Context, q Querier, f AuditFilter, fn func(AuditEntry) error) error {
	where, args := f.where()
	rows, err := q.Query(ctx, `SELECT `+auditColumns+` FROM audit_log `+where+` ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

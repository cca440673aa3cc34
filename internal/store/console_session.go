package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"
)

// ConsoleSession is a signed-in organizer's session with the account it belongs to.
type ConsoleSession struct {
	Organizer Organizer
	ExpiresAt time.Time
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateConsoleSession records a new session for token and the account's current
// credential, valid for ttl by the database clock.
func CreateConsoleSession(ctx context.Context, q Querier, token string, o Organizer, ttl time.Duration, clientNet string) error {
	_, err := q.Exec(ctx, `INSERT INTO console_session (token_hash, organizer_id, credential_version, client_net, expires_at)
		VALUES ($1, $2, $3, $4, now() + $5::interval)`, tokenHash(token), o.ID, o.CredentialVersion, clientNet, ttl)
	if err != nil {
		return fmt.Errorf("create console session: %w", err)
	}
	return nil
}

// ActiveConsoleSession returns the session of token with its account when the session is
// neither revoked nor expired, the account is enabled and its password has not changed
// since; ErrNotFound otherwise.
func ActiveConsoleSession(ctx context.Context, q Querier, token string) (ConsoleSession, error) {
	var s ConsoleSession
	o, err := scanOrganizer(q.QueryRow(ctx, `SELECT o.id, o.username, o.role, o.password_hash, o.credential_version,
		o.must_change_password, o.source, o.created_at, o.created_by, o.disabled_at, o.last_sign_in_at
		FROM console_session s JOIN organizer o ON o.id = s.organizer_id
		WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
		  AND o.disabled_at IS NULL AND o.credential_version = s.credential_version`, tokenHash(token)))
	if errors.Is(err, ErrNotFound) {
		return s, fmt.Errorf("console session %w", ErrNotFound)
	}
	if err != nil {
		return s, err
	}
	s.Organizer = o
	return s, nil
}

// RevokeConsoleSession ends the session of token (signing out); ending one that is gone
// already is not an error.
func RevokeConsoleSession(ctx context.Context, q Querier, token string) error {
	if _, err := q.Exec(ctx, `UPDATE console_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`,
		tokenHash(token)); err != nil {
		return fmt.Errorf("revoke console session: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ConsoleSession is a signed-in organizer's session as the server keeps it.
type ConsoleSession struct {
	Username      string
	CredentialTag string
	ExpiresAt     time.Time
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateConsoleSession records a new session for token, valid for ttl by the database clock.
func CreateConsoleSession(ctx context.Context, pool *pgxpool.Pool, token string, s ConsoleSession, ttl time.Duration, clientNet string) error {
	_, err := pool.Exec(ctx, `INSERT INTO console_session (token_hash, username, credential_tag, client_net, expires_at)
		VALUES ($1, $2, $3, $4, now() + $5::interval)`, tokenHash(token), s.Username, s.CredentialTag, clientNet, ttl)
	if err != nil {
		return fmt.Errorf("create console session: %w", err)
	}
	return nil
}

// ActiveConsoleSession returns the session of token when it exists, is not revoked and has
// not expired; ErrNotFound otherwise.
func ActiveConsoleSession(ctx context.Context, pool *pgxpool.Pool, token string) (ConsoleSession, error) {
	var s ConsoleSession
	err := pool.QueryRow(ctx, `SELECT username, credential_tag, expires_at FROM console_session
		WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`, tokenHash(token)).
		Scan(&s.Username, &s.CredentialTag, &s.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("read console session: %w", err)
	}
	return s, nil
}

// RevokeConsoleSession ends the session of token (signing out); ending one that is gone
// already is not an error.
func RevokeConsoleSession(ctx context.Context, pool *pgxpool.Pool, token string) error {
	if _, err := pool.Exec(ctx, `UPDATE console_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`,
		tokenHash(token)); err != nil {
		return fmt.Errorf("revoke console session: %w", err)
	}
	return nil
}

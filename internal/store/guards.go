package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Hit counts one event against key in the current fixed window and reports whether the
// count is still within limit. The counter lives in the database so every replica sees it.
func Hit(ctx context.Context, pool *pgxpool.Pool, key string, window time.Duration, limit int) (bool, error) {
	var hits int
	err := pool.QueryRow(ctx, `INSERT INTO rate_limit (key, window_start, hits)
		VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2), 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit.hits + 1
		RETURNING hits`, key, window.Seconds()).Scan(&hits)
	if err != nil {
		return false, fmt.Errorf("count %s: %w", key, err)
	}
	return hits <= limit, nil
}

// Hits reads the count of key in the current window without adding to it.
func Hits(ctx context.Context, pool *pgxpool.Pool, key string, window time.Duration) (int, error) {
	var hits int
	err := pool.QueryRow(ctx, `SELECT coalesce(sum(hits), 0) FROM rate_limit
		WHERE key = $1 AND window_start = to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)`,
		key, window.Seconds()).Scan(&hits)
	if err != nil {
		return 0, fmt.Errorf("read count %s: %w", key, err)
	}
	return hits, nil
}

// SpendChallenge records a solved challenge; false means it was already spent (a replay).
func SpendChallenge(ctx context.Context, pool *pgxpool.Pool, id string, expires time.Time) (bool, error) {
	tag, err := pool.Exec(ctx, `INSERT INTO challenge_spent (id, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, expires)
	if err != nil {
		return false, fmt.Errorf("spend challenge: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// PruneGuards deletes expired counters and challenges.
func PruneGuards(ctx context.Context, pool *pgxpool.Pool, olderThan time.Duration) error {
	if _, err := pool.Exec(ctx, `DELETE FROM rate_limit WHERE window_start < now() - $1::interval`, olderThan); err != nil {
		return fmt.Errorf("prune rate limits: %w", err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM challenge_spent WHERE expires_at < now()`); err != nil {
		return fmt.Errorf("prune challenges: %w", err)
	}
	return nil
}

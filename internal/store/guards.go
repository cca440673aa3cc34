package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Counter is one rate-limit counter shared by every replica: a key counted in windows of
// the given length, by the database clock. What a counter reads is a sliding window's
// estimate: the current window's hits plus the previous window's, weighted by how much of
// the sliding window still overlaps it (as nginx's and Cloudflare's limiters do). Fixed
// windows alone forgot everything at each boundary: a network that had failed 80 challenges
// at 21:14:59 was a fresh network at 21:15:00.
type Counter struct {
	Key    string
	Window time.Duration
}

// rowKey is the counter's key in the table: the key and the window's length. One key is
// often limited over two lengths (a person's reset messages per hour and per day), and
// windows of different lengths can begin at the same instant (every day at 00:00 UTC, an
// hour's and a day's do): keyed by Key alone, both counted into one row then.
func (c Counter) rowKey() string {
	return c.Key + "/" + strconv.FormatFloat(c.Window.Seconds(), 'f', -1, 64)
}

// CounterKey builds a counter's key from its kind and the values it counts by. The values
// (a typed login, an address) are hashed, so a key has a fixed size whatever a stranger
// sends, and the table holds no personal data in clear.
func CounterKey(kind string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return kind + ":" + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}

// windowStart is the start of the current window of $2 seconds; windowWeight is how much
// of the sliding window still covers the previous one (1 at the boundary, 0 at the end).
const (
	windowStart  = `to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)`
	windowWeight = `(1 - (extract(epoch FROM now()) - floor(extract(epoch FROM now()) / $2) * $2) / $2)`
)

// Count adds one to the counter in its current window and returns the new count (the
// sliding estimate, Counter), in one atomic statement: callers count first and then
// decide, so concurrent requests cannot all pass a check made before any of them was
// counted.
func Count(ctx context.Context, pool *pgxpool.Pool, c Counter) (int, error) {
	var hits int
	err := pool.QueryRow(ctx, `WITH cur AS (
			INSERT INTO rate_limit (key, window_start, hits)
			VALUES ($1, `+windowStart+`, 1)
			ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit.hits + 1
			RETURNING hits, window_start)
		SELECT cur.hits + floor(coalesce(prev.hits, 0) * `+windowWeight+`)::int
		FROM cur LEFT JOIN rate_limit prev ON prev.key = $1 AND prev.window_start = cur.window_start - make_interval(secs => $2)`,
		c.rowKey(), c.Window.Seconds()).Scan(&hits)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", c.Key, err)
	}
	return hits, nil
}

// Reset clears the counter (a successful sign-in forgives the failures before it): the
// current window and the previous one, which the estimate still weighs.
func Reset(ctx context.Context, pool *pgxpool.Pool, c Counter) error {
	if _, err := pool.Exec(ctx, `DELETE FROM rate_limit WHERE key = $1
		AND window_start >= `+windowStart+` - make_interval(secs => $2)`, c.rowKey(), c.Window.Seconds()); err != nil {
		return fmt.Errorf("reset %s: %w", c.Key, err)
	}
	return nil
}

// Counts reads several counters (the sliding estimate, Counter) in one statement, without
// adding to them; the result is in the order given.
func Counts(ctx context.Context, pool *pgxpool.Pool, counters ...Counter) ([]int, error) {
	keys := make([]string, len(counters))
	secs := make([]float64, len(counters))
	for i, c := range counters {
		keys[i], secs[i] = c.rowKey(), c.Window.Seconds()
	}
	rows, err := pool.Query(ctx, `SELECT coalesce(cur.hits, 0) + floor(coalesce(prev.hits, 0) * w.weight)::int
		FROM unnest($1::text[], $2::float8[]) WITH ORDINALITY AS k(key, secs, n)
		CROSS JOIN LATERAL (SELECT to_timestamp(floor(extract(epoch FROM now()) / k.secs) * k.secs) AS start,
			1 - (extract(epoch FROM now()) - floor(extract(epoch FROM now()) / k.secs) * k.secs) / k.secs AS weight) w
		LEFT JOIN rate_limit cur ON cur.key = k.key AND cur.window_start = w.start
		LEFT JOIN rate_limit prev ON prev.key = k.key AND prev.window_start = w.start - make_interval(secs => k.secs)
		ORDER BY k.n`, keys, secs)
	if err != nil {
		return nil, fmt.Errorf("read counters: %w", err)
	}
	defer rows.Close()
	out := make([]int, 0, len(counters))
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("read counters: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read counters: %w", err)
	}
	return out, nil
}

// SpendChallenge records a challenge as used; false means it was already spent (a replay).
func SpendChallenge(ctx context.Context, pool *pgxpool.Pool, id string, expires time.Time) (bool, error) {
	tag, err := pool.Exec(ctx, `INSERT INTO challenge_spent (id, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, expires)
	if err != nil {
		return false, fmt.Errorf("spend challenge: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// PruneGuards deletes expired counters, challenges and console sessions.
func PruneGuards(ctx context.Context, pool *pgxpool.Pool, olderThan time.Duration) error {
	if _, err := pool.Exec(ctx, `DELETE FROM rate_limit WHERE window_start < now() - $1::interval`, olderThan); err != nil {
		return fmt.Errorf("prune rate limits: %w", err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM challenge_spent WHERE expires_at < now()`); err != nil {
		return fmt.Errorf("prune challenges: %w", err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM console_session WHERE expires_at < now() - $1::interval`, olderThan); err != nil {
		return fmt.Errorf("prune console sessions: %w", err)
	}
	return nil
}

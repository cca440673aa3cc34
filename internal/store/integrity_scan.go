package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The review queue's stored scans (migration 0012): one row per round, claimed by the
// replica that runs its scan in the background.

// IntegrityScanState is where a round's scans stand.
type IntegrityScanState struct {
	// ScannedAt is when the latest finished scan started (zero: none has finished).
	ScannedAt time.Time
	// Age is how long ago that was (database clock).
	Age time.Duration
	// Running: a scan holds an unexpired lease.
	Running bool
	// Failed says why the last scan failed, when it did after the latest result.
	Failed string
}

// ClaimIntegrityScan claims the round's next scan for lease, and returns the claim and
// when the scan starts; false when a scan already holds an unexpired lease, or when the
// latest result is younger than stale and force is not asked. One statement, so two
// replicas asking at once get one claim between them.
func ClaimIntegrityScan(ctx context.Context, q Querier, contestID, round, claim string, force bool, stale, lease time.Duration) (time.Time, bool, error) {
	var at time.Time
	err := q.QueryRow(ctx, `
		INSERT INTO integrity_scan AS s (contest_id, round, started_at, claim, lease_until)
		VALUES ($1, $2, now(), $3, now() + make_interval(secs => $4))
		ON CONFLICT (contest_id, round) DO UPDATE
		SET started_at = now(), claim = EXCLUDED.claim, lease_until = EXCLUDED.lease_until
		WHERE (s.lease_until IS NULL OR s.lease_until <= now())
		  AND ($5 OR s.scanned_at IS NULL OR s.scanned_at <= now() - make_interval(secs => $6))
		RETURNING started_at`,
		contestID, round, claim, lease.Seconds(), force, stale.Seconds()).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("claim the scan of round %s: %w", round, err)
	}
	return at, true, nil
}

// FinishIntegrityScan stores the result of the claimed scan as the round's latest and
// ends the lease; false when the claim was lost (its lease expired and another replica
// claimed the round), and then nothing changes.
func FinishIntegrityScan(ctx context.Context, q Querier, contestID, round, claim string, result []byte) (bool, error) {
	tag, err := q.Exec(ctx, `
		UPDATE integrity_scan SET result = $4, scanned_at = started_at, claim = NULL, lease_until = NULL, failed = NULL
		WHERE contest_id = $1 AND round = $2 AND claim = $3`, contestID, round, claim, result)
	if err != nil {
		return false, fmt.Errorf("store the scan of round %s: %w", round, err)
	}
	return tag.RowsAffected() == 1, nil
}

// FailIntegrityScan ends the claimed scan's lease with the reason it failed; the latest
// result stays.
func FailIntegrityScan(ctx context.Context, q Querier, contestID, round, claim, why string) error {
	if _, err := q.Exec(ctx, `
		UPDATE integrity_scan SET claim = NULL, lease_until = NULL, failed = left($4, 500)
		WHERE contest_id = $1 AND round = $2 AND claim = $3`, contestID, round, claim, why); err != nil {
		return fmt.Errorf("record the failed scan of round %s: %w", round, err)
	}
	return nil
}

// IntegrityScanStateOf says where the round's scans stand; ErrNotFound when none was ever
// claimed.
func IntegrityScanStateOf(ctx context.Context, q Querier, contestID, round string) (IntegrityScanState, error) {
	var s IntegrityScanState
	var at *time.Time
	var age float64
	err := q.QueryRow(ctx, `
		SELECT scanned_at, coalesce(extract(epoch FROM now() - scanned_at), 0), coalesce(lease_until > now(), false), coalesce(failed, '')
		FROM integrity_scan WHERE contest_id = $1 AND round = $2`, contestID, round).Scan(&at, &age, &s.Running, &s.Failed)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, fmt.Errorf("scan of round %s: %w", round, ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("read the scan state of round %s: %w", round, err)
	}
	if at != nil {
		s.ScannedAt, s.Age = *at, time.Duration(age*float64(time.Second))
	}
	return s, nil
}

// IntegrityScanResult returns the round's latest finished scan and when it started;
// ErrNotFound when none has finished.
func IntegrityScanResult(ctx context.Context, q Querier, contestID, round string) ([]byte, time.Time, error) {
	var result []byte
	var at *time.Time
	err := q.QueryRow(ctx, `SELECT result, scanned_at FROM integrity_scan WHERE contest_id = $1 AND round = $2`,
		contestID, round).Scan(&result, &at)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && at == nil {
		return nil, time.Time{}, fmt.Errorf("scan result of round %s: %w", round, ErrNotFound)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("read the scan of round %s: %w", round, err)
	}
	return result, *at, nil
}

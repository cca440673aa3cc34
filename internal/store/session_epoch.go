package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SessionEpoch is the number a contestant's valid session cookies carry; ErrNotFound when
// the contestant is not in the contest.
func SessionEpoch(ctx context.Context, q Querier, contestID string, contestantID int64) (int64, error) {
	var epoch int64
	err := q.QueryRow(ctx, `SELECT session_epoch FROM contestant WHERE id = $1 AND contest_id = $2`,
		contestantID, contestID).Scan(&epoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("session epoch of contestant %d: %w", contestantID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("session epoch of contestant %d: %w", contestantID, err)
	}
	return epoch, nil
}

// SessionHolder is what checking a session reads of its contestant: the epoch it must
// carry, and the name every page shows.
func SessionHolder(ctx context.Context, q Querier, contestID string, contestantID int64) (epoch int64, fullName string, err error) {
	err = q.QueryRow(ctx, `SELECT session_epoch, full_name FROM contestant WHERE id = $1 AND contest_id = $2`,
		contestantID, contestID).Scan(&epoch, &fullName)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", fmt.Errorf("session of contestant %d: %w", contestantID, ErrNotFound)
	}
	if err != nil {
		return 0, "", fmt.Errorf("session of contestant %d: %w", contestantID, err)
	}
	return epoch, fullName, nil
}

// EndSessions ends every session of a contestant (every device) and returns the new epoch,
// which the session that asked may carry on with.
func EndSessions(ctx context.Context, q Querier, contestID string, contestantID int64) (int64, error) {
	var epoch int64
	err := q.QueryRow(ctx, `UPDATE contestant SET session_epoch = session_epoch + 1
		WHERE id = $1 AND contest_id = $2 RETURNING session_epoch`, contestantID, contestID).Scan(&epoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("end sessions of contestant %d: %w", contestantID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("end sessions of contestant %d: %w", contestantID, err)
	}
	return epoch, nil
}

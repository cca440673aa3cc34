package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Kinds of password reset: a link token is found by its hash alone; a code is short, so it
// is found by its contestant (the newest live one) and its tries are counted.
const (
	ResetLink = "link"
	ResetCode = "code"
)

// Channels a reset's secret reaches the person by.
const (
	ChannelEmail    = "email"
	ChannelSMS      = "sms"
	ChannelHelpdesk = "helpdesk"
)

// NewPasswordReset is a reset to record. SecretHash is the secret's HMAC with the app's key
// (32 bytes); the secret itself never reaches the database. Now and Expires are the app's
// clock: expiry is decided by it everywhere (see the migration).
type NewPasswordReset struct {
	ContestID    string
	ContestantID int64
	Kind         string
	Channel      string
	SecretHash   []byte
	// IssuedBy names the organizer who issued a helpdesk code.
	IssuedBy string
	// RevokeAll revokes every other live reset of the contestant, links included, not only
	// its codes: a helpdesk's code follows a check of the person by a human, and nothing
	// issued before that check should stay open beside it.
	RevokeAll bool
	Now       time.Time
	Expires   time.Time
}

// PasswordReset is a live reset as read back.
type PasswordReset struct {
	ID           int64
	ContestantID int64
	Kind         string
	Channel      string
	SecretHash   []byte
	// Attempts are the tries at a code so far, the current one included.
	Attempts  int
	ExpiresAt time.Time
}

// credentialTag is the SQL of the tag of c's password hash, as stored in credential_tag.
const credentialTag = `sha256(convert_to(c.password_hash, 'UTF8'))`

// liveAt is the condition of a reset r of contestant c that can still be used at the time
// in parameter now: not used, not revoked, not expired, and the password unchanged since it
// was issued.
func liveAt(now string) string {
	return `r.used_at IS NULL AND r.revoked_at IS NULL AND r.expires_at > ` + now + `
	AND r.credential_tag = ` + credentialTag
}

// lockContestant takes the contestant's row for the transaction, so that everything that
// issues, spends or revokes its resets runs one after the other (one lock order: the
// contestant, then its resets). FOR NO KEY UPDATE does not block starting an attempt, whose
// foreign key takes a key-share lock. ErrNotFound when the contestant is not in the contest.
func lockContestant(ctx context.Context, tx pgx.Tx, contestID string, id int64) error {
	var got int64
	err := tx.QueryRow(ctx, `SELECT id FROM contestant WHERE id = $1 AND contest_id = $2 FOR NO KEY UPDATE`, id, contestID).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("contestant %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("lock contestant: %w", err)
	}
	return nil
}

func checkNewReset(r NewPasswordReset) error {
	switch {
	case r.Kind != ResetLink && r.Kind != ResetCode:
		return fmt.Errorf("password reset kind %q: want %q or %q", r.Kind, ResetLink, ResetCode)
	case r.Channel != ChannelEmail && r.Channel != ChannelSMS && r.Channel != ChannelHelpdesk:
		return fmt.Errorf("password reset channel %q: want email, sms or helpdesk", r.Channel)
	}
	return checkSecret(r)
}

// checkSecret checks what every new reset needs besides its kind and channel.
func checkSecret(r NewPasswordReset) error {
	switch {
	case len(r.SecretHash) != 32:
		return fmt.Errorf("password reset secret hash has %d bytes, want 32", len(r.SecretHash))
	case !r.Expires.After(r.Now):
		return errors.New("password reset expires before it is issued")
	}
	return nil
}

// IssuePasswordReset records a reset for a contestant, bound to its current password hash,
// and returns its id; in the caller's transaction when q is one (the helpdesk's code and its
// audit entry commit together). A new code revokes the contestant's other live codes: one
// code at a time can be guessed at, and the person types the newest one; with RevokeAll,
// the live links go too. ErrNotFound when the contestant is not in the contest.
func IssuePasswordReset(ctx context.Context, q Querier, r NewPasswordReset) (int64, error) {
	if err := checkNewReset(r); err != nil {
		return 0, err
	}
	var id int64
	err := pgx.BeginFunc(ctx, q, func(tx pgx.Tx) error {
		if err := lockContestant(ctx, tx, r.ContestID, r.ContestantID); err != nil {
			return err
		}
		if r.Kind == ResetCode || r.RevokeAll {
			if _, err := tx.Exec(ctx, `UPDATE password_reset SET revoked_at = $2
				WHERE contestant_id = $1 AND (kind = 'code' OR $3) AND used_at IS NULL AND revoked_at IS NULL`,
				r.ContestantID, r.Now, r.RevokeAll); err != nil {
				return fmt.Errorf("revoke older resets: %w", err)
			}
		}
		var err error
		id, err = insertReset(ctx, tx, r)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("issue password reset: %w", err)
	}
	return id, nil
}

func insertReset(ctx context.Context, tx pgx.Tx, r NewPasswordReset) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO password_reset
		(contestant_id, kind, channel, secret_hash, credential_tag, issued_by, created_at, expires_at)
		SELECT c.id, $2, $3, $4, `+credentialTag+`, $5, $6, $7 FROM contestant c WHERE c.id = $1
		RETURNING id`, r.ContestantID, r.Kind, r.Channel, r.SecretHash, r.IssuedBy, r.Now, r.Expires).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("contestant %d: %w", r.ContestantID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("insert password reset: %w", err)
	}
	return id, nil
}

func scanReset(row pgx.Row) (PasswordReset, error) {
	var r PasswordReset
	err := row.Scan(&r.ID, &r.ContestantID, &r.Kind, &r.Channel, &r.SecretHash, &r.Attempts, &r.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("password reset: %w", ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read password reset: %w", err)
	}
	return r, nil
}

const resetColumns = `r.id, r.contestant_id, r.kind, r.channel, r.secret_hash, r.attempts, r.expires_at`

// LiveResetLink returns the link reset whose secret has hash when it can still be used at
// now (see liveAt); ErrNotFound otherwise, whatever the reason (unknown, used, revoked,
// expired, or the password changed since). It spends nothing: a mail scanner that opens the
// link does not use it up.
func LiveResetLink(ctx context.Context, pool *pgxpool.Pool, contestID string, hash []byte, now time.Time) (PasswordReset, error) {
	return scanReset(pool.QueryRow(ctx, `SELECT `+resetColumns+`
		FROM password_reset r JOIN contestant c ON c.id = r.contestant_id
		WHERE r.secret_hash = $1 AND r.kind = 'link' AND c.contest_id = $2 AND `+liveAt("$3"),
		hash, contestID, now))
}

// TryResetCode counts one try at the contestant's live code and returns the code with its
// tries so far, this one included: count first, then check, so concurrent guesses cannot
// all pass a check made before any was counted. A code tried maxTries times is no longer
// live. ErrNotFound when the contestant has no live code.
func TryResetCode(ctx context.Context, pool *pgxpool.Pool, contestID string, contestantID int64, maxTries int, now time.Time) (PasswordReset, error) {
	// The outer condition is checked again on the row as it is once a concurrent try
	// commits, so two tries at the last allowed count cannot both pass.
	return scanReset(pool.QueryRow(ctx, `UPDATE password_reset r SET attempts = r.attempts + 1
		WHERE r.id = (SELECT r.id FROM password_reset r JOIN contestant c ON c.id = r.contestant_id
			WHERE r.contestant_id = $1 AND c.contest_id = $2 AND r.kind = 'code' AND r.attempts < $4
			AND `+liveAt("$3")+`
			ORDER BY r.id DESC LIMIT 1)
		AND r.used_at IS NULL AND r.revoked_at IS NULL AND r.attempts < $4
		RETURNING `+resetColumns, contestantID, contestID, now, maxTries))
}

// ExchangeResetCode spends a code that was just checked and issues a link reset in its
// place (same contestant, the code's channel, bound to the same password hash), in one
// transaction: the person then chooses the new password on the link's page, as after an
// email. ErrNotFound when the code is no longer live (spent by a concurrent try, revoked,
// expired).
func ExchangeResetCode(ctx context.Context, pool *pgxpool.Pool, contestID string, codeID int64, link NewPasswordReset) error {
	link.Kind, link.ContestID = ResetLink, contestID
	if err := checkSecret(link); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := lockContestant(ctx, tx, contestID, link.ContestantID); err != nil {
			return err
		}
		var channel string
		err := tx.QueryRow(ctx, `UPDATE password_reset r SET used_at = $3
			FROM contestant c
			WHERE r.id = $1 AND r.contestant_id = $2 AND r.kind = 'code' AND c.id = r.contestant_id
			AND `+liveAt("$3")+`
			RETURNING r.channel`, codeID, link.ContestantID, link.Now).Scan(&channel)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("code %d: %w", codeID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("spend code: %w", err)
		}
		link.Channel = channel
		_, err = insertReset(ctx, tx, link)
		return err
	})
	if err != nil {
		return fmt.Errorf("exchange reset code: %w", err)
	}
	return nil
}

// ResetPassword spends the live link reset whose secret has hash, sets its contestant's
// password hash and revokes every other live reset of the contestant, in one transaction,
// and returns the spent reset. Of concurrent uses of one link only one succeeds; the others,
// like a used, revoked, expired or unknown link, get ErrNotFound.
func ResetPassword(ctx context.Context, pool *pgxpool.Pool, contestID string, hash []byte, passwordHash string, now time.Time) (PasswordReset, error) {
	var spent PasswordReset
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var contestant int64
		err := tx.QueryRow(ctx, `SELECT contestant_id FROM password_reset WHERE secret_hash = $1 AND kind = 'link'`, hash).Scan(&contestant)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("password reset: %w", ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("find password reset: %w", err)
		}
		if err := lockContestant(ctx, tx, contestID, contestant); err != nil {
			return err
		}
		// Under the contestant's lock: a concurrent use has either committed (the link is
		// used, the password changed) or not begun.
		spent, err = scanReset(tx.QueryRow(ctx, `UPDATE password_reset r SET used_at = $3
			FROM contestant c
			WHERE r.secret_hash = $1 AND r.kind = 'link' AND r.contestant_id = $2 AND c.id = r.contestant_id
			AND `+liveAt("$3")+`
			RETURNING `+resetColumns, hash, contestant, now))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE contestant SET password_hash = $2, session_epoch = session_epoch + 1 WHERE id = $1`, contestant, passwordHash); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE password_reset SET revoked_at = $2
			WHERE contestant_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, contestant, now); err != nil {
			return fmt.Errorf("revoke other resets: %w", err)
		}
		return nil
	})
	if err != nil {
		return PasswordReset{}, fmt.Errorf("reset password: %w", err)
	}
	return spent, nil
}

// RevokePasswordResets ends every live reset of a contestant and says how many there were.
func RevokePasswordResets(ctx context.Context, pool *pgxpool.Pool, contestID string, contestantID int64, now time.Time) (int, error) {
	tag, err := pool.Exec(ctx, `UPDATE password_reset r SET revoked_at = $3
		FROM contestant c
		WHERE r.contestant_id = $1 AND c.id = r.contestant_id AND c.contest_id = $2
		AND r.used_at IS NULL AND r.revoked_at IS NULL`, contestantID, contestID, now)
	if err != nil {
		return 0, fmt.Errorf("revoke password resets: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// ContestantsByEmail lists at most limit contestants of a contest registered with the email
// address (letter case aside), oldest first.
func ContestantsByEmail(ctx context.Context, pool *pgxpool.Pool, contestID, email string, limit int) ([]Contestant, error) {
	rows, err := pool.Query(ctx, `SELECT `+contestantColumns+` FROM contestant
		WHERE contest_id = $1 AND lower(email) = lower($2) AND email IS NOT NULL ORDER BY id LIMIT $3`, contestID, email, limit)
	if err != nil {
		return nil, fmt.Errorf("find contestants by email: %w", err)
	}
	defer rows.Close()
	var out []Contestant
	for rows.Next() {
		ct, err := scanContestant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ct)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find contestants by email: %w", err)
	}
	return out, nil
}

// PrunePasswordResets deletes resets that expired more than olderThan ago (by the app's
// clock, now); used and revoked ones are kept until then, for the helpdesk's questions.
func PrunePasswordResets(ctx context.Context, pool *pgxpool.Pool, now time.Time, olderThan time.Duration) error {
	if _, err := pool.Exec(ctx, `DELETE FROM password_reset WHERE expires_at < $1`, now.Add(-olderThan)); err != nil {
		return fmt.Errorf("prune password resets: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Organizer is an organizer account.
type Organizer struct {
	ID                 int64      `json:"-"`
	Username           string     `json:"username"`
	Role               string     `json:"role"`
	PasswordHash       string     `json:"-"`
	CredentialVersion  int        `json:"-"`
	MustChangePassword bool       `json:"mustChangePassword"`
	Source             string     `json:"source"`
	CreatedAt          time.Time  `json:"-"`
	CreatedBy          string     `json:"-"`
	DisabledAt         *time.Time `json:"disabledAt,omitempty"`
	LastSignInAt       *time.Time `json:"-"`
}

// Active says whether the account may sign in.
func (o *Organizer) Active() bool { return o.DisabledAt == nil }

// Where an account comes from.
const (
	SourceSecret  = "secret"
	SourceCLI     = "cli"
	SourceConsole = "console"
)

// ErrOrganizerExists refuses a second account with a username already taken.
var ErrOrganizerExists = errors.New("an organizer account with this username exists")

// ErrLastAdmin refuses a change that would leave no enabled admin account: nobody could
// manage accounts from the console any more.
var ErrLastAdmin = errors.New("this is the last enabled admin account")

// ErrOrganizerNotFound is wrapped when there is no such account.
var ErrOrganizerNotFound = fmt.Errorf("organizer account %w", ErrNotFound)

const organizerColumns = `id, username, role, password_hash, credential_version, must_change_password, source,
	created_at, created_by, disabled_at, last_sign_in_at`

func scanOrganizer(row pgx.Row) (Organizer, error) {
	var o Organizer
	err := row.Scan(&o.ID, &o.Username, &o.Role, &o.PasswordHash, &o.CredentialVersion, &o.MustChangePassword, &o.Source,
		&o.CreatedAt, &o.CreatedBy, &o.DisabledAt, &o.LastSignInAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, ErrOrganizerNotFound
	}
	if err != nil {
		return o, fmt.Errorf("read organizer account: %w", err)
	}
	return o, nil
}

// CreateOrganizer stores a new account.
func CreateOrganizer(ctx context.Context, q Querier, o Organizer) (Organizer, error) {
	created, err := scanOrganizer(q.QueryRow(ctx, `INSERT INTO organizer (username, role, password_hash, must_change_password, source, created_by)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+organizerColumns,
		o.Username, o.Role, o.PasswordHash, o.MustChangePassword, o.Source, o.CreatedBy))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return created, ErrOrganizerExists
	}
	return created, err
}

// OrganizerByUsername reads one account, disabled or not.
func OrganizerByUsername(ctx context.Context, q Querier, username string) (Organizer, error) {
	return scanOrganizer(q.QueryRow(ctx, `SELECT `+organizerColumns+` FROM organizer WHERE username = $1`, username))
}

// lockOrganizer reads one account for an update in the caller's transaction.
func lockOrganizer(ctx context.Context, q Querier, username string) (Organizer, error) {
	return scanOrganizer(q.QueryRow(ctx, `SELECT `+organizerColumns+` FROM organizer WHERE username = $1 FOR UPDATE`, username))
}

// ListOrganizers returns every account, by username.
func ListOrganizers(ctx context.Context, q Querier) ([]Organizer, error) {
	rows, err := q.Query(ctx, `SELECT `+organizerColumns+` FROM organizer ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list organizer accounts: %w", err)
	}
	defer rows.Close()
	var out []Organizer
	for rows.Next() {
		o, err := scanOrganizer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CountActiveAdmins is how many enabled accounts have the admin role.
func CountActiveAdmins(ctx context.Context, q Querier) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM organizer WHERE role = 'admin' AND disabled_at IS NULL`).Scan(&n)
	return n, err
}

// OrganizerChange changes one account in the caller's transaction and returns it before
// and after. Every change that takes a right away (disabling, a new password, a lower
// role) also revokes the account's sessions.
type OrganizerChange struct {
	Role *string
	// PasswordHash, when set, replaces the password; MustChange says whether it is a
	// one-time password to replace at the next sign-in.
	PasswordHash *string
	MustChange   bool
	Disable      bool
	Enable       bool
	// KeepAnAdmin refuses the change (ErrLastAdmin) if it leaves no enabled admin: the
	// console asks for it, so nobody locks the organizers out of their accounts page; the
	// command line and the Secret, which can always make a new admin, do not.
	KeepAnAdmin bool
}

// ChangeOrganizer applies change to the account username.
func ChangeOrganizer(ctx context.Context, q Querier, username string, change OrganizerChange) (before, after Organizer, err error) {
	err = pgx.BeginFunc(ctx, q, func(tx pgx.Tx) error {
		before, err = lockOrganizer(ctx, tx, username)
		if err != nil {
			return err
		}
		after, err = scanOrganizer(tx.QueryRow(ctx, `UPDATE organizer SET
			role = coalesce($2, role),
			password_hash = coalesce($3, password_hash),
			credential_version = credential_version + CASE WHEN $3::text IS NULL THEN 0 ELSE 1 END,
			must_change_password = CASE WHEN $3::text IS NULL THEN must_change_password ELSE $4 END,
			disabled_at = CASE WHEN $5 THEN coalesce(disabled_at, now()) WHEN $6 THEN NULL ELSE disabled_at END
			WHERE id = $1 RETURNING `+organizerColumns,
			before.ID, change.Role, change.PasswordHash, change.MustChange, change.Disable, change.Enable))
		if err != nil {
			return err
		}
		if change.KeepAnAdmin && before.Role == "admin" && before.Active() && (change.Disable || (change.Role != nil && *change.Role != "admin")) {
			admins, err := CountActiveAdmins(ctx, tx)
			if err != nil {
				return err
			}
			if admins == 0 {
				return ErrLastAdmin
			}
		}
		lowered := change.Role != nil && *change.Role != before.Role
		if change.Disable || change.PasswordHash != nil || lowered {
			if _, err := tx.Exec(ctx, `UPDATE console_session SET revoked_at = now() WHERE organizer_id = $1 AND revoked_at IS NULL`, before.ID); err != nil {
				return fmt.Errorf("revoke sessions: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return before, after, fmt.Errorf("change organizer account %s: %w", username, err)
	}
	return before, after, nil
}

// ProvisionedOrganizer is an account as the Kubernetes Secret lists it.
type ProvisionedOrganizer struct {
	Username     string `json:"username"`
	Role         string `json:"role"`
	PasswordHash string `json:"passwordHash"`
}

// ProvisionResult says what provisioning changed, for the audit log and the start-up log.
type ProvisionResult struct {
	Created, Updated, Disabled []string
}

// ProvisionOrganizers makes the accounts listed in the Secret exist, enabled, with the
// Secret's role and password; accounts that came from the Secret and are no longer listed
// are disabled. Accounts made otherwise are left alone, except that a listed username
// becomes the Secret's.
func ProvisionOrganizers(ctx context.Context, q Querier, listed []ProvisionedOrganizer) (ProvisionResult, error) {
	var res ProvisionResult
	err := pgx.BeginFunc(ctx, q, func(tx pgx.Tx) error {
		// Every replica provisions at start; one at a time.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('organizer-provisioning'))`); err != nil {
			return err
		}
		names := make([]string, 0, len(listed))
		for _, p := range listed {
			names = append(names, p.Username)
			cur, err := lockOrganizer(ctx, tx, p.Username)
			switch {
			case errors.Is(err, ErrNotFound):
				if _, err := CreateOrganizer(ctx, tx, Organizer{Username: p.Username, Role: p.Role, PasswordHash: p.PasswordHash,
					Source: SourceSecret, CreatedBy: "secret"}); err != nil {
					return err
				}
				res.Created = append(res.Created, p.Username)
				continue
			case err != nil:
				return err
			}
			if cur.Role == p.Role && cur.PasswordHash == p.PasswordHash && cur.Active() && cur.Source == SourceSecret {
				continue
			}
			change := OrganizerChange{Role: &p.Role, Enable: true}
			if cur.PasswordHash != p.PasswordHash {
				change.PasswordHash = &p.PasswordHash
			}
			if _, _, err := ChangeOrganizer(ctx, tx, p.Username, change); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE organizer SET source = 'secret' WHERE username = $1`, p.Username); err != nil {
				return err
			}
			res.Updated = append(res.Updated, p.Username)
		}
		rows, err := tx.Query(ctx, `SELECT username FROM organizer WHERE source = 'secret' AND disabled_at IS NULL AND NOT username = ANY($1)`, names)
		if err != nil {
			return err
		}
		gone, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, u := range gone {
			if _, _, err := ChangeOrganizer(ctx, tx, u, OrganizerChange{Disable: true}); err != nil {
				return err
			}
			res.Disabled = append(res.Disabled, u)
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("provision organizer accounts: %w", err)
	}
	return res, nil
}

// NoteSignIn records an account's sign-in time.
func NoteSignIn(ctx context.Context, q Querier, id int64) error {
	_, err := q.Exec(ctx, `UPDATE organizer SET last_sign_in_at = now() WHERE id = $1`, id)
	return err
}

// OrganizersExist says whether any account exists (the console's sign-in page says how to
// make the first one when none does).
func OrganizersExist(ctx context.Context, q Querier) (bool, error) {
	var exists bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizer)`).Scan(&exists)
	return exists, err
}

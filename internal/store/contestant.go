package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/unit"
)

// Contestant is one person's registration in one contest, as stored.
type Contestant struct {
	ID               int64
	ContestID        string
	NationalID       string
	Phone            string
	FullName         string
	BirthDate        time.Time
	Gender           string
	Email            string
	ParticipantGroup string
	Organization     string
	LocalityCode     string
	PasswordHash     string
	Ineligible       bool
	CreatedAt        time.Time
	// UnitCode is the unit chosen from the contest's list; "" when the person typed free
	// text only (Organization), as residents and people of unlisted units do.
	UnitCode string
	// SessionEpoch is what the person's session cookies must carry to be valid (EndSessions).
	SessionEpoch int64
	// RegisteredNet is the network the registration came from (/24 of IPv4, /64 of IPv6),
	// for the review queue; "" when not recorded. Written, never read back here.
	RegisteredNet string
}

// Registration conflicts: the person (national ID) or the phone is already registered.
var (
	ErrNationalIDTaken = errors.New("national ID already registered in this contest")
	ErrPhoneTaken      = errors.New("phone already registered in this contest")
	ErrUnknownLocality = errors.New("locality is not in the contest's list")
)

// CreateContestant registers a person. Uniqueness is the database's job (constraints), so
// two concurrent registrations with one national ID cannot both succeed. The organization's
// spelling (unit.Key) is stored with it, for the console to map spellings to units.
func CreateContestant(ctx context.Context, pool *pgxpool.Pool, c Contestant) (int64, error) {
	var email *string
	if c.Email != "" {
		email = &c.Email
	}
	var unitCode *string
	if c.UnitCode != "" {
		unitCode = &c.UnitCode
	}
	var id int64
	err := pool.QueryRow(ctx, `INSERT INTO contestant
		(contest_id, national_id, phone, full_name, birth_date, gender, email, participant_group, organization, locality_code, password_hash, unit_code,
		 organization_key, registered_net)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		c.ContestID, c.NationalID, c.Phone, c.FullName, c.BirthDate, c.Gender, email, c.ParticipantGroup,
		c.Organization, c.LocalityCode, c.PasswordHash, unitCode, unit.Key(c.Organization), nullIfEmpty(c.RegisteredNet)).Scan(&id)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "23505" && pgErr.ConstraintName == "contestant_contest_id_national_id_key":
			return 0, ErrNationalIDTaken
		case pgErr.Code == "23505" && pgErr.ConstraintName == "contestant_contest_id_phone_key":
			return 0, ErrPhoneTaken
		case pgErr.Code == "23503" && pgErr.ConstraintName == "contestant_contest_id_locality_code_fkey":
			return 0, ErrUnknownLocality
		case pgErr.Code == "23503" && pgErr.ConstraintName == "contestant_unit_fkey":
			return 0, ErrUnknownUnit
		}
	}
	if err != nil {
		return 0, fmt.Errorf("insert contestant: %w", err)
	}
	return id, nil
}

const contestantColumns = `id, contest_id, national_id, phone, full_name, birth_date, gender, coalesce(email, ''),
	participant_group, organization, locality_code, password_hash, ineligible, created_at, coalesce(unit_code, ''), session_epoch`

func scanContestant(row pgx.Row) (Contestant, error) {
	var c Contestant
	err := row.Scan(&c.ID, &c.ContestID, &c.NationalID, &c.Phone, &c.FullName, &c.BirthDate, &c.Gender, &c.Email,
		&c.ParticipantGroup, &c.Organization, &c.LocalityCode, &c.PasswordHash, &c.Ineligible, &c.CreatedAt, &c.UnitCode, &c.SessionEpoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("read contestant: %w", err)
	}
	return c, nil
}

// ContestantByLogin finds a contestant by phone or national ID (both normalized digits).
func ContestantByLogin(ctx context.Context, pool *pgxpool.Pool, contestID, login string) (Contestant, error) {
	return scanContestant(pool.QueryRow(ctx, `SELECT `+contestantColumns+` FROM contestant
		WHERE contest_id = $1 AND (phone = $2 OR national_id = $2)`, contestID, login))
}

// ContestantByID reads one contestant of a contest.
func ContestantByID(ctx context.Context, pool *pgxpool.Pool, contestID string, id int64) (Contestant, error) {
	return scanContestant(pool.QueryRow(ctx, `SELECT `+contestantColumns+` FROM contestant
		WHERE contest_id = $1 AND id = $2`, contestID, id))
}

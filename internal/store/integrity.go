package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/integrity"
)

// The review queue's reads (internal/integrity decides; these narrow what it reads, so a
// round of a million attempts is never loaded whole) and the organizers' decisions.

const integrityAttemptColumns = `id, contestant_id, started_at, submitted_at, status = 'submitted',
	coalesce(correct, 0), total, coalesce(client_net, ''), coalesce(encode(device_tag, 'hex'), ''), save_count,
	first_save_at, last_save_at`

func scanIntegrityAttempt(row pgx.Row, more ...any) (integrity.Attempt, error) {
	var a integrity.Attempt
	var correct, total int16
	var submitted, first, last *time.Time
	dest := append([]any{&a.ID, &a.ContestantID, &a.StartedAt, &submitted, &a.Submitted, &correct, &total,
		&a.Net, &a.Device, &a.Saves, &first, &last}, more...)
	if err := row.Scan(dest...); err != nil {
		return a, err
	}
	a.Correct, a.Total = int(correct), int(total)
	for _, t := range []struct{ from, to *time.Time }{{submitted, &a.SubmittedAt}, {first, &a.FirstSave}, {last, &a.LastSave}} {
		if t.from != nil {
			*t.to = *t.from
		}
	}
	return a, nil
}

func collectIntegrityAttempts(rows pgx.Rows, err error, what string) ([]integrity.Attempt, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []integrity.Attempt
	for rows.Next() {
		a, err := scanIntegrityAttempt(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// FastPerfectAttempts returns up to limit attempts of the round submitted with every
// answer right in less time than under, fastest first.
func FastPerfectAttempts(ctx context.Context, q Querier, round string, under time.Duration, limit int) ([]integrity.Attempt, error) {
	rows, err := q.Query(ctx, `SELECT `+integrityAttemptColumns+` FROM attempt
		WHERE round = $1 AND status = 'submitted' AND correct = total AND submitted_at - started_at < $2
		ORDER BY submitted_at - started_at, id LIMIT $3`, round, under, limit)
	return collectIntegrityAttempts(rows, err, "read fast perfect attempts")
}

// SharedNetworkAttempts returns up to limit attempts of the round, by network and start,
// that could be part of a shared device (deviceAccounts accounts on one network and device
// tag within window) or a shared network (networkAccounts accounts on one network within
// window), and few others: those of a time bucket as wide as the window that, with the
// next bucket or the previous one, holds that many accounts of the device or network. A
// window lies in two adjacent buckets, so no attempt of such a window is left out; a
// network busy over the round but never within a window is not read at all.
func SharedNetworkAttempts(ctx context.Context, q Querier, round string, deviceAccounts, networkAccounts int, window time.Duration, limit int) ([]integrity.Attempt, error) {
	rows, err := q.Query(ctx, `WITH a AS MATERIALIZED (
			SELECT id, contestant_id, started_at, submitted_at, status, correct, total, client_net, device_tag, save_count,
				first_save_at, last_save_at, floor(extract(epoch FROM started_at) / $4)::bigint AS bk
			FROM attempt WHERE round = $1 AND client_net IS NOT NULL),
		pairs AS (SELECT client_net, device_tag, bk AS pk, contestant_id FROM a
			UNION ALL SELECT client_net, device_tag, bk - 1, contestant_id FROM a),
		devices AS (SELECT DISTINCT client_net, device_tag, pk + x AS bk FROM (
				SELECT client_net, device_tag, pk FROM pairs WHERE device_tag IS NOT NULL
				GROUP BY client_net, device_tag, pk HAVING count(DISTINCT contestant_id) >= $2) d, (VALUES (0), (1)) v(x)),
		nets AS (SELECT DISTINCT client_net, pk + x AS bk FROM (
				SELECT client_net, pk FROM pairs GROUP BY client_net, pk HAVING count(DISTINCT contestant_id) >= $3) n, (VALUES (0), (1)) v(x))
		SELECT `+integrityAttemptColumns+` FROM a
		WHERE EXISTS (SELECT 1 FROM devices d WHERE d.client_net = a.client_net AND d.device_tag = a.device_tag AND d.bk = a.bk)
			OR EXISTS (SELECT 1 FROM nets n WHERE n.client_net = a.client_net AND n.bk = a.bk)
		ORDER BY client_net, started_at, id LIMIT $5`, round, deviceAccounts, networkAccounts, window.Seconds(), limit)
	return collectIntegrityAttempts(rows, err, "read attempts of shared networks")
}

// NeighbourAttempts returns the submitted attempts of the round that have a neighbour: an
// attempt of another account started within tolerance of it and submitted within
// tolerance too. They come with their choices (integrity.ChoicesOf), which only these are
// read for. At most limit pairs are looked at, the closest first; more says there were
// more.
//
// The pairs are found by a hash join on time buckets as wide as the tolerance (two
// instants within it fall in the same or adjacent buckets), so the database compares only
// attempts that are close on both counts, never every pair of the round.
func NeighbourAttempts(ctx context.Context, q Querier, round string, tolerance time.Duration, limit int) (attempts []integrity.Attempt, more bool, err error) {
	rows, err := q.Query(ctx, `WITH t AS MATERIALIZED (
			SELECT id, contestant_id, started_at, submitted_at,
				floor(extract(epoch FROM started_at) / $2)::bigint AS sb,
				floor(extract(epoch FROM submitted_at) / $2)::bigint AS eb
			FROM attempt WHERE round = $1 AND status = 'submitted'),
		pairs AS (
			SELECT a.id AS a, b.id AS b FROM t a
			CROSS JOIN (VALUES (-1), (0), (1)) AS ds(d)
			CROSS JOIN (VALUES (-1), (0), (1)) AS de(d)
			JOIN t b ON b.sb = a.sb + ds.d AND b.eb = a.eb + de.d
			WHERE a.id < b.id AND a.contestant_id <> b.contestant_id
				AND abs(extract(epoch FROM b.started_at - a.started_at)) <= $2
				AND abs(extract(epoch FROM b.submitted_at - a.submitted_at)) <= $2
			ORDER BY abs(extract(epoch FROM b.started_at - a.started_at)) + abs(extract(epoch FROM b.submitted_at - a.submitted_at)), a.id, b.id
			LIMIT $3),
		ids AS (SELECT a AS id FROM pairs UNION SELECT b FROM pairs)
		SELECT `+integrityAttemptColumns+`, paper, answers, (SELECT count(*) FROM pairs) FROM attempt
		WHERE id IN (SELECT id FROM ids) ORDER BY started_at, id`, round, tolerance.Seconds(), limit)
	if err != nil {
		return nil, false, fmt.Errorf("read attempts with near-identical timelines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var paper, answers []byte
		var pairs int64
		a, err := scanIntegrityAttempt(rows, &paper, &answers, &pairs)
		if err != nil {
			return nil, false, fmt.Errorf("read attempts with near-identical timelines: %w", err)
		}
		var p exam.Paper
		var ans exam.Answers
		if err := json.Unmarshal(paper, &p); err != nil {
			return nil, false, fmt.Errorf("decode paper of attempt %d: %w", a.ID, err)
		}
		if err := json.Unmarshal(answers, &ans); err != nil {
			return nil, false, fmt.Errorf("decode answers of attempt %d: %w", a.ID, err)
		}
		a.Choices = integrity.ChoicesOf(p, ans)
		attempts = append(attempts, a)
		more = pairs >= int64(limit)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read attempts with near-identical timelines: %w", err)
	}
	return attempts, more, nil
}

// BusyNetworkRegistrations returns up to limit registrations of the contest, by network
// and time, that could be part of a burst (minAccounts registrations from one network
// within window), narrowed as SharedNetworkAttempts narrows attempts.
func BusyNetworkRegistrations(ctx context.Context, q Querier, contestID string, minAccounts int, window time.Duration, limit int) ([]integrity.Registration, error) {
	rows, err := q.Query(ctx, `WITH r AS MATERIALIZED (
			SELECT id, created_at, registered_net, floor(extract(epoch FROM created_at) / $3)::bigint AS bk
			FROM contestant WHERE contest_id = $1 AND registered_net IS NOT NULL),
		nets AS (SELECT registered_net, pk FROM (SELECT registered_net, bk AS pk FROM r UNION ALL SELECT registered_net, bk - 1 FROM r) p
			GROUP BY registered_net, pk HAVING count(*) >= $2)
		SELECT DISTINCT r.id, r.created_at, r.registered_net FROM r
		JOIN nets n ON n.registered_net = r.registered_net AND r.bk IN (n.pk, n.pk + 1)
		ORDER BY r.registered_net, r.created_at, r.id LIMIT $4`, contestID, minAccounts, window.Seconds(), limit)
	if err != nil {
		return nil, fmt.Errorf("read registrations of busy networks: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (integrity.Registration, error) {
		var r integrity.Registration
		err := row.Scan(&r.ContestantID, &r.At, &r.Net)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("read registrations of busy networks: %w", err)
	}
	return out, nil
}

// IntegrityDecision is one decision of organizers about a person the review queue listed.
type IntegrityDecision struct {
	ID           int64
	ContestID    string
	ContestantID int64
	// Round is the round whose queue the decision was made in (its key).
	Round    string
	Decision integrity.Decision
	Reason   string
	// Keys are the keys of the evidence the decision covered, Evidence the signals as JSON,
	// Summary the evidence in the words the organizer read.
	Keys     []string
	Evidence json.RawMessage
	Summary  string
	By       string
	At       time.Time
	// FullName is the person's, when listed.
	FullName string
}

// RecordIntegrityDecision stores a decision (in q: the caller's transaction, with the
// eligibility flag and the audit entry) and returns it as stored.
func RecordIntegrityDecision(ctx context.Context, q Querier, d IntegrityDecision) (IntegrityDecision, error) {
	err := q.QueryRow(ctx, `INSERT INTO integrity_review
		(contest_id, contestant_id, round, decision, reason, evidence_keys, evidence, summary, decided_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, decided_at`,
		d.ContestID, d.ContestantID, d.Round, string(d.Decision), d.Reason, d.Keys, d.Evidence, d.Summary, d.By).Scan(&d.ID, &d.At)
	if err != nil {
		return d, fmt.Errorf("record the review of contestant %d: %w", d.ContestantID, err)
	}
	return d, nil
}

// IntegrityReviews returns, per person of the contest, what organizers decided so far: the
// latest decision and every evidence key a decision covered.
func IntegrityReviews(ctx context.Context, q Querier, contestID string) (map[int64]integrity.Reviewed, error) {
	rows, err := q.Query(ctx, `SELECT contestant_id, decision, evidence_keys FROM integrity_review
		WHERE contest_id = $1 ORDER BY decided_at, id`, contestID)
	if err != nil {
		return nil, fmt.Errorf("read reviews: %w", err)
	}
	defer rows.Close()
	out := map[int64]integrity.Reviewed{}
	for rows.Next() {
		var id int64
		var decision string
		var keys []string
		if err := rows.Scan(&id, &decision, &keys); err != nil {
			return nil, fmt.Errorf("read reviews: %w", err)
		}
		r := out[id]
		if r.Covered == nil {
			r.Covered = map[string]bool{}
		}
		r.Latest = integrity.Decision(decision)
		for _, k := range keys {
			r.Covered[k] = true
		}
		out[id] = r
	}
	return out, rows.Err()
}

// RecentIntegrityDecisions returns the contest's latest decisions, newest first.
func RecentIntegrityDecisions(ctx context.Context, q Querier, contestID string, limit int) ([]IntegrityDecision, error) {
	rows, err := q.Query(ctx, `SELECT r.id, r.contestant_id, r.round, r.decision, r.reason, r.summary, r.decided_by, r.decided_at, c.full_name
		FROM integrity_review r JOIN contestant c ON c.id = r.contestant_id
		WHERE r.contest_id = $1 ORDER BY r.decided_at DESC, r.id DESC LIMIT $2`, contestID, limit)
	if err != nil {
		return nil, fmt.Errorf("read recent reviews: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (IntegrityDecision, error) {
		d := IntegrityDecision{ContestID: contestID}
		var decision string
		err := row.Scan(&d.ID, &d.ContestantID, &d.Round, &decision, &d.Reason, &d.Summary, &d.By, &d.At, &d.FullName)
		d.Decision = integrity.Decision(decision)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("read recent reviews: %w", err)
	}
	return out, nil
}

// PeopleByID returns the contest's people with these ids (those that exist), by id.
func PeopleByID(ctx context.Context, q Querier, contestID string, ids []int64) (map[int64]FlaggedPerson, error) {
	rows, err := q.Query(ctx, `SELECT c.id, c.full_name, c.national_id, c.organization, coalesce(c.unit_code, ''), coalesce(u.name, ''),
		c.ineligible, coalesce(c.ineligible_reason, ''), coalesce(c.ineligible_by, ''), c.ineligible_at
		FROM contestant c LEFT JOIN unit u ON u.contest_id = c.contest_id AND u.code = c.unit_code
		WHERE c.contest_id = $1 AND c.id = ANY($2)`, contestID, ids)
	if err != nil {
		return nil, fmt.Errorf("read people: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]FlaggedPerson, len(ids))
	for rows.Next() {
		var p FlaggedPerson
		if err := rows.Scan(&p.ID, &p.FullName, &p.NationalID, &p.Organization, &p.UnitCode, &p.UnitName,
			&p.Flag.Ineligible, &p.Flag.Reason, &p.Flag.By, &p.Flag.At); err != nil {
			return nil, fmt.Errorf("read people: %w", err)
		}
		out[p.ID] = p
	}
	return out, rows.Err()
}

// FlaggedIDs returns the ids of the contest's people organizers excluded from prizes.
func FlaggedIDs(ctx context.Context, q Querier, contestID string) (map[int64]bool, error) {
	rows, err := q.Query(ctx, `SELECT id FROM contestant WHERE contest_id = $1 AND ineligible`, contestID)
	if err != nil {
		return nil, fmt.Errorf("read flagged people: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("read flagged people: %w", err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// PurgeIntegrity erases the networks and device tags recorded before a time for the
// contest's attempts and registrations (the retention rule: docs/web.md); the saves'
// timeline stays with the attempt. It returns how many attempts and registrations it
// cleared.
func PurgeIntegrity(ctx context.Context, q Querier, contestID string, before time.Time) (attempts, registrations int64, err error) {
	err = InTx(ctx, q, func(tx Querier) error {
		tag, err := tx.Exec(ctx, `UPDATE attempt a SET client_net = NULL, device_tag = NULL FROM contestant c
			WHERE c.id = a.contestant_id AND c.contest_id = $1 AND a.started_at < $2
			AND (a.client_net IS NOT NULL OR a.device_tag IS NOT NULL)`, contestID, before)
		if err != nil {
			return err
		}
		attempts = tag.RowsAffected()
		tag, err = tx.Exec(ctx, `UPDATE contestant SET registered_net = NULL
			WHERE contest_id = $1 AND created_at < $2 AND registered_net IS NOT NULL`, contestID, before)
		registrations = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("purge recorded networks of contest %s: %w", contestID, err)
	}
	return attempts, registrations, nil
}

// nullIfEmpty stores "" as NULL (not recorded).
func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The organizers' report counts finished attempts only (status <> 'in_progress', the
// index attempt_round_finished): an attempt still running is not participation yet.
const perPersonCTE = `WITH per_person AS (
	SELECT contestant_id, count(*) AS attempts FROM attempt
	WHERE round = $1 AND status <> 'in_progress' GROUP BY contestant_id)`

// Participation is how many people finished at least one attempt of a round, and how many
// attempts they finished, for one value of a grouping (a participant group, an organization).
type Participation struct {
	Key          string
	Participants int64
	Attempts     int64
}

// ParticipationByGroup counts a round's participants per participant group (the stored
// value, e.g. "official"); groups without participants are absent.
func ParticipationByGroup(ctx context.Context, pool *pgxpool.Pool, round string) ([]Participation, error) {
	return queryParticipation(ctx, pool, round, "participant group", perPersonCTE+`
		SELECT c.participant_group, count(*), sum(p.attempts)::bigint
		FROM per_person p JOIN contestant c ON c.id = p.contestant_id
		GROUP BY c.participant_group ORDER BY 1`)
}

func queryParticipation(ctx context.Context, pool *pgxpool.Pool, round, by, sql string) ([]Participation, error) {
	rows, err := pool.Query(ctx, sql, round)
	if err != nil {
		return nil, fmt.Errorf("count participation in %s by %s: %w", round, by, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Participation, error) {
		var p Participation
		err := row.Scan(&p.Key, &p.Participants, &p.Attempts)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("count participation in %s by %s: %w", round, by, err)
	}
	return out, nil
}

// LocalityParticipation is one locality's count: people registered under exactly this
// code (a commune, or a district for people who gave no commune), not its children.
type LocalityParticipation struct {
	Code         string
	Name         string
	ParentCode   string // empty for a district
	Participants int64
	Attempts     int64
}

// ParticipationByLocality lists every locality of the contests the round's participants
// registered in, with zero for places nobody took part from (organizers look for those),
// districts before their communes, in code order (the statistics office's order).
func ParticipationByLocality(ctx context.Context, pool *pgxpool.Pool, round string) ([]LocalityParticipation, error) {
	rows, err := pool.Query(ctx, perPersonCTE+`,
		per_code AS (
			SELECT c.contest_id, c.locality_code AS code, count(*) AS participants, sum(p.attempts)::bigint AS attempts
			FROM per_person p JOIN contestant c ON c.id = p.contestant_id
			GROUP BY c.contest_id, c.locality_code)
		SELECT l.code, l.name, coalesce(l.parent_code, ''), coalesce(pc.participants, 0), coalesce(pc.attempts, 0)
		FROM locality l
		LEFT JOIN per_code pc ON pc.contest_id = l.contest_id AND pc.code = l.code
		WHERE l.contest_id IN (SELECT contest_id FROM per_code)
		ORDER BY coalesce(l.parent_code, l.code), l.parent_code NULLS FIRST, l.code`, round)
	if err != nil {
		return nil, fmt.Errorf("count participation in %s by locality: %w", round, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (LocalityParticipation, error) {
		var p LocalityParticipation
		err := row.Scan(&p.Code, &p.Name, &p.ParentCode, &p.Participants, &p.Attempts)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("count participation in %s by locality: %w", round, err)
	}
	return out, nil
}

// DayParticipation is one calendar day of a round: attempts started that day and people
// whose first attempt started that day.
type DayParticipation struct {
	Day             time.Time // midnight UTC of the calendar day in the zone asked for
	Attempts        int64
	NewParticipants int64
}

// ParticipationByDay counts a round's finished attempts per day they were started, in the
// time zone named zone (an IANA name PostgreSQL knows, e.g. "Asia/Ho_Chi_Minh"), days
// without attempts left out.
func ParticipationByDay(ctx context.Context, pool Querier, round, zone string) ([]DayParticipation, error) {
	rows, err := pool.Query(ctx, `WITH a AS (
			SELECT contestant_id, (started_at AT TIME ZONE $2)::date AS day FROM attempt
			WHERE round = $1 AND status <> 'in_progress'),
		firsts AS (SELECT min(day) AS day FROM a GROUP BY contestant_id)
		SELECT d.day, d.attempts, coalesce(f.people, 0)
		FROM (SELECT day, count(*) AS attempts FROM a GROUP BY day) d
		LEFT JOIN (SELECT day, count(*) AS people FROM firsts GROUP BY day) f ON f.day = d.day
		ORDER BY d.day`, round, zone)
	if err != nil {
		return nil, fmt.Errorf("count participation in %s by day: %w", round, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DayParticipation, error) {
		var p DayParticipation
		err := row.Scan(&p.Day, &p.Attempts, &p.NewParticipants)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("count participation in %s by day: %w", round, err)
	}
	return out, nil
}

// RankedContestant is a ranking line with the person it is about.
type RankedContestant struct {
	Entry  RankingRow
	Person ContestantDetail
}

const rankedContestantSQL = `SELECT e.position, e.rank, e.contestant_id, e.attempt_id, e.correct, e.total, e.prediction,
	e.distance, e.time_used, e.submitted_at, e.eligible, e.ineligible_reason, e.prize, e.tie_at_boundary, e.below_condition,
	c.full_name, c.national_id, c.phone, c.organization, c.participant_group, c.locality_code,
	coalesce(l.name, ''), coalesce(d.name, '')
	FROM ranking_entry e
	JOIN contestant c ON c.id = e.contestant_id
	LEFT JOIN locality l ON l.contest_id = c.contest_id AND l.code = c.locality_code
	LEFT JOIN locality d ON d.contest_id = l.contest_id AND d.code = l.parent_code
	WHERE e.round = $1`

// StreamRankingDetails feeds fn a round's whole ranking in listing order, each line with
// its person, one row at a time: a ranking of a million people is never held in memory.
func StreamRankingDetails(ctx context.Context, pool Querier, round string, fn func(RankedContestant) error) error {
	return streamRanked(ctx, pool, round, rankedContestantSQL+` ORDER BY e.position`, []any{round}, fn)
}

// RankingPrizeLines returns the lines of a round's ranking that hold a prize or a place
// reserved for a tie at a prize boundary (flagged, or among tiedIDs), or that were passed
// over for a prize being below its condition, in listing order.
func RankingPrizeLines(ctx context.Context, pool Querier, round string, tiedIDs []int64) ([]RankedContestant, error) {
	var out []RankedContestant
	err := streamRanked(ctx, pool, round,
		rankedContestantSQL+` AND (e.prize <> '' OR e.tie_at_boundary OR e.below_condition <> '' OR e.contestant_id = ANY($2)) ORDER BY e.position`,
		[]any{round, tiedIDs}, func(rc RankedContestant) error {
			out = append(out, rc)
			return nil
		})
	return out, err
}

func streamRanked(ctx context.Context, pool Querier, round, sql string, args []any, fn func(RankedContestant) error) error {
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("read ranking of %s: %w", round, err)
	}
	defer rows.Close()
	var rc RankedContestant
	var correct, total int16
	e, p := &rc.Entry, &rc.Person
	for rows.Next() {
		if err := rows.Scan(&e.Position, &e.Rank, &e.ContestantID, &e.AttemptID, &correct, &total, &e.Prediction,
			&e.Distance, &e.TimeUsed, &e.SubmittedAt, &e.Eligible, &e.IneligibleReason, &e.Prize, &e.TieAtBoundary, &e.BelowCondition,
			&p.FullName, &p.NationalID, &p.Phone, &p.Organization, &p.ParticipantGroup, &p.LocalityCode,
			&p.LocalityName, &p.DistrictName); err != nil {
			return fmt.Errorf("read ranking row: %w", err)
		}
		e.Correct, e.Total, p.ID = int(correct), int(total), e.ContestantID
		if err := fn(rc); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read ranking of %s: %w", round, err)
	}
	return nil
}

package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dxcontest/contest-platform/internal/unit"
)

// RoundStats is a round's participation, all counted in one read-only transaction, so the
// figures agree with each other as of ComputedAt: what the console's dashboard and round
// page show (from the shared snapshot, round_stats) and the report's participation sheets.
// Like the report it counts finished attempts; a person takes part with their first
// finished attempt.
type RoundStats struct {
	Round      string
	ComputedAt time.Time // the database clock when the counting transaction began
	Took       time.Duration
	// Generation is round_stats.generation as the count's snapshot saw it.
	Generation int64
	Activity   RoundActivity
	// Groups: per participant group with participants, by the stored value.
	Groups []Participation
	// Localities: every locality of the participants' contests, zeros included, districts
	// before their communes in code order (as ParticipationByLocality).
	Localities []LocalityParticipation
	// Units: every unit of the participants' contests in the list's order, zeros included,
	// then the free texts of people who chose none, most participants first (as
	// ParticipationByUnit). After Trim it holds the head of the TopUnits order instead, and
	// UnitLines how many lines that order has in all.
	Units     []UnitParticipation
	UnitLines int64
	// Days: per day of the zone asked for, finished attempts started that day and people
	// whose first finished attempt started that day.
	Days []DayParticipation
	// Trimmed says Units is the head of its list (Trim).
	Trimmed bool
}

// StatsOptions say how to count.
type StatsOptions struct {
	// Zone is the IANA time zone days are counted in (e.g. "Asia/Ho_Chi_Minh").
	Zone string
	// StatementTimeout bounds each statement (0: the connection's setting); WorkMem is
	// PostgreSQL's work_mem for the transaction (default 64MB: the per-person table of a
	// million attempts is hashed in memory instead of spilled to disk). The counting runs
	// on one backend (no parallel workers), so it takes at most one core of the server.
	StatementTimeout time.Duration
	WorkMem          string
}

// perPersonStatsSQL counts a round's finished attempts per person in one index-only scan
// of attempt_round_finished (round, contestant_id INCLUDE started_at, correct, total),
// joins the people, and groups them every way the console and the report show at once
// (GROUPING SETS): the whole round, by group, by locality, by unit and typed organization,
// and by the day of each person's first attempt. $1 is the round, $2 the time zone.
const perPersonStatsSQL = `WITH per_person AS (
		SELECT contestant_id, count(*) AS attempts, bool_or(correct = total) AS perfect, min(started_at) AS first_start
		FROM attempt WHERE round = $1 AND status <> 'in_progress' GROUP BY contestant_id),
	people AS (
		SELECT c.contest_id, c.participant_group, c.locality_code, c.unit_code, c.organization,
			(p.first_start AT TIME ZONE $2)::date AS first_day, p.attempts, p.perfect
		FROM per_person p JOIN contestant c ON c.id = p.contestant_id)
	SELECT GROUPING(contest_id, participant_group, locality_code, unit_code, organization, first_day),
		coalesce(contest_id, ''), coalesce(participant_group, ''), coalesce(locality_code, ''), unit_code,
		coalesce(organization, ''), first_day,
		count(*), coalesce(sum(attempts), 0)::bigint, count(*) FILTER (WHERE perfect)
	FROM people
	GROUP BY GROUPING SETS ((), (participant_group), (contest_id, locality_code),
		(contest_id, unit_code, organization), (first_day))`

// The GROUPING() masks of perPersonStatsSQL's sets: a bit is set for each column of
// (contest_id, participant_group, locality_code, unit_code, organization, first_day) that
// the set does not group by.
const (
	setTotal    = 0b111111
	setGroup    = 0b101111
	setLocality = 0b010111
	setUnit     = 0b011001
	setFirstDay = 0b111110
)

// ComputeRoundStats counts a round's participation from scratch on q (the primary, or a
// read replica), in one repeatable-read, read-only transaction; or in q's when it is a
// transaction (whose settings then keep opts' until it ends).
func ComputeRoundStats(ctx context.Context, q Querier, round string, opts StatsOptions) (*RoundStats, error) {
	if opts.WorkMem == "" {
		opts.WorkMem = "64MB"
	}
	start := time.Now()
	tx, inTx := q.(pgx.Tx)
	if !inTx {
		var err error
		if tx, err = q.Begin(ctx); err != nil {
			return nil, fmt.Errorf("count round %s: %w", round, err)
		}
		defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only; a failed rollback ends with the connection
		if _, err := tx.Exec(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`); err != nil {
			return nil, fmt.Errorf("count round %s: %w", round, err)
		}
	}
	var timeout *string
	if opts.StatementTimeout > 0 {
		t := fmt.Sprintf("%dms", opts.StatementTimeout.Milliseconds())
		timeout = &t
	}
	c := &statsCounter{s: &RoundStats{Round: round}, byLocality: map[countKey]Participation{}, byUnit: map[countKey]Participation{},
		freeText: map[string]*Participation{}, firstDays: map[time.Time]int64{}}
	if err := tx.QueryRow(ctx, `SELECT now(), set_config('work_mem', $1, true), set_config('max_parallel_workers_per_gather', '0', true),
		set_config('statement_timeout', coalesce($2, current_setting('statement_timeout')), true)`, opts.WorkMem, timeout).
		Scan(&c.s.ComputedAt, nil, nil, nil); err != nil {
		return nil, fmt.Errorf("count round %s: %w", round, err)
	}
	err := tx.QueryRow(ctx, `SELECT generation FROM round_stats WHERE round = $1`, round).Scan(&c.s.Generation)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("count round %s: %w", round, err)
	}
	if err := c.people(ctx, tx, opts.Zone); err != nil {
		return nil, fmt.Errorf("count round %s: %w", round, err)
	}
	if err := c.days(ctx, tx, opts.Zone); err != nil {
		return nil, fmt.Errorf("count round %s by day: %w", round, err)
	}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM attempt WHERE round = $1 AND status = 'in_progress'`, round).Scan(&c.s.Activity.InProgress); err != nil {
		return nil, fmt.Errorf("count attempts in progress in %s: %w", round, err)
	}
	if len(c.contests) > 0 {
		if err := c.localities(ctx, tx); err != nil {
			return nil, fmt.Errorf("count round %s by locality: %w", round, err)
		}
		if err := c.units(ctx, tx); err != nil {
			return nil, fmt.Errorf("count round %s by unit: %w", round, err)
		}
	}
	c.s.Took = time.Since(start)
	return c.s, nil
}

// statsCounter holds the per-person counts until the lists they are placed in are read.
type statsCounter struct {
	s          *RoundStats
	contests   []string // of the participants
	byLocality map[countKey]Participation
	byUnit     map[countKey]Participation
	freeText   map[string]*Participation
	firstDays  map[time.Time]int64
}

type countKey struct{ contest, code string }

func (c *statsCounter) people(ctx context.Context, tx pgx.Tx, zone string) error {
	s := c.s
	rows, err := tx.Query(ctx, perPersonStatsSQL, s.Round, zone)
	if err != nil {
		return err
	}
	var (
		mask                                   int32
		contest, group, locality, organization string
		unitCode                               *string
		day                                    *time.Time
		participants, attempts, perfect        int64
	)
	add := func(m map[string]*Participation, key string) {
		p := m[key]
		if p == nil {
			p = &Participation{Key: key}
			m[key] = p
		}
		p.Participants += participants
		p.Attempts += attempts
	}
	_, err = pgx.ForEachRow(rows, []any{&mask, &contest, &group, &locality, &unitCode, &organization, &day,
		&participants, &attempts, &perfect}, func() error {
		switch mask {
		case setTotal:
			s.Activity.Participants, s.Activity.Attempts, s.Activity.Perfect = participants, attempts, perfect
		case setGroup:
			s.Groups = append(s.Groups, Participation{Key: group, Participants: participants, Attempts: attempts})
		case setLocality:
			c.byLocality[countKey{contest, locality}] = Participation{Participants: participants, Attempts: attempts}
			if !slices.Contains(c.contests, contest) {
				c.contests = append(c.contests, contest)
			}
		case setUnit:
			if unitCode == nil {
				add(c.freeText, organization)
				break
			}
			k := countKey{contest, *unitCode}
			u := c.byUnit[k]
			c.byUnit[k] = Participation{Participants: u.Participants + participants, Attempts: u.Attempts + attempts}
		case setFirstDay:
			if day != nil {
				c.firstDays[*day] = participants
			}
		default:
			return fmt.Errorf("unexpected grouping %06b", mask)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(s.Groups, func(a, b Participation) int { return cmp.Compare(a.Key, b.Key) })
	slices.Sort(c.contests)
	return nil
}

// sortedByPeople lists counts most participants first, then most attempts, then by key.
func sortedByPeople(m map[string]*Participation) []Participation {
	out := make([]Participation, 0, len(m))
	for _, p := range m {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Participation) int {
		return cmp.Or(cmp.Compare(b.Participants, a.Participants), cmp.Compare(b.Attempts, a.Attempts), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// countDays counts finished attempts per day they started (a second pass over the same
// index), and places the people whose first attempt started that day.
func (c *statsCounter) days(ctx context.Context, tx pgx.Tx, zone string) error {
	s := c.s
	rows, err := tx.Query(ctx, `SELECT (started_at AT TIME ZONE $2)::date AS day, count(*) FROM attempt
		WHERE round = $1 AND status <> 'in_progress' GROUP BY 1 ORDER BY 1`, s.Round, zone)
	if err != nil {
		return err
	}
	var d DayParticipation
	_, err = pgx.ForEachRow(rows, []any{&d.Day, &d.Attempts}, func() error {
		d.NewParticipants = c.firstDays[d.Day]
		s.Days = append(s.Days, d)
		return nil
	})
	return err
}

func (c *statsCounter) localities(ctx context.Context, tx pgx.Tx) error {
	s := c.s
	rows, err := tx.Query(ctx, `SELECT contest_id, code, name, coalesce(parent_code, '') FROM locality WHERE contest_id = ANY($1)
		ORDER BY coalesce(parent_code, code), parent_code NULLS FIRST, code, contest_id`, c.contests)
	if err != nil {
		return err
	}
	var contest string
	var l LocalityParticipation
	_, err = pgx.ForEachRow(rows, []any{&contest, &l.Code, &l.Name, &l.ParentCode}, func() error {
		n := c.byLocality[countKey{contest, l.Code}]
		l.Participants, l.Attempts = n.Participants, n.Attempts
		s.Localities = append(s.Localities, l)
		return nil
	})
	return err
}

func (c *statsCounter) units(ctx context.Context, tx pgx.Tx) error {
	s := c.s
	rows, err := tx.Query(ctx, `SELECT u.contest_id, u.code, u.name, coalesce(u.parent_code, ''), coalesce(pu.name, ''), u.type, u.headcount
		FROM unit u LEFT JOIN unit pu ON pu.contest_id = u.contest_id AND pu.code = u.parent_code
		WHERE u.contest_id = ANY($1) ORDER BY u.position, u.contest_id`, c.contests)
	if err != nil {
		return err
	}
	var contest, typ string
	var u UnitParticipation
	_, err = pgx.ForEachRow(rows, []any{&contest, &u.Code, &u.Name, &u.ParentCode, &u.ParentName, &typ, &u.Headcount}, func() error {
		n := c.byUnit[countKey{contest, u.Code}]
		u.Type, u.Participants, u.Attempts = unit.Type(typ), n.Participants, n.Attempts
		s.Units = append(s.Units, u)
		if u.Participants > 0 {
			s.UnitLines++
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range sortedByPeople(c.freeText) {
		s.Units = append(s.Units, UnitParticipation{Organization: f.Key, Participants: f.Participants, Attempts: f.Attempts})
		s.UnitLines++
	}
	return nil
}

// TopUnits returns the head of the unit lines as store.TopUnits orders them: units with
// participants and free texts, most participants first, then most attempts, units before
// free texts, then by name and text.
func (s *RoundStats) TopUnits(limit int) []UnitParticipation {
	if s.Trimmed {
		return s.Units[:min(limit, len(s.Units))]
	}
	var lines []UnitParticipation
	for _, u := range s.Units {
		if u.Code == "" || u.Participants > 0 {
			lines = append(lines, u)
		}
	}
	slices.SortStableFunc(lines, func(a, b UnitParticipation) int {
		return cmp.Or(cmp.Compare(b.Participants, a.Participants), cmp.Compare(b.Attempts, a.Attempts),
			cmp.Compare(boolInt(a.Code == ""), boolInt(b.Code == "")), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Organization, b.Organization))
	})
	return lines[:min(limit, len(lines))]
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Trim keeps the head of the long list, as the console shows it: the first lines of
// TopUnits. The count of all lines stays.
func (s *RoundStats) Trim(units int) {
	if s.Trimmed {
		return
	}
	s.Units = s.TopUnits(units)
	s.Trimmed = true
}

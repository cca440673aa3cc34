package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dxcontest/contest-platform/internal/unit"
)

// The shared snapshot of a round's statistics (table round_stats): counted by one replica
// at a time, read by all. A snapshot is a trimmed RoundStats (the heads of the long lists,
// as the console shows them) with the time it is as of.

// roundStatsFormat versions round_stats.data; a row of another format is counted again.
const roundStatsFormat = 1

// StoredStats is a round's last snapshot, with its age by the database clock.
type StoredStats struct {
	Stats *RoundStats
	Age   time.Duration
	// Invalidated: something changed the counts after this one began (InvalidateRoundStats).
	Invalidated bool
	// Refreshing: a replica has claimed the next count and its claim has not lapsed.
	Refreshing bool
}

// ReadRoundStats reads the snapshots of the rounds named; rounds never counted (or counted
// in another format) are absent from the map.
func ReadRoundStats(ctx context.Context, q Querier, rounds []string) (map[string]StoredStats, error) {
	rows, err := q.Query(ctx, `SELECT round, computed_at, took_ms, data, now() - computed_at, counted_generation < generation,
			coalesce(refreshing_until > now(), false)
		FROM round_stats WHERE round = ANY($1) AND format = $2`, rounds, roundStatsFormat)
	if err != nil {
		return nil, fmt.Errorf("read round statistics: %w", err)
	}
	out := make(map[string]StoredStats, len(rounds))
	var (
		round   string
		at      time.Time
		tookMS  int32
		data    []byte
		age     time.Duration
		invalid bool
		pending bool
	)
	_, err = pgx.ForEachRow(rows, []any{&round, &at, &tookMS, &data, &age, &invalid, &pending}, func() error {
		var js statsJSON
		if err := json.Unmarshal(data, &js); err != nil {
			return fmt.Errorf("decode statistics of %s: %w", round, err)
		}
		s, err := js.stats()
		if err != nil {
			return fmt.Errorf("decode statistics of %s: %w", round, err)
		}
		s.Round, s.ComputedAt, s.Took = round, at, time.Duration(tookMS)*time.Millisecond
		out[round] = StoredStats{Stats: s, Age: age, Invalidated: invalid, Refreshing: pending}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read round statistics: %w", err)
	}
	return out, nil
}

// StatsSpacingWait is how long after a count began the next may begin: spacing times its
// duration (took), so that counting a round takes at most 1/spacing of a database core
// however often organizers look or the figures are invalidated. ClaimRoundStats applies
// the same rule to the stored took_ms.
func StatsSpacingWait(took time.Duration, spacing float64) time.Duration {
	return time.Duration(float64(took) * max(spacing, 0))
}

// ClaimRoundStats claims the next count of a round for lease when its snapshot is missing,
// of another format, or out of date (invalidated, or older than maxAge) and spaced out
// (StatsSpacingWait: at least spacing times the last count's duration since it began),
// and nobody else's claim is running. It reports whether the caller won: then it counts
// and saves (SaveRoundStats) or releases (ReleaseRoundStats), or the claim lapses.
func ClaimRoundStats(ctx context.Context, q Querier, round string, maxAge time.Duration, spacing float64, lease time.Duration) (bool, error) {
	var got string
	err := q.QueryRow(ctx, `INSERT INTO round_stats AS s (round, format, computed_at, took_ms, data, refreshing_until)
		VALUES ($1, 0, '-infinity', 0, 'null', now() + $3::interval)
		ON CONFLICT (round) DO UPDATE SET refreshing_until = now() + $3::interval
		WHERE (s.refreshing_until IS NULL OR s.refreshing_until <= now())
			AND (s.format <> $4 OR ((s.counted_generation < s.generation OR s.computed_at <= now() - $2::interval)
				AND s.computed_at <= now() - s.took_ms * $5::float8 * interval '1 millisecond'))
		RETURNING round`, round, maxAge, lease, roundStatsFormat, max(spacing, 0)).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim the count of %s: %w", round, err)
	}
	return true, nil
}

// SaveRoundStats stores s as the round's snapshot and ends the claim.
func SaveRoundStats(ctx context.Context, q Querier, s *RoundStats) error {
	data, err := json.Marshal(newStatsJSON(s))
	if err != nil {
		return fmt.Errorf("encode statistics of %s: %w", s.Round, err)
	}
	if _, err := q.Exec(ctx, `INSERT INTO round_stats (round, format, computed_at, took_ms, data, counted_generation)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (round) DO UPDATE SET format = $2, computed_at = $3, took_ms = $4, data = $5, counted_generation = $6,
			refreshing_until = NULL
		WHERE round_stats.format <> $2 OR round_stats.computed_at <= $3`,
		s.Round, roundStatsFormat, s.ComputedAt, int32(s.Took.Milliseconds()), data, s.Generation); err != nil {
		return fmt.Errorf("save statistics of %s: %w", s.Round, err)
	}
	return nil
}

// ReleaseRoundStats ends a claim without a count (it failed), so that another replica may
// try after hold: a failed count took a core as long as a successful one, and the next is
// spaced out the same way (StatsSpacingWait of its time), lest a count that keeps timing
// out run back to back.
func ReleaseRoundStats(ctx context.Context, q Querier, round string, hold time.Duration) error {
	if _, err := q.Exec(ctx, `UPDATE round_stats SET refreshing_until = CASE WHEN $2::interval > interval '0' THEN now() + $2::interval END
		WHERE round = $1`, round, max(hold, 0)); err != nil {
		return fmt.Errorf("release the count of %s: %w", round, err)
	}
	return nil
}

// InvalidateRoundStats marks the snapshots of the rounds named (every round when none is)
// as out of date once the caller's transaction commits: any count whose snapshot did not
// see the commit is counted again by the next reader, who meanwhile still sees it, with its
// time. Whatever changes counts after the fact calls it in its own transaction, after the
// change: a key correction's rescoring (RoundScores.Record: the perfect count), mapping
// and unmapping spellings (MapSpelling, UnmapSpelling) and setting a person's unit
// (SetContestantUnit: the counts by unit), replacing the unit or locality list (names,
// parents, the zeros of localities).
func InvalidateRoundStats(ctx context.Context, q Querier, rounds ...string) error {
	if rounds == nil {
		rounds = []string{}
	}
	_, err := q.Exec(ctx, `UPDATE round_stats SET generation = generation + 1
		WHERE cardinality($1::text[]) = 0 OR round = ANY($1)`, rounds)
	if err != nil {
		return fmt.Errorf("invalidate round statistics: %w", err)
	}
	return nil
}

// statsJSON is round_stats.data: explicit tags, so renaming a Go field cannot silently
// change what is stored (a new shape needs a new roundStatsFormat).
type statsJSON struct {
	Participants int64           `json:"participants"`
	Attempts     int64           `json:"attempts"`
	Perfect      int64           `json:"perfect"`
	InProgress   int64           `json:"in_progress"`
	Groups       []countJSON     `json:"groups"`
	Localities   []localityJSON  `json:"localities"`
	Units        []unitCountJSON `json:"units"`
	UnitLines    int64           `json:"unit_lines"`
	Days         []dayJSON       `json:"days"`
	Trimmed      bool            `json:"trimmed"`
}

type countJSON struct {
	Key          string `json:"key"`
	Participants int64  `json:"participants"`
	Attempts     int64  `json:"attempts"`
}

type localityJSON struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	ParentCode   string `json:"parent,omitempty"`
	Participants int64  `json:"participants"`
	Attempts     int64  `json:"attempts"`
}

type unitCountJSON struct {
	Code         string `json:"code,omitempty"`
	Name         string `json:"name,omitempty"`
	ParentCode   string `json:"parent,omitempty"`
	ParentName   string `json:"parent_name,omitempty"`
	Type         string `json:"type,omitempty"`
	Headcount    *int   `json:"headcount,omitempty"`
	Organization string `json:"organization,omitempty"`
	Participants int64  `json:"participants"`
	Attempts     int64  `json:"attempts"`
}

type dayJSON struct {
	Day             string `json:"day"` // 2006-01-02
	Attempts        int64  `json:"attempts"`
	NewParticipants int64  `json:"new_participants"`
}

func newStatsJSON(s *RoundStats) statsJSON {
	js := statsJSON{Participants: s.Activity.Participants, Attempts: s.Activity.Attempts, Perfect: s.Activity.Perfect,
		InProgress: s.Activity.InProgress, UnitLines: s.UnitLines, Trimmed: s.Trimmed,
		Groups: counts(s.Groups)}
	for _, l := range s.Localities {
		js.Localities = append(js.Localities, localityJSON(l))
	}
	for _, u := range s.Units {
		js.Units = append(js.Units, unitCountJSON{Code: u.Code, Name: u.Name, ParentCode: u.ParentCode, ParentName: u.ParentName,
			Type: string(u.Type), Headcount: u.Headcount, Organization: u.Organization, Participants: u.Participants, Attempts: u.Attempts})
	}
	for _, d := range s.Days {
		js.Days = append(js.Days, dayJSON{Day: d.Day.Format(time.DateOnly), Attempts: d.Attempts, NewParticipants: d.NewParticipants})
	}
	return js
}

func counts(ps []Participation) []countJSON {
	out := make([]countJSON, len(ps))
	for i, p := range ps {
		out[i] = countJSON(p)
	}
	return out
}

func (js statsJSON) stats() (*RoundStats, error) {
	s := &RoundStats{Activity: RoundActivity{Participants: js.Participants, Attempts: js.Attempts, Perfect: js.Perfect, InProgress: js.InProgress},
		UnitLines: js.UnitLines, Trimmed: js.Trimmed}
	for _, g := range js.Groups {
		s.Groups = append(s.Groups, Participation(g))
	}
	for _, l := range js.Localities {
		s.Localities = append(s.Localities, LocalityParticipation(l))
	}
	for _, u := range js.Units {
		s.Units = append(s.Units, UnitParticipation{Code: u.Code, Name: u.Name, ParentCode: u.ParentCode, ParentName: u.ParentName,
			Type: unit.Type(u.Type), Headcount: u.Headcount, Organization: u.Organization, Participants: u.Participants, Attempts: u.Attempts})
	}
	for _, d := range js.Days {
		day, err := time.Parse(time.DateOnly, d.Day)
		if err != nil {
			return nil, err
		}
		s.Days = append(s.Days, DayParticipation{Day: day, Attempts: d.Attempts, NewParticipants: d.NewParticipants})
	}
	return s, nil
}

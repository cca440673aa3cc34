package loadtest

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// CheckReport is what the database holds against what the app acknowledged.
type CheckReport struct {
	// Since is the database's clock when the run began: only attempts started since count
	// as the run's (a round may hold earlier runs' attempts of the same people).
	Since        time.Time `json:"since"`
	Acknowledged int       `json:"acknowledged"`
	Unknown      int       `json:"unknown"`
	// Missing: a submit the app acknowledged whose attempt is not stored as submitted with
	// what was sent (or not stored at all).
	Missing []string `json:"missing,omitempty"`
	// Duplicates: a person holds more submitted attempts in a round than the tool sent
	// submits for (a submit stored twice, or an attempt submitted by no one).
	Duplicates []string `json:"duplicates,omitempty"`
	// OverCap: a person holds more attempts in a round than its cap.
	OverCap []string `json:"over_cap,omitempty"`
	OK      bool     `json:"ok"`
}

// at most this many examples of each problem are listed.
const maxExamples = 10

// DatabaseNow is the database's clock, read before a run for Check.
func DatabaseNow(ctx context.Context, pool *pgxpool.Pool) (time.Time, error) {
	var now time.Time
	if err := pool.QueryRow(ctx, `SELECT now()`).Scan(&now); err != nil {
		return now, fmt.Errorf("read the database clock: %w", err)
	}
	return now, nil
}

// Check verifies in SQL, independently of the app's code, that every submit the app
// acknowledged is stored exactly once as sent, and that nobody holds more than maxAttempts
// attempts in any of rounds (namespace's names). Submits with an unknown outcome may or
// may not be stored. since is the database clock at the run's start.
func Check(ctx context.Context, pool *pgxpool.Pool, since time.Time, namespace string, rounds []string, maxAttempts int, acked, unknown []Submit) (*CheckReport, error) {
	rep := &CheckReport{Since: since, Acknowledged: len(acked), Unknown: len(unknown)}
	keys := make([]string, len(rounds))
	for i, r := range rounds {
		keys[i] = contestv1alpha1.RoundKeyOf(namespace, r)
	}

	// Each acknowledged submit: its attempt, submitted, of that person, round and prediction.
	ids := make([]int64, len(acked))
	for i, s := range acked {
		ids[i] = s.Attempt
	}
	type stored struct {
		round, phone, status string
		prediction           *int64
	}
	found := map[int64]stored{}
	rows, err := pool.Query(ctx, `SELECT a.id, a.round, c.phone, a.status, a.prediction
		FROM attempt a JOIN contestant c ON c.id = a.contestant_id WHERE a.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("read acknowledged attempts: %w", err)
	}
	var id int64
	var s stored
	if _, err := pgx.ForEachRow(rows, []any{&id, &s.round, &s.phone, &s.status, &s.prediction}, func() error {
		found[id] = s
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read acknowledged attempts: %w", err)
	}
	for _, a := range acked {
		got, ok := found[a.Attempt]
		var problem string
		switch {
		case !ok:
			problem = "not stored"
		case got.status != "submitted":
			problem = "stored as " + got.status
		case got.round != contestv1alpha1.RoundKeyOf(namespace, a.Round) || got.phone != a.Phone:
			problem = fmt.Sprintf("stored for %s in %s", got.phone, got.round)
		case got.prediction == nil || *got.prediction != a.Prediction:
			problem = "stored with another prediction"
		}
		if problem != "" {
			rep.Missing = appendExample(rep.Missing, len(rep.Missing), fmt.Sprintf("attempt %d of %s in %s acknowledged, %s", a.Attempt, a.Phone, a.Round, problem))
		}
	}

	// Exactly once: per person and round, the submitted attempts started since the run
	// began are the acknowledged ones, plus at most the ones whose answer was lost.
	type pr struct{ phone, round string }
	sent := map[pr][2]int{}
	var phones []string
	for i, list := range [][]Submit{acked, unknown} {
		for _, a := range list {
			k := pr{a.Phone, contestv1alpha1.RoundKeyOf(namespace, a.Round)}
			n := sent[k]
			if n[0]+n[1] == 0 {
				phones = append(phones, a.Phone)
			}
			n[i]++
			sent[k] = n
		}
	}
	rows, err = pool.Query(ctx, `SELECT c.phone, a.round, count(*) FROM attempt a JOIN contestant c ON c.id = a.contestant_id
		WHERE a.status = 'submitted' AND a.round = ANY($1) AND c.phone = ANY($2) AND a.started_at >= $3
		GROUP BY 1, 2`, keys, phones, since)
	if err != nil {
		return nil, fmt.Errorf("count submitted attempts: %w", err)
	}
	var k pr
	var n int
	extra := 0
	if _, err := pgx.ForEachRow(rows, []any{&k.phone, &k.round, &n}, func() error {
		if c := sent[k]; n > c[0]+c[1] {
			extra++
			rep.Duplicates = appendExample(rep.Duplicates, extra-1, fmt.Sprintf("%s holds %d submitted attempts in %s; the app acknowledged %d submits (and %d unanswered)", k.phone, n, k.round, c[0], c[1]))
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("count submitted attempts: %w", err)
	}

	// The cap, over everyone's attempts in the rounds.
	rows, err = pool.Query(ctx, `SELECT a.round, c.phone, count(*) FROM attempt a JOIN contestant c ON c.id = a.contestant_id
		WHERE a.round = ANY($1) GROUP BY a.round, c.phone HAVING count(*) > $2 ORDER BY 3 DESC, 1, 2`, keys, maxAttempts)
	if err != nil {
		return nil, fmt.Errorf("look for attempts over the cap: %w", err)
	}
	over := 0
	if _, err := pgx.ForEachRow(rows, []any{&k.round, &k.phone, &n}, func() error {
		over++
		rep.OverCap = appendExample(rep.OverCap, over-1, fmt.Sprintf("%s holds %d attempts in %s (cap %d)", k.phone, n, k.round, maxAttempts))
		return nil
	}); err != nil {
		return nil, fmt.Errorf("look for attempts over the cap: %w", err)
	}
	rep.OK = len(rep.Missing) == 0 && len(rep.Duplicates) == 0 && len(rep.OverCap) == 0
	return rep, nil
}

// appendExample keeps the first examples and then one line saying how many more.
func appendExample(list []string, seen int, line string) []string {
	switch {
	case seen < maxExamples:
		return append(list, line)
	case seen == maxExamples:
		return append(list, "… and more")
	default:
		return list
	}
}

// Problems lists the check's failures in words.
func (c *CheckReport) Problems() []string {
	var out []string
	for _, group := range []struct {
		what  string
		lines []string
	}{{"acknowledged but not stored as sent", c.Missing}, {"stored more than once", c.Duplicates}, {"over the attempt cap", c.OverCap}} {
		for _, l := range group.lines {
			out = append(out, group.what+": "+l)
		}
	}
	return out
}

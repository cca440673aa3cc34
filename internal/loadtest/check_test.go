package loadtest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/loadtest"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// The SQL check fails when the database does not hold what the app acknowledged: a submit
// not stored, stored with something else, stored twice, or a person over the cap.
func TestCheckFindsWhatIsWrong(t *testing.T) {
	s := newSite(t, 3, "r1")
	ctx := context.Background()
	since, err := loadtest.DatabaseNow(ctx, s.pool)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := loadtest.Run(ctx, loadtest.Config{
		Client: loadtest.ClientOptions{BaseURL: s.url}, Rounds: []string{"r1"}, People: 3, Concurrency: 3,
		Model: "closed", Flows: 3, Duration: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	acked := rep.Acknowledged
	if len(acked) != 3 {
		t.Fatalf("%d acknowledged submits: %v", len(acked), errorsOf(rep))
	}
	check := func(acked []loadtest.Submit) *loadtest.CheckReport {
		t.Helper()
		c, err := loadtest.Check(ctx, s.pool, since, namespace, []string{"r1"}, 3, acked, nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := s.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	if c := check(acked); !c.OK {
		t.Fatalf("the untouched database fails the check: %v", c.Problems())
	}
	// A copy of an attempt as another of the same person and round.
	const copyAttempt = `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline, submitted_at,
		bank_name, bank_version, paper, answers, prediction, total, correct)
		SELECT round, contestant_id, attempt_no + $2, $3, started_at, deadline, submitted_at, bank_name, bank_version,
			paper, answers, prediction, total, correct FROM attempt WHERE id = $1`

	t.Run("acknowledged, never stored", func(t *testing.T) {
		lost := acked[0]
		lost.Attempt = 1 << 40
		c := check(append(acked[:len(acked):len(acked)], lost))
		if c.OK || len(c.Missing) != 1 || !contains(c.Missing[0], "not stored") {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("stored with another prediction", func(t *testing.T) {
		exec(`UPDATE attempt SET prediction = prediction + 1 WHERE id = $1`, acked[0].Attempt)
		defer exec(`UPDATE attempt SET prediction = prediction - 1 WHERE id = $1`, acked[0].Attempt)
		if c := check(acked); c.OK || len(c.Missing) != 1 || !contains(c.Missing[0], "another prediction") {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("acknowledged, stored as not submitted", func(t *testing.T) {
		exec(`UPDATE attempt SET status = 'expired' WHERE id = $1`, acked[0].Attempt)
		defer exec(`UPDATE attempt SET status = 'submitted' WHERE id = $1`, acked[0].Attempt)
		if c := check(acked); c.OK || len(c.Missing) != 1 || !contains(c.Missing[0], "stored as expired") {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("stored twice", func(t *testing.T) {
		exec(copyAttempt, acked[1].Attempt, 1, "submitted")
		defer exec(`DELETE FROM attempt WHERE round = $1 AND attempt_no = 2`, namespace+"/r1")
		c := check(acked)
		if c.OK || len(c.Duplicates) != 1 || !contains(c.Duplicates[0], acked[1].Phone) || len(c.OverCap) != 0 {
			t.Fatalf("%+v", c)
		}
	})
	t.Run("over the cap", func(t *testing.T) {
		for no := 1; no <= 3; no++ {
			exec(copyAttempt, acked[2].Attempt, no, "expired")
		}
		defer exec(`DELETE FROM attempt WHERE round = $1 AND attempt_no > 1`, namespace+"/r1")
		c := check(acked)
		if c.OK || len(c.OverCap) != 1 || !contains(c.OverCap[0], "4 attempts") || len(c.Duplicates) != 0 {
			t.Fatalf("%+v", c)
		}
	})
	if c := check(acked); !c.OK {
		t.Fatalf("the restored database fails the check: %v", c.Problems())
	}
}

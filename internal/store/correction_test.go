package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/regrade"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// correctionRound stores a bank, three people and their attempts of round "r/1": person 1
// has two finished attempts (one holding question q1), person 2 one without q1, person 3
// one in progress with q1. It returns the people's ids and the attempts' ids.
func correctionRound(t *testing.T, pool *pgxpool.Pool) (people []int64, attempts []int64) {
	t.Helper()
	ctx := context.Background()
	for _, s := range []string{
		`INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'c', '{}'), ('mau', 2, 'd', '{}')`,
		`INSERT INTO locality (contest_id, code, name) VALUES ('cds', '593', 'Thành phố Phan Thiết')`,
	} {
		if _, err := pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	for n := 1; n <= 3; n++ {
		id, err := store.CreateContestant(ctx, pool, store.Contestant{
			ContestID: "cds", NationalID: fmt.Sprintf("06009000%04d", n), Phone: fmt.Sprintf("091234%04d", n), FullName: fmt.Sprintf("Người %d", n),
			BirthDate: time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), Gender: "male", ParticipantGroup: "official",
			Organization: "UBND", LocalityCode: "593", PasswordHash: "x",
		})
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, id)
	}
	for _, a := range []struct {
		person       int64
		no           int
		status, q    string
		correct      any
		bankVersion  int
		submittedSQL string
	}{
		{people[0], 1, "submitted", "q1", 1, 1, "now()"},
		{people[0], 2, "expired", "q2", 0, 1, "now()"},
		{people[1], 1, "submitted", "q2", 1, 1, "now()"},
		{people[2], 1, "in_progress", "q1", nil, 1, "NULL"},
	} {
		var id int64
		err := pool.QueryRow(ctx, `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline, submitted_at,
				bank_name, bank_version, paper, answers, total, correct)
			VALUES ('r/1', $1, $2, $3, now() - interval '1 minute', now() + interval '1 hour', `+a.submittedSQL+`, 'mau', $4,
				jsonb_build_object('items', jsonb_build_array(jsonb_build_object('id', $5::text, 'at', 0, 'order', '012'))), '{"0":"A"}', 1, $6)
			RETURNING id`, a.person, a.no, a.status, a.bankVersion, a.q, a.correct).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		attempts = append(attempts, id)
	}
	return people, attempts
}

// The round's finished attempts come in person order, with paper and answers only where
// the paper holds a corrected question; in-progress attempts are left out.
func TestRoundScoresFinished(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	people, attempts := correctionRound(t, pool)
	var got []regrade.Attempt
	if err := store.NewRoundScores(pool).Finished(ctx, "r/1", "mau", 1, []string{"q1", "q9"}, func(a regrade.Attempt) error {
		got = append(got, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d attempts: %+v", len(got), got)
	}
	for i, want := range []struct {
		id, person int64
		paper      bool
	}{{attempts[0], people[0], true}, {attempts[1], people[0], false}, {attempts[2], people[1], false}} {
		a := got[i]
		if a.ID != want.id || a.PersonID != want.person || (a.Paper.Len() > 0) != want.paper || (a.Answers != nil) != want.paper || a.Total != 1 {
			t.Errorf("attempt %d: %+v, want %+v", i, a, want)
		}
	}
	if got[0].Paper.Items[0].QuestionID != "q1" || got[0].Answers[0] != "A" || got[0].Correct != 1 {
		t.Errorf("attempt with q1: %+v", got[0])
	}
	// An attempt drawn from another version cannot be rescored with this one's key.
	if _, err := pool.Exec(ctx, `UPDATE attempt SET bank_version = 2 WHERE id = $1`, attempts[2]); err != nil {
		t.Fatal(err)
	}
	err := store.NewRoundScores(pool).Finished(ctx, "r/1", "mau", 1, []string{"q1"}, func(regrade.Attempt) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "version 2") {
		t.Errorf("another version: %v", err)
	}
}

// Record writes the correction, its changes and the new scores together, and refuses a
// change whose old score is not the stored one.
func TestRoundScoresRecord(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	people, attempts := correctionRound(t, pool)
	c := regrade.Correction{QuestionID: "q1", Old: exam.Key{Option: 0}, New: exam.Key{Option: 1}, Reason: "Nhập nhầm đáp án", By: "dieu.hanh",
		AttemptsChanged: 1, PeopleChanged: 1}
	stale := []regrade.Change{{AttemptID: attempts[0], PersonID: people[0], Old: 0, New: 1}} // stored is 1
	err := store.InTx(ctx, pool, func(tx store.Querier) error {
		return store.NewRoundScores(tx).Record(ctx, "r/1", "mau", 1, &c, stale)
	})
	if err == nil || !strings.Contains(err.Error(), "not as read") {
		t.Fatalf("a stale change: %v", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM key_correction`); n != 0 {
		t.Fatalf("a refused correction left %d records", n)
	}
	changes := []regrade.Change{{AttemptID: attempts[0], PersonID: people[0], Old: 1, New: 0}}
	if err := store.InTx(ctx, pool, func(tx store.Querier) error {
		return store.NewRoundScores(tx).Record(ctx, "r/1", "mau", 1, &c, changes)
	}); err != nil {
		t.Fatal(err)
	}
	if c.ID == 0 || c.At.IsZero() {
		t.Errorf("recorded %+v", c)
	}
	if n := count(t, pool, fmt.Sprintf(`SELECT correct FROM attempt WHERE id = %d`, attempts[0])); n != 0 {
		t.Errorf("score after the correction: %d", n)
	}
	history, err := store.RoundCorrections(ctx, pool, "r/1")
	if err != nil || len(history) != 1 || history[0].ID != c.ID || history[0].Old != c.Old || history[0].New != c.New ||
		history[0].Reason != c.Reason || history[0].By != "dieu.hanh" || history[0].AttemptsChanged != 1 || history[0].PeopleChanged != 1 {
		t.Errorf("history %+v %v", history, err)
	}
	adj, err := store.NewAttempts(pool).Adjustments(ctx, attempts[0])
	if err != nil || len(adj) != 1 || adj[0].CorrectionID != c.ID || adj[0].QuestionID != "q1" || adj[0].Old != 1 || adj[0].New != 0 {
		t.Errorf("adjustments %+v %v", adj, err)
	}
	var lines []store.ScoreChange
	if err := store.StreamScoreChanges(ctx, pool, "r/1", 10, func(s store.ScoreChange) error { lines = append(lines, s); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].FullName != "Người 1" || lines[0].AttemptNo != 1 || lines[0].Old != 1 || lines[0].New != 0 || lines[0].CorrectionID != c.ID {
		t.Errorf("score changes %+v", lines)
	}
	// Both tables are records.
	for _, s := range []string{`UPDATE key_correction SET reason = 'x'`, `DELETE FROM key_correction`, `UPDATE score_change SET new_correct = 1`, `TRUNCATE score_change`} {
		if _, err := pool.Exec(ctx, s); err == nil || !strings.Contains(err.Error(), "never changed") {
			t.Errorf("%s: %v", s, err)
		}
	}
	// A correction needs a reason, and changes a key.
	if _, err := pool.Exec(ctx, `INSERT INTO key_correction (round, bank_name, bank_version, question_id, old_key, new_key, reason, created_by, attempts_changed, people_changed)
		VALUES ('r/1', 'mau', 1, 'q1', 'A', 'B', '  ', 'x', 0, 0)`); err == nil {
		t.Error("a correction without a reason was stored")
	}
	if _, err := pool.Exec(ctx, `INSERT INTO key_correction (round, bank_name, bank_version, question_id, old_key, new_key, reason, created_by, attempts_changed, people_changed)
		VALUES ('r/1', 'mau', 1, 'q1', 'B', 'B', 'lý do', 'x', 0, 0)`); err == nil {
		t.Error("a correction that changes nothing was stored")
	}
}

func count(t *testing.T, pool *pgxpool.Pool, sql string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

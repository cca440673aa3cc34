package cli

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestIntegrityPurgeUsageErrors(t *testing.T) {
	t.Setenv(databaseURLEnv, "")
	const db = "--database-url=postgres://unused"
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"no subcommand", []string{"integrity"}, "contest integrity <subcommand>"},
		{"no contest", []string{"integrity", "purge", "--before", "2024-12-01", db}, "--contest is required"},
		{"bad contest", []string{"integrity", "purge", "--contest", "Bình Thuận", "--before", "2024-12-01", db}, `contest ID "Bình Thuận" is not valid`},
		{"no date", []string{"integrity", "purge", "--contest", sampleContest, db}, "--before is required"},
		{"not a date", []string{"integrity", "purge", "--contest", sampleContest, "--before", "1/12/2024", db}, `--before "1/12/2024" is neither a date`},
		{"a date to come", []string{"integrity", "purge", "--contest", sampleContest, "--before", "2999-01-01", db}, "is in the future"},
		{"no database", []string{"integrity", "purge", "--contest", sampleContest, "--before", "2024-12-01"}, "no database given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("code %d, stderr %q (want %q)", code, stderr, tt.wantStderr)
			}
		})
	}
}

// The retention rule as the organizers run it: what was recorded before the day is erased,
// what came after stays.
func TestIntegrityPurge(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO locality (contest_id, code, name) VALUES ('` + sampleContest + `', '1', 'X')`,
		`INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender, participant_group, locality_code,
			password_hash, created_at, registered_net) VALUES
			('` + sampleContest + `', '060090000001', '0900000001', 'A', '1990-01-01', 'male', 'resident', '1', 'x', '2024-08-20T10:00:00+07:00', '10.0.0.0/24'),
			('` + sampleContest + `', '060090000002', '0900000002', 'B', '1990-01-01', 'male', 'resident', '1', 'x', '2024-12-02T10:00:00+07:00', '10.0.1.0/24')`,
		`INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'x', '{}')`,
		// A's attempt was started on the last day before the date, B's on the day itself.
		`INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline, bank_name, bank_version, paper, answers,
			total, client_net, device_tag)
			SELECT 'ns/r', id, 1, 'in_progress', s, s + interval '30 minutes', 'mau', 1, '{"items":[]}', '{}', 15, '10.0.0.0/24', '\x0102030405060708'
			FROM contestant, LATERAL (SELECT CASE full_name WHEN 'A' THEN timestamptz '2024-11-30T23:59:00+07:00'
				ELSE timestamptz '2024-12-01T00:00:00+07:00' END AS s) t`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCLI(t, "integrity", "purge", "--contest", sampleContest, "--before", "2024-12-01", "--database-url", dsn)
	if code != ExitOK || !strings.Contains(stdout, "1 attempt and the networks of 1 registration recorded before 2024-12-01T00:00:00+07:00") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	var left []string
	rows, _ := pool.Query(ctx, `SELECT full_name FROM contestant WHERE registered_net IS NOT NULL`)
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		left = append(left, s)
	}
	rows.Close()
	if strings.Join(left, ",") != "B" {
		t.Errorf("registrations keeping a network: %v", left)
	}
	left = nil
	rows, _ = pool.Query(ctx, `SELECT c.full_name FROM attempt a JOIN contestant c ON c.id = a.contestant_id
		WHERE a.client_net IS NOT NULL OR a.device_tag IS NOT NULL`)
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		left = append(left, s)
	}
	rows.Close()
	if strings.Join(left, ",") != "B" {
		t.Errorf("attempts keeping a network or device tag: %v", left)
	}
	if _, problem := purgeBefore(sampleContest, "2024-12-01T00:00:00Z", time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)); problem != "" {
		t.Errorf("an instant now: %s", problem)
	}
}

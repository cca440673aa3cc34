package cli

import (
	"context"
	"fmt"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/store"
)

func integrityCommand() Command {
	return groupCommand("integrity", "Manage what the review queue recorded (client networks, device tags).", []Command{
		{Name: "purge", Summary: integrityPurgeSummary, Run: runIntegrityPurge},
	})
}

const integrityPurgeSummary = "Erase the client networks and device tags a contest recorded before a date (the retention rule, docs/web.md)."

func runIntegrityPurge(ctx context.Context, args []string, out IO) int {
	const cmd = "integrity purge"
	fs := newFlagSet(cmd, integrityPurgeSummary, out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage:\n  contest integrity purge --contest ID --before DATE\n\n"+
			"The attempts keep their scores and the timeline of their saves; the organizers' decisions keep the\n"+
			"evidence they were made on. The review queue shows no network or device signal for what was erased.\n\nFlags:\n",
			integrityPurgeSummary)
		fs.PrintDefaults()
	}
	contest := fs.String("contest", "", "contest ID (a round's spec.contest.id)")
	before := fs.String("before", "", "erase what was recorded before this date (2024-12-01: midnight, Vietnam time) or instant (RFC 3339)")
	dsn := databaseFlag(fs)
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	at, problem := purgeBefore(*contest, *before, time.Now())
	if problem != "" {
		fmt.Fprintf(out.Stderr, "contest %s: %s\n", cmd, problem)
		return ExitUsage
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()
	attempts, registrations, err := store.PurgeIntegrity(ctx, pool, *contest, at)
	if err != nil {
		return fail(out, cmd, err)
	}
	fmt.Fprintf(out.Stdout, "contest %s: erased the networks and device tags of %s and the networks of %s recorded before %s\n",
		*contest, plural(int(attempts), "attempt", "attempts"), plural(int(registrations), "registration", "registrations"),
		at.In(contestv1alpha1.TimeZone()).Format(time.RFC3339))
	return ExitOK
}

// purgeBefore checks the purge's arguments and reads the date: a day is its midnight in
// the contest's time zone. A date still to come is refused: it would erase what the
// queue needs now, most likely by a typo in the year.
func purgeBefore(contest, before string, now time.Time) (time.Time, string) {
	if contest == "" {
		return time.Time{}, "--contest is required"
	}
	if err := store.CheckContestID(contest); err != nil {
		return time.Time{}, err.Error()
	}
	if before == "" {
		return time.Time{}, "--before is required: the date before which recorded networks are erased"
	}
	at, err := time.Parse(time.RFC3339, before)
	if err != nil {
		if at, err = time.ParseInLocation(time.DateOnly, before, contestv1alpha1.TimeZone()); err != nil {
			return time.Time{}, fmt.Sprintf("--before %q is neither a date (2024-12-01) nor an instant (2024-12-01T00:00:00+07:00)", before)
		}
	}
	if at.After(now) {
		return time.Time{}, fmt.Sprintf("--before %s is in the future: give a date that has passed", before)
	}
	return at, ""
}

package loadtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/store"
)

// SampleContest is the contest of the shipped sample data (localities, bank), which
// Prepare loads when the database lacks them.
const SampleContest = "cds-binhthuan-2024"

// PrepareData makes sure the contest has what the load test needs besides rounds: the
// sample question bank (store.SaveBank: a no-op when present) and, when the contest has no
// localities, the sample list. It returns the bank the rounds should draw from.
func PrepareData(ctx context.Context, pool *pgxpool.Pool, contest string) (*bank.Bank, error) {
	b, err := bank.Sample()
	if err != nil {
		return nil, err
	}
	if _, err := store.SaveBank(ctx, pool, b); err != nil {
		return nil, fmt.Errorf("store the sample bank: %w", err)
	}
	locs, err := store.ListLocalities(ctx, pool, contest)
	if err != nil {
		return nil, err
	}
	if len(locs) == 0 {
		sample, err := locality.Sample()
		if err != nil {
			return nil, err
		}
		if err := store.ReplaceLocalities(ctx, pool, contest, sample); err != nil {
			return nil, fmt.Errorf("store the sample localities: %w", err)
		}
	}
	return b, nil
}

// PreparePeople inserts people first … first+n-1 of the contest (Phone, NationalID) with one
// password, hashed once: COPY into a temporary table, then one INSERT that skips people
// already there, so preparing again is harmless. It returns how many were new.
func PreparePeople(ctx context.Context, pool *pgxpool.Pool, contest string, first, n int, pw string) (int, error) {
	if err := checkRange("people", first, n); err != nil {
		return 0, err
	}
	if pw == "" {
		pw = DefaultPassword
	}
	locs, err := store.ListLocalities(ctx, pool, contest)
	if err != nil {
		return 0, err
	}
	var communes []string
	for _, l := range locs {
		if l.ParentCode != "" {
			communes = append(communes, l.Code)
		}
	}
	if len(communes) == 0 {
		return 0, fmt.Errorf("contest %s has no communes: import its localities first", contest)
	}
	hash := password.Hash(pw)
	birth := time.Date(1992, 3, 15, 0, 0, 0, 0, time.UTC)
	var inserted int64
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE loadtest_people (contest_id text, national_id text, phone text,
			full_name text, birth_date date, gender text, participant_group text, locality_code text, password_hash text) ON COMMIT DROP`); err != nil {
			return err
		}
		i := 0
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"loadtest_people"},
			[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "locality_code", "password_hash"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == n {
					return nil, nil
				}
				k := first + i
				i++
				return []any{contest, NationalID(k), Phone(k), personName, birth, personGender, personGroup, communes[k%len(communes)], hash}, nil
			})); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender,
			participant_group, locality_code, password_hash)
			SELECT contest_id, national_id, phone, full_name, birth_date, gender, participant_group, locality_code, password_hash
			FROM loadtest_people ON CONFLICT DO NOTHING`)
		inserted = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("insert people %d to %d: %w", first, first+n-1, err)
	}
	return int(inserted), nil
}

// RoundsOptions describe the rounds file Prepare writes for `contest web --rounds-file`.
type RoundsOptions struct {
	Contest, Title string
	// Names of the rounds; each opens a minute before now and stays open OpenFor.
	Names       []string
	OpenFor     time.Duration
	TimeLimit   time.Duration
	MaxAttempts int
	Bank        *bank.Bank
	Now         time.Time
}

// RoundsYAML is a rounds file of open rounds drawing 3 questions from each of the bank's
// topics, in the CRD's form (the web app validates it as the API server would). They
// never reveal answers: they share one bank version, which the app would otherwise warn
// about at start.
func RoundsYAML(o RoundsOptions) (string, error) {
	if len(o.Names) == 0 {
		return "", fmt.Errorf("no round to write")
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Title == "" {
		o.Title = "Thử tải"
	}
	var topics []string
	for _, t := range o.Bank.Topics {
		if len(o.Bank.QuestionsByTopic(t.Code)) >= 3 {
			topics = append(topics, t.Code)
		}
	}
	if len(topics) == 0 {
		return "", fmt.Errorf("bank %s v%d has no topics", o.Bank.Name, o.Bank.Version)
	}
	opens := o.Now.Add(-time.Minute).UTC().Format(time.RFC3339)
	closes := o.Now.Add(o.OpenFor).UTC().Format(time.RFC3339)
	var b strings.Builder
	for i, name := range o.Names {
		if i > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, `apiVersion: contest.dxcontest.io/v1alpha1
kind: ContestRound
metadata:
  name: %s
spec:
  contest: {id: %q, title: %q}
  title: %q
  opensAt: %q
  closesAt: %q
  exam:
    bank: {name: %s, version: %d}
    totalQuestions: %d
    maxAttempts: %d
    timeLimit: %s
    revealAnswers: Never
    topics:
`, name, o.Contest, o.Title, "Thử tải "+name, opens, closes, o.Bank.Name, o.Bank.Version, 3*len(topics), o.MaxAttempts, o.TimeLimit)
		for _, t := range topics {
			fmt.Fprintf(&b, "      - {topic: %s, questions: 3}\n", t)
		}
	}
	return b.String(), nil
}

// WriteRounds writes RoundsYAML to path.
func WriteRounds(path string, o RoundsOptions) error {
	y, err := RoundsYAML(o)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		return fmt.Errorf("write rounds file: %w", err)
	}
	return nil
}

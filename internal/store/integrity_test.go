package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/integrity"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// integrityDB is a database with people of contest "c" and a bank to draw from.
type integrityDB struct {
	t    *testing.T
	pool *pgxpool.Pool
}

// t0 is on a 30-second boundary, so the bucket edges of a 30 s tolerance are known.
var it0 = time.Date(2024, 8, 17, 1, 0, 0, 0, time.UTC)

func newIntegrityDB(t *testing.T) *integrityDB {
	t.Helper()
	pool := pgtest.Migrated(t)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'x', '{}')`,
		`INSERT INTO locality (contest_id, code, name) VALUES ('c', '1', 'X'), ('other', '1', 'X')`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	return &integrityDB{t: t, pool: pool}
}

// person registers someone in contest at the time and network given.
func (d *integrityDB) person(contest string, n int, at time.Time, net string) int64 {
	d.t.Helper()
	var id int64
	if err := d.pool.QueryRow(context.Background(), `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender,
		participant_group, locality_code, password_hash, created_at, registered_net)
		VALUES ($1, $2, $3, 'X', '1990-01-01', 'male', 'resident', '1', 'x', $4, nullif($5, '')) RETURNING id`,
		contest, fmt.Sprintf("0600900%05d", n), fmt.Sprintf("09000%05d", n), at, net).Scan(&id); err != nil {
		d.t.Fatal(err)
	}
	return id
}

type attemptRow struct {
	person    int64
	no        int
	start     float64 // seconds after it0
	used      float64 // seconds; 0: in progress
	status    string
	correct   int
	net       string
	device    []byte
	paper     exam.Paper
	answers   exam.Answers
	roundName string
}

func (d *integrityDB) attempt(a attemptRow) int64 {
	d.t.Helper()
	if a.no == 0 {
		a.no = 1
	}
	if a.roundName == "" {
		a.roundName = "ns/r"
	}
	if a.status == "" {
		a.status = "submitted"
	}
	if a.paper.Items == nil {
		a.paper = exam.Paper{Items: []exam.Item{{QuestionID: "q1", Order: "0123"}}}
	}
	if a.answers == nil {
		a.answers = exam.Answers{}
	}
	paper, _ := json.Marshal(a.paper)
	answers, _ := json.Marshal(a.answers)
	start := it0.Add(time.Duration(a.start * float64(time.Second)))
	var submitted, correct any
	if a.status != "in_progress" {
		submitted, correct = start.Add(time.Duration(a.used*float64(time.Second))), a.correct
	}
	var net any
	if a.net != "" {
		net = a.net
	}
	var id int64
	if err := d.pool.QueryRow(context.Background(), `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline,
		submitted_at, bank_name, bank_version, paper, answers, total, correct, client_net, device_tag)
		VALUES ($1, $2, $3, $4, $5::timestamptz, $5::timestamptz + interval '30 minutes', $6, 'mau', 1, $7, $8, $9, $10, $11, $12) RETURNING id`,
		a.roundName, a.person, a.no, a.status, start, submitted, paper, answers, len(a.paper.Items), correct, net, a.device).Scan(&id); err != nil {
		d.t.Fatal(err)
	}
	return id
}

func ids(as []integrity.Attempt) []int64 {
	var out []int64
	for _, a := range as {
		out = append(out, a.ID)
	}
	slices.Sort(out)
	return out
}

func sorted(xs ...int64) []int64 { slices.Sort(xs); return xs }

// The database narrows what the review queue reads to the pairs of attempts whose
// timelines are close, by time buckets as wide as the tolerance: a pair across a bucket
// edge, and one exactly at the tolerance, are read; one a second past it, or of one
// account, or closed at its deadline, is not.
func TestNeighbourAttempts(t *testing.T) {
	d := newIntegrityDB(t)
	ctx := context.Background()
	p := make([]int64, 10)
	for i := range p {
		p[i] = d.person("c", i, it0, "")
	}
	paper := exam.Paper{Items: []exam.Item{{QuestionID: "q1", Order: "2031"}, {QuestionID: "q2", Order: "0123"}}}
	a := d.attempt(attemptRow{person: p[0], start: 29.5, used: 300, paper: paper, answers: exam.Answers{0: "A", 1: "C"}})
	b := d.attempt(attemptRow{person: p[1], start: 30.5, used: 301}) // across the 30 s edge from a
	c := d.attempt(attemptRow{person: p[2], start: 100, used: 300})
	dd := d.attempt(attemptRow{person: p[3], start: 130, used: 300}) // exactly 30 s after c
	d.attempt(attemptRow{person: p[4], start: 1000, used: 300})
	d.attempt(attemptRow{person: p[5], start: 1031, used: 300})        // 31 s after
	d.attempt(attemptRow{person: p[6], start: 2000, used: 300})        // alone…
	d.attempt(attemptRow{person: p[6], no: 2, start: 2001, used: 300}) // …with itself
	d.attempt(attemptRow{person: p[7], start: 3000, used: 300})        // started with the next,
	d.attempt(attemptRow{person: p[8], start: 3001, used: 340})        // submitted 41 s later
	d.attempt(attemptRow{person: p[9], start: 30, used: 300, status: "expired"})
	d.attempt(attemptRow{person: p[9], no: 2, start: 31, used: 300, roundName: "ns/other"})

	got, more, err := store.NeighbourAttempts(ctx, d.pool, "ns/r", 30*time.Second, 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := sorted(a, b, c, dd); !slices.Equal(ids(got), want) || more {
		t.Fatalf("neighbours %v (more %v), want %v", ids(got), more, want)
	}
	for _, x := range got {
		if x.ID == a && (x.Choices["q1"] != 2 || x.Choices["q2"] != 2 || !x.Submitted || x.TimeUsed() != 300*time.Second) {
			t.Errorf("attempt a as read: %+v", x)
		}
	}
	// A bound reads the closest pairs first: here the one added last.
	p2 := []int64{d.person("c", 20, it0, ""), d.person("c", 21, it0, "")}
	e := d.attempt(attemptRow{person: p2[0], start: 4000, used: 300})
	f := d.attempt(attemptRow{person: p2[1], start: 4000, used: 300})
	got, more, err = store.NeighbourAttempts(ctx, d.pool, "ns/r", 30*time.Second, 1)
	if err != nil || !more || !slices.Equal(ids(got), sorted(e, f)) {
		t.Errorf("a bound of one pair: %v (more %v, %v), want the closest pair %v", ids(got), more, err, sorted(e, f))
	}
}

func TestFastPerfectAndSharedNetworkReads(t *testing.T) {
	d := newIntegrityDB(t)
	ctx := context.Background()
	p := make([]int64, 6)
	for i := range p {
		p[i] = d.person("c", i, it0, "")
	}
	fast := d.attempt(attemptRow{person: p[0], used: 40, correct: 1})
	d.attempt(attemptRow{person: p[1], used: 40, correct: 0})                    // not perfect
	d.attempt(attemptRow{person: p[2], used: 60, correct: 1})                    // not faster
	d.attempt(attemptRow{person: p[3], used: 20, correct: 1, status: "expired"}) // not submitted
	got, err := store.FastPerfectAttempts(ctx, d.pool, "ns/r", time.Minute, 10)
	if err != nil || !slices.Equal(ids(got), []int64{fast}) {
		t.Fatalf("fast perfect %v, %v", ids(got), err)
	}

	tag := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	var busy []int64
	for i := range 3 {
		busy = append(busy, d.attempt(attemptRow{person: p[i], no: 2, start: float64(i), status: "in_progress", net: "10.0.0.0/24", device: tag}))
	}
	d.attempt(attemptRow{person: p[3], no: 2, net: "10.0.1.0/24"})
	d.attempt(attemptRow{person: p[4], no: 2, net: "10.0.1.0/24"})
	d.attempt(attemptRow{person: p[5], no: 2}) // not recorded
	// Busy over the round, never within 10 minutes: not read.
	for i := range 3 {
		d.attempt(attemptRow{person: p[3+i], no: 3, start: float64(3600 * (i + 1)), net: "10.0.2.0/24", device: tag})
	}
	got, err = store.SharedNetworkAttempts(ctx, d.pool, "ns/r", 3, 3, 10*time.Minute, 100)
	if err != nil || !slices.Equal(ids(got), sorted(busy...)) {
		t.Fatalf("shared networks %v, %v", ids(got), err)
	}
	if got[0].Net != "10.0.0.0/24" || got[0].Device != "0102030405060708" {
		t.Errorf("as read: %+v", got[0])
	}
}

// What the database narrows SharedNetworkAttempts to (the attempts of dense time buckets)
// gives the same shared-device and shared-network signals as every attempt of the round,
// on random rounds; and it does leave attempts out.
func TestSharedNetworkNarrowingChangesNoSignal(t *testing.T) {
	d := newIntegrityDB(t)
	ctx := context.Background()
	r := integrity.DefaultRules()
	r.NetworkAccounts = 4
	people := make([]int64, 25)
	for i := range people {
		people[i] = d.person("c", i, it0, "")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var read, all int
	for trial := range 20 {
		round := fmt.Sprintf("ns/r%d", trial)
		tries := map[int64]int{}
		for range 60 {
			p := people[rng.IntN(len(people))]
			tries[p]++
			d.attempt(attemptRow{person: p, no: tries[p], roundName: round, start: float64(rng.IntN(7200)), used: 300,
				net: fmt.Sprintf("10.0.%d.0/24", rng.IntN(3)), device: []byte{byte(rng.IntN(2)), 0, 0, 0, 0, 0, 0, 0}})
		}
		every, err := store.SharedNetworkAttempts(ctx, d.pool, round, 1, 1, r.Window, 1000) // every bucket is dense
		if err != nil || len(every) != 60 {
			t.Fatalf("trial %d: %d attempts read with no narrowing, want 60: %v", trial, len(every), err)
		}
		narrowed, err := store.SharedNetworkAttempts(ctx, d.pool, round, r.DeviceAccounts, r.NetworkAccounts, r.Window, 1000)
		if err != nil {
			t.Fatal(err)
		}
		read, all = read+len(narrowed), all+len(every)
		for _, find := range []func([]integrity.Attempt, integrity.Rules) []integrity.Signal{integrity.SharedDevices, integrity.SharedNetworks} {
			full, less := find(every, r), find(narrowed, r)
			integrity.Sort(full)
			integrity.Sort(less)
			if fmt.Sprint(full) != fmt.Sprint(less) {
				t.Fatalf("trial %d: %d signals from all attempts, %d from the %d read", trial, len(full), len(less), len(narrowed))
			}
		}
	}
	if read >= all || read == 0 {
		t.Errorf("%d of %d attempts read: the narrowing should leave some out and keep some", read, all)
	}
}

func TestRegistrationsReviewsAndPurge(t *testing.T) {
	d := newIntegrityDB(t)
	ctx := context.Background()
	var busy []int64
	for i := range 3 {
		busy = append(busy, d.person("c", i, it0.Add(time.Duration(i)*time.Minute), "10.9.0.0/24"))
	}
	quiet := d.person("c", 10, it0, "10.9.1.0/24")
	d.person("other", 11, it0, "10.9.0.0/24")
	for i := range 3 { // busy over the day, never within 10 minutes
		d.person("c", 20+i, it0.Add(time.Duration(i)*time.Hour), "10.9.2.0/24")
	}
	regs, err := store.BusyNetworkRegistrations(ctx, d.pool, "c", 3, 10*time.Minute, 100)
	if err != nil || len(regs) != 3 || regs[0].ContestantID != busy[0] || regs[2].Net != "10.9.0.0/24" {
		t.Fatalf("registrations %+v, %v", regs, err)
	}

	// Decisions accumulate the evidence they covered; the latest one counts.
	for i, dec := range []struct {
		d    integrity.Decision
		keys []string
	}{{integrity.Dismissed, []string{"fast_perfect:1"}}, {integrity.Dismissed, []string{"fast_perfect:2", "shared_network:2"}}} {
		if _, err := store.RecordIntegrityDecision(ctx, d.pool, store.IntegrityDecision{ContestID: "c", ContestantID: quiet, Round: "ns/r",
			Decision: dec.d, Reason: fmt.Sprintf("lý do số %d", i), Keys: dec.keys, Evidence: json.RawMessage(`[]`), Summary: "…", By: "ed"}); err != nil {
			t.Fatal(err)
		}
	}
	reviews, err := store.IntegrityReviews(ctx, d.pool, "c")
	if err != nil {
		t.Fatal(err)
	}
	r := reviews[quiet]
	if len(reviews) != 1 || r.Latest != integrity.Dismissed || len(r.Covered) != 3 || !r.Covered["fast_perfect:1"] {
		t.Errorf("reviews %+v", reviews)
	}
	if _, err := store.RecordIntegrityDecision(ctx, d.pool, store.IntegrityDecision{ContestID: "c", ContestantID: quiet, Round: "ns/r",
		Decision: "maybe", Reason: "x", Keys: []string{}, Evidence: json.RawMessage(`[]`), By: "ed"}); err == nil {
		t.Error("a decision the table does not know was stored")
	}

	// Purge: networks and device tags recorded before the time are erased, in this contest only.
	old := d.attempt(attemptRow{person: busy[0], net: "10.9.0.0/24", device: []byte{1, 2, 3, 4, 5, 6, 7, 8}})
	recent := d.attempt(attemptRow{person: busy[1], start: 7200, net: "10.9.0.0/24", device: []byte{1, 2, 3, 4, 5, 6, 7, 8}})
	attempts, registrations, err := store.PurgeIntegrity(ctx, d.pool, "c", it0.Add(90*time.Second))
	if err != nil || attempts != 1 || registrations != 4 {
		t.Fatalf("purged %d attempts, %d registrations: %v", attempts, registrations, err)
	}
	var left int
	if err := d.pool.QueryRow(ctx, `SELECT count(*) FROM attempt WHERE client_net IS NOT NULL OR device_tag IS NOT NULL`).Scan(&left); err != nil || left != 1 {
		t.Errorf("%d attempts keep a network, want 1 (%d): %v", left, recent, err)
	}
	var net *string
	if err := d.pool.QueryRow(ctx, `SELECT client_net FROM attempt WHERE id = $1`, old).Scan(&net); err != nil || net != nil {
		t.Errorf("the old attempt keeps %v", net)
	}
	if err := d.pool.QueryRow(ctx, `SELECT count(*) FROM contestant WHERE registered_net IS NOT NULL`).Scan(&left); err != nil || left != 4 {
		t.Errorf("%d registrations keep a network, want 4 (three of c, after the time, and the other contest's): %v", left, err)
	}
}

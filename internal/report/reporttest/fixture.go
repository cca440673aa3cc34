// Package reporttest loads a small ranked round into a test database, for the tests of the
// report, its queries and its command. The data is written with plain SQL and
// store.ReplaceRanking, so the tests do not depend on the exam or the ranking job.
package reporttest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/ranking"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// The fixture's contest and rounds.
const (
	ContestID  = "binh-thuan-2024"
	Round      = "default/vong-1"
	OtherRound = "default/vong-2"
)

// Person is a contestant and their attempts.
type Person struct {
	Name, NationalID, Phone, Group, Organization, Locality string
	Attempts                                               []Attempt
}

// Attempt is one attempt of a person; the first finished one in Round is their best.
type Attempt struct {
	Round      string // "" is Round
	Start      string // RFC 3339 with offset
	Used       time.Duration
	Correct    int
	Prediction int64
	Status     string // submitted, expired or in_progress
}

// Line is a hand-written line of the ranking; its values come from the person's first
// attempt.
type Line struct {
	Person     int
	Rank       int
	Prize      string
	Tie        bool
	Eligible   bool
	Reason     string
	Prediction bool // false: the person never answered the prediction question
	Below      string
}

// Fixture is what was loaded.
type Fixture struct {
	People  []Person
	IDs     []int64 // contestant ids, by index in People
	Lines   []Line
	Ties    []ranking.BoundaryTie
	Perfect int64
}

// People returns the fixture's contestants. Organizations include strings that a
// spreadsheet would take for formulas.
func People() []Person {
	const (
		sub = "submitted"
		exp = "expired"
		run = "in_progress"
	)
	return []Person{
		{"Nguyễn Văn An", "060090000134", "0912345678", "official", `=HYPERLINK("http://x")`, "22915", []Attempt{
			{"", "2024-08-17T08:00:00+07:00", 10 * time.Minute, 15, 2, sub},
			{"", "2024-08-18T09:00:00+07:00", 12 * time.Minute, 14, 2, sub}}},
		{"Trần Thị Bình", "060190000201", "0987654321", "student", "+84 group", "22918", []Attempt{
			{"", "2024-08-17T23:50:00+07:00", 11*time.Minute + 500*time.Microsecond, 15, 5, sub}}},
		{"Lê Văn Cường", "060090000302", "0909000302", "armed_forces", "@admin", "22969", []Attempt{
			{"", "2024-08-18T06:30:00+07:00", 9*time.Minute + 1500*time.Millisecond, 14, 2, sub},
			{"", "2024-08-18T07:00:00+07:00", 20 * time.Minute, 12, 2, sub},
			{"", "2024-08-19T10:00:00+07:00", 30 * time.Minute, 3, 0, exp}}},
		{"Phạm Thị Dung", "060190000403", "0909000403", "resident", "-1", "22915", []Attempt{
			{"", "2024-08-18T06:30:00+07:00", 9*time.Minute + 1500*time.Millisecond, 14, 2, sub}}},
		{"Hoàng Văn Em", "060090000504", "0909000504", "official", "Sở Thông tin và Truyền thông", "22915", []Attempt{
			{"", "2024-08-17T11:00:00+07:00", 8 * time.Minute, 14, 9, sub}}},
		{"Võ Thị Phương", "060190000605", "0909000605", "official", "UBND tỉnh", "595", []Attempt{
			{"", "2024-08-18T08:00:00+07:00", 14 * time.Minute, 13, 1, sub},
			{"", "2024-08-19T08:00:00+07:00", 0, 0, 0, run}}},
		{"Đặng Văn Giang", "060090000706", "0909000706", "resident", "", "22918", []Attempt{
			{"", "2024-08-19T09:00:00+07:00", 25 * time.Minute, 10, 0, sub}}},
		{"Bùi Thị Hoa", "060190000807", "0909000807", "student", "UBND tỉnh", "22972", []Attempt{
			{"", "2024-08-19T09:30:00+07:00", 0, 0, 0, run}}},
		{"Đỗ Văn Khoa", "060090000908", "0909000908", "official", "UBND tỉnh", "22915", []Attempt{
			{OtherRound, "2024-08-17T09:00:00+07:00", 5 * time.Minute, 15, 1, sub}}},
	}
}

// Units returns the contest's unit list: a department with a division, the provincial
// People's Committee's office, and a unit nobody chose (the report lists it with zero).
func Units() []unit.Unit {
	return []unit.Unit{
		{Code: "STTTT", Name: "Sở Thông tin và Truyền thông", Type: unit.TypeAgency, Aliases: []string{"Sở TTTT"}},
		{Code: "STTTT-VP", Name: "Văn phòng Sở", ParentCode: "STTTT", Type: unit.TypeAgency},
		{Code: "VP-UBND", Name: "Văn phòng UBND tỉnh", Type: unit.TypeAgency, Headcount: ptr(120)},
		{Code: "SYT", Name: "Sở Y tế", Type: unit.TypeAgency},
	}
}

// unitOf is the unit each person chose, by national ID; the others typed free text only.
var unitOf = map[string]string{
	"060090000302": "STTTT-VP", // Lê Văn Cường
	"060090000504": "STTTT",    // Hoàng Văn Em
	"060190000605": "VP-UBND",  // Võ Thị Phương
	"060190000807": "VP-UBND",  // Bùi Thị Hoa: an attempt in progress only
	"060090000908": "STTTT-VP", // Đỗ Văn Khoa: in the other round only
}

// Unit is the code of the unit the person chose, "" for none.
func (p Person) Unit() string { return unitOf[p.NationalID] }

func ptr(n int) *int { return &n }

// Lines returns the ranking: people 2 and 3 are equal on every key at rank 3, where one
// place of Giải Nhì and one of Giải Ba remain; person 4 is ineligible.
func Lines() []Line {
	return []Line{
		{Person: 0, Rank: 1, Prize: "Giải Nhất", Eligible: true, Prediction: true},
		{Person: 1, Rank: 2, Prize: "Giải Nhì", Eligible: true, Prediction: true},
		{Person: 2, Rank: 3, Tie: true, Eligible: true, Prediction: true},
		{Person: 3, Rank: 3, Tie: true, Eligible: true, Prediction: true},
		{Person: 4, Rank: 5, Reason: `organization "Sở Thông tin và Truyền thông" is excluded`, Prediction: true},
		{Person: 5, Rank: 6, Prize: "Giải Ba", Eligible: true, Prediction: true},
		{Person: 6, Rank: 7, Eligible: true, Below: "Giải Khuyến khích"},
	}
}

// Prizes are the round's prizes: person 6, with 10 correct answers, is below the
// consolation prize's condition, whose place stays vacant.
func Prizes() []ranking.Prize {
	return []ranking.Prize{{Name: "Giải Nhất", Count: 1, MinCorrect: 13}, {Name: "Giải Nhì", Count: 2, MinCorrect: 13},
		{Name: "Giải Ba", Count: 2, MinCorrect: 11}, {Name: "Giải Khuyến khích", Count: 1, MinCorrect: 11}}
}

// Load writes the fixture into a migrated database.
func Load(t testing.TB, pool *pgxpool.Pool) *Fixture {
	t.Helper()
	ctx := context.Background()
	ls, err := locality.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceLocalities(ctx, pool, ContestID, ls); err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceUnits(ctx, pool, ContestID, Units()); err != nil {
		t.Fatal(err)
	}
	b, err := bank.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveBank(ctx, pool, b); err != nil {
		t.Fatal(err)
	}
	f := &Fixture{People: People(), Lines: Lines(), Perfect: 2}
	attemptIDs := make([][]int64, len(f.People))
	for i, p := range f.People {
		var id int64
		if err := pool.QueryRow(ctx, `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender,
			participant_group, organization, locality_code, password_hash, ineligible, unit_code)
			VALUES ($1, $2, $3, $4, '1990-01-01', 'male', $5, $6, $7, 'x', $8, nullif($9, '')) RETURNING id`,
			ContestID, p.NationalID, p.Phone, p.Name, p.Group, p.Organization, p.Locality, i == 4, p.Unit()).Scan(&id); err != nil {
			t.Fatalf("insert %s: %v", p.Name, err)
		}
		f.IDs = append(f.IDs, id)
		for n, a := range p.Attempts {
			attemptIDs[i] = append(attemptIDs[i], insertAttempt(t, pool, id, n+1, a))
		}
	}
	f.Ties = []ranking.BoundaryTie{{Rank: 3, PersonIDs: []int64{f.IDs[2], f.IDs[3]},
		Places: []ranking.Place{{Prize: "Giải Nhì", Count: 1}, {Prize: "Giải Ba", Count: 1}}}}
	ties, err := json.Marshal(f.Ties)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]store.RankingRow, len(f.Lines))
	for i, l := range f.Lines {
		a := f.People[l.Person].Attempts[0]
		var pred *int64
		dist := int64(15) // what the job stores for no answer is not the report's business
		if l.Prediction {
			pred, dist = &a.Prediction, abs(a.Prediction-f.Perfect)
		}
		rows[i] = store.RankingRow{Position: i + 1, Rank: l.Rank, ContestantID: f.IDs[l.Person],
			AttemptID: attemptIDs[l.Person][0], Correct: a.Correct, Total: 15, Prediction: pred, Distance: dist,
			TimeUsed: a.Used, SubmittedAt: a.start(t).Add(a.Used), Eligible: l.Eligible, IneligibleReason: l.Reason,
			Prize: l.Prize, TieAtBoundary: l.Tie, BelowCondition: l.Below}
	}
	prizes, err := json.Marshal(Prizes())
	if err != nil {
		t.Fatal(err)
	}
	run := store.RankingRun{Round: Round, ComputedAt: time.Date(2024, 9, 1, 0, 5, 0, 0, time.UTC), Participants: len(rows),
		Attempts: 10, Perfect: f.Perfect, TieBreak: []string{"Correct", "PredictionDistance", "TimeUsed", "SubmittedAt"},
		BoundaryTies: ties, Prizes: prizes}
	if err := store.ReplaceRanking(ctx, pool, run, rows); err != nil {
		t.Fatal(err)
	}
	return f
}

func insertAttempt(t testing.TB, pool *pgxpool.Pool, contestant int64, no int, a Attempt) int64 {
	t.Helper()
	start := a.start(t)
	var submitted, correct, prediction any
	if a.Status != "in_progress" {
		submitted, correct, prediction = start.Add(a.Used), a.Correct, a.Prediction
	}
	var id int64
	if err := pool.QueryRow(context.Background(), `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at,
		deadline, submitted_at, bank_name, bank_version, paper, prediction, total, correct)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'mau', 1, '{}', $8, 15, $9) RETURNING id`,
		a.round(), contestant, no, a.Status, start, start.Add(30*time.Minute), submitted, prediction, correct).Scan(&id); err != nil {
		t.Fatalf("insert attempt: %v", err)
	}
	return id
}

func (a Attempt) round() string {
	if a.Round == "" {
		return Round
	}
	return a.Round
}

func (a Attempt) start(t testing.TB) time.Time {
	s, err := time.Parse(time.RFC3339, a.Start)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

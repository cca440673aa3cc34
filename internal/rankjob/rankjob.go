// Package rankjob is the ranking job's work: close what is still open, stream the round's
// attempts from PostgreSQL into the ranking rules, store the full ranking, and produce the
// summary the operator copies into the round's status. What the operator and the Job agree
// on (names, the summary) is in internal/rankcontract, so the operator need not import this
// package and its database code.
package rankjob

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/rankcontract"
	"github.com/dxcontest/contest-platform/internal/ranking"
	"github.com/dxcontest/contest-platform/internal/store"
)

// NoPrediction stands for a prediction never given (an attempt closed at its deadline
// before the question was answered): farther from any possible actual count than every
// valid answer, so it ranks last on that key.
const NoPrediction = exam.MaxPrediction + 1

// Result is one run's summary, as the operator reads it, and how long its phases took, for
// the Job's log line.
type Result struct {
	rankcontract.Summary
	Timings Timings `json:"-"` // not part of the contract
}

// Timings of one run, by phase.
type Timings struct {
	Close, Stream, People, Rank, Store, Summarize time.Duration
}

func (t Timings) String() string {
	return fmt.Sprintf("close %s, stream %s, people %s, rank %s, store %s, summary %s",
		t.Close.Round(time.Millisecond), t.Stream.Round(time.Millisecond), t.People.Round(time.Millisecond),
		t.Rank.Round(time.Millisecond), t.Store.Round(time.Millisecond), t.Summarize.Round(time.Millisecond))
}

// Run ranks one round. banks loads the bank version of attempts that must still be closed.
func Run(ctx context.Context, pool *pgxpool.Pool, round *contestv1alpha1.ContestRound, banks func(ctx context.Context, name string, version int) (*bank.Bank, error), now time.Time) (*Result, error) {
	key := round.RoundKey()
	var tm Timings
	mark := time.Now()
	lap := func(d *time.Duration) { *d = time.Since(mark); mark = time.Now() }
	if err := closeOverdue(ctx, pool, banks); err != nil {
		return nil, err
	}
	lap(&tm.Close)

	rules, err := Rules(ctx, pool, round)
	if err != nil {
		return nil, err
	}
	b, err := ranking.NewBuilder(rules)
	if err != nil {
		return nil, fmt.Errorf("round %s: %w", key, err)
	}
	unanswered := map[int64]bool{} // attempts without a prediction, to store NULL for them
	if _, err := store.StreamFinishedAttempts(ctx, pool, key, func(a store.FinishedAttempt) error {
		pred := int64(NoPrediction)
		if a.Prediction != nil {
			pred = *a.Prediction
		} else {
			unanswered[a.AttemptID] = true
		}
		return b.Add(ranking.Attempt{PersonID: a.ContestantID, AttemptID: a.AttemptID, Correct: a.Correct, Total: a.Total,
			Prediction: pred, TimeUsed: a.TimeUsed, SubmittedAt: a.SubmittedAt})
	}); err != nil {
		return nil, err
	}
	lap(&tm.Stream)
	people, err := People(ctx, pool, key, b.Participants())
	if err != nil {
		return nil, err
	}
	lap(&tm.People)
	res, err := b.Rank(people)
	if err != nil {
		return nil, fmt.Errorf("rank %s: %w", key, err)
	}
	lap(&tm.Rank)

	ties, err := json.Marshal(res.BoundaryTies)
	if err != nil {
		return nil, fmt.Errorf("encode boundary ties: %w", err)
	}
	prizes, err := json.Marshal(rules.Prizes)
	if err != nil {
		return nil, fmt.Errorf("encode prizes: %w", err)
	}
	run := store.RankingRun{Round: key, ComputedAt: now, Participants: res.Participants, Attempts: int64(res.Attempts),
		Perfect: res.Actual, TieBreak: keysOf(res.TieBreak), BoundaryTies: ties, Prizes: prizes}
	rows := make([]store.RankingRow, len(res.Entries))
	for i, e := range res.Entries {
		rows[i] = store.RankingRow{Position: i + 1, Rank: e.Rank, ContestantID: e.PersonID, AttemptID: e.AttemptID,
			Correct: e.Correct, Total: e.Total, Distance: e.Distance, TimeUsed: e.TimeUsed, SubmittedAt: e.SubmittedAt,
			Eligible: e.Eligible, IneligibleReason: e.IneligibleReason, Prize: e.Prize, TieAtBoundary: e.TieAtBoundary,
			BelowCondition: e.BelowCondition}
		if !unanswered[e.AttemptID] {
			p := e.Prediction
			rows[i].Prediction = &p
		}
	}
	if err := store.ReplaceRanking(ctx, pool, run, rows); err != nil {
		return nil, err
	}
	lap(&tm.Store)
	sum, err := summarize(ctx, pool, key, res, unanswered, now)
	if err == nil {
		sum.Vacant = vacancies(rules.Prizes, res)
	}
	if err != nil {
		return nil, err
	}
	lap(&tm.Summarize)
	return &Result{Summary: *sum, Timings: tm}, nil
}

// People looks up what the ranking needs of the round's participants (about n of them):
// their eligibility. The console's preview of a key correction ranks with it too.
func People(ctx context.Context, pool store.Querier, round string, n int) (ranking.People, error) {
	people := make(map[int64]ranking.Person, n)
	if err := store.StreamRoundContestants(ctx, pool, round, func(p store.RankPerson) error {
		people[p.ID] = ranking.Person{ID: p.ID, Organization: p.Organization, Ineligible: p.Ineligible, FlagNote: p.FlagNote, UnitCode: p.UnitCode}
		return nil
	}); err != nil {
		return nil, err
	}
	return ranking.FromMap(people), nil
}

// closeOverdue closes, through the attempt service, every attempt still open past its
// deadline, so the ranking sees each one as it ended.
func closeOverdue(ctx context.Context, pool *pgxpool.Pool, banks func(ctx context.Context, name string, version int) (*bank.Bank, error)) error {
	attempts := attempt.New(store.NewAttempts(pool), banks)
	for {
		n, err := attempts.ExpireOverdue(ctx, 1000)
		if err != nil {
			return err
		}
		if n < 1000 {
			return nil
		}
	}
}

// Rules are the round's ranking rules, with the contest's unit list when its exclusions
// need it (they name units by code, or by name through the list). The eligibility screen
// reads them too, so it shows whom the ranking will exclude.
func Rules(ctx context.Context, pool store.Querier, round *contestv1alpha1.ContestRound) (ranking.Rules, error) {
	rules := rulesOf(round)
	if len(rules.IneligibleUnits) > 0 || len(rules.IneligibleOrganizations) > 0 {
		units, err := store.ListUnits(ctx, pool, round.Spec.Contest.ID)
		if err != nil {
			return rules, err
		}
		rules.Units = units
	}
	return rules, nil
}

func rulesOf(round *contestv1alpha1.ContestRound) ranking.Rules {
	var r ranking.Rules
	for _, k := range round.Spec.Ranking.TieBreak {
		r.TieBreak = append(r.TieBreak, ranking.Key(k))
	}
	for _, p := range round.Spec.PrizeList() {
		r.Prizes = append(r.Prizes, ranking.Prize{Name: p.Name, Count: int(p.Count), MinCorrect: int(p.MinCorrect)})
	}
	r.IneligibleOrganizations = append(r.IneligibleOrganizations, round.Spec.Ranking.IneligibleOrganizations...)
	r.IneligibleUnits = append(r.IneligibleUnits, round.Spec.Ranking.IneligibleUnits...)
	return r
}

func keysOf(keys []ranking.Key) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = string(k)
	}
	return out
}

// summarize adds the winners' masked personal data to the result.
func summarize(ctx context.Context, pool *pgxpool.Pool, key string, res ranking.Result, unanswered map[int64]bool, now time.Time) (*rankcontract.Summary, error) {
	var ids []int64
	for _, w := range res.Winners {
		ids = append(ids, w.PersonID)
	}
	for _, t := range res.BoundaryTies {
		ids = append(ids, t.PersonIDs...)
	}
	details, err := store.ContestantDetails(ctx, pool, ids)
	if err != nil {
		return nil, err
	}
	s := &rankcontract.Summary{Round: key, ComputedAt: now.UTC(), Participants: int64(res.Participants), Attempts: int64(res.Attempts), Perfect: res.Actual}
	for _, w := range res.Winners {
		d := details[w.PersonID]
		pred := w.Prediction
		if unanswered[w.AttemptID] {
			pred = -1
		}
		s.Winners = append(s.Winners, contestv1alpha1.Winner{
			Prize: w.Prize, Rank: int32(w.Rank), Name: d.FullName, MaskedNationalID: person.MaskNationalID(d.NationalID),
			Organization: d.Organization, Locality: localityOf(d), Correct: int32(w.Correct), Prediction: pred,
			Distance: w.Distance, TimeUsed: durationOf(w.TimeUsed), SubmittedAt: timeOf(w.SubmittedAt),
		})
	}
	for _, t := range res.BoundaryTies {
		bt := rankcontract.BoundaryTie{Rank: t.Rank}
		for _, id := range t.PersonIDs {
			bt.People = append(bt.People, person.MaskNationalID(details[id].NationalID))
		}
		for i, p := range t.Places {
			if i > 0 {
				bt.Places += ", "
			}
			bt.Places += fmt.Sprintf("%d %s", p.Count, p.Prize)
		}
		s.BoundaryTies = append(s.BoundaryTies, bt)
	}
	return s, nil
}

func localityOf(d store.ContestantDetail) string {
	switch {
	case d.LocalityName != "" && d.DistrictName != "":
		return d.LocalityName + ", " + d.DistrictName
	case d.LocalityName != "":
		return d.LocalityName
	default:
		return d.LocalityCode
	}
}

// vacancies lists the prize places neither given nor held for a boundary tie.
func vacancies(prizes []ranking.Prize, res ranking.Result) []rankcontract.Vacancy {
	taken := map[string]int{}
	for _, w := range res.Winners {
		taken[w.Prize]++
	}
	for _, t := range res.BoundaryTies {
		for _, p := range t.Places {
			taken[p.Prize] += p.Count
		}
	}
	var out []rankcontract.Vacancy
	for _, p := range prizes {
		if n := p.Count - taken[p.Name]; n > 0 {
			out = append(out, rankcontract.Vacancy{Prize: p.Name, Count: n, MinCorrect: p.MinCorrect})
		}
	}
	return out
}

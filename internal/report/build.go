package report

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/ranking"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Options change what the report shows.
type Options struct {
	// Unmasked shows full national IDs and phone numbers, for the committee's own use
	// (contacting winners); by default they are masked as on public pages.
	Unmasked bool
	// Location is where times are shown; nil means the contest's time zone
	// (contestv1alpha1.TimeZone). Its name must be one PostgreSQL
	// knows, since days are counted by the database.
	Location *time.Location
	// Now is when the report is made, shown in the summary; zero means time.Now().
	Now time.Time
	// HideAnswerKey leaves the item analysis sheet empty, saying why: set it while a round
	// drawing from the same bank version can still be answered, since the sheet shows the
	// key and the report may be forwarded.
	HideAnswerKey bool
}

// Report is a ranked round's report: its tables in sheet order.
type Report struct {
	Round string
	Run   store.RankingRun
	// Ties are the ties at a prize boundary the committee must decide.
	Ties []ranking.BoundaryTie
	// Prizes are the prizes as ranked, with their conditions; empty for a ranking stored
	// before they were recorded.
	Prizes []ranking.Prize
	Tables []*Table
}

// Build reads a ranked round's report from the store: a pool, or a transaction (the web
// app reads the whole report in one read-only transaction with its own statement timeout).
// A round without a ranking gives store.ErrNoRanking. The full ranking is not read here but
// while it is written ([Table.Each]), so the pool or transaction must stay open until then.
func Build(ctx context.Context, pool store.Querier, roundKey string, opts Options) (*Report, error) {
	if opts.Location == nil {
		opts.Location = contestv1alpha1.TimeZone()
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	run, err := store.ReadRankingRun(ctx, pool, roundKey)
	if err != nil {
		return nil, err
	}
	var ties []ranking.BoundaryTie
	if err := json.Unmarshal(run.BoundaryTies, &ties); err != nil {
		return nil, fmt.Errorf("read boundary ties of %s: %w", roundKey, err)
	}
	var prizes []ranking.Prize
	if len(run.Prizes) > 0 {
		if err := json.Unmarshal(run.Prizes, &prizes); err != nil {
			return nil, fmt.Errorf("read prizes of %s: %w", roundKey, err)
		}
	}
	rep := &Report{Round: roundKey, Run: run, Ties: ties, Prizes: prizes}
	b := builder{pool: pool, rep: rep, opts: opts, tied: tiedPeople(ties)}

	winners, err := b.winners(ctx)
	if err != nil {
		return nil, err
	}
	participation, err := b.participation(ctx)
	if err != nil {
		return nil, err
	}
	corrections, err := store.RoundCorrections(ctx, pool, roundKey)
	if err != nil {
		return nil, err
	}
	excluded, err := b.exclusions(ctx)
	if err != nil {
		return nil, err
	}
	items, err := b.items(ctx)
	if err != nil {
		return nil, err
	}
	rep.Tables = append([]*Table{b.summary(winners, corrections)}, winners.table, b.ranking())
	if t := b.corrections(corrections); t != nil {
		rep.Tables = append(rep.Tables, t)
	}
	rep.Tables = append(rep.Tables, excluded)
	rep.Tables = append(rep.Tables, participation...)
	rep.Tables = append(rep.Tables, items)
	return rep, nil
}

// builder carries what every table needs.
type builder struct {
	pool store.Querier
	rep  *Report
	opts Options
	tied map[int64]*ranking.BoundaryTie
}

func tiedPeople(ties []ranking.BoundaryTie) map[int64]*ranking.BoundaryTie {
	m := make(map[int64]*ranking.BoundaryTie)
	for i := range ties {
		for _, id := range ties[i].PersonIDs {
			m[id] = &ties[i]
		}
	}
	return m
}

// Table returns the table with the given sheet name, or nil.
func (r *Report) Table(name string) *Table {
	for _, t := range r.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

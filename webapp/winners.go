package webapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/ranking"
	"github.com/dxcontest/contest-platform/internal/store"
)

type winnersData struct {
	Round     *contestv1alpha1.ContestRound
	Published bool
	Rows      []winnerRow
	Pending   bool // some row is a place held for a boundary tie
}

// winnerRow is one line of the public list, in prize order: a winner, the places of a
// prize held for people tied at a boundary (no one named: the committee has not decided),
// or the places nobody was given.
type winnerRow struct {
	Prize  string
	Winner *contestv1alpha1.Winner
	// Held places of Prize wait for the organizers' decision on TiedPeople people at TieRank.
	Held, TieRank, TiedPeople int
	// Vacant places of Prize were given to nobody (too few people met its condition).
	Vacant int
}

// winners shows a round's prize winners once it is ranked and organizers published it in
// the console (a database fact: the web app only reads the cluster); personal data in the
// status is already masked. Places held for a tie at a prize boundary are shown as such,
// with how many people share them but not who they are.
func (a *App) winners(c *gin.Context) {
	ctx := c.Request.Context()
	round, err := a.findRound(ctx, c.Param("round"))
	if errors.Is(err, errRoundNotFound) {
		a.fail(c, http.StatusNotFound, "error.roundNotFound")
		return
	}
	if err != nil {
		a.internal(c, err)
		return
	}
	d := winnersData{Round: round}
	if round.Status.Phase == contestv1alpha1.PhaseRanked {
		if d.Published, err = store.IsPublished(ctx, a.cfg.Pool, round.RoundKey()); err != nil {
			a.internal(c, err)
			return
		}
	}
	if d.Published {
		ties, err := a.boundaryTies(ctx, round.RoundKey())
		if err != nil {
			a.internal(c, err)
			return
		}
		d.Rows = winnerRows(round, ties)
		for _, r := range d.Rows {
			d.Pending = d.Pending || r.Held > 0
		}
	}
	tr := a.translatorFor(c)
	v := a.newView(c, tr.T("winners.title", round.Spec.Title), d)
	v.Share = a.share(c, v.Title, tr.T("share.winners", round.Spec.Title, v.ContestTitle), "/rounds/"+round.Name+"/winners")
	a.render(c, http.StatusOK, "winners", v)
}

// boundaryTies reads the ties of the round's stored ranking. A publication is withdrawn
// when the round is ranked again, so a published round's stored ranking is the one its
// status shows.
func (a *App) boundaryTies(ctx context.Context, roundKey string) ([]ranking.BoundaryTie, error) {
	run, err := store.ReadRankingRun(ctx, a.cfg.Pool, roundKey)
	if errors.Is(err, store.ErrNoRanking) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ties []ranking.BoundaryTie
	if err := json.Unmarshal(run.BoundaryTies, &ties); err != nil {
		return nil, fmt.Errorf("read boundary ties of %s: %w", roundKey, err)
	}
	return ties, nil
}

// winnerRows lists, prize by prize in the declared order, the winners, the places held for
// boundary ties and the places left vacant.
func winnerRows(round *contestv1alpha1.ContestRound, ties []ranking.BoundaryTie) []winnerRow {
	var rows []winnerRow
	for _, p := range round.Spec.PrizeList() {
		given := 0
		for i := range round.Status.Winners {
			if w := &round.Status.Winners[i]; w.Prize == p.Name {
				rows = append(rows, winnerRow{Prize: p.Name, Winner: w})
				given++
			}
		}
		for _, t := range ties {
			for _, pl := range t.Places {
				if pl.Prize == p.Name {
					rows = append(rows, winnerRow{Prize: p.Name, Held: pl.Count, TieRank: t.Rank, TiedPeople: len(t.PersonIDs)})
					given += pl.Count
				}
			}
		}
		if n := int(p.Count) - given; n > 0 {
			rows = append(rows, winnerRow{Prize: p.Name, Vacant: n})
		}
	}
	return rows
}

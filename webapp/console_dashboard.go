package webapp

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
)

// How much of the long lists the dashboard shows; the report has all of them.
const (
	dashboardTopCommunes = 10
	dashboardTopUnits    = 50
)

// consoleRound is a round as the console lists it, with its statistics as last counted.
type consoleRound struct {
	Round    *contestv1alpha1.ContestRound
	State    string
	Activity store.RoundActivity
	Stats    *store.RoundStats
	// Updating: the figures are older than --stats-max-age and are being counted again.
	Updating bool
	// NextCount: the figures are out of date but --stats-spacing holds the next count back
	// until then (webapp/stats.go).
	NextCount time.Time
}

// AsOf is when the round's figures were counted.
func (r consoleRound) AsOf() time.Time {
	if r.Stats == nil {
		return time.Time{}
	}
	return r.Stats.ComputedAt
}

// countRow is one line of a participation table.
type countRow struct {
	Label        string
	Detail       string // the district of a commune
	District     bool   // a district's own line in the full list of localities
	Participants int64
	Attempts     int64
}

// countTable is a participation table; Max scales its bars.
type countTable struct {
	Rows []countRow
	Max  int64
}

func newCountTable(rows []countRow) countTable {
	t := countTable{Rows: rows}
	for _, r := range rows {
		t.Max = max(t.Max, r.Participants)
	}
	return t
}

type dayRow struct {
	Label           string
	Attempts        int64
	NewParticipants int64
}

type dashboardData struct {
	Rounds   []consoleRound
	Selected *consoleRound

	Groups          countTable
	Districts       countTable
	TopCommunes     countTable
	Localities      []countRow
	Communes        int
	CommunesReached int
	Organizations   countTable
	OrgCount        int64
	Days            []dayRow
	DayMax          int64
}

func (a *App) consoleDashboard(c *gin.Context) {
	rounds, err := a.consoleRounds(c)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d := dashboardData{Rounds: rounds}
	if d.Selected = selectRound(rounds, c.Query("round")); d.Selected != nil && d.Selected.Stats != nil {
		a.fillParticipation(c, &d, d.Selected.Stats)
	}
	a.renderConsole(c, http.StatusOK, "console_dashboard", a.newConsoleView(c, a.translatorFor(c).T("console.dashboard.title"), d))
}

// consoleRounds lists the contest's rounds with their statistics (the shared snapshots:
// webapp/stats.go).
func (a *App) consoleRounds(c *gin.Context) ([]consoleRound, error) {
	rounds, err := a.contestRounds(c.Request.Context())
	if err != nil {
		return nil, err
	}
	return a.withStats(c, rounds)
}

// withStats pairs rounds with their statistics, counting those never counted.
func (a *App) withStats(c *gin.Context, rounds []contestv1alpha1.ContestRound) ([]consoleRound, error) {
	snaps, err := a.stats.snapshots(c.Request.Context(), a.consoleDB(), rounds, true)
	if err != nil {
		return nil, err
	}
	out := make([]consoleRound, len(rounds))
	for i := range rounds {
		r := consoleRound{Round: &rounds[i], State: roundState(&rounds[i], a.now())}
		if st, ok := snaps[rounds[i].RoundKey()]; ok {
			r.Stats, r.Activity, r.Updating = st.Stats, st.Stats.Activity, a.stats.stale(&rounds[i], st)
			r.NextCount = a.stats.nextCount(&rounds[i], st)
		}
		out[i] = r
	}
	return out, nil
}

// selectRound picks the round asked for, else the open one, else the latest that opened,
// else the first.
func selectRound(rounds []consoleRound, name string) *consoleRound {
	if len(rounds) == 0 {
		return nil
	}
	for i := range rounds {
		if rounds[i].Round.Name == name {
			return &rounds[i]
		}
	}
	for i := range rounds {
		if rounds[i].State == "open" || rounds[i].State == "suspended" {
			return &rounds[i]
		}
	}
	for i := len(rounds) - 1; i >= 0; i-- {
		if rounds[i].State == "closed" {
			return &rounds[i]
		}
	}
	return &rounds[0]
}

// fillParticipation shapes the selected round's participation by group, locality, unit
// (chosen from the list; free text as "Khác — …") and day for reading on a screen: the
// report's counts, as last counted.
func (a *App) fillParticipation(c *gin.Context, d *dashboardData, st *store.RoundStats) {
	tr := a.translatorFor(c)
	d.Groups = newCountTable(groupRows(st.Groups, tr.lang))
	fillLocalities(d, st.Localities)
	units, n := st.TopUnits(dashboardTopUnits), st.UnitLines
	rows := make([]countRow, len(units))
	for i, u := range units {
		switch {
		case u.Code != "":
			rows[i] = countRow{Label: u.Name, Detail: u.ParentName}
		case strings.TrimSpace(u.Organization) == "":
			rows[i].Label = tr.T("console.dash.otherNone")
		default:
			rows[i].Label = tr.T("console.dash.other", u.Organization)
		}
		rows[i].Participants, rows[i].Attempts = u.Participants, u.Attempts
	}
	d.Organizations, d.OrgCount = newCountTable(rows), n
	for _, day := range st.Days {
		label := day.Day.UTC().Format("02/01/2006")
		if tr.lang == langEN {
			label = day.Day.UTC().Format("Mon 2 Jan 2006")
		}
		d.Days = append(d.Days, dayRow{Label: label, Attempts: day.Attempts, NewParticipants: day.NewParticipants})
		d.DayMax = max(d.DayMax, day.Attempts)
	}
}

// groupRows lists every participant group, those nobody came from included.
func groupRows(counts []store.Participation, lang string) []countRow {
	var rows []countRow
	for _, g := range person.Groups() {
		r := countRow{Label: g.Label()}
		if lang == langEN {
			r.Label = g.LabelEnglish()
		}
		for _, p := range counts {
			if p.Key == string(g) {
				r.Participants, r.Attempts = p.Participants, p.Attempts
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// fillLocalities sums communes into their districts, picks the communes most people came
// from, and keeps the full list (each district with its total, then its communes, zeros
// included: organizers look for places nobody took part from).
func fillLocalities(d *dashboardData, places []store.LocalityParticipation) {
	districts := map[string]*countRow{}
	var drows []countRow
	for _, p := range places {
		if p.ParentCode == "" {
			districts[p.Code] = &countRow{Label: p.Name, District: true}
		}
	}
	for _, p := range places {
		owner := p.ParentCode
		if owner == "" {
			owner = p.Code
		}
		if dist := districts[owner]; dist != nil {
			dist.Participants += p.Participants
			dist.Attempts += p.Attempts
		}
	}
	var communes []countRow
	for _, p := range places {
		if dist := districts[p.Code]; p.ParentCode == "" && dist != nil {
			d.Localities = append(d.Localities, *dist)
			drows = append(drows, *dist)
			continue
		}
		row := countRow{Label: p.Name, Participants: p.Participants, Attempts: p.Attempts}
		if dist := districts[p.ParentCode]; dist != nil {
			row.Detail = dist.Label
		}
		d.Localities = append(d.Localities, row)
		communes = append(communes, row)
		d.Communes++
		if p.Participants > 0 {
			d.CommunesReached++
		}
	}
	byPeople := func(x, y countRow) int { return cmp.Compare(y.Participants, x.Participants) }
	slices.SortStableFunc(drows, byPeople)
	d.Districts = newCountTable(drows)
	slices.SortStableFunc(communes, byPeople)
	top := communes[:min(len(communes), dashboardTopCommunes)]
	for len(top) > 0 && top[len(top)-1].Participants == 0 {
		top = top[:len(top)-1]
	}
	d.TopCommunes = newCountTable(top)
}

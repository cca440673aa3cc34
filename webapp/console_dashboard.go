package webapp

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

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

// consoleRound is a round as the console lists it.
type consoleRound struct {
	Round    *contestv1alpha1.ContestRound
	State    string
	Activity store.RoundActivity
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
	if d.Selected = selectRound(rounds, c.Query("round")); d.Selected != nil {
		if err := a.fillParticipation(c, &d, d.Selected.Round.RoundKey()); err != nil {
			a.consoleInternal(c, err)
			return
		}
	}
	a.renderConsole(c, http.StatusOK, "console_dashboard", a.newConsoleView(c, a.translatorFor(c).T("console.dashboard.title"), d))
}

// consoleRounds lists the contest's rounds with their live activity.
func (a *App) consoleRounds(c *gin.Context) ([]consoleRound, error) {
	ctx := c.Request.Context()
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(rounds))
	for i := range rounds {
		keys[i] = rounds[i].RoundKey()
	}
	act, err := store.RoundActivities(ctx, a.cfg.Pool, keys)
	if err != nil {
		return nil, err
	}
	out := make([]consoleRound, len(rounds))
	for i := range rounds {
		out[i] = consoleRound{Round: &rounds[i], State: roundState(&rounds[i], a.now()), Activity: act[keys[i]]}
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

// fillParticipation reads the selected round's participation by group, locality, unit
// (chosen from the list; free text as "Khác — …") and day: the report's queries, shaped for
// reading on a screen.
func (a *App) fillParticipation(c *gin.Context, d *dashboardData, key string) error {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	groups, err := store.ParticipationByGroup(ctx, a.cfg.Pool, key)
	if err != nil {
		return err
	}
	d.Groups = newCountTable(groupRows(groups, tr.lang))

	places, err := store.ParticipationByLocality(ctx, a.cfg.Pool, key)
	if err != nil {
		return err
	}
	fillLocalities(d, places)

	units, n, err := store.TopUnits(ctx, a.cfg.Pool, key, dashboardTopUnits)
	if err != nil {
		return err
	}
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

	days, err := store.ParticipationByDay(ctx, a.cfg.Pool, key, contestv1alpha1.TimeZoneName)
	if err != nil {
		return err
	}
	for _, day := range days {
		label := day.Day.UTC().Format("02/01/2006")
		if tr.lang == langEN {
			label = day.Day.UTC().Format("Mon 2 Jan 2006")
		}
		d.Days = append(d.Days, dayRow{Label: label, Attempts: day.Attempts, NewParticipants: day.NewParticipants})
		d.DayMax = max(d.DayMax, day.Attempts)
	}
	return nil
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

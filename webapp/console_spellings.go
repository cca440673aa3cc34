package webapp

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// Mapping what people typed to units, for editors. People who chose no unit typed their
// organization; those who typed one unit's name in another way ("Sở TT&TT", "so tttt")
// are one spelling each, as internal/unit compares names (store.FreeTextSpellings). An
// editor maps a spelling to a unit: everyone with that spelling gets the unit's code, in
// one statement with its audit entry, and then counts under it in statistics, reports and
// the eligibility rule. A mapping can be undone, also audited.

const (
	spellingsPage = 50
	// spellingChoices bounds the units a spelling's page offers.
	spellingChoices = 20
	// maxSpellingKey bounds the spelling a form may send: unit.Key of 300 characters.
	maxSpellingKey = 4 * 300
)

// spellingRow is a spelling as the page lists it, with the unit suggested for it.
type spellingRow struct {
	store.Spelling
	// Suggested is the unit the list names by this text (by code, name or alias), or that
	// an earlier mapping gave the spelling; By says which.
	Suggested *unitChoice
	By        string
	// Ambiguous counts the units sharing the name, when it is several.
	Ambiguous int
	// Unit is the unit a mapped spelling was given.
	Unit *unitChoice
}

type spellingsData struct {
	Spellings     []spellingRow
	Total, People int64
	Query         string
	Page, Prev    int
	Next          int
	Mapped        []spellingRow
	MappedTotal   int64
	MappedPeople  int64
	MPage, MPrev  int
	MNext         int
	// Pending counts people whose spelling is not computed yet (see FillOrganizationKeys).
	Pending int64
	HasList bool
}

// pageParam reads a 1-based page number.
func pageParam(c *gin.Context, name string) int {
	n, err := strconv.Atoi(c.Query(name))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1_000_000)
}

func (a *App) consoleSpellings(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	d := spellingsData{Query: cutRunes(strings.TrimSpace(c.Query("q")), store.MaxUnitQueryRunes), Page: pageParam(c, "page"), MPage: pageParam(c, "mpage")}
	list, err := store.FreeTextSpellings(ctx, a.consoleDB(), a.cfg.ContestID, d.Query, spellingsPage, (d.Page-1)*spellingsPage)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	ix, err := a.units.index(ctx)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d.HasList = len(ix.Units()) > 0
	keys := make([]string, len(list.Spellings))
	for i, s := range list.Spellings {
		keys[i] = s.Key
	}
	earlier, err := store.EarlierMappings(ctx, a.consoleDB(), a.cfg.ContestID, keys)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d.Total, d.People = list.Total, list.People
	for _, s := range list.Spellings {
		r := spellingRow{Spelling: s}
		switch ms := ix.Match(s.Text); {
		case len(ms) == 1:
			r.Suggested, r.By = choiceOf(ix, ms[0].Unit, tr.lang), string(ms[0].By)
		case len(ms) > 1:
			r.Ambiguous = len(ms)
		}
		if code, ok := earlier[s.Key]; ok && r.Suggested == nil {
			if u, ok := ix.ByCode(code); ok {
				r.Suggested, r.By = choiceOf(ix, u, tr.lang), "earlier"
			}
		}
		d.Spellings = append(d.Spellings, r)
	}
	d.Prev, d.Next = pagesAround(d.Page, len(list.Spellings), spellingsPage, list.Total)

	mapped, err := store.MappedSpellings(ctx, a.consoleDB(), a.cfg.ContestID, spellingsPage, (d.MPage-1)*spellingsPage)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d.MappedTotal, d.MappedPeople = mapped.Total, mapped.People
	for _, s := range mapped.Spellings {
		r := spellingRow{Spelling: s, Unit: &unitChoice{Code: s.UnitCode, Name: s.UnitCode}}
		if u, ok := ix.ByCode(s.UnitCode); ok {
			r.Unit = choiceOf(ix, u, tr.lang)
		}
		d.Mapped = append(d.Mapped, r)
	}
	d.MPrev, d.MNext = pagesAround(d.MPage, len(mapped.Spellings), spellingsPage, mapped.Total)
	if d.Pending, err = store.PendingOrganizationKeys(ctx, a.consoleDB(), a.cfg.ContestID); err != nil {
		a.consoleInternal(c, err)
		return
	}
	v := a.newConsoleView(c, tr.T("console.spellings.title"), d)
	// The notice names the unit from the list, never from the address (a link cannot make
	// the page say anything else).
	if u, ok := ix.ByCode(c.Query("unit")); ok {
		switch c.Query("done") {
		case "map":
			v.Notice = tr.T("console.spellings.mapped", atoiQuery(c, "n"), u.Name)
		case "unmap":
			v.Notice = tr.T("console.spellings.unmapped", atoiQuery(c, "n"), u.Name)
		}
	}
	a.renderConsole(c, http.StatusOK, "console_spellings", v)
}

// pagesAround returns the previous and next page numbers, 0 for none.
func pagesAround(page, shown, size int, total int64) (prev, next int) {
	if page > 1 {
		prev = page - 1
	}
	if shown == size && int64(page*size) < total {
		next = page + 1
	}
	return prev, next
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		return string([]rune(s)[:n])
	}
	return s
}

func choiceOf(ix *unit.Index, u unit.Unit, lang string) *unitChoice {
	parent, _ := ix.ByCode(u.ParentCode)
	return &unitChoice{Code: u.Code, Name: u.Name, Parent: parent.Name, TypeLabel: u.Type.Label(lang)}
}

type spellingData struct {
	Spelling store.Spelling
	// Choices are the units offered: what the list names by the text, an earlier
	// mapping's unit, then the search's hits.
	Choices []unitChoice
	Query   string
	// Searched says a search was made; More that it found more than shown.
	Searched, More, TooShort bool
}

// consoleSpelling is one spelling's page: the units its text names or an earlier mapping
// gave it, a search of the list, and the choice to map it.
func (a *App) consoleSpelling(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	key := c.Query("key")
	if key == "" || len(key) > maxSpellingKey {
		a.consoleFail(c, http.StatusNotFound, "console.spellings.gone")
		return
	}
	s, err := store.FreeTextSpelling(ctx, a.consoleDB(), a.cfg.ContestID, key)
	if errors.Is(err, store.ErrNotFound) {
		a.consoleFail(c, http.StatusNotFound, "console.spellings.gone")
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	ix, err := a.units.index(ctx)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d := spellingData{Spelling: s}
	seen := map[string]bool{}
	offer := func(u unit.Unit) {
		if !seen[u.Code] && len(d.Choices) < spellingChoices {
			seen[u.Code] = true
			d.Choices = append(d.Choices, *choiceOf(ix, u, tr.lang))
		}
	}
	for _, m := range ix.Match(s.Text) {
		offer(m.Unit)
	}
	earlier, err := store.EarlierMappings(ctx, a.consoleDB(), a.cfg.ContestID, []string{key})
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	if u, ok := ix.ByCode(earlier[key]); ok {
		offer(u)
	}
	if q := strings.TrimSpace(c.Query("q")); q != "" {
		text, _, ok := searchableQuery(q)
		d.Query, d.Searched, d.TooShort = text, true, !ok
		if ok {
			hits, more, err := store.SearchUnits(ctx, a.consoleDB(), a.cfg.ContestID, text, spellingChoices)
			if err != nil {
				a.consoleInternal(c, err)
				return
			}
			d.More = more
			for _, h := range hits {
				if u, ok := ix.ByCode(h.Code); ok {
					offer(u)
				} else { // newer than the list held in memory
					offer(unit.Unit{Code: h.Code, Name: h.Name, ParentCode: h.ParentCode, Type: h.Type})
				}
			}
		}
	}
	a.renderConsole(c, http.StatusOK, "console_spelling", a.newConsoleView(c, tr.T("console.spelling.title", s.Text), d))
}

// spellingForm reads the spelling and unit a map or unmap form sends.
func (a *App) spellingForm(c *gin.Context) (key, code string, ok bool) {
	key, code = c.PostForm("key"), strings.TrimSpace(c.PostForm("unit"))
	switch {
	case key == "" || len(key) > maxSpellingKey:
		a.consoleFail(c, http.StatusBadRequest, "console.badForm")
		return "", "", false
	case code == "" || !unit.ValidCode(code):
		a.consoleFail(c, http.StatusUnprocessableEntity, "console.spellings.chooseUnit")
		return "", "", false
	}
	return key, code, true
}

// backToSpellings returns to the list where the form was, with what was done.
func backToSpellings(c *gin.Context, done string, n int64, code string) {
	q := url.Values{"done": {done}, "n": {strconv.FormatInt(n, 10)}, "unit": {code}}
	for _, k := range []string{"q", "page", "mpage"} {
		if v := c.PostForm(k); v != "" && len(v) <= 400 {
			q.Set(k, v)
		}
	}
	c.Redirect(http.StatusSeeOther, "/console/units/spellings?"+q.Encode())
}

// consoleMapSpelling gives a unit to everyone with a spelling, with its audit entry (the
// text and how many people before, the unit after).
func (a *App) consoleMapSpelling(c *gin.Context) {
	ctx := c.Request.Context()
	key, code, ok := a.spellingForm(c)
	if !ok {
		return
	}
	u, err := store.UnitByCode(ctx, a.consoleDB(), a.cfg.ContestID, code)
	if errors.Is(err, store.ErrNotFound) {
		a.consoleFail(c, http.StatusUnprocessableEntity, "console.spellings.unknownUnit", code)
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	before, err := store.FreeTextSpelling(ctx, a.consoleDB(), a.cfg.ContestID, key)
	if err == nil {
		var n int64
		err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
			var err error
			if n, err = store.MapSpelling(ctx, tx, a.cfg.ContestID, key, code); err != nil {
				return err
			}
			return a.audit(c, tx, auditEntry{Action: organizer.ActionUnitsMap, Target: before.Text,
				Before: map[string]any{"text": before.Text, "spelling": key, "people": before.People, "unit": nil},
				After:  map[string]any{"unit": u.Code, "name": u.Name, "people": n}})
		})
		if err == nil {
			a.log(c).Info("spelling mapped to a unit", "unit", u.Code, "people", n, "by", c.GetString("organizer"))
			backToSpellings(c, "map", n, u.Code)
			return
		}
	}
	switch {
	case errors.Is(err, store.ErrNotFound): // mapped meanwhile, by another editor
		a.consoleFail(c, http.StatusConflict, "console.spellings.gone")
	case errors.Is(err, store.ErrUnknownUnit): // the list was replaced meanwhile
		a.consoleFail(c, http.StatusUnprocessableEntity, "console.spellings.unknownUnit", code)
	default:
		a.consoleInternal(c, err)
	}
}

// consoleUnmapSpelling undoes a mapping: its people have no unit again (those who chose
// the unit themselves keep it), with its audit entry.
func (a *App) consoleUnmapSpelling(c *gin.Context) {
	ctx := c.Request.Context()
	key, code, ok := a.spellingForm(c)
	if !ok {
		return
	}
	before, err := store.MappedSpelling(ctx, a.consoleDB(), a.cfg.ContestID, key, code)
	if err == nil {
		var n int64
		err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
			var err error
			if n, err = store.UnmapSpelling(ctx, tx, a.cfg.ContestID, key, code); err != nil {
				return err
			}
			return a.audit(c, tx, auditEntry{Action: organizer.ActionUnitsUnmap, Target: before.Text,
				Before: map[string]any{"text": before.Text, "spelling": key, "unit": code, "people": before.People},
				After:  map[string]any{"unit": nil, "people": n}})
		})
		if err == nil {
			a.log(c).Info("spelling mapping undone", "unit", code, "people", n, "by", c.GetString("organizer"))
			backToSpellings(c, "unmap", n, code)
			return
		}
	}
	if errors.Is(err, store.ErrNotFound) { // undone meanwhile
		a.consoleFail(c, http.StatusConflict, "console.spellings.noMapping")
		return
	}
	a.consoleInternal(c, err)
}

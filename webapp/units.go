package webapp

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// The registration's unit field. The contest's unit list ("cơ quan, đơn vị") can hold
// thousands of units, too many to send in every page to a phone on a slow network, so:
//   - with script, the field is a type-ahead fed by GET /units?q=… (a few units per answer,
//     no personal data, cached, rate-limited per address) that fills the hidden unit code;
//   - without script, a "find" button sends the form back to the same page, which lists the
//     units matching the text as choices;
//   - text sent without a choice is matched to the list by whole name or alias (no case,
//     no diacritics; unit.Index.Named): one unit is taken, several are offered as choices,
//     none leaves the text as typed ("Khác").

// Bounds of the type-ahead.
const (
	unitSuggestions   = 10 // units per answer of /units
	unitChoices       = 20 // units the page without script offers
	unitQueryMinRunes = 2  // fewer letters would match half the list
	unitSearchTTL     = time.Minute
	unitSearchEntries = 10_000
	unitListTTL       = time.Minute
)

// unitOther is the choice "none of these: keep the text as typed"; no code looks like it
// (codes start with a letter or digit).
const unitOther = "-"

// unitList holds the contest's unit list in memory for a short while: registration matches
// typed names against it, and a list changes a few times per contest.
type unitList struct {
	pool    *pgxpool.Pool
	contest string
	mu      sync.Mutex
	at      time.Time
	ix      *unit.Index
}

func (l *unitList) index(ctx context.Context) (*unit.Index, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix != nil && time.Since(l.at) < unitListTTL {
		return l.ix, nil
	}
	us, err := store.ListUnits(ctx, l.pool, l.contest)
	if err != nil {
		return nil, err
	}
	l.ix, l.at = unit.NewIndex(us), time.Now()
	return l.ix, nil
}

// forget drops the list held, after this replica replaced it (an upload in the console);
// other replicas see the new list within unitListTTL.
func (l *unitList) forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ix = nil
}

// searchCache keeps the answers of /units for a minute, keyed by language and the words
// searched: people type the same beginnings ("sở", "ubnd xã"). It is bounded: when full,
// it starts over.
type searchCache struct {
	mu      sync.Mutex
	entries map[string]cachedSearch
}

type cachedSearch struct {
	body []byte
	at   time.Time
}

func (sc *searchCache) get(key string, now time.Time) ([]byte, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e, ok := sc.entries[key]
	if !ok || now.Sub(e.at) > unitSearchTTL {
		return nil, false
	}
	return e.body, true
}

func (sc *searchCache) put(key string, body []byte, now time.Time) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.entries == nil || len(sc.entries) >= unitSearchEntries {
		sc.entries = make(map[string]cachedSearch)
	}
	sc.entries[key] = cachedSearch{body: body, at: now}
}

// clear drops every answer kept (the list was replaced on this replica).
func (sc *searchCache) clear() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.entries = nil
}

// unitSuggestion is one unit of /units's answer: what the list says of the unit, nothing
// about any person.
type unitSuggestion struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Parent    string `json:"parent,omitempty"`
	Type      string `json:"type"`
	TypeLabel string `json:"typeLabel"`
}

type unitSearchAnswer struct {
	Units []unitSuggestion `json:"units"`
	More  bool             `json:"more"`
}

// searchableQuery cuts the typed text to the store's bound and says whether it has enough
// letters to search, and the cache key of its words.
func searchableQuery(q string) (text, words string, ok bool) {
	if utf8.RuneCountInString(q) > store.MaxUnitQueryRunes {
		q = string([]rune(q)[:store.MaxUnitQueryRunes])
	}
	ws := unit.SearchWords(q)
	if len(ws) > store.MaxUnitSearchWords {
		ws = ws[:store.MaxUnitSearchWords]
	}
	words = strings.Join(ws, " ")
	return q, words, utf8.RuneCountInString(strings.Join(ws, "")) >= unitQueryMinRunes
}

// unitSearch answers GET /units?q=…: at most unitSuggestions units of the contest's list
// whose words start with the words typed.
func (a *App) unitSearch(c *gin.Context) {
	lang := a.translatorFor(c).lang
	text, words, ok := searchableQuery(c.Query("q"))
	c.Header("Cache-Control", "private, max-age=60")
	if !ok {
		c.JSON(http.StatusOK, unitSearchAnswer{Units: []unitSuggestion{}})
		return
	}
	key := lang + "\x00" + words
	now := time.Now()
	if body, ok := a.unitSearches.get(key, now); ok {
		c.Data(http.StatusOK, "application/json; charset=utf-8", body)
		return
	}
	// Only what reaches the database is limited: cached answers are cheap.
	if ok, wait := a.perUnitSearch.allow(clientNet(c), now); !ok {
		a.metrics.refused("unit_search_rate")
		c.Header("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
		c.JSON(http.StatusTooManyRequests, gin.H{"error": a.translatorFor(c).T("error.rateLimited")})
		return
	}
	hits, more, err := store.SearchUnits(c.Request.Context(), a.cfg.Pool, a.cfg.ContestID, text, unitSuggestions)
	if err != nil {
		a.internal(c, err)
		return
	}
	ans := unitSearchAnswer{Units: make([]unitSuggestion, len(hits)), More: more}
	for i, h := range hits {
		ans.Units[i] = unitSuggestion{Code: h.Code, Name: h.Name, Parent: h.ParentName, Type: string(h.Type), TypeLabel: h.Type.Label(lang)}
	}
	body, err := json.Marshal(ans)
	if err != nil {
		a.internal(c, err)
		return
	}
	a.unitSearches.put(key, body, now)
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// unitChoice is a unit offered as a choice on the page, with what tells it from another of
// the same name.
type unitChoice struct {
	Code, Name, Parent, TypeLabel string
}

func choicesOf(hits []store.UnitHit, lang string) []unitChoice {
	out := make([]unitChoice, len(hits))
	for i, h := range hits {
		out[i] = unitChoice{Code: h.Code, Name: h.Name, Parent: h.ParentName, TypeLabel: h.Type.Label(lang)}
	}
	return out
}

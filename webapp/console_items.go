package webapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/schedule"
	"github.com/dxcontest/contest-platform/internal/store"
)

// The item analysis of a round (internal/itemstats): per question drawn, how often it was
// asked, how many got it right, how well it separates those who know from those who do not,
// and what people chose, dubious questions first. It shows no personal data, but it shows
// the answer key: while a contestant could still use the key (the round, or another round
// drawing from the same bank version, is not over), only editors — who upload the banks
// and so hold the key already — see it; viewers are told when it opens to them.

// itemsTTL is how long one analysis is shown before it is computed again.
const itemsTTL = time.Minute

// itemsCache keeps each round's analysis for itemsTTL and computes one at a time per
// replica: at a million attempts one costs about a second of the database, and a page
// refreshed by several organizers during the contest must not multiply that. A key
// correction applied on this replica drops every analysis kept (forget), since it changes
// the key and the scores; other replicas compute theirs again within itemsTTL.
type itemsCache struct {
	mu      sync.Mutex
	entries map[string]itemsEntry
	// generation counts forget calls. An analysis computed from a snapshot read before a
	// correction committed carries the generation it started in and is not kept once a
	// later forget has run. It is read without mu, so forget never waits for a computation.
	generation atomic.Int64
}

type itemsEntry struct {
	at         time.Time
	generation int64
	roundItems
}

// roundItems is one round's analysis and the bank version it is of.
type roundItems struct {
	analysis *itemstats.Analysis
	bank     *bank.Bank
}

// forget drops every analysis kept or being computed: call it once a key correction has
// committed.
func (ic *itemsCache) forget() { ic.generation.Add(1) }

// get returns the analysis stored under key, or computes it. The computation does not end
// with the request that started it (others may be waiting for it), but it is bounded.
func (ic *itemsCache) get(ctx context.Context, key string, now time.Time, compute func(context.Context) (roundItems, error)) (roundItems, time.Time, error) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	gen := ic.generation.Load()
	for k, e := range ic.entries {
		if now.Sub(e.at) >= itemsTTL || now.Before(e.at) || e.generation != gen {
			delete(ic.entries, k)
		}
	}
	if e, ok := ic.entries[key]; ok {
		return e.roundItems, e.at, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	r, err := compute(ctx)
	if err != nil {
		return roundItems{}, time.Time{}, err
	}
	if ic.entries == nil {
		ic.entries = map[string]itemsEntry{}
	}
	// Kept only if no correction committed since gen was read (the snapshot was taken
	// after): otherwise it may show the old key, and the next request computes it again.
	if ic.generation.Load() == gen {
		ic.entries[key] = itemsEntry{at: now, generation: gen, roundItems: r}
	}
	return r, now, nil
}

type itemsData struct {
	Round *contestv1alpha1.ContestRound
	Bank  string
	// Withheld: the key is in use and the organizer may not see it yet.
	Withheld bool
	// KeyInUse: the key is in use and the organizer sees it (an editor): a warning.
	KeyInUse   bool
	MinSample  int
	Attempts   int64
	Dubious    int
	ComputedAt time.Time
	Items      []itemView
}

type itemView struct {
	ID, Topic, Text string
	Dubious         bool
	Reasons         []string
	// Corrected says the round scores the question with a key correction (and what it
	// is); CorrectLink is the corrections page for it, for those who may correct keys.
	Corrected      string
	CorrectLink    string
	Drawn, Correct int64
	Facility       string
	Discrimination string
	Options        []itemOptionView
	Blank          int64
	BlankShare     string
}

type itemOptionView struct {
	Letter, Text string
	Key          bool
	// BankKey marks the bank's key of a corrected question.
	BankKey bool
	Count   int64
	Share   string
}

// consoleItems shows a round's item analysis.
func (a *App) consoleItems(c *gin.Context) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	ref := round.Spec.Exam.Bank
	d := itemsData{Round: round, Bank: fmt.Sprintf("%s v%d", ref.Name, ref.Version), MinSample: itemstats.MinSample}
	inUse, err := a.keyInUse(ctx, round)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	title := tr.T("console.items.title", round.Spec.Title)
	if inUse && !organizer.Role(c.GetString("organizerRole")).Can(organizer.EditBanks) {
		d.Withheld = true
		a.renderConsole(c, http.StatusOK, "console_items", a.newConsoleView(c, title, d))
		return
	}
	d.KeyInUse = inUse
	// Keyed by the bank version too: a round's exam rules are frozen once it opens, but not
	// before.
	key := fmt.Sprintf("%s\x00%s\x00%d", round.RoundKey(), ref.Name, ref.Version)
	r, at, err := a.items.get(ctx, key, a.now(), func(ctx context.Context) (roundItems, error) {
		b, err := store.LoadBank(ctx, a.consoleDB(), ref.Name, int(ref.Version))
		if errors.Is(err, store.ErrNotFound) {
			// A round pointing at a bank version nobody imported has no attempts either.
			return roundItems{analysis: &itemstats.Analysis{}}, nil
		}
		if err != nil {
			return roundItems{}, err
		}
		t, err := store.ItemTally(ctx, a.heavyDB(), round.RoundKey(), b)
		if err != nil {
			return roundItems{}, err
		}
		analysis, err := t.Analyze()
		return roundItems{analysis: analysis, bank: b}, err
	})
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d.Attempts, d.Dubious, d.ComputedAt = r.analysis.Attempts, r.analysis.Dubious(), at
	canCorrect := organizer.Role(c.GetString("organizerRole")).Can(organizer.CorrectKeys)
	for i := range r.analysis.Items {
		v := itemViewOf(tr, &r.analysis.Items[i], r.bank)
		if canCorrect && (v.Dubious || v.Corrected != "") {
			v.CorrectLink = fmt.Sprintf("/console/rounds/%s/corrections?question=%s", round.Name, url.QueryEscape(v.ID))
		}
		d.Items = append(d.Items, v)
	}
	a.renderConsole(c, http.StatusOK, "console_items", a.newConsoleView(c, title, d))
}

// keyInUse says whether a contestant could still use the round's answer key: the round,
// or another round of the contest drawing from the same bank version, is not drained yet,
// or one of them still has an attempt open by the database clock. The result pages reveal
// answers by the same rule (reveal.go).
func (a *App) keyInUse(ctx context.Context, round *contestv1alpha1.ContestRound) (bool, error) {
	sharers, err := a.bankSharers(ctx, round)
	if err != nil {
		return false, err
	}
	windows := make([]schedule.Window, len(sharers))
	keys := make([]string, len(sharers))
	for i := range sharers {
		windows[i], keys[i] = sharers[i].Window(), sharers[i].RoundKey()
	}
	if a.now().Before(schedule.AnswersVisibleAt(windows)) {
		return true, nil
	}
	return store.AnyAnswerable(ctx, a.consoleDB(), keys)
}

func itemViewOf(tr translator, it *itemstats.Item, b *bank.Bank) itemView {
	q := it.Question
	v := itemView{ID: q.ID, Topic: q.Topic, Text: q.Text, Dubious: it.Dubious(), Drawn: it.Drawn, Correct: it.Correct,
		Facility: percent(tr, it.Facility), Discrimination: tr.T("console.items.undefined"), Blank: it.Blank,
		BlankShare: percent(tr, share(it.Blank, it.Drawn))}
	if b != nil {
		if t, ok := b.Topic(q.Topic); ok {
			v.Topic = t.Title
		}
	}
	if it.HasDiscrimination {
		v.Discrimination = decimal(tr, it.Discrimination, 2)
	}
	for o, n := range it.Chosen {
		v.Options = append(v.Options, itemOptionView{Letter: bank.OptionLetter(o), Text: q.Options[o].Text, Key: o == it.Key,
			BankKey: it.Corrected && o == it.BankKey && o != it.Key, Count: n, Share: percent(tr, share(n, it.Drawn))})
	}
	switch {
	case it.AnyAccepted:
		v.Corrected = tr.T("console.items.correctedAny", bank.OptionLetter(it.BankKey))
	case it.Corrected:
		v.Corrected = tr.T("console.items.corrected", bank.OptionLetter(it.Key), bank.OptionLetter(it.BankKey))
	}
	if it.TooFew {
		v.Reasons = append(v.Reasons, tr.T("console.items.tooFew", itemstats.MinSample))
	}
	for _, f := range it.Flags {
		switch f.Kind {
		case itemstats.FlagDistractor:
			v.Reasons = append(v.Reasons, tr.T("console.items.flagDistractor", bank.OptionLetter(f.Option), bank.OptionLetter(it.Key),
				tr.Number(it.Chosen[f.Option]), tr.Number(it.Correct)))
		case itemstats.FlagNegative:
			v.Reasons = append(v.Reasons, tr.T("console.items.flagNegative", decimal(tr, it.Discrimination, 2)))
		}
	}
	return v
}

func share(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// decimal writes v with the reader's decimal separator.
func decimal(tr translator, v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if tr.lang != langEN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// percent writes a share as a percentage with one decimal.
func percent(tr translator, v float64) string {
	return decimal(tr, 100*v, 1) + "%"
}

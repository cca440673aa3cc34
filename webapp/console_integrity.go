package webapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/integrity"
	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/review"
	"github.com/dxcontest/contest-platform/internal/store"
)

// The review queue (/console/integrity, editors): the people the integrity signals point
// at, with their evidence in words, and the organizers' decision on each — excluded from
// prizes (through the eligibility flag the ranking already honours) or not in breach. Nothing
// is decided automatically, and every decision is audited.

const (
	integrityShown   = 100 // people listed at once
	integrityOthers  = 5   // other accounts named per signal
	integrityRecent  = 20  // recent decisions listed
	integrityNamesOf = integrityShown * (1 + integrity.MaxOthers)
)

type integrityData struct {
	Rounds []*contestv1alpha1.ContestRound
	Round  *contestv1alpha1.ContestRound
	// Thresholds are the round's, in words.
	Thresholds string
	// Scanned: a scan of the round has finished, at At; Running: a newer one runs;
	// Failed: the last one failed; Busy: it wants a scan and this server is scanning
	// another round. StaleMinutes is when opening the page scans again.
	Scanned      bool
	At           time.Time
	Running      bool
	Failed       bool
	Busy         bool
	StaleMinutes int
	Bounded      []integrity.Kind
	Kinds        []integrity.Kind
	Kind         string
	Pending      int64
	Entries      []reviewEntry
	More         int64
	Recent       []store.IntegrityDecision
	Rerank       []*contestv1alpha1.ContestRound
	// Form is what was posted, shown again with a problem.
	Form integrityForm
}

type integrityForm struct {
	ID       int64
	Decision string
	Reason   string
}

// reviewEntry is one person of the queue with their evidence in words.
type reviewEntry struct {
	Person   flaggedRow
	Entry    integrity.Entry
	Evidence []string
}

func (a *App) consoleIntegrity(c *gin.Context) {
	a.showIntegrity(c, http.StatusOK, c.Query("round"), integrityForm{}, "")
}

// showIntegrity shows the queue of the named round (by default the latest that has
// opened), with the form posted and its problem when there is one.
func (a *App) showIntegrity(c *gin.Context, status int, roundName string, form integrityForm, pageError string) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	round, rounds, ok := a.integrityRound(c, roundName)
	if !ok {
		return
	}
	d := integrityData{Rounds: rounds, Round: round, Kinds: integrity.Kinds(), Form: form}
	if round == nil {
		v := a.newConsoleView(c, tr.T("console.integrity.title"), d)
		a.renderConsole(c, status, "console_integrity", v)
		return
	}
	rescan := c.Query("rescan") != ""
	if rescan {
		// "Quét lại": a scan starts in the background (unless one runs), and the page is
		// drawn again without the request, so that reloading it asks nothing more; when
		// this replica is busy with another round's scan, the page says so instead.
		busy, err := a.startScan(ctx, round, true)
		if err != nil {
			a.consoleInternal(c, err)
			return
		}
		if !busy {
			q := c.Request.URL.Query()
			q.Del("rescan")
			to := "/console/integrity"
			if len(q) > 0 {
				to += "?" + q.Encode()
			}
			c.Redirect(http.StatusSeeOther, to)
			return
		}
	}
	st, err := a.integrityScanOf(ctx, round, true, rescan)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d.Running, d.Failed, d.Busy, d.StaleMinutes = st.Running, st.Failed, st.Busy, int(scanStale.Minutes())
	scan := st.Scan
	r := review.Rules(round)
	if scan != nil {
		d.Scanned, d.At, d.Bounded, r = true, scan.At, scan.Bounded, scan.Rules
	}
	d.Thresholds = tr.T("console.integrity.thresholds", int(r.FastPerfect.Seconds()), r.DeviceAccounts, r.NetworkAccounts,
		int(r.Window.Minutes()), int(r.Timeline.Seconds()), r.MinShared, r.BurstRegistrations, int(r.BurstWindow.Minutes()))
	var signals []integrity.Signal
	if scan != nil {
		signals = scan.Signals
	}
	reviewed, err := store.IntegrityReviews(ctx, a.consoleDB(), a.cfg.ContestID)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	flagged, err := store.FlaggedIDs(ctx, a.consoleDB(), a.cfg.ContestID)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	pending := integrity.Pending(signals, reviewed, func(id int64) bool { return flagged[id] })
	if k := integrity.Kind(c.Query("kind")); k != "" {
		d.Kind = string(k)
		kept := pending[:0]
		for _, e := range pending {
			for _, ek := range e.Kinds {
				if ek == k {
					kept = append(kept, e)
					break
				}
			}
		}
		pending = kept
	}
	d.Pending = int64(len(pending))
	if len(pending) > integrityShown {
		d.More, pending = int64(len(pending)-integrityShown), pending[:integrityShown]
	}
	people, err := a.peopleOfEntries(c, pending)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	for _, e := range pending {
		p, ok := people[e.ContestantID]
		if !ok {
			continue
		}
		d.Entries = append(d.Entries, reviewEntry{Person: rowOf(p), Entry: e, Evidence: evidenceText(tr, e.Signals, people)})
	}
	if d.Recent, err = store.RecentIntegrityDecisions(ctx, a.consoleDB(), a.cfg.ContestID, integrityRecent); err != nil {
		a.consoleInternal(c, err)
		return
	}
	done := c.Query("done")
	if done == string(integrity.Excluded) {
		for _, r := range rounds {
			if r.Status.Phase == contestv1alpha1.PhaseRanked {
				d.Rerank = append(d.Rerank, r)
			}
		}
	}
	v := a.newConsoleView(c, tr.T("console.integrity.title"), d)
	v.Error = pageError
	if _, ok := integrity.ParseDecision(done); ok {
		v.Notice = tr.T("console.integrity.done." + done)
	}
	a.renderConsole(c, status, "console_integrity", v)
}

// integrityRound returns the round named (by default the latest that has opened, else the
// first) and the contest's rounds; false when it answered (no such round, an error).
func (a *App) integrityRound(c *gin.Context, name string) (*contestv1alpha1.ContestRound, []*contestv1alpha1.ContestRound, bool) {
	all, err := a.contestRounds(c.Request.Context())
	if err != nil {
		a.consoleInternal(c, err)
		return nil, nil, false
	}
	rounds := make([]*contestv1alpha1.ContestRound, len(all))
	var chosen *contestv1alpha1.ContestRound
	for i := range all {
		rounds[i] = &all[i]
		switch {
		case name != "" && all[i].Name == name:
			chosen = rounds[i]
		case name == "" && (chosen == nil || !all[i].Spec.OpensAt.Time.After(a.now())):
			chosen = rounds[i]
		}
	}
	if name != "" && chosen == nil {
		a.consoleFail(c, http.StatusNotFound, "error.roundNotFound")
		return nil, nil, false
	}
	return chosen, rounds, true
}

// peopleOfEntries reads the people of the entries and the other accounts their signals name.
func (a *App) peopleOfEntries(c *gin.Context, entries []integrity.Entry) (map[int64]store.FlaggedPerson, error) {
	var ids []int64
	for _, e := range entries {
		ids = append(ids, e.ContestantID)
		for _, s := range e.Signals {
			if len(ids) < integrityNamesOf {
				ids = append(ids, s.Others[:min(len(s.Others), integrityOthers)]...)
			}
		}
	}
	if len(ids) == 0 {
		return map[int64]store.FlaggedPerson{}, nil
	}
	return store.PeopleByID(c.Request.Context(), a.consoleDB(), a.cfg.ContestID, ids)
}

// evidenceText says each signal in the reader's words, with the other accounts it names.
func evidenceText(tr translator, signals []integrity.Signal, people map[int64]store.FlaggedPerson) []string {
	out := make([]string, 0, len(signals))
	for _, s := range signals {
		window := int(s.Window.Minutes())
		var line string
		switch s.Kind {
		case integrity.KindFastPerfect:
			line = tr.T("console.integrity.signal.fast_perfect", s.Attempt, s.Correct, s.Total, secondsText(tr, s.TimeUsed), s.Limit, s.Saves)
		case integrity.KindSharedDevice, integrity.KindSharedNetwork:
			line = tr.T("console.integrity.signal."+string(s.Kind), s.Attempt, s.Net, s.Accounts-1, instant(tr, s.From), instant(tr, s.To), s.Limit, window)
		case integrity.KindSameAnswers:
			line = tr.T("console.integrity.signal.same_answers", s.Attempt, s.OtherAttempt, personName(people, s.Others[0]),
				int(s.StartGap.Round(time.Second).Seconds()), int(s.SubmitGap.Round(time.Second).Seconds()), s.Shared, s.SharedWrong)
		case integrity.KindRegistrationBurst:
			line = tr.T("console.integrity.signal.registration_burst", s.Net, s.Accounts-1, instant(tr, s.From), instant(tr, s.To), s.Limit, window)
		default:
			line = string(s.Kind)
		}
		if s.Kind != integrity.KindSameAnswers && len(s.Others) > 0 {
			names := make([]string, 0, integrityOthers+1)
			for _, id := range s.Others[:min(len(s.Others), integrityOthers)] {
				names = append(names, personName(people, id))
			}
			if rest := s.Accounts - 1 - len(names); rest > 0 {
				names = append(names, tr.T("console.integrity.andMore", tr.Number(int64(rest))))
			}
			line += " " + tr.T("console.integrity.others", strings.Join(names, ", "))
		}
		out = append(out, line)
	}
	return out
}

// personName names an account as the console shows people: the name and masked ID.
func personName(people map[int64]store.FlaggedPerson, id int64) string {
	p, ok := people[id]
	if !ok {
		return "#" + strconv.FormatInt(id, 10)
	}
	return p.FullName + " (" + person.MaskNationalID(p.NationalID) + ")"
}

// instant shows a time of the evidence to the second (minutes, as pages show them, would
// make a run of seconds read as one instant).
func instant(tr translator, t time.Time) string {
	t = t.In(tr.loc)
	if tr.lang == langEN {
		return t.Format("15:04:05, 2 Jan 2006")
	}
	return t.Format("15:04:05 ngày 02/01/2006")
}

// secondsText shows a time in seconds with one decimal, as the reader writes decimals.
func secondsText(tr translator, d time.Duration) string {
	s := strconv.FormatFloat(d.Seconds(), 'f', 1, 64)
	if tr.lang == langVI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// consoleIntegrityDecide records an editor's decision about a person of the queue, on the
// evidence the queue holds for them now: excluded (the eligibility flag set, with the
// reason) or not in breach; one transaction with the audit entry.
func (a *App) consoleIntegrityDecide(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		a.consoleFail(c, http.StatusNotFound, "console.eligibility.notFound")
		return
	}
	roundName := c.PostForm("round")
	form := integrityForm{ID: id, Decision: c.PostForm("decision"), Reason: strings.TrimSpace(c.PostForm("reason"))}
	decision, okDecision := integrity.ParseDecision(form.Decision)
	if n := utf8.RuneCountInString(form.Reason); !okDecision || n < minReasonRunes || n > maxReasonRunes {
		if n > maxReasonRunes {
			form.Reason = ""
		}
		a.showIntegrity(c, http.StatusUnprocessableEntity, roundName, form, tr.T("console.integrity.reason", minReasonRunes, maxReasonRunes))
		return
	}
	if roundName == "" {
		a.consoleFail(c, http.StatusBadRequest, "console.badForm")
		return
	}
	round, _, ok := a.integrityRound(c, roundName)
	if !ok {
		return
	}
	// The evidence is the round's latest stored scan: the one the editor's page showed,
	// whichever replica drew it, or a newer one.
	st, err := a.integrityScanOf(ctx, round, false, false)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	var signals []integrity.Signal
	if st.Scan != nil {
		signals = integrity.Of(st.Scan.Signals, id)
	}
	if len(signals) == 0 {
		a.showIntegrity(c, http.StatusConflict, roundName, form, tr.T("console.integrity.noSignal"))
		return
	}
	// The evidence as stored is in Vietnamese, the report's language, whatever the
	// organizer reads the console in.
	vi := translator{lang: langVI, loc: a.loc}
	people, err := a.peopleOfEntries(c, []integrity.Entry{{ContestantID: id, Signals: signals}})
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	if _, ok := people[id]; !ok {
		a.consoleFail(c, http.StatusNotFound, "console.eligibility.notFound")
		return
	}
	evidence, err := json.Marshal(signals)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	rec := store.IntegrityDecision{ContestID: a.cfg.ContestID, ContestantID: id, Round: round.RoundKey(), Decision: decision,
		Reason: form.Reason, Keys: integrity.Keys(signals), Evidence: evidence,
		Summary: strings.Join(evidenceText(vi, signals, people), "\n"), By: c.GetString("organizer")}
	err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		rec, err = store.RecordIntegrityDecision(ctx, tx, rec)
		if err != nil {
			return err
		}
		after := map[string]any{"decision": decision, "round": rec.Round, "evidence": rec.Keys, "summary": rec.Summary}
		entry := auditEntry{Action: organizer.ActionIntegrityDismiss, Target: fmt.Sprintf("contestant/%d", id), After: after, Reason: form.Reason}
		if decision == integrity.Excluded {
			before, flag, err := store.SetEligibility(ctx, tx, a.cfg.ContestID, id, true, form.Reason, rec.By)
			if err != nil {
				return err
			}
			after["eligibility"] = flag
			entry.Action, entry.Before = organizer.ActionIntegrityExclude, map[string]any{"eligibility": before}
		}
		return a.audit(c, tx, entry)
	})
	if errors.Is(err, store.ErrNotFound) {
		a.consoleFail(c, http.StatusNotFound, "console.eligibility.notFound")
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("integrity review decided", "contestant", id, "decision", decision, "round", rec.Round, "by", rec.By)
	c.Redirect(http.StatusSeeOther, "/console/integrity?round="+round.Name+"&done="+string(decision))
}

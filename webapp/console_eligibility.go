package webapp

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/ranking"
	"github.com/dxcontest/contest-platform/internal/rankjob"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Who may take a prize: the rounds' rules (units and organizations their spec excludes) and
// the people organizers flag by hand, each with a required reason. Nothing is excluded
// automatically; what organizers decide goes to the ranking (and a ranked round offers to
// rank again).

const (
	eligibilityListLimit = 200
	ruleMatchesShown     = 100
)

type eligibilityData struct {
	Rules   []roundRule
	Flagged []flaggedRow
	Lookup  string
	Found   *flaggedRow
	// Rerank lists the ranked rounds a change should be followed by a new ranking of.
	Rerank []*contestv1alpha1.ContestRound
}

// roundRule is one round's exclusions and the people they match.
type roundRule struct {
	Round         *contestv1alpha1.ContestRound
	Units         []string
	Organizations []string
	Matched       int64
	People        []flaggedRow
	Problem       string
}

type flaggedRow struct {
	store.FlaggedPerson
	MaskedID string
	Unit     string
	Why      string
}

func rowOf(p store.FlaggedPerson) flaggedRow {
	r := flaggedRow{FlaggedPerson: p, MaskedID: person.MaskNationalID(p.NationalID), Unit: p.Organization}
	if p.UnitName != "" {
		r.Unit = p.UnitName
	}
	return r
}

func (a *App) consoleEligibility(c *gin.Context) {
	a.showEligibility(c, http.StatusOK, c.Query("login"), "")
}

func (a *App) showEligibility(c *gin.Context, status int, lookup, pageError string) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	d := eligibilityData{Lookup: lookup}
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	var affs []store.Affiliation
	for i := range rounds {
		r := &rounds[i]
		if len(r.Spec.Ranking.IneligibleUnits) == 0 && len(r.Spec.Ranking.IneligibleOrganizations) == 0 {
			continue
		}
		if affs == nil {
			if affs, err = store.Affiliations(ctx, a.consoleDB(), a.cfg.ContestID); err != nil {
				a.consoleInternal(c, err)
				return
			}
		}
		rule, err := a.ruleMatches(c, r, affs)
		if err != nil {
			a.consoleInternal(c, err)
			return
		}
		d.Rules = append(d.Rules, rule)
	}
	flagged, err := store.ListFlagged(ctx, a.consoleDB(), a.cfg.ContestID, eligibilityListLimit)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	for _, p := range flagged {
		d.Flagged = append(d.Flagged, rowOf(p))
	}
	if lookup != "" {
		ct, err := store.ContestantByLogin(ctx, a.consoleDB(), a.cfg.ContestID, normalizeLogin(lookup))
		switch {
		case errors.Is(err, store.ErrNotFound):
			if pageError == "" {
				pageError = tr.T("console.eligibility.notFound")
			}
		case err != nil:
			a.consoleInternal(c, err)
			return
		default:
			people, err := store.PeopleOf(ctx, a.consoleDB(), a.cfg.ContestID,
				[]store.Affiliation{{Organization: ct.Organization, UnitCode: ct.UnitCode}}, 1000)
			if err != nil {
				a.consoleInternal(c, err)
				return
			}
			for _, p := range people {
				if p.ID == ct.ID {
					row := rowOf(p)
					d.Found = &row
				}
			}
		}
	}
	if c.Query("done") != "" {
		for i := range rounds {
			if rounds[i].Status.Phase == contestv1alpha1.PhaseRanked {
				d.Rerank = append(d.Rerank, &rounds[i])
			}
		}
	}
	v := a.newConsoleView(c, tr.T("console.eligibility.title"), d)
	v.Error = pageError
	switch c.Query("done") {
	case "flag", "unflag":
		v.Notice = v.T("console.eligibility.done." + c.Query("done"))
	}
	a.renderConsole(c, status, "console_eligibility", v)
}

// ruleMatches applies a round's exclusions, as the ranking will, to the contest's
// affiliations, and lists the first people they match.
func (a *App) ruleMatches(c *gin.Context, r *contestv1alpha1.ContestRound, affs []store.Affiliation) (roundRule, error) {
	ctx := c.Request.Context()
	rule := roundRule{Round: r, Units: r.Spec.Ranking.IneligibleUnits, Organizations: r.Spec.Ranking.IneligibleOrganizations}
	rules, err := rankjob.Rules(ctx, a.consoleDB(), r)
	if err != nil {
		return rule, err
	}
	m, err := ranking.NewMatcher(rules)
	if err != nil {
		// The ranking would stop on the same problem (e.g. a unit code the list lacks).
		rule.Problem = err.Error()
		return rule, nil
	}
	var matched []store.Affiliation
	why := map[string]string{}
	for _, af := range affs {
		if w := m.Excluded(af.Organization, af.UnitCode); w != "" {
			matched = append(matched, af)
			rule.Matched += af.People
			why[af.Organization+"\x00"+af.UnitCode] = w
		}
	}
	if len(matched) == 0 {
		return rule, nil
	}
	people, err := store.PeopleOf(ctx, a.consoleDB(), a.cfg.ContestID, matched, ruleMatchesShown)
	if err != nil {
		return rule, err
	}
	for _, p := range people {
		row := rowOf(p)
		row.Why = reasonText(a.translatorFor(c), why[p.Organization+"\x00"+p.UnitCode])
		rule.People = append(rule.People, row)
	}
	return rule, nil
}

// reasonText says a ranking reason in the organizer's words: the unit or organization
// that excludes the person.
func reasonText(tr translator, why string) string {
	switch {
	case strings.Contains(why, "is under excluded unit"):
		return tr.T("console.eligibility.why.under", quotedParts(why)...)
	case strings.HasPrefix(why, "unit "):
		return tr.T("console.eligibility.why.unit", quotedParts(why)...)
	case strings.HasPrefix(why, "organization "):
		return tr.T("console.eligibility.why.organization", quotedParts(why)...)
	}
	return why
}

// quotedParts returns the Go-quoted strings of a reason, in order.
func quotedParts(s string) []any {
	var out []any
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			return out
		}
		q, err := strconv.QuotedPrefix(s[i:])
		if err != nil {
			return out
		}
		v, _ := strconv.Unquote(q)
		out = append(out, v)
		s = s[i+len(q):]
	}
}

// consoleSetEligibility flags a person, or clears their flag, with the reason.
func (a *App) consoleSetEligibility(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		a.consoleFail(c, http.StatusNotFound, "console.eligibility.notFound")
		return
	}
	action := c.PostForm("action")
	if action != "flag" && action != "unflag" {
		a.consoleFail(c, http.StatusBadRequest, "console.badForm")
		return
	}
	reason := strings.TrimSpace(c.PostForm("reason"))
	if n := utf8.RuneCountInString(reason); n < minReasonRunes || n > maxReasonRunes {
		a.showEligibility(c, http.StatusUnprocessableEntity, c.PostForm("login"), tr.T("console.eligibility.reason", minReasonRunes, maxReasonRunes))
		return
	}
	auditAction := organizer.ActionEligibilityFlag
	if action == "unflag" {
		auditAction = organizer.ActionEligibilityUnflag
	}
	err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		before, after, err := store.SetEligibility(ctx, tx, a.cfg.ContestID, id, action == "flag", reason, c.GetString("organizer"))
		if err != nil {
			return err
		}
		return a.audit(c, tx, auditEntry{Action: auditAction, Target: fmt.Sprintf("contestant/%d", id), Before: before, After: after, Reason: reason})
	})
	if errors.Is(err, store.ErrNotFound) {
		a.consoleFail(c, http.StatusNotFound, "console.eligibility.notFound")
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("eligibility changed", "contestant", id, "action", action, "by", c.GetString("organizer"))
	c.Redirect(http.StatusSeeOther, "/console/eligibility?done="+action)
}

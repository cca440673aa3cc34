package webapp

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Password length rules for contestants.
const (
	minPasswordRunes = 8
	maxPasswordRunes = 128
)

type registerData struct {
	Form      registerForm
	Accept    bool
	Groups    []person.ParticipantGroup
	Districts []districtOptions
	Challenge challenge
	Remember  rememberChoice
}

// registerForm is the form as typed, with the unit chosen from the contest's list.
type registerForm struct {
	person.Form
	// Unit is the chosen unit's code, unitOther for "keep the text as typed", or "".
	Unit string
	// Choices are units to choose from: the answer to the page's find button (without
	// script), or the units a typed name could mean.
	Choices []unitChoice
	// Searched says the choices answer the find button, so "none found" can be said.
	Searched bool
}

type districtOptions struct {
	Name     string
	Communes []locality.Locality
}

func (a *App) registerForm(c *gin.Context) {
	a.showRegister(c, http.StatusOK, registerForm{}, false, nil, "", a.formChallenge(c))
}

func (a *App) showRegister(c *gin.Context, status int, f registerForm, accept bool, fieldErrors map[string]string, pageError string, ch challenge) {
	locs, err := a.cfg.Localities(c.Request.Context(), a.cfg.ContestID)
	if err != nil {
		a.internal(c, err)
		return
	}
	tr := a.translatorFor(c)
	v := a.newView(c, tr.T("register.title"), registerData{
		Form: f, Accept: accept, Groups: person.Groups(), Districts: groupLocalities(locs), Challenge: ch,
		Remember: a.rememberChoice(c),
	})
	v.FieldErrors, v.Error = fieldErrors, pageError
	a.render(c, status, "register", v)
}

// groupLocalities lists communes under their districts for the select's optgroups.
func groupLocalities(locs []locality.Locality) []districtOptions {
	var out []districtOptions
	index := map[string]int{}
	for _, l := range locs {
		if l.ParentCode == "" {
			index[l.Code] = len(out)
			out = append(out, districtOptions{Name: l.Name})
		}
	}
	for _, l := range locs {
		if i, ok := index[l.ParentCode]; ok && l.ParentCode != "" {
			out[i].Communes = append(out[i].Communes, l)
		}
	}
	return out
}

func (a *App) register(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	f := registerForm{Form: person.Form{
		NationalID: c.PostForm("national_id"), Phone: c.PostForm("phone"), FullName: c.PostForm("full_name"),
		BirthDate: c.PostForm("birth_date"), Gender: c.PostForm("gender"), Email: c.PostForm("email"),
		Group: c.PostForm("participant_group"), Organization: c.PostForm("organization"), Locality: c.PostForm("locality"),
	}, Unit: strings.TrimSpace(c.PostForm("unit"))}
	accept := c.PostForm("accept") == "yes"
	if c.PostForm("find_unit") != "" {
		a.findUnits(c, f, accept)
		return
	}
	password1, password2 := c.PostForm("password"), c.PostForm("password2")

	unitCode, unitProblem, err := a.resolveUnit(c, &f)
	if err != nil {
		a.internal(c, err)
		return
	}
	reg, problems := f.Parse(a.now())
	errs := map[string]string{}
	if unitProblem != "" {
		errs[person.FieldOrganization] = tr.T(unitProblem)
	}
	for _, p := range problems {
		if _, seen := errs[p.Field]; !seen {
			errs[p.Field] = tr.T(p.Code)
		}
	}
	if reg.Locality != "" && errs["locality_code"] == "" {
		ok, err := a.localityExists(c, reg.Locality)
		if err != nil {
			a.internal(c, err)
			return
		}
		if !ok {
			errs["locality_code"] = tr.T("error.locality")
		}
	}
	switch n := utf8.RuneCountInString(password1); {
	case n < minPasswordRunes:
		errs["password"] = tr.T("error.password.short")
	case n > maxPasswordRunes:
		errs["password"] = tr.T("error.password.long")
	case password1 != password2:
		errs["password2"] = tr.T("error.password.mismatch")
	}
	if !accept {
		errs["accept"] = tr.T("error.accept")
	}
	if len(errs) > 0 {
		a.metrics.refused("registration_invalid")
		a.showRegister(c, http.StatusUnprocessableEntity, f, accept, errs, tr.T("error.fixBelow"), a.formChallenge(c))
		return
	}
	// A network registering far more people than an office does must solve harder
	// challenges; it is never refused outright (a carrier's address holds thousands).
	net := clientNet(c)
	counts, err := store.Counts(ctx, a.cfg.Pool, netFailCounter(net), netRegCounter(net))
	if err != nil {
		a.internal(c, err)
		return
	}
	extra := networkExtra(counts[0], counts[1])
	release, refused := a.admit(c, a.cfg.ChallengeBits+extra, extra)
	if refused != nil {
		refused.answer(a, c, func(err error) { a.internal(c, err) }, func(status int, msg string, ch challenge) {
			a.showRegister(c, status, f, accept, map[string]string{"challenge": msg}, msg, ch)
		})
		return
	}
	hash := password.Hash(password1)
	release()
	if _, err := store.Count(ctx, a.cfg.Pool, netRegCounter(net)); err != nil {
		a.internal(c, err)
		return
	}
	id, err := store.CreateContestant(ctx, a.cfg.Pool, store.Contestant{
		ContestID: a.cfg.ContestID, NationalID: reg.NationalID, Phone: reg.Phone, FullName: reg.FullName,
		BirthDate: reg.BirthDate, Gender: string(reg.Gender), Email: reg.Email, ParticipantGroup: string(reg.Group),
		Organization: reg.Organization, LocalityCode: reg.Locality, PasswordHash: hash, UnitCode: unitCode,
		RegisteredNet: integrityNet(c.ClientIP()),
	})
	switch {
	case errors.Is(err, store.ErrNationalIDTaken):
		a.showRegister(c, http.StatusConflict, f, accept, map[string]string{"national_id": tr.T("error.nationalIDTaken")}, tr.T("error.nationalIDTaken"), a.formChallenge(c))
		return
	case errors.Is(err, store.ErrPhoneTaken):
		a.showRegister(c, http.StatusConflict, f, accept, map[string]string{"phone": tr.T("error.phoneTaken")}, tr.T("error.phoneTaken"), a.formChallenge(c))
		return
	case errors.Is(err, store.ErrUnknownUnit): // the list was replaced meanwhile
		f.Unit = ""
		a.showRegister(c, http.StatusUnprocessableEntity, f, accept, map[string]string{person.FieldOrganization: tr.T("error.unit")}, tr.T("error.fixBelow"), a.formChallenge(c))
		return
	case errors.Is(err, store.ErrUnknownLocality):
		a.showRegister(c, http.StatusUnprocessableEntity, f, accept, map[string]string{"locality_code": tr.T("error.locality")}, tr.T("error.fixBelow"), a.formChallenge(c))
		return
	case err != nil:
		a.internal(c, err)
		return
	}
	a.log(c).Info("registered", "contestant", id)
	a.startSession(c, id, 0, a.remembers(c))
	c.Redirect(http.StatusSeeOther, "/?registered=1")
}

func (a *App) localityExists(c *gin.Context, code string) (bool, error) {
	locs, err := a.cfg.Localities(c.Request.Context(), a.cfg.ContestID)
	if err != nil {
		return false, err
	}
	for _, l := range locs {
		if l.Code == code && l.ParentCode != "" {
			return true, nil
		}
	}
	return false, nil
}

// resolveUnit turns the unit field into a unit code ("" for none) and, for the unit's
// people, the unit's name as the organization. A code chosen (from the type-ahead or the
// choices) must be in the list; a text sent without a choice is looked up by whole name or
// alias: one unit is taken, several are offered to choose from (problem set), none leaves
// the text as typed. unitOther keeps the text without looking.
func (a *App) resolveUnit(c *gin.Context, f *registerForm) (code, problem string, err error) {
	if f.Unit == unitOther {
		return "", "", nil
	}
	ix, err := a.units.index(c.Request.Context())
	if err != nil {
		return "", "", err
	}
	if f.Unit != "" {
		u, ok := ix.ByCode(f.Unit)
		if !ok {
			// The list held in memory may be up to a minute older than the type-ahead's.
			switch fresh, err := store.UnitByCode(c.Request.Context(), a.cfg.Pool, a.cfg.ContestID, f.Unit); {
			case errors.Is(err, store.ErrNotFound):
				f.Unit = ""
				return "", "error.unit", nil
			case err != nil:
				return "", "", err
			default:
				u = fresh
			}
		}
		f.Organization = u.Name
		return u.Code, "", nil
	}
	matches := ix.Named(f.Organization)
	switch len(matches) {
	case 0:
		return "", "", nil
	case 1:
		f.Unit, f.Organization = matches[0].Unit.Code, matches[0].Unit.Name
		return f.Unit, "", nil
	}
	lang := a.translatorFor(c).lang
	for _, m := range matches[:min(len(matches), unitChoices)] {
		parent, _ := ix.ByCode(m.Unit.ParentCode)
		f.Choices = append(f.Choices, unitChoice{Code: m.Unit.Code, Name: m.Unit.Name, Parent: parent.Name, TypeLabel: m.Unit.Type.Label(lang)})
	}
	return "", "error.unit.ambiguous", nil
}

// findUnits answers the page's find button (the unit field without script): the same page,
// its fields kept (passwords are never sent back), with the units matching the text typed
// as choices.
func (a *App) findUnits(c *gin.Context, f registerForm, accept bool) {
	tr := a.translatorFor(c)
	text, _, ok := searchableQuery(f.Organization)
	errs := map[string]string{}
	f.Unit, f.Choices = "", nil
	switch {
	case !ok:
		errs[person.FieldOrganization] = tr.T("register.unit.tooShort")
	default:
		if allowed, _ := a.perUnitSearch.allow(clientNet(c), time.Now()); !allowed {
			a.metrics.refused("unit_search_rate")
			a.fail(c, http.StatusTooManyRequests, "error.rateLimited")
			return
		}
		hits, _, err := store.SearchUnits(c.Request.Context(), a.cfg.Pool, a.cfg.ContestID, text, unitChoices)
		if err != nil {
			a.internal(c, err)
			return
		}
		f.Choices, f.Searched = choicesOf(hits, tr.lang), true
	}
	a.showRegister(c, http.StatusOK, f, accept, errs, "", a.formChallenge(c))
}

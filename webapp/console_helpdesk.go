package webapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
)

// The helpdesk, for contestants whom neither email nor SMS recovery reaches: an editor finds
// the person by national ID or phone, checks with the caller what the registration says
// (date of birth, unit, commune), and issues a one-time code, shown once, that the person
// types on /recover/code as they would an SMS's code. A lookup reads personal data and a code
// opens an account, so each is recorded in the audit log, and both are bounded per organizer
// (codes also per person), counted in PostgreSQL before deciding: a stolen editor account
// can neither read the registry out nor take accounts over by the hundred.
const (
	// helpdeskCodeTTL: the caller types the code while still on the phone, or soon after
	// on another device.
	helpdeskCodeTTL = 30 * time.Minute
	// helpdeskLookups per organizer in helpdeskLookupWindow: a busy helpdesk answers a call
	// every minute or two.
	helpdeskLookups      = 30
	helpdeskLookupWindow = 10 * time.Minute
	// helpdeskCodes per organizer an hour, helpdeskPersonCodes per person a day.
	helpdeskCodes        = 10
	helpdeskCodesWindow  = time.Hour
	helpdeskPersonCodes  = 3
	helpdeskPersonWindow = 24 * time.Hour
	// helpdeskLookupTTL is how long a lookup's page may issue a code: a code follows a
	// recorded lookup of the same person by the same organizer, not an id typed in a form.
	helpdeskLookupTTL     = 15 * time.Minute
	helpdeskLookupPurpose = "helpdesk-lookup"
	maxHelpdeskQuery      = 64
	maxHelpdeskToken      = 256
	// The note says who called and how they were checked, for the record.
	minHelpdeskNoteRunes = 5
	maxHelpdeskNoteRunes = 300
)

func helpdeskLookupCounter(org string) store.Counter {
	return store.Counter{Key: store.CounterKey("helpdesk-lookup", org), Window: helpdeskLookupWindow}
}

func helpdeskCodeCounter(org string) store.Counter {
	return store.Counter{Key: store.CounterKey("helpdesk-code", org), Window: helpdeskCodesWindow}
}

func helpdeskPersonCounter(contestID string, id int64) store.Counter {
	return store.Counter{Key: store.CounterKey("helpdesk-code-person", contestID, strconv.FormatInt(id, 10)), Window: helpdeskPersonWindow}
}

// helpdeskData is what the helpdesk page shows: the search, and the person found with the
// form to issue a code.
type helpdeskData struct {
	Query         string
	LookupsLeft   int
	LookupMinutes int
	Person        *helpdeskPerson
	// Token carries the lookup to the form that issues a code (helpdeskToken).
	Token     string
	Confirmed bool
	Note      string
	MinNote   int
	MaxNote   int
	Minutes   int
}

// helpdeskPerson is what the helpdesk checks with the caller: never the password hash, and
// the phone, national ID and email address masked (the caller says them, the page does not).
type helpdeskPerson struct {
	ID                                int64
	FullName, BirthDate, Gender       string
	Group, Organization               string
	Commune, District                 string
	Phone, NationalID, Email          string
	RegisteredAt                      time.Time
	SMSOn, MailOn                     bool
	CodesToday, CodesPerDay, CodesTTL int
}

func helpdeskPage(query string, lookupsUsed int) helpdeskData {
	if len(query) > maxHelpdeskQuery {
		query = ""
	}
	return helpdeskData{Query: query, LookupsLeft: max(0, helpdeskLookups-lookupsUsed), LookupMinutes: int(helpdeskLookupWindow.Minutes()),
		MinNote: minHelpdeskNoteRunes, MaxNote: maxHelpdeskNoteRunes, Minutes: int(helpdeskCodeTTL.Minutes())}
}

// freshHelpdesk is the page with the organizer's lookups read, not counted.
func (a *App) freshHelpdesk(c *gin.Context, query string) (helpdeskData, error) {
	counts, err := store.Counts(c.Request.Context(), a.consoleDB(), helpdeskLookupCounter(c.GetString("organizer")))
	if err != nil {
		return helpdeskData{}, err
	}
	return helpdeskPage(query, counts[0]), nil
}

func (a *App) showHelpdesk(c *gin.Context, status int, d helpdeskData, fieldErrors map[string]string, pageError string) {
	v := a.newConsoleView(c, a.translatorFor(c).T("console.helpdesk.title"), d)
	v.FieldErrors, v.Error = fieldErrors, pageError
	a.renderConsole(c, status, "console_helpdesk", v)
}

func (a *App) consoleHelpdesk(c *gin.Context) {
	d, err := a.freshHelpdesk(c, "")
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.showHelpdesk(c, http.StatusOK, d, nil, "")
}

// helpdeskQuery reads the searched number: a phone (any common spelling) or a 12-digit
// national ID, normalized as stored, with the masked form the audit log records.
func helpdeskQuery(typed string) (login, masked string, ok bool) {
	if len(typed) > maxHelpdeskQuery {
		return "", "", false
	}
	if p, fe := person.NormalizePhone(typed); fe == nil {
		return p, person.MaskPhone(p), true
	}
	if id, fe := person.NormalizeNationalID(typed); fe == nil {
		return id, person.MaskNationalID(id), true
	}
	return "", "", false
}

// helpdeskTarget names a contestant in the audit log: the id and the masked national ID,
// never the number in clear.
func helpdeskTarget(ct store.Contestant) string {
	return fmt.Sprintf("#%d %s", ct.ID, person.MaskNationalID(ct.NationalID))
}

// consoleHelpdeskLookup finds a contestant. The form posts (a national ID in a URL would stay
// in histories and access logs); the lookup is counted first, then decided, and recorded,
// found or not, before anything is shown.
func (a *App) consoleHelpdeskLookup(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	org := c.GetString("organizer")
	typed := strings.TrimSpace(c.PostForm("q"))
	login, masked, ok := helpdeskQuery(typed)
	if !ok {
		a.metrics.refused("helpdesk_query")
		d, err := a.freshHelpdesk(c, typed)
		if err != nil {
			a.consoleInternal(c, err)
			return
		}
		a.showHelpdesk(c, http.StatusUnprocessableEntity, d, map[string]string{"q": tr.T("console.helpdesk.badQuery")}, tr.T("error.fixBelow"))
		return
	}
	used, err := store.Count(ctx, a.consoleDB(), helpdeskLookupCounter(org))
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d := helpdeskPage(typed, used)
	if used > helpdeskLookups {
		a.metrics.refused("helpdesk_lookup_limit")
		a.log(c).Warn("helpdesk: lookup limit reached", "by", org, "limit", helpdeskLookups)
		c.Header("Retry-After", strconv.Itoa(int(helpdeskLookupWindow.Seconds())))
		a.showHelpdesk(c, http.StatusTooManyRequests, d, nil, tr.T("console.helpdesk.lookupLimit", helpdeskLookups, int(helpdeskLookupWindow.Minutes())))
		return
	}
	ct, err := store.ContestantByLogin(ctx, a.consoleDB(), a.cfg.ContestID, login)
	if errors.Is(err, store.ErrNotFound) {
		if err := a.audit(c, a.consoleDB(), auditEntry{Action: organizer.ActionHelpdeskLookup, Target: masked,
			After: map[string]any{"found": false}}); err != nil {
			a.consoleInternal(c, err)
			return
		}
		a.showHelpdesk(c, http.StatusNotFound, d, nil, tr.T("console.helpdesk.notFound", masked))
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	p, err := a.helpdeskPerson(ctx, tr, ct)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	// Recorded before it is shown: no personal data leaves without its entry.
	if err := a.audit(c, a.consoleDB(), auditEntry{Action: organizer.ActionHelpdeskLookup, Target: helpdeskTarget(ct),
		After: map[string]any{"found": true, "by": masked}}); err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("helpdesk: lookup", "contestant", ct.ID, "by", org)
	d.Person, d.Token = p, a.helpdeskToken(org, ct.ID)
	a.showHelpdesk(c, http.StatusOK, d, nil, "")
}

// helpdeskPerson gathers what the page shows of a contestant, with the codes issued for
// them today (read, not counted).
func (a *App) helpdeskPerson(ctx context.Context, tr translator, ct store.Contestant) (*helpdeskPerson, error) {
	p := &helpdeskPerson{ID: ct.ID, FullName: ct.FullName, BirthDate: ct.BirthDate.Format("02/01/2006"),
		Organization: ct.Organization, Phone: person.MaskPhone(ct.Phone), NationalID: person.MaskNationalID(ct.NationalID),
		RegisteredAt: ct.CreatedAt, SMSOn: a.cfg.SMS != nil, MailOn: a.cfg.Mailer != nil,
		CodesPerDay: helpdeskPersonCodes, CodesTTL: int(helpdeskCodeTTL.Minutes())}
	g, grp := person.Gender(ct.Gender), person.ParticipantGroup(ct.ParticipantGroup)
	p.Gender, p.Group = g.Label(), grp.Label()
	if tr.lang == langEN {
		p.Gender, p.Group = g.LabelEnglish(), grp.LabelEnglish()
	}
	if ct.Email != "" {
		p.Email = person.MaskEmail(ct.Email)
	}
	locs, err := a.cfg.Localities(ctx, a.cfg.ContestID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	parent := ""
	for _, l := range locs {
		names[l.Code] = l.Name
		if l.Code == ct.LocalityCode {
			parent = l.ParentCode
		}
	}
	p.Commune, p.District = names[ct.LocalityCode], names[parent]
	if p.Commune == "" {
		p.Commune = ct.LocalityCode
	}
	counts, err := store.Counts(ctx, a.consoleDB(), helpdeskPersonCounter(a.cfg.ContestID, ct.ID))
	if err != nil {
		return nil, err
	}
	p.CodesToday = counts[0]
	return p, nil
}

// helpdeskToken binds a lookup to the form that issues a code: the organizer, the person
// and an expiry, signed with the app's key.
func (a *App) helpdeskToken(org string, id int64) string {
	value := fmt.Sprintf("%d|%d|%s", id, a.now().Add(helpdeskLookupTTL).Unix(), org)
	return a.signer.sign(helpdeskLookupPurpose, value)
}

// helpdeskLookupOf reads a token back: the contestant, if the token is the app's, for this
// organizer, and not expired.
func (a *App) helpdeskLookupOf(token, org string) (int64, bool) {
	if len(token) > maxHelpdeskToken {
		return 0, false
	}
	value, ok := a.signer.verify(helpdeskLookupPurpose, token)
	if !ok {
		return 0, false
	}
	parts := strings.SplitN(value, "|", 3)
	if len(parts) != 3 || parts[2] != org {
		return 0, false
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	expires, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || !a.now().Before(time.Unix(expires, 0)) {
		return 0, false
	}
	return id, true
}

// helpdeskCode is what the page of an issued code shows, once.
type helpdeskCode struct {
	Code       string
	Expires    time.Time
	Minutes    int
	Where      string
	FullName   string
	NationalID string
	Phone      string
	Tries      int
	// MinPassword is the new password's least length, read out with the steps.
	MinPassword int
}

// consoleHelpdeskCode issues a reset code for the person of a recent lookup, once the
// organizer has ticked that the caller's date of birth and unit or commune match and said
// why. Counted first (per organizer, then per person), then decided; the code and its
// audit entry (without the code) commit together, and the code replaces every live link and
// code of the person.
func (a *App) consoleHelpdeskCode(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	org := c.GetString("organizer")
	d, err := a.freshHelpdesk(c, "")
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	id, ok := a.helpdeskLookupOf(c.PostForm("lookup"), org)
	if !ok {
		a.metrics.refused("helpdesk_lookup_stale")
		a.showHelpdesk(c, http.StatusUnprocessableEntity, d, nil, tr.T("console.helpdesk.stale", int(helpdeskLookupTTL.Minutes())))
		return
	}
	ct, err := store.ContestantByID(ctx, a.consoleDB(), a.cfg.ContestID, id)
	if errors.Is(err, store.ErrNotFound) {
		a.consoleFail(c, http.StatusNotFound, "console.helpdesk.gone")
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d.Token, d.Confirmed, d.Note = c.PostForm("lookup"), c.PostForm("confirm") == "yes", strings.TrimSpace(c.PostForm("note"))
	// showPerson shows the lookup again (already recorded) with what went wrong.
	showPerson := func(status int, errs map[string]string, msg string) {
		p, err := a.helpdeskPerson(ctx, tr, ct)
		if err != nil {
			a.consoleInternal(c, err)
			return
		}
		if utf8.RuneCountInString(d.Note) > maxHelpdeskNoteRunes {
			d.Note = ""
		}
		d.Person = p
		a.showHelpdesk(c, status, d, errs, msg)
	}
	errs := map[string]string{}
	if !d.Confirmed {
		errs["confirm"] = tr.T("console.helpdesk.confirmRequired")
	}
	if n := utf8.RuneCountInString(d.Note); n < minHelpdeskNoteRunes || n > maxHelpdeskNoteRunes {
		errs["note"] = tr.T("console.helpdesk.noteLength", minHelpdeskNoteRunes, maxHelpdeskNoteRunes)
	}
	if len(errs) > 0 {
		a.metrics.refused("helpdesk_form")
		showPerson(http.StatusUnprocessableEntity, errs, tr.T("error.fixBelow"))
		return
	}

	mine, err := store.Count(ctx, a.consoleDB(), helpdeskCodeCounter(org))
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	if mine > helpdeskCodes {
		a.metrics.refused("helpdesk_code_limit")
		a.log(c).Warn("helpdesk: code limit reached", "by", org, "limit", helpdeskCodes)
		c.Header("Retry-After", strconv.Itoa(int(helpdeskCodesWindow.Seconds())))
		showPerson(http.StatusTooManyRequests, nil, tr.T("console.helpdesk.codeLimit", helpdeskCodes))
		return
	}
	// Counted only once the organizer's own limit let the code through: a stolen account
	// cannot spend everybody's daily codes.
	theirs, err := store.Count(ctx, a.consoleDB(), helpdeskPersonCounter(a.cfg.ContestID, ct.ID))
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	if theirs > helpdeskPersonCodes {
		a.metrics.refused("helpdesk_person_limit")
		c.Header("Retry-After", strconv.Itoa(int(helpdeskPersonWindow.Seconds())))
		showPerson(http.StatusTooManyRequests, nil, tr.T("console.helpdesk.personLimit", helpdeskPersonCodes))
		return
	}

	var code string
	var expires time.Time
	err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		var err error
		if code, expires, err = a.issueCode(ctx, tx, ct.ID, store.ChannelHelpdesk, org, helpdeskCodeTTL); err != nil {
			return err
		}
		return a.audit(c, tx, auditEntry{Action: organizer.ActionHelpdeskCode, Target: helpdeskTarget(ct),
			After: map[string]any{"channel": store.ChannelHelpdesk, "expires_at": expires, "replaces_live_resets": true}, Reason: d.Note})
	})
	if errors.Is(err, store.ErrNotFound) {
		a.consoleFail(c, http.StatusNotFound, "console.helpdesk.gone")
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.recovery.metrics.requests.WithLabelValues(store.ChannelHelpdesk).Inc()
	a.log(c).Info("helpdesk: code issued", "contestant", ct.ID, "by", org)
	a.renderConsole(c, http.StatusOK, "console_helpdesk_code", a.newConsoleView(c, tr.T("console.helpdesk.code.title"), helpdeskCode{
		Code: code[:codeDigits/2] + " " + code[codeDigits/2:], Expires: expires, Minutes: int(helpdeskCodeTTL.Minutes()), Where: a.recoverCodeAddress(c),
		FullName: ct.FullName, NationalID: person.MaskNationalID(ct.NationalID), Phone: person.MaskPhone(ct.Phone), Tries: maxCodeTries,
		MinPassword: minPasswordRunes,
	}))
}

// recoverCodeAddress is the code page's address as the organizer reads it out: the public
// address without its scheme, or the host the console was opened at (the same site).
func (a *App) recoverCodeAddress(c *gin.Context) string {
	base := a.cfg.PublicURL
	if base == "" {
		base = c.Request.Host
	}
	base = strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	return strings.TrimSuffix(base, "/") + "/recover/code"
}

package webapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/rankjob"
	"github.com/dxcontest/contest-platform/internal/regrade"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Key corrections (docs/decisions.md, "Correcting an answer key"): an editor picks a
// question of the round's bank version, says which option is right (or that any answer
// is), sees what that changes, then applies it: the round's attempts are scored again in
// one transaction with the audit entry, and a ranked round is ranked again.

const (
	// previewRankLimit bounds the people a preview ranks in memory, twice (about 350 bytes
	// each): beyond it the prize list is compared by the new ranking, not beforehand.
	previewRankLimit = 200_000
	// changesShown is how many score changes of each correction the page lists; the
	// report lists them all.
	changesShown = 50
)

type correctionsData struct {
	Round  *contestv1alpha1.ContestRound
	Bank   string
	Topics []topicChoice
	// Question is the question chosen, with its key in force.
	Question *questionView
	Form     correctionForm
	Preview  *correctionPreview
	History  []correctionRow
	// Latest is the ID of the round's latest correction, which a preview was computed on.
	Latest int64
	// Answerable: attempts of the round may still be submitted, and wait while a
	// correction is applied.
	Answerable bool
	Phase      string
}

type topicChoice struct {
	Title     string
	Questions []questionChoice
}

type questionChoice struct {
	ID, Label string
	Corrected bool
}

type questionView struct {
	ID, Topic, Text string
	Options         []optionView
	InForce         string
	Corrected       bool
}

type optionView struct {
	Letter, Text  string
	BankKey       bool
	InForce       bool
	AnyIsAccepted bool
}

type correctionForm struct {
	Question, Key, Reason string
}

type correctionRow struct {
	regrade.Correction
	No             int
	Text           string
	OldKey, NewKey string
	InForce        bool
	// Attempts and People are what it changed (int64, as the page's numbers are).
	Attempts, People int64
	Changes          []changeRow
	More             int64
}

type changeRow struct {
	Name, MaskedID string
	AttemptNo      int
	Old, New       int
}

type correctionPreview struct {
	attempt.Corrected
	OldKey, NewKey string
	// Changed of Attempts finished attempts change score (Up gain, Down lose);
	// PeopleChanged of People change their best result.
	Changed, Attempts, PeopleChanged, People int64
	Up, Down                                 int
	// Prizes compares the prize list before and after, by the ranking's own rules, in
	// memory; PrizeProblem says why it was not.
	Prizes       *regrade.PrizeDiff
	PrizeRows    []prizeRow
	PrizeProblem string
	// Next says what happens to the ranking once applied.
	Next string
}

type prizeRow struct {
	Name, MaskedID string
	Before, After  string
}

func (a *App) consoleCorrections(c *gin.Context) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	d, ok := a.correctionsPage(c, round, correctionForm{Question: c.Query("question")})
	if !ok {
		return
	}
	v := a.newConsoleView(c, a.translatorFor(c).T("console.correction.title", round.Spec.Title), d)
	switch c.Query("done") {
	case "applied":
		v.Notice = v.T("console.correction.done", c.Query("question"))
		switch next := c.Query("next"); next {
		case "rerank", "rerankByHand", "rankingAgain", "atClose", "rerankFailed", "unchanged":
			v.Notice += " " + v.T("console.correction.next."+next)
		}
	}
	a.renderConsole(c, http.StatusOK, "console_corrections", v)
}

// correctionsPage reads what the page shows: the bank's questions, the one chosen, and the
// round's corrections with their first changes.
func (a *App) correctionsPage(c *gin.Context, round *contestv1alpha1.ContestRound, form correctionForm) (*correctionsData, bool) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	ref := round.Spec.Exam.Bank
	b, err := a.attempts.Bank(ctx, ref.Name, int(ref.Version))
	if err != nil {
		a.consoleInternal(c, err)
		return nil, false
	}
	history, err := store.RoundCorrections(ctx, a.consoleDB(), round.RoundKey())
	if err != nil {
		a.consoleInternal(c, err)
		return nil, false
	}
	state := roundState(round, a.now())
	d := &correctionsData{Round: round, Bank: fmt.Sprintf("%s v%d", ref.Name, ref.Version), Form: form,
		Answerable: state == "open" || state == "suspended", Phase: phaseLabel(tr, round.Status.Phase)}
	inForce := regrade.InForce(history)
	for _, t := range b.Topics {
		tc := topicChoice{Title: t.Title}
		for _, q := range b.QuestionsByTopic(t.Code) {
			_, corrected := inForce[q.ID]
			tc.Questions = append(tc.Questions, questionChoice{ID: q.ID, Label: q.ID + " — " + shorten(q.Text, 90), Corrected: corrected})
		}
		d.Topics = append(d.Topics, tc)
	}
	if form.Question != "" {
		if q := bankQuestion(b, form.Question); q != nil {
			d.Question = questionOf(tr, b, q, inForce)
		}
	}
	if n := len(history); n > 0 {
		d.Latest = history[n-1].ID
	}
	changes := map[int64][]changeRow{}
	if err := store.StreamScoreChanges(ctx, a.consoleDB(), round.RoundKey(), changesShown, func(s store.ScoreChange) error {
		changes[s.CorrectionID] = append(changes[s.CorrectionID], changeRow{Name: s.FullName, MaskedID: person.MaskNationalID(s.NationalID),
			AttemptNo: s.AttemptNo, Old: s.Old, New: s.New})
		return nil
	}); err != nil {
		a.consoleInternal(c, err)
		return nil, false
	}
	latest := map[string]int64{}
	for _, h := range history {
		latest[h.QuestionID] = h.ID
	}
	for i := len(history) - 1; i >= 0; i-- { // newest first
		h := history[i]
		row := correctionRow{Correction: h, No: i + 1, OldKey: keyLabel(tr, h.Old), NewKey: keyLabel(tr, h.New),
			InForce: latest[h.QuestionID] == h.ID, Changes: changes[h.ID]}
		if q := bankQuestion(b, h.QuestionID); q != nil {
			row.Text = q.Text
		}
		row.Attempts, row.People = int64(h.AttemptsChanged), int64(h.PeopleChanged)
		row.More = row.Attempts - int64(len(row.Changes))
		d.History = append(d.History, row)
	}
	return d, true
}

func questionOf(tr translator, b *bank.Bank, q *bank.Question, inForce exam.Corrections) *questionView {
	key, corrected := inForce[q.ID]
	if !corrected {
		key = exam.KeyOf(q)
	}
	v := &questionView{ID: q.ID, Text: q.Text, Topic: q.Topic, InForce: keyLabel(tr, key), Corrected: corrected}
	if t, ok := b.Topic(q.Topic); ok {
		v.Topic = t.Title
	}
	for i, o := range q.Options {
		v.Options = append(v.Options, optionView{Letter: exam.Key{Option: i}.String(), Text: o.Text, BankKey: o.Correct,
			InForce: !key.Any && key.Option == i, AnyIsAccepted: key.Any})
	}
	return v
}

func bankQuestion(b *bank.Bank, id string) *bank.Question {
	for i := range b.Questions {
		if b.Questions[i].ID == id {
			return &b.Questions[i]
		}
	}
	return nil
}

// keyLabel says a key in the organizer's words: a letter of the bank file, or "any".
func keyLabel(tr translator, k exam.Key) string {
	if k.Any {
		return tr.T("console.correction.anyKey")
	}
	return k.String()
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// correctionRequest reads the form; a problem is answered with the page and false.
func (a *App) correctionRequest(c *gin.Context, round *contestv1alpha1.ContestRound) (attempt.KeyCorrection, correctionForm, bool) {
	tr := a.translatorFor(c)
	form := correctionForm{Question: strings.TrimSpace(c.PostForm("question")), Key: c.PostForm("key"), Reason: strings.TrimSpace(c.PostForm("reason"))}
	ref := round.Spec.Exam.Bank
	req := attempt.KeyCorrection{Round: round.RoundKey(), BankName: ref.Name, BankVersion: int(ref.Version), QuestionID: form.Question,
		Reason: form.Reason, By: c.GetString("organizer")}
	refuse := func(msg string) (attempt.KeyCorrection, correctionForm, bool) {
		a.showCorrections(c, round, http.StatusUnprocessableEntity, form, nil, msg)
		return req, form, false
	}
	if form.Question == "" || len(form.Question) > 64 {
		return refuse(tr.T(attempt.CodeCorrectionUnknownQuestion))
	}
	key, err := exam.ParseKey(form.Key)
	if err != nil {
		return refuse(tr.T("console.correction.chooseKey"))
	}
	req.Key = key
	if n := utf8.RuneCountInString(form.Reason); n < minReasonRunes || n > maxReasonRunes {
		return refuse(tr.T("console.correction.reason", minReasonRunes, maxReasonRunes))
	}
	if s := c.PostForm("seen"); s != "" {
		if req.Seen, err = strconv.ParseInt(s, 10, 64); err != nil || req.Seen < 0 {
			return refuse(tr.T("console.badForm"))
		}
	}
	return req, form, true
}

// showCorrections answers with the page, a form kept as typed, a preview or an error.
func (a *App) showCorrections(c *gin.Context, round *contestv1alpha1.ContestRound, status int, form correctionForm, preview *correctionPreview, msg string) {
	d, ok := a.correctionsPage(c, round, form)
	if !ok {
		return
	}
	d.Preview = preview
	v := a.newConsoleView(c, a.translatorFor(c).T("console.correction.title", round.Spec.Title), d)
	v.Error = msg
	a.renderConsole(c, status, "console_corrections", v)
}

// refusal answers a refused correction with its reason, or reports any other error.
func (a *App) correctionRefused(c *gin.Context, round *contestv1alpha1.ContestRound, form correctionForm, err error) {
	var ce *attempt.CorrectionError
	if !errors.As(err, &ce) {
		a.consoleInternal(c, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if ce.Code == attempt.CodeCorrectionStale {
		status = http.StatusConflict
	}
	a.showCorrections(c, round, status, form, nil, a.translatorFor(c).T(ce.Code))
}

// admit takes the replica's one place for a correction's computation; a busy replica says
// so rather than queue a second pass over a round.
func (a *App) admitCorrection(c *gin.Context) bool {
	select {
	case a.correcting <- struct{}{}:
		return true
	default:
		a.consoleFail(c, http.StatusServiceUnavailable, "console.correction.busy")
		return false
	}
}

func (a *App) doneCorrecting() { <-a.correcting }

// consolePreviewCorrection shows what a correction would change, writing nothing.
func (a *App) consolePreviewCorrection(c *gin.Context) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	req, form, ok := a.correctionRequest(c, round)
	if !ok || !a.admitCorrection(c) {
		return
	}
	defer a.doneCorrecting()
	// A pass over every finished attempt of the round: one read-only transaction on the
	// read replica when there is one, as a report (the correction itself checks again that
	// nothing was corrected since on the primary).
	ctx, tx, done, ok := a.heavyRead(c)
	if !ok {
		return
	}
	defer done()
	tr := a.translatorFor(c)
	p := &correctionPreview{Next: a.nextRanking(round)}
	var ranker *regrade.Ranker
	rules, err := rankjob.Rules(ctx, tx, round)
	if err == nil {
		ranker, err = regrade.NewRanker(rules, previewRankLimit)
	}
	if err != nil {
		// The ranking would stop on the same problem; the scores can still be previewed.
		p.PrizeProblem = tr.T("console.correction.prizeRules", err.Error())
	}
	each := func(at regrade.Attempt, n int) error {
		if ranker == nil {
			return nil
		}
		return ranker.Add(at, n)
	}
	if p.Corrected, err = a.attempts.PreviewCorrection(ctx, store.NewRoundScores(tx), req, each); err != nil {
		a.correctionRefused(c, round, form, err)
		return
	}
	p.OldKey, p.NewKey = keyLabel(tr, p.Correction.Old), keyLabel(tr, p.Correction.New)
	p.Changed, p.Attempts = int64(len(p.Summary.Changes)), int64(p.Summary.Attempts)
	if p.Changed == 0 {
		p.Next = "unchanged"
	}
	p.PeopleChanged, p.People = int64(p.Summary.PeopleChanged), int64(p.Summary.People)
	for _, ch := range p.Summary.Changes {
		if ch.New > ch.Old {
			p.Up++
		} else {
			p.Down++
		}
	}
	switch {
	case ranker == nil:
	case ranker.Over():
		p.PrizeProblem = tr.T("console.correction.prizeTooMany", previewRankLimit)
	default:
		if err := a.comparePrizes(ctx, c, tx, round, ranker, p); err != nil {
			a.consoleInternal(c, err)
			return
		}
	}
	a.showCorrections(c, round, http.StatusOK, form, p, "")
}

// comparePrizes ranks the round in memory before and after, and lists whose prize changes.
func (a *App) comparePrizes(ctx context.Context, c *gin.Context, q store.Querier, round *contestv1alpha1.ContestRound, ranker *regrade.Ranker, p *correctionPreview) error {
	tr := a.translatorFor(c)
	people, err := rankjob.People(ctx, q, round.RoundKey(), p.Summary.People)
	if err != nil {
		return err
	}
	before, after, err := ranker.Results(people)
	if err != nil {
		return err
	}
	diff := regrade.Diff(before, after)
	p.Prizes = &diff
	ids := make([]int64, len(diff.Changes))
	for i, ch := range diff.Changes {
		ids[i] = ch.PersonID
	}
	details, err := store.ContestantDetails(ctx, q, ids)
	if err != nil {
		return err
	}
	for _, ch := range diff.Changes {
		d := details[ch.PersonID]
		p.PrizeRows = append(p.PrizeRows, prizeRow{Name: d.FullName, MaskedID: person.MaskNationalID(d.NationalID),
			Before: standingLabel(tr, ch.Before), After: standingLabel(tr, ch.After)})
	}
	return nil
}

func standingLabel(tr translator, s regrade.Standing) string {
	switch {
	case s.Prize != "":
		return tr.T("console.correction.standingPrize", s.Prize, s.Rank)
	case s.Pending:
		return tr.T("console.correction.standingPending", s.Rank)
	}
	return tr.T("console.correction.standingNone", s.Rank)
}

// nextRanking says what happens to the round's ranking after a correction: a ranked round
// is ranked again (when the cluster takes requests), one being ranked must be ranked again
// once done, and a round not ranked yet is ranked with the corrected scores at its close.
func (a *App) nextRanking(round *contestv1alpha1.ContestRound) string {
	_, kube := a.cfg.Rounds.(Reranker)
	switch round.Status.Phase {
	case contestv1alpha1.PhaseRanked:
		if kube {
			return "rerank"
		}
		return "rerankByHand"
	case contestv1alpha1.PhaseRanking, contestv1alpha1.PhaseFailed:
		return "rankingAgain"
	}
	return "atClose"
}

// consoleApplyCorrection records a correction and scores the round again, in one
// transaction with its audit entry; then a ranked round is ranked again.
func (a *App) consoleApplyCorrection(c *gin.Context) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	req, form, ok := a.correctionRequest(c, round)
	if !ok || !a.admitCorrection(c) {
		return
	}
	defer a.doneCorrecting()
	// Rescoring passes over every finished attempt of the round: one of the replica's
	// report places, under ReportTimeout. The store marks the round's statistics out of
	// date in the same transaction.
	var out attempt.Corrected
	placed, err := a.longWrite(c, func(ctx context.Context, tx store.Querier) error {
		var err error
		if out, err = a.attempts.ApplyCorrection(ctx, store.NewRoundScores(tx), req); err != nil {
			return err
		}
		k := out.Correction
		return a.audit(c, tx, auditEntry{Action: organizer.ActionKeyCorrection, Target: round.RoundKey() + " " + k.QuestionID,
			Before: map[string]string{"question": k.QuestionID, "key": k.Old.String()},
			After: map[string]any{"question": k.QuestionID, "key": k.New.String(), "correction": k.ID,
				"attempts_changed": k.AttemptsChanged, "people_changed": k.PeopleChanged},
			Reason: req.Reason})
	})
	if !placed {
		return
	}
	if err != nil {
		a.correctionRefused(c, round, form, err)
		return
	}
	// The item analysis kept on this replica shows the old key and scores; the other
	// replicas compute theirs again within a minute.
	a.items.forget()
	k := out.Correction
	a.log(c).Info("key corrected", "round", round.RoundKey(), "question", k.QuestionID, "old", k.Old.String(), "new", k.New.String(),
		"correction", k.ID, "attempts_changed", k.AttemptsChanged, "people_changed", k.PeopleChanged, "by", req.By)
	next := a.nextRanking(round)
	if k.AttemptsChanged == 0 {
		// No score changed, so neither can the ranking: ranking again would only withdraw
		// a publication.
		next = "unchanged"
	}
	if next == "rerank" {
		rr := a.cfg.Rounds.(Reranker)
		reason := shorten(fmt.Sprintf("Điều chỉnh đáp án câu %s: %s", k.QuestionID, req.Reason), maxReasonRunes)
		if err := a.requestRerank(c, rr, round, reason); err != nil {
			// The correction is committed; the page says to ask for the ranking by hand.
			a.log(c).Error("key corrected but the re-rank request failed", "round", round.RoundKey(), "err", err)
			next = "rerankFailed"
		}
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/rounds/%s/corrections?done=applied&next=%s&question=%s", round.Name, next, url.QueryEscape(k.QuestionID)))
}

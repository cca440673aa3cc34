package webapp

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
)

func (a *App) startAttempt(c *gin.Context) {
	ctx := c.Request.Context()
	me, _ := contestantID(c)
	round, err := a.findRound(ctx, c.Param("round"))
	if errors.Is(err, errRoundNotFound) {
		a.fail(c, http.StatusNotFound, "error.roundNotFound")
		return
	}
	if err != nil {
		a.internal(c, err)
		return
	}
	if round.Spec.Suspend {
		a.metrics.refused("suspended")
		a.fail(c, http.StatusConflict, "error.suspended")
		return
	}
	at, err := a.attempts.StartFrom(ctx, attemptRules(round), me, a.attemptClient(c))
	var refused *attempt.RefusedError
	switch {
	case err == nil:
		a.metrics.started.WithLabelValues(round.Name).Inc()
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d", at.ID))
	case errors.Is(err, attempt.ErrBankUnusable):
		a.bankUnavailable(c, err)
	case errors.As(err, &refused):
		a.metrics.refused(refused.Reason)
		tr := a.translatorFor(c)
		switch refused.Reason {
		case attempt.RefusedInProgress:
			if refused.InProgress != 0 {
				c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d", refused.InProgress))
				return
			}
			a.fail(c, http.StatusConflict, "error.rateLimited")
		case attempt.RefusedNotOpen:
			a.fail(c, http.StatusConflict, "error.notOpen", tr.Time(round.Spec.OpensAt.Time))
		case attempt.RefusedClosed:
			a.fail(c, http.StatusConflict, "error.closed", tr.Time(round.Spec.ClosesAt.Time))
		case attempt.RefusedNoneLeft:
			a.fail(c, http.StatusConflict, "error.noAttemptsLeft", round.Spec.Exam.AttemptsAllowed())
		default:
			a.internal(c, err)
		}
	default:
		a.internal(c, err)
	}
}

// attemptOf loads the signed-in person's attempt named in the URL, with its round and bank.
func (a *App) attemptOf(c *gin.Context) (*attempt.Attempt, *contestv1alpha1.ContestRound, *bank.Bank, bool) {
	ctx := c.Request.Context()
	me, _ := contestantID(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		a.fail(c, http.StatusNotFound, "error.attemptNotFound")
		return nil, nil, nil, false
	}
	at, err := a.attempts.Get(ctx, id, me)
	if errors.Is(err, attempt.ErrNotFound) {
		a.fail(c, http.StatusNotFound, "error.attemptNotFound")
		return nil, nil, nil, false
	}
	if err != nil {
		a.internal(c, err)
		return nil, nil, nil, false
	}
	round, err := a.findRoundByKey(ctx, at.Round)
	if errors.Is(err, errRoundNotFound) {
		a.fail(c, http.StatusNotFound, "error.roundNotFound")
		return nil, nil, nil, false
	}
	if err != nil {
		a.internal(c, err)
		return nil, nil, nil, false
	}
	b, err := a.attempts.Bank(ctx, at.BankName, at.BankVersion)
	if err != nil {
		a.bankUnavailable(c, err)
		return nil, nil, nil, false
	}
	return &at, round, b, true
}

type examData struct {
	Attempt   *attempt.Attempt
	Round     *contestv1alpha1.ContestRound
	Questions []exam.ShownQuestion
	// QuestionsHTML is the questions' markup (exam_questions.go).
	QuestionsHTML template.HTML
	Answers       exam.Answers
	Prediction    string
	// PredictionError is why the prediction just posted was refused (shown next to the
	// field, which then holds what was typed).
	PredictionError string
	Answered        int
	// SecondsLeft is computed from the database clock, so the countdown matches the
	// deadline the server enforces whatever the phone's clock says.
	SecondsLeft int64
}

func (a *App) examPage(c *gin.Context) {
	at, round, b, ok := a.attemptOf(c)
	if !ok {
		return
	}
	if at.Finished() || !at.Now.Before(at.Deadline) {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d/result", at.ID))
		return
	}
	a.showExam(c, http.StatusOK, at, round, b, "", nil)
}

// refusedPrediction is a posted prediction the rules refused, shown back on the exam page.
type refusedPrediction struct {
	Typed string
	Err   *exam.PredictionError
}

// refusedPredictionOf keeps what was typed to show it again, unless it is far longer than
// any prediction (1.000.000.000 is 13 characters): then the field comes back empty.
func refusedPredictionOf(c *gin.Context, pe *exam.PredictionError) *refusedPrediction {
	typed := c.PostForm("prediction")
	if len(typed) > 40 {
		typed = ""
	}
	return &refusedPrediction{Typed: typed, Err: pe}
}

func (a *App) showExam(c *gin.Context, status int, at *attempt.Attempt, round *contestv1alpha1.ContestRound, b *bank.Bank, pageError string, refused *refusedPrediction) {
	shown, err := at.Paper.Render(b)
	if err != nil {
		a.internal(c, err)
		return
	}
	d := examData{Attempt: at, Round: round, Questions: shown, Answers: at.Answers,
		Answered: len(at.Answers), SecondsLeft: int64(at.Deadline.Sub(at.Now).Seconds())}
	if at.Prediction != nil {
		d.Prediction = strconv.FormatInt(*at.Prediction, 10)
	}
	tr := a.translatorFor(c)
	d.QuestionsHTML = examQuestionsHTML(shown, at.Answers, func(n int) string { return tr.T("exam.question", n) })
	if refused != nil {
		d.Prediction, d.PredictionError = refused.Typed, tr.T(refused.Err.Code)
	}
	v := a.newView(c, tr.T("exam.title", at.No, round.Spec.Title), d)
	v.Error = pageError
	a.render(c, status, "exam", v)
}

// errUnreadableForm: the body is not a form Go reads (bad escapes, too many fields).
var errUnreadableForm = errors.New("unreadable form")

// postedAnswers reads the q<index>=<letter> fields into validated answers before any SQL
// (exam.ParseAnswerFields); whether the items and letters are the paper's is checked
// against it when saving.
func postedAnswers(c *gin.Context) (exam.Answers, error) {
	if err := c.Request.ParseForm(); err != nil {
		return nil, fmt.Errorf("%w: %w", errUnreadableForm, err)
	}
	return exam.ParseAnswerFields(c.Request.PostForm)
}

// postedAttempt reads who posts answers to which attempt; false means it already answered.
func (a *App) postedAttempt(c *gin.Context) (me, id int64, answers exam.Answers, ok bool) {
	me, _ = contestantID(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		a.fail(c, http.StatusNotFound, "error.attemptNotFound")
		return 0, 0, nil, false
	}
	if answers, err = postedAnswers(c); err != nil {
		a.failAnswers(c, err)
		return 0, 0, nil, false
	}
	return me, id, answers, true
}

// failAnswers refuses posted answers that are not the exam page's, naming the field.
func (a *App) failAnswers(c *gin.Context, err error) {
	a.metrics.refused(attempt.RefusedInvalidInput)
	var fe *exam.AnswerFieldError
	if !errors.As(err, &fe) {
		a.fail(c, http.StatusBadRequest, "error.badForm")
		return
	}
	switch fe.Code {
	case exam.CodeTooManyFields:
		a.fail(c, http.StatusUnprocessableEntity, "error.answerTooMany", exam.MaxFormValues)
	case exam.CodeBadAnswerField:
		a.fail(c, http.StatusUnprocessableEntity, "error.answerField", fe.Quoted())
	case exam.CodeRepeatedAnswerField:
		a.fail(c, http.StatusUnprocessableEntity, "error.answerRepeated", fe.Quoted(), fe.Item+1)
	default:
		a.fail(c, http.StatusUnprocessableEntity, "error.answerLetter", fe.Quoted(), fe.Item+1)
	}
}

// postedPrediction reads the prediction field: nil when it is empty (the saved one stays),
// or the rule it breaks.
func postedPrediction(c *gin.Context) (*int64, *exam.PredictionError) {
	s := strings.TrimSpace(c.PostForm("prediction"))
	if s == "" {
		return nil, nil
	}
	p, err := exam.ParsePrediction(s)
	if err != nil {
		// Its errors are *exam.PredictionError; anything else reads as a format problem.
		pe := &exam.PredictionError{Code: exam.CodePredictionFormat}
		errors.As(err, &pe)
		return nil, pe
	}
	return &p, nil
}

// saveAnswers records answers as one goes. A prediction the rules refuse does not hold
// back the answers posted with it: the page saves the prediction as it is typed, so a
// half-typed or mistyped one is common. The script gets 200 with the problem in
// prediction_error (the person's language) and prediction_code; without the script the
// exam comes back (422) with the problem next to the field.
func (a *App) saveAnswers(c *gin.Context) {
	ctx := c.Request.Context()
	me, id, answers, ok := a.postedAttempt(c)
	if !ok {
		return
	}
	prediction, perr := postedPrediction(c)
	if perr != nil {
		a.metrics.refused("invalid_prediction")
	}
	deadline, err := a.attempts.Save(ctx, id, me, answers, prediction)
	if err != nil {
		a.attemptRefused(c, id, err)
		return
	}
	if wantsJSON(c) {
		reply := gin.H{"saved": len(answers), "deadline": deadline.UTC().Format(time.RFC3339)}
		if perr != nil {
			reply["prediction_error"] = a.translatorFor(c).T(perr.Code)
			reply["prediction_code"] = perr.Code
		}
		c.JSON(http.StatusOK, reply)
		return
	}
	if perr != nil {
		at, round, b, ok := a.attemptOf(c)
		if !ok {
			return
		}
		a.showExam(c, http.StatusUnprocessableEntity, at, round, b, a.translatorFor(c).T("error.fixBelow"),
			refusedPredictionOf(c, perr))
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d", id))
}

// attemptRefused answers a refused save or submit with the rule that refused it.
func (a *App) attemptRefused(c *gin.Context, id int64, err error) {
	var refused *attempt.RefusedError
	switch {
	case errors.Is(err, attempt.ErrNotFound):
		a.fail(c, http.StatusNotFound, "error.attemptNotFound")
	case errors.As(err, &refused):
		a.metrics.refused(refused.Reason)
		switch refused.Reason {
		case attempt.RefusedDeadline:
			a.fail(c, http.StatusConflict, "error.deadline")
		case attempt.RefusedFinished:
			a.fail(c, http.StatusConflict, "error.finished")
		default:
			a.fail(c, http.StatusUnprocessableEntity, "error.invalidAnswer")
		}
	default:
		a.internal(c, err)
	}
}

func (a *App) submitAttempt(c *gin.Context) {
	ctx := c.Request.Context()
	me, id, answers, ok := a.postedAttempt(c)
	if !ok {
		return
	}
	prediction, perr := exam.ParsePrediction(c.PostForm("prediction"))
	if perr != nil {
		// Keep what was chosen, then show the exam again with the prediction's problem.
		if _, err := a.attempts.Save(ctx, id, me, answers, nil); err != nil {
			a.attemptRefused(c, id, err)
			return
		}
		at, round, b, ok := a.attemptOf(c)
		if !ok {
			return
		}
		var pe *exam.PredictionError
		if !errors.As(perr, &pe) {
			a.internal(c, perr)
			return
		}
		a.metrics.refused("invalid_prediction")
		if wantsJSON(c) {
			a.fail(c, http.StatusUnprocessableEntity, pe.Code)
			return
		}
		a.showExam(c, http.StatusUnprocessableEntity, at, round, b, a.translatorFor(c).T("error.fixBelow"),
			refusedPredictionOf(c, pe))
		return
	}
	at, outcome, err := a.attempts.Submit(ctx, id, me, answers, prediction)
	if err != nil {
		a.attemptRefused(c, id, err)
		return
	}
	if outcome == attempt.Submitted {
		if round, err := a.findRoundByKey(ctx, at.Round); err == nil {
			a.metrics.submitted.WithLabelValues(round.Name).Inc()
		}
	}
	if wantsJSON(c) {
		c.JSON(http.StatusOK, gin.H{"correct": at.Correct, "total": at.Total, "result": fmt.Sprintf("/attempts/%d/result", at.ID)})
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d/result", at.ID))
}

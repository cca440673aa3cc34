package webapp

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/exam"
)

type revealedItem struct {
	Question exam.ShownQuestion
	Chosen   string
	Correct  string
	Right    bool
	// Corrected: the committee corrected this question's key; AnyAccepted: any option
	// chosen counts as right.
	Corrected   bool
	AnyAccepted bool
}

// adjustment says that key corrections changed the attempt's score, from Old to New.
// Questions (their numbers in this paper) are named only when the answers may be shown:
// before, naming the question would tell whether one's answer to it is now right.
type adjustment struct {
	Old, New  int
	Questions string
}

type resultData struct {
	Attempt  *attempt.Attempt
	Round    *contestv1alpha1.ContestRound
	Expired  bool
	Left     int
	CanStart bool
	// Reveal says whether correct answers may be shown now, by the round's policy and the
	// database clock; Policy explains a hidden key.
	Reveal bool
	Policy contestv1alpha1.RevealPolicy
	Items  []revealedItem
	// Adjusted is set when key corrections changed the score.
	Adjusted *adjustment
}

func (a *App) resultPage(c *gin.Context) {
	ctx := c.Request.Context()
	at, round, b, ok := a.attemptOf(c)
	if !ok {
		return
	}
	if !at.Finished() {
		if at.Now.Before(at.Deadline) {
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/attempts/%d", at.ID))
			return
		}
		if _, err := a.attempts.Expire(ctx, at.ID); err != nil {
			a.internal(c, err)
			return
		}
		closed, err := a.attempts.Get(ctx, at.ID, at.ContestantID)
		if err != nil {
			a.internal(c, err)
			return
		}
		at = &closed
	}
	// Not the whole list: no index starts with contestant_id, so it reads the whole attempt
	// table (or the whole of its unique key), and every submit lands on this page.
	used, rescored, err := a.attempts.Standing(ctx, at)
	if err != nil {
		a.internal(c, err)
		return
	}
	d := resultData{Attempt: at, Round: round, Expired: at.Status == attempt.StatusExpired,
		Left: max(0, int(round.Spec.Exam.AttemptsAllowed())-used), Policy: round.Spec.Exam.RevealPolicy()}
	d.CanStart = d.Left > 0 && at.Now.Before(round.Spec.ClosesAt.Time) && !round.Spec.Suspend
	if d.Reveal, err = a.revealAllowed(ctx, round, at); err != nil {
		a.internal(c, err)
		return
	}
	if d.Reveal {
		shown, err := at.Paper.Render(b)
		if err != nil {
			a.internal(c, err)
			return
		}
		scored, err := a.attempts.Review(ctx, at)
		if err != nil {
			a.internal(c, err)
			return
		}
		for i, q := range shown {
			it := scored.PerItem[i]
			d.Items = append(d.Items, revealedItem{Question: q, Chosen: it.Chosen, Correct: it.CorrectOption, Right: it.IsCorrect,
				Corrected: it.Corrected, AnyAccepted: it.AnyAccepted})
		}
	}
	if rescored {
		if d.Adjusted, err = a.adjustment(c, at, d.Reveal); err != nil {
			a.internal(c, err)
			return
		}
	}
	v := a.newView(c, a.translatorFor(c).T("result.title", at.No), d)
	a.render(c, http.StatusOK, "result", v)
}

// adjustment reads what key corrections changed of a finished attempt's score.
func (a *App) adjustment(c *gin.Context, at *attempt.Attempt, reveal bool) (*adjustment, error) {
	adjs, err := a.attempts.Adjustments(c.Request.Context(), at.ID)
	if err != nil || len(adjs) == 0 || at.Correct == nil || adjs[0].Old == *at.Correct {
		return nil, err
	}
	adj := &adjustment{Old: adjs[0].Old, New: *at.Correct}
	if reveal {
		var numbers []string
		for _, ad := range adjs {
			for i, it := range at.Paper.Items {
				if n := strconv.Itoa(i + 1); it.QuestionID == ad.QuestionID && !slices.Contains(numbers, n) {
					numbers = append(numbers, n)
				}
			}
		}
		adj.Questions = strings.Join(numbers, ", ")
	}
	return adj, nil
}

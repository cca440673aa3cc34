package webapp

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Account recovery for contestants who forgot their password (docs/web.md, "Account
// recovery"). The request form answers the same, in the same time, whether or not an account
// matches: it runs the guards, hands the work to the background (delivery.go) and says "if
// an account matches, we sent…". Email carries a link, SMS a code typed on /recover/code,
// which is exchanged for a link; the link's page sets the new password and signs the person
// in. Every secret is single-use, expires, and dies when the password changes.
const (
	linkTTL = 30 * time.Minute
	codeTTL = 10 * time.Minute
	// chooseTTL is how long the link a checked code is exchanged for lasts: the person is
	// on the page already.
	chooseTTL = 15 * time.Minute
	// maxCodeTries is how many times one code may be typed, right or wrong.
	maxCodeTries = 5

	// A target (a login or an address typed in the form) may be asked for targetLimit
	// times an hour, whether or not it exists, so the limit tells nothing.
	targetLimit = 3
	// A network may ask networkLimit times an hour; from networkFree on, its challenge is
	// harder (people behind one address forget passwords too, but not by the hundred).
	networkLimit = 30
	networkFree  = 5
	// One person is sent at most sendsPerHour and sendsPerDay messages per channel,
	// however the requests named them.
	sendsPerHour = 3
	sendsPerDay  = 6
	// codeTriesPerLogin bounds the codes typed for one login in codeTriesWindow, whether or
	// not it has a code.
	codeTriesPerLogin = 10
	codeTriesWindow   = 15 * time.Minute
	// emailAccounts is how many accounts one email address reaches (a family may share
	// one address).
	emailAccounts = 3
	// maxRecoveryLogin bounds what the form's login field may hold (an email address).
	maxRecoveryLogin = person.MaxEmailLength
)

func (a *App) recoveryRoutes(g *gin.RouterGroup) {
	g.GET("/recover", a.recoverForm)
	g.POST("/recover", a.recoverRequest)
	g.GET("/recover/code", a.codeForm)
	g.POST("/recover/code", a.codeCheck)
	g.GET("/recover/reset", a.resetForm)
	g.POST("/recover/reset", a.resetPassword)
}

// recoverData is what the request page shows.
type recoverData struct {
	// Email and SMS say which channels are configured.
	Email, SMS bool
	Channel    string
	Login      string
	// Sent: the request was taken; the page says what happens next instead of the form.
	Sent      bool
	Helpdesk  string
	Challenge challenge
}

func (a *App) recoverData(channel, login string, ch challenge) recoverData {
	d := recoverData{Email: a.cfg.Mailer != nil, SMS: a.cfg.SMS != nil, Channel: channel, Login: login,
		Helpdesk: a.cfg.HelpdeskContact, Challenge: ch}
	if d.Channel == "" {
		// Everyone registered a phone; an email address was optional.
		d.Channel = store.ChannelEmail
		if d.SMS {
			d.Channel = store.ChannelSMS
		}
	}
	if len(d.Login) > maxRecoveryLogin {
		d.Login = ""
	}
	return d
}

func (a *App) showRecover(c *gin.Context, status int, d recoverData, pageError, notice string) {
	v := a.newView(c, a.translatorFor(c).T("recovery.title"), d)
	v.Error, v.Notice = pageError, notice
	a.render(c, status, "recover", v)
}

func (a *App) recoverForm(c *gin.Context) {
	ch, err := a.recoverChallenge(c)
	if err != nil {
		// The counters cannot be read: the base difficulty; the request reads them again.
		ch = a.newChallenge(a.cfg.ChallengeBits)
	}
	a.showRecover(c, http.StatusOK, a.recoverData("", "", ch), "", "")
}

// recoveryCounters are the counters a request is judged by: its target, its network, and
// the network's failures and registrations (guard.go).
func recoveryCounters(channel, target, net string) []store.Counter {
	return []store.Counter{
		{Key: store.CounterKey("recover-"+channel, target), Window: time.Hour},
		{Key: store.CounterKey("recover-net", net), Window: time.Hour},
		netFailCounter(net), netRegCounter(net),
	}
}

// recoveryExtra is how many bits above the base a network's request challenge needs.
func recoveryExtra(requests, failures, registrations int) int {
	return min(maxExtraBits, networkExtra(failures, registrations)+doublings(requests, networkFree))
}

func (a *App) recoverChallenge(c *gin.Context) (challenge, error) {
	counts, err := store.Counts(c.Request.Context(), a.cfg.Pool, recoveryCounters("", "", clientNet(c))[1:]...)
	if err != nil {
		return challenge{}, err
	}
	return a.newChallenge(a.cfg.ChallengeBits + recoveryExtra(counts[0], counts[1], counts[2])), nil
}

// recoveryTarget reads the form's login: an email address (email only) or a phone or
// national ID, normalized as the sign-in does.
func recoveryTarget(typed, channel string) (target, problem string) {
	typed = strings.TrimSpace(typed)
	if typed == "" || len(typed) > maxRecoveryLogin {
		return "", "recovery.error.login"
	}
	if strings.Contains(typed, "@") {
		if channel != store.ChannelEmail {
			return "", "recovery.error.smsLogin"
		}
		email, fe := person.NormalizeEmail(typed)
		if fe != nil {
			return "", "recovery.error.email"
		}
		return strings.ToLower(email), ""
	}
	return normalizeLogin(typed), ""
}

func (a *App) recoverRequest(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	channel, typed := c.PostForm("channel"), c.PostForm("login")
	show := func(status int, msg string, ch challenge) {
		a.showRecover(c, status, a.recoverData(channel, typed, ch), msg, "")
	}
	fresh := func() challenge {
		ch, err := a.recoverChallenge(c)
		if err != nil {
			return a.newChallenge(a.cfg.ChallengeBits)
		}
		return ch
	}
	switch {
	case a.cfg.Mailer == nil && a.cfg.SMS == nil:
		a.metrics.refused("recovery_off")
		show(http.StatusUnprocessableEntity, tr.T("recovery.helpdesk.only"), challenge{})
		return
	case channel == store.ChannelEmail && a.cfg.Mailer != nil, channel == store.ChannelSMS && a.cfg.SMS != nil:
	default:
		a.metrics.refused("recovery_channel")
		channel = ""
		show(http.StatusUnprocessableEntity, tr.T("recovery.error.channel"), fresh())
		return
	}
	target, problem := recoveryTarget(typed, channel)
	if problem != "" {
		a.metrics.refused("recovery_login")
		show(http.StatusUnprocessableEntity, tr.T(problem), fresh())
		return
	}

	// The guards, as the sign-in's (signin_guard.go): read the counters, check the
	// challenge, then count, then decide — concurrent requests cannot all pass a check made
	// before any of them was counted.
	counters := recoveryCounters(channel, target, clientNet(c))
	counts, err := store.Counts(ctx, a.cfg.Pool, counters...)
	if err != nil {
		a.internal(c, err)
		return
	}
	extra := recoveryExtra(counts[1], counts[2], counts[3])
	need := a.cfg.ChallengeBits + extra
	if r := a.recoveryLimited(counts[0], counts[1], need); r != nil {
		r.answer(a, c, func(err error) { a.internal(c, err) }, show)
		return
	}
	ans := challengeAnswer{token: c.PostForm("challenge"), work: c.PostForm("work"), digits: c.PostForm("digits")}
	ch, err := a.parseChallenge(ans.token)
	if err == nil {
		err = a.checkChallenge(ctx, ch, ans, need-1, extra)
	}
	if err != nil {
		a.challengeRefusal(c, err, need).answer(a, c, func(err error) { a.internal(c, err) }, show)
		return
	}
	var after [2]int
	for i := range after {
		if after[i], err = store.Count(ctx, a.cfg.Pool, counters[i]); err != nil {
			a.internal(c, err)
			return
		}
	}
	if r := a.recoveryLimited(after[0]-1, after[1]-1, need); r != nil {
		r.answer(a, c, func(err error) { a.internal(c, err) }, show)
		return
	}

	a.recovery.metrics.requests.WithLabelValues(channel).Inc()
	a.deliver(c, delivery{channel: channel, target: target, lang: c.GetString("lang"), title: a.contestTitle(c)})
	if channel == store.ChannelSMS {
		a.showCode(c, http.StatusOK, codeData{Login: typed}, "", tr.T("recovery.sent.sms", codeDigits, int(codeTTL.Minutes())))
		return
	}
	d := a.recoverData(channel, "", challenge{})
	d.Sent = true
	a.showRecover(c, http.StatusOK, d, "", tr.T("recovery.sent.email", int(linkTTL.Minutes())))
}

// recoveryLimited refuses a request beyond its target's or its network's hourly limit;
// targetTries and netTries are the requests before this one.
func (a *App) recoveryLimited(targetTries, netTries, need int) *refusal {
	switch {
	case targetTries >= targetLimit:
		a.metrics.refused("recovery_target_limit")
		return &refusal{status: http.StatusTooManyRequests, code: "recovery.error.targetLimit", retryAfter: int(time.Hour.Seconds()), bits: need}
	case netTries >= networkLimit:
		a.metrics.refused("recovery_network_limit")
		return &refusal{status: http.StatusTooManyRequests, code: "recovery.error.networkLimit", retryAfter: int(time.Hour.Seconds()), bits: need}
	}
	return nil
}

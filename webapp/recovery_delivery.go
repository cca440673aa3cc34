package webapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dxcontest/contest-platform/internal/locale"
	"github.com/dxcontest/contest-platform/internal/notify"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
)

const (
	// maxDeliveries bounds the messages being prepared and sent at once by one replica;
	// beyond it a request is dropped (counted and logged), its answer unchanged.
	maxDeliveries = 64
	// deliveryTimeout bounds one request's lookups, records and sending.
	deliveryTimeout = time.Minute
	// defaultSMSPerHour bounds the codes all replicas send by SMS in an hour (each costs
	// money): a flood of requests for real numbers stops there.
	defaultSMSPerHour = 600
)

// recovery is the web app's account recovery state: its metrics and the deliveries in
// flight.
type recovery struct {
	metrics *recoveryMetrics
	slots   chan struct{}
	wg      sync.WaitGroup
	email   *template.Template
}

type recoveryMetrics struct {
	requests, sent, failed, resets *prometheus.CounterVec
	skipped                        *prometheus.CounterVec
}

func newRecovery(reg prometheus.Registerer) (*recovery, error) {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	}
	m := &recoveryMetrics{
		requests: counter("contest_recovery_requests_total", "Password reset requests that passed the guards, by channel.", "channel"),
		sent:     counter("contest_recovery_sent_total", "Reset messages handed to the SMTP server or the SMS gateway, by channel.", "channel"),
		failed:   counter("contest_recovery_failed_total", "Reset messages that could not be sent (server or gateway refused, timed out), by channel.", "channel"),
		skipped: counter("contest_recovery_skipped_total",
			"Reset requests that sent nothing, by channel and reason (no_account, no_email, person_limit, hourly_limit, busy).", "channel", "reason"),
		resets: counter("contest_recovery_resets_total", "Passwords changed through a reset, by the channel of the secret used.", "channel"),
	}
	for _, c := range []prometheus.Collector{m.requests, m.sent, m.failed, m.skipped, m.resets} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	email, err := template.New("email_reset.html").ParseFS(embedded, "templates/email_reset.html")
	if err != nil {
		return nil, fmt.Errorf("parse the reset email: %w", err)
	}
	return &recovery{metrics: m, slots: make(chan struct{}, maxDeliveries), email: email}, nil
}

// checkRecoveryConfig checks the recovery settings when New builds the app.
func checkRecoveryConfig(cfg *Config) error {
	if cfg.Mailer != nil && cfg.PublicURL == "" {
		return errors.New("webapp: reset emails need PublicURL (--public-url), the address people open the site at: a link never takes the request's Host")
	}
	// Checked whenever set: share previews and the banner kit write it too.
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("webapp: public URL %q: want an absolute http(s) address without query, e.g. https://thi.example.gov.vn", cfg.PublicURL)
		}
		cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	}
	if cfg.SMSPerHour == 0 {
		cfg.SMSPerHour = defaultSMSPerHour
	}
	if cfg.SMSText != "" && !strings.Contains(cfg.SMSText, "{code}") {
		return errors.New("webapp: the SMS text must contain {code}")
	}
	return nil
}

// delivery is a request that passed the guards, for the background to serve.
type delivery struct {
	channel string
	// target is the normalized login or the lower-case email address typed.
	target    string
	lang      string
	title     string
	requestID string
}

// deliver serves d in the background, so that the answer does not wait for the lookups or
// the mail server and takes the same time whether or not an account matches.
func (a *App) deliver(c *gin.Context, d delivery) {
	d.requestID = c.GetString("requestID")
	select {
	case a.recovery.slots <- struct{}{}:
	default:
		a.recovery.metrics.skipped.WithLabelValues(d.channel, "busy").Inc()
		a.log(c).Warn("recovery: too many messages in flight; request dropped", "channel", d.channel)
		return
	}
	a.recovery.wg.Add(1)
	go func() {
		defer a.recovery.wg.Done()
		defer func() { <-a.recovery.slots }()
		log := a.cfg.Logger.With("request_id", d.requestID, "channel", d.channel)
		defer func() {
			if r := recover(); r != nil {
				a.recovery.metrics.failed.WithLabelValues(d.channel).Inc()
				log.Error("recovery: panic", "panic", fmt.Sprint(r))
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), deliveryTimeout)
		defer cancel()
		var err error
		if d.channel == store.ChannelEmail {
			err = a.deliverEmail(ctx, log, d)
		} else {
			err = a.deliverSMS(ctx, log, d)
		}
		if err != nil {
			a.recovery.metrics.failed.WithLabelValues(d.channel).Inc()
			log.Error("recovery: not sent", "err", err)
		}
	}()
}

// WaitDeliveries waits until the reset messages in flight are sent or given up, or ctx
// ends (shutdown).
func (a *App) WaitDeliveries(ctx context.Context) error {
	done := make(chan struct{})
	go func() { a.recovery.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// withinSends counts a message to a person on a channel and says whether it stays within
// the per-person limits.
func (a *App) withinSends(ctx context.Context, channel string, contestantID int64) (bool, error) {
	id := strconv.FormatInt(contestantID, 10)
	for _, l := range []struct {
		window time.Duration
		limit  int
	}{{time.Hour, sendsPerHour}, {24 * time.Hour, sendsPerDay}} {
		n, err := store.Count(ctx, a.cfg.Pool, store.Counter{Key: store.CounterKey("recover-send-"+channel, id), Window: l.window})
		if err != nil {
			return false, err
		}
		if n > l.limit {
			return false, nil
		}
	}
	return true, nil
}

func (a *App) deliverEmail(ctx context.Context, log *slog.Logger, d delivery) error {
	var people []store.Contestant
	if strings.Contains(d.target, "@") {
		var err error
		if people, err = store.ContestantsByEmail(ctx, a.cfg.Pool, a.cfg.ContestID, d.target, emailAccounts); err != nil {
			return err
		}
	} else {
		ct, err := store.ContestantByLogin(ctx, a.cfg.Pool, a.cfg.ContestID, d.target)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return err
		case ct.Email == "":
			a.recovery.metrics.skipped.WithLabelValues(d.channel, "no_email").Inc()
			log.Info("recovery: the account has no email address", "contestant", ct.ID)
			return nil
		default:
			people = []store.Contestant{ct}
		}
	}
	if len(people) == 0 {
		a.recovery.metrics.skipped.WithLabelValues(d.channel, "no_account").Inc()
		return nil
	}
	var errs []error
	for _, p := range people {
		ok, err := a.withinSends(ctx, d.channel, p.ID)
		if err != nil {
			return err
		}
		if !ok {
			a.recovery.metrics.skipped.WithLabelValues(d.channel, "person_limit").Inc()
			log.Info("recovery: person's limit reached", "contestant", p.ID)
			continue
		}
		token, err := a.issueLink(ctx, p.ID, store.ChannelEmail, linkTTL)
		if err != nil {
			return err
		}
		msg, err := a.resetEmail(p, d.title, token)
		if err != nil {
			return err
		}
		if err := a.cfg.Mailer.Send(ctx, msg); err != nil {
			errs = append(errs, fmt.Errorf("email to %s (contestant %d): %w", person.MaskEmail(p.Email), p.ID, err))
			continue
		}
		a.recovery.metrics.sent.WithLabelValues(d.channel).Inc()
		log.Info("recovery: email sent", "contestant", p.ID, "to", person.MaskEmail(p.Email))
	}
	return errors.Join(errs...)
}

func (a *App) deliverSMS(ctx context.Context, log *slog.Logger, d delivery) error {
	ct, err := store.ContestantByLogin(ctx, a.cfg.Pool, a.cfg.ContestID, d.target)
	if errors.Is(err, store.ErrNotFound) {
		a.recovery.metrics.skipped.WithLabelValues(d.channel, "no_account").Inc()
		return nil
	}
	if err != nil {
		return err
	}
	ok, err := a.withinSends(ctx, d.channel, ct.ID)
	if err != nil {
		return err
	}
	if !ok {
		a.recovery.metrics.skipped.WithLabelValues(d.channel, "person_limit").Inc()
		log.Info("recovery: person's limit reached", "contestant", ct.ID)
		return nil
	}
	n, err := store.Count(ctx, a.cfg.Pool, store.Counter{Key: store.CounterKey("recover-sms-all"), Window: time.Hour})
	if err != nil {
		return err
	}
	if n > a.cfg.SMSPerHour {
		a.recovery.metrics.skipped.WithLabelValues(d.channel, "hourly_limit").Inc()
		log.Warn("recovery: the hourly SMS limit is reached", "limit", a.cfg.SMSPerHour)
		return nil
	}
	code, _, err := a.issueCode(ctx, a.cfg.Pool, ct.ID, store.ChannelSMS, "", codeTTL)
	if err != nil {
		return err
	}
	if err := a.cfg.SMS.Send(ctx, ct.Phone, a.smsText(d.lang, code)); err != nil {
		return fmt.Errorf("SMS to %s (contestant %d): %w", person.MaskPhone(ct.Phone), ct.ID, err)
	}
	a.recovery.metrics.sent.WithLabelValues(d.channel).Inc()
	log.Info("recovery: SMS sent", "contestant", ct.ID, "to", person.MaskPhone(ct.Phone))
	return nil
}

// smsText is the SMS: the configured text (a provider sends only templates registered
// with it) or the catalog's, in the language of the page the request came from.
func (a *App) smsText(lang, code string) string {
	text := a.cfg.SMSText
	if text == "" {
		text = locale.T(lang, "recovery.sms")
	}
	return strings.NewReplacer("{code}", code, "{minutes}", strconv.Itoa(int(codeTTL.Minutes()))).Replace(text)
}

// emailBlock is one language's part of the reset email.
type emailBlock struct {
	translator
	Lang string
}

type emailData struct {
	Name, Account, Title, Link string
	Minutes                    int
	Blocks                     []emailBlock
}

// resetEmail writes the reset email to p: Vietnamese first, then English, as plain text
// and as simple HTML, with the link to choose a new password.
func (a *App) resetEmail(p store.Contestant, title, token string) (notify.Email, error) {
	subject := locale.T(locale.Vietnamese, "recovery.email.subject")
	if title != "" {
		subject += " — " + title
	} else {
		title = a.cfg.PublicURL
	}
	d := emailData{Name: p.FullName, Account: person.MaskPhone(p.Phone), Title: title,
		Link: a.cfg.PublicURL + "/recover/reset?token=" + token, Minutes: int(linkTTL.Minutes())}
	for _, lang := range locale.Languages() {
		d.Blocks = append(d.Blocks, emailBlock{translator: translator{lang: lang, loc: a.loc}, Lang: lang})
	}
	var text strings.Builder
	for i, b := range d.Blocks {
		if i > 0 {
			text.WriteString("\n-----\n\n")
		}
		fmt.Fprintf(&text, "%s\n\n%s\n\n%s\n%s\n\n%s\n\n%s\n%s\n",
			b.T("recovery.email.greeting", d.Name), b.T("recovery.email.intro", d.Account, d.Title),
			b.T("recovery.email.action", d.Minutes), d.Link, b.T("recovery.email.ignore"),
			b.T("footer.organizer"), b.T("recovery.email.auto"))
	}
	var html bytes.Buffer
	if err := a.recovery.email.Execute(&html, d); err != nil {
		return notify.Email{}, fmt.Errorf("write the reset email: %w", err)
	}
	return notify.Email{To: p.Email, Subject: subject, Text: text.String(), HTML: html.String()}, nil
}

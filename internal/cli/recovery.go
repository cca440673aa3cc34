package cli

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/dxcontest/contest-platform/internal/notify"
	"github.com/dxcontest/contest-platform/webapp"
)

// The secrets of account recovery come from the environment only (Kubernetes Secrets): a
// flag would show in the pod's spec and in ps.
const (
	smtpURLEnv      = "CONTEST_SMTP_URL"
	smtpPasswordEnv = "CONTEST_SMTP_PASSWORD"
	smsTokenEnv     = "CONTEST_SMS_TOKEN"
)

// recoveryFlags are `contest web`'s settings for account recovery (docs/operations.md,
// "Account recovery"); each flag's default is read from the environment variable named in
// its help, so the chart may set either.
type recoveryFlags struct {
	publicURL, helpdesk, smtpFrom                  *string
	smsURL, smsMethod, smsHeader, smsType, smsBody *string
	smsBrandname, smsSuccess, smsText              *string
	smsTimeout                                     *time.Duration
	smsPerHour                                     *int
}

func addRecoveryFlags(fs *flag.FlagSet) *recoveryFlags {
	env := func(name, flagName, help string) *string {
		return fs.String(flagName, os.Getenv(name), help+" (env "+name+")")
	}
	r := &recoveryFlags{
		publicURL:    env("CONTEST_PUBLIC_URL", "public-url", "the address people open the site at, e.g. https://thi.example.gov.vn: the base of links in reset emails, link previews and the banner kit"),
		helpdesk:     env("CONTEST_HELPDESK_CONTACT", "helpdesk-contact", "how contestants reach the organizers for help, shown on the recovery pages, e.g. \"Văn phòng Sở TTTT, 0252 3xxx xxx\""),
		smtpFrom:     env("CONTEST_SMTP_FROM", "smtp-from", "sender of reset emails, e.g. \"Ban Tổ chức <no-reply@example.gov.vn>\"; email is on when "+smtpURLEnv+" is set"),
		smsURL:       env("CONTEST_SMS_URL", "sms-url", "the SMS provider's API URL (placeholders {phone} {phone84} {message} {brandname} {id}); SMS is on when set"),
		smsMethod:    env("CONTEST_SMS_METHOD", "sms-method", "HTTP method of the SMS API: POST, GET or PUT (default POST)"),
		smsHeader:    env("CONTEST_SMS_AUTH_HEADER", "sms-auth-header", "header carrying the SMS API credential, e.g. Authorization; its value is "+smsTokenEnv),
		smsType:      env("CONTEST_SMS_CONTENT_TYPE", "sms-content-type", "content type of the SMS API's body (default application/json)"),
		smsBody:      env("CONTEST_SMS_BODY", "sms-body", "body template of the SMS API, e.g. {\"to\":\"{phone84}\",\"text\":\"{message}\",\"from\":\"{brandname}\"}"),
		smsBrandname: env("CONTEST_SMS_BRANDNAME", "sms-brandname", "the brandname registered with the SMS provider"),
		smsSuccess:   env("CONTEST_SMS_SUCCESS", "sms-success", "regular expression the SMS API's answer must match to count as sent (besides HTTP 2xx)"),
		smsText:      env("CONTEST_SMS_TEXT", "sms-text", "the SMS's text as registered with the provider, with {code} and {minutes} (default: the built-in text, without diacritics)"),
	}
	r.smsTimeout = fs.Duration("sms-timeout", 10*time.Second, "how long one SMS API request may take")
	r.smsPerHour = fs.Int("sms-per-hour", 600, "most reset codes sent by SMS per hour, all replicas together")
	return r
}

// recoverySettings are the checked settings, for the app's configuration.
type recoverySettings struct {
	mailer                      *notify.SMTP
	sms                         *notify.HTTPGateway
	publicURL, helpdesk, smsTxt string
	smsPerHour                  int
}

// settings checks the flags and the environment, before anything is started.
func (r *recoveryFlags) settings() (recoverySettings, error) {
	s := recoverySettings{publicURL: *r.publicURL, helpdesk: *r.helpdesk, smsTxt: *r.smsText, smsPerHour: *r.smsPerHour}
	if raw := os.Getenv(smtpURLEnv); raw != "" {
		if *r.smtpFrom == "" {
			return s, fmt.Errorf("%s is set but not the sender: give --smtp-from (or CONTEST_SMTP_FROM)", smtpURLEnv)
		}
		m, err := notify.ParseSMTPURL(raw, os.Getenv(smtpPasswordEnv), *r.smtpFrom)
		if err != nil {
			return s, fmt.Errorf("%s: %w", smtpURLEnv, err)
		}
		if *r.publicURL == "" {
			return s, fmt.Errorf("%s is set but not the site's address for the links: give --public-url (or CONTEST_PUBLIC_URL)", smtpURLEnv)
		}
		s.mailer = m
	}
	if *r.smsURL != "" {
		g, err := notify.NewHTTPGateway(notify.GatewayConfig{URL: *r.smsURL, Method: *r.smsMethod, AuthHeader: *r.smsHeader,
			Token: os.Getenv(smsTokenEnv), ContentType: *r.smsType, Body: *r.smsBody, Brandname: *r.smsBrandname,
			Success: *r.smsSuccess, Timeout: *r.smsTimeout})
		if err != nil {
			return s, err
		}
		s.sms = g
	}
	if *r.smsPerHour < 1 {
		return s, fmt.Errorf("--sms-per-hour %d: at least 1", *r.smsPerHour)
	}
	return s, nil
}

// set puts the settings into the app's configuration.
func (s recoverySettings) set(cfg *webapp.Config) {
	if s.mailer != nil {
		cfg.Mailer = s.mailer
	}
	if s.sms != nil {
		cfg.SMS = s.sms
	}
	cfg.PublicURL, cfg.HelpdeskContact, cfg.SMSText, cfg.SMSPerHour = s.publicURL, s.helpdesk, s.smsTxt, s.smsPerHour
}

// logRecovery says at start which recovery channels are on (without credentials).
func logRecovery(logger *slog.Logger, cfg webapp.Config) {
	email := "off"
	if m, ok := cfg.Mailer.(fmt.Stringer); ok {
		email = m.String()
	}
	logger.Info("account recovery", "email", email, "sms", cfg.SMS != nil, "helpdesk_contact", cfg.HelpdeskContact != "")
}

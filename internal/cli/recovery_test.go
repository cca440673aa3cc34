package cli

import (
	"strings"
	"testing"
)

// Bad account recovery settings stop `contest web` before it connects to anything, with a
// message that says what to fix and never repeats a secret.
func TestWebRefusesBadRecoverySettings(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"SMTP without sender", map[string]string{smtpURLEnv: "smtp://u:bi-mat@mail.example.gov.vn"}, nil, "--smtp-from"},
		{"SMTP without public URL", map[string]string{smtpURLEnv: "smtp://u:bi-mat@mail.example.gov.vn"}, []string{"--smtp-from", "no-reply@example.gov.vn"}, "--public-url"},
		{"SMTP URL", map[string]string{smtpURLEnv: "http://u:bi-mat@mail.example.gov.vn"}, []string{"--smtp-from", "no-reply@example.gov.vn"}, "scheme"},
		{"credentials in clear", map[string]string{smtpURLEnv: "smtp://u:bi-mat@relay:25?tls=none"}, []string{"--smtp-from", "no-reply@example.gov.vn"}, "never sent without TLS"},
		{"SMS without the message", map[string]string{"CONTEST_SMS_URL": "https://sms.example.vn/send?to={phone}"}, nil, "{message}"},
		{"SMS token without header", map[string]string{smsTokenEnv: "bi-mat"}, []string{"--sms-url", "https://sms.example.vn/send?to={phone}&text={message}"}, "auth header"},
		{"SMS per hour", nil, []string{"--sms-per-hour", "0"}, "--sms-per-hour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(secretKeyEnv, strings.Repeat("s", 40))
			t.Setenv(databaseURLEnv, "postgres://nobody@127.0.0.1:1/none")
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			code, _, stderr := runCLI(t, append([]string{"web"}, c.args...)...)
			if code != ExitUsage || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d, stderr %q; want usage error with %q", code, stderr, c.want)
			}
			if strings.Contains(stderr, "bi-mat") {
				t.Errorf("the message shows a secret: %s", stderr)
			}
		})
	}
}

package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/store"
)

func runHashPasswordWith(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = adminCommandWith(strings.NewReader(stdin)).Run(context.Background(), append([]string{"hash-password"}, args...),
		IO{Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

func TestAdminHashPassword(t *testing.T) {
	code, stdout, stderr := runHashPasswordWith("mat khau ban to chuc\n")
	if code != ExitOK || !strings.HasPrefix(stdout, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Count(stdout, "\n") != 1 {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "mat khau") {
		t.Error("the password is printed")
	}
	// A fresh salt each time: the same password never gives the same line.
	if _, again, _ := runHashPasswordWith("mat khau ban to chuc\n"); again == stdout {
		t.Error("two hashes of one password are equal")
	}

	for _, c := range []struct{ stdin, want string }{
		{"", "no password on standard input"},
		{"\n", "no password on standard input"},
		{"short\n", "at least 12 characters"},
	} {
		if code, stdout, stderr := runHashPasswordWith(c.stdin); code != ExitUsage || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("stdin %q: code %d, stdout %q, stderr %q; want %q", c.stdin, code, stdout, stderr, c.want)
		}
	}
	if code, stdout, _ := runHashPasswordWith("", "--help"); code != ExitOK || !strings.Contains(stdout, adminPasswordHashEnv) {
		t.Errorf("help: %d %q", code, stdout)
	}
	if _, stdout, _ := runCLI(t, "--help"); !strings.Contains(stdout, "  admin ") {
		t.Errorf("contest --help does not list admin: %q", stdout)
	}
}

// Accounts made, listed, changed and disabled from the command line, each change in the
// audit log with the person who ran the command.
func TestAdminAccountCommands(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	t.Setenv(databaseURLEnv, dsn)
	ctx := context.Background()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"admin", "create", "--username", "Bad Name", "--role", "admin"}, "username"},
		{[]string{"admin", "create", "--username", "thu.ky", "--role", "root"}, "unknown role"},
		{[]string{"admin", "set-role", "thu.ky"}, "give the username and the role"},
	} {
		if code, _, stderr := runCLI(t, c.args...); code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: code %d, stderr %q", c.args, code, stderr)
		}
	}
	code, stdout, stderr := runCLI(t, "admin", "create", "--username", "thu.ky", "--role", "editor")
	m := regexp.MustCompile(`one-time password: ([a-z2-9-]{19})`).FindStringSubmatch(stdout)
	if code != ExitOK || m == nil {
		t.Fatalf("create: %d %q %q", code, stdout, stderr)
	}
	o, err := store.OrganizerByUsername(ctx, pool, "thu.ky")
	if err != nil || o.Role != "editor" || !o.MustChangePassword || o.Source != store.SourceCLI {
		t.Fatalf("stored: %+v %v", o, err)
	}
	if ok, _ := password.Check(o.PasswordHash, m[1]); !ok {
		t.Error("the printed password does not open the account")
	}
	if code, _, stderr := runCLI(t, "admin", "create", "--username", "thu.ky", "--role", "viewer"); code != ExitError || !strings.Contains(stderr, "exists") {
		t.Errorf("the same username again: %d %q", code, stderr)
	}
	steps := [][]string{{"admin", "set-role", "thu.ky", "admin"}, {"admin", "disable", "thu.ky"}, {"admin", "enable", "thu.ky"}, {"admin", "reset-password", "thu.ky"}}
	for _, args := range steps {
		if code, stdout, stderr := runCLI(t, args...); code != ExitOK {
			t.Fatalf("%v: %d %q %q", args, code, stdout, stderr)
		}
	}
	if code, stdout, _ := runCLI(t, "admin", "list"); code != ExitOK || !strings.Contains(stdout, "thu.ky") || !strings.Contains(stdout, "one-time password") {
		t.Errorf("list: %d %q", code, stdout)
	}
	if code, _, stderr := runCLI(t, "admin", "disable", "nobody"); code != ExitError || !strings.Contains(stderr, "not found") {
		t.Errorf("disable a missing account: %d %q", code, stderr)
	}
	var actions []string
	_ = store.StreamAudit(ctx, pool, store.AuditFilter{}, func(e store.AuditEntry) error {
		if !strings.HasPrefix(e.Actor, "cli") || e.Target != "thu.ky" {
			t.Errorf("entry %+v", e)
		}
		actions = append(actions, e.Action)
		return nil
	})
	if got := strings.Join(actions, " "); got != "account.create account.role account.disable account.enable account.reset" {
		t.Errorf("audit log: %s", got)
	}
}

// The accounts the Secret lists follow it at every start; a bad entry stops the start
// with the account and what is wrong.
func TestProvisionAccountsFromTheSecret(t *testing.T) {
	_, pool := migratedDatabase(t)
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	h1, h2 := password.Hash("mat-khau-mot-dai-du"), password.Hash("mat-khau-hai-dai-du")
	provision := func(accounts, user, hash string) error {
		t.Setenv(consoleAccountsEnv, accounts)
		t.Setenv(adminUsernameEnv, user)
		t.Setenv(adminPasswordHashEnv, hash)
		return provisionAccounts(ctx, pool, logger)
	}
	if err := provision(`[{"username":"bto","role":"editor","passwordHash":"`+h1+`"}]`, "quan.tri", h2); err != nil {
		t.Fatal(err)
	}
	for user, role := range map[string]string{"bto": "editor", "quan.tri": "admin"} {
		if o, err := store.OrganizerByUsername(ctx, pool, user); err != nil || o.Role != role || o.Source != store.SourceSecret || !o.Active() {
			t.Errorf("%s: %+v %v", user, o, err)
		}
	}
	// Dropped from the Secret: disabled. Role changed in the Secret: follows.
	if err := provision(`[{"username":"bto","role":"viewer","passwordHash":"`+h1+`"}]`, "", ""); err != nil {
		t.Fatal(err)
	}
	if o, _ := store.OrganizerByUsername(ctx, pool, "quan.tri"); o.Active() {
		t.Error("an account dropped from the Secret is still enabled")
	}
	if o, _ := store.OrganizerByUsername(ctx, pool, "bto"); o.Role != "viewer" {
		t.Errorf("role after the Secret changed: %s", o.Role)
	}
	var n int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE actor = 'secret'`).Scan(&n)
	if n != 4 { // bto and quan.tri created, bto updated, quan.tri disabled
		t.Errorf("%d audit entries from the Secret, want 4", n)
	}
	for _, c := range []struct{ accounts, user, hash, want string }{
		{`not json`, "", "", "JSON list"},
		{`[{"username":"Bad Name","role":"admin","passwordHash":"` + h1 + `"}]`, "", "", "username"},
		{`[{"username":"bto","role":"owner","passwordHash":"` + h1 + `"}]`, "", "", "unknown role"},
		{`[{"username":"bto","role":"admin","passwordHash":"plain"}]`, "", "", "argon2id"},
		{`[{"username":"bto","role":"admin","passwordHash":"` + h1 + `"},{"username":"bto","role":"viewer","passwordHash":"` + h1 + `"}]`, "", "", "twice"},
		{``, "quan.tri", "", "both"},
	} {
		if err := provision(c.accounts, c.user, c.hash); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q %q: %v, want %q", c.accounts, c.user, err, c.want)
		}
	}
}

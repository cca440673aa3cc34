package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/password"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Environment variables of the organizer accounts a Kubernetes Secret provides: a JSON list
// of accounts, and the older single account (username and hash), which is an admin.
const (
	consoleAccountsEnv   = "CONTEST_CONSOLE_ACCOUNTS"
	adminUsernameEnv     = "CONTEST_ADMIN_USERNAME"
	adminPasswordHashEnv = "CONTEST_ADMIN_PASSWORD_HASH"
)

// maxPasswordInput bounds what the password commands read from a pipe.
const maxPasswordInput = 4096

// adminCommand reads passwords from the process's standard input.
func adminCommand() Command { return adminCommandWith(os.Stdin) }

func adminCommandWith(stdin io.Reader) Command {
	return groupCommand("admin", "Manage the organizer console's accounts.", []Command{
		{Name: "create", Summary: "Create an organizer account and print its one-time password.", Run: runAdminCreate},
		{Name: "list", Summary: "List the organizer accounts.", Run: runAdminList},
		{Name: "disable", Summary: "Disable an organizer account: its sessions end at once.", Run: adminChange("disable")},
		{Name: "enable", Summary: "Enable a disabled organizer account again.", Run: adminChange("enable")},
		{Name: "set-role", Summary: "Change an organizer account's role (viewer, editor, admin).", Run: adminChange("role")},
		{Name: "reset-password", Summary: "Give an organizer account a new one-time password and print it.", Run: adminChange("reset")},
		{Name: "hash-password", Summary: hashPasswordSummary, Run: func(ctx context.Context, args []string, out IO) int {
			return runHashPassword(args, stdin, out)
		}},
	})
}

// cliActor names who acts from the command line in the audit log.
func cliActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}

func runAdminCreate(ctx context.Context, args []string, out IO) int {
	const cmd = "admin create"
	fs := newFlagSet(cmd, "Create an organizer account and print its one-time password.", out)
	username := fs.String("username", "", "the account's username (3–64 lower-case letters, digits, '.', '-', '_')")
	role := fs.String("role", "", "viewer (statistics, downloads), editor (banks, units, eligibility, helpdesk, publishing, re-ranking) or admin (also accounts and the audit log)")
	dsn := databaseFlag(fs)
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	r, err := organizer.ParseRole(*role)
	if err == nil {
		err = organizer.CheckUsername(*username)
	}
	if err != nil {
		fmt.Fprintf(out.Stderr, "contest %s: %v\n", cmd, err)
		return ExitUsage
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()
	pw := organizer.OneTimePassword()
	err = store.InTx(ctx, pool, func(tx store.Querier) error {
		o, err := store.CreateOrganizer(ctx, tx, store.Organizer{Username: *username, Role: string(r), PasswordHash: password.Hash(pw),
			MustChangePassword: true, Source: store.SourceCLI, CreatedBy: cliActor()})
		if err != nil {
			return err
		}
		return auditCLI(ctx, tx, organizer.ActionAccountCreate, o.Username, nil, o)
	})
	if err != nil {
		return fail(out, cmd, err)
	}
	fmt.Fprintf(out.Stdout, "created %s (%s)\none-time password: %s\nGive it to its owner in person; it must be replaced at the first sign-in at /console.\n", *username, r, pw)
	return ExitOK
}

func auditCLI(ctx context.Context, q store.Querier, action, target string, before, after any) error {
	e := store.AuditEntry{Actor: cliActor(), Action: action, Target: target}
	var err error
	if e.Before, err = encodeJSON(before); err != nil {
		return err
	}
	if e.After, err = encodeJSON(after); err != nil {
		return err
	}
	return store.AppendAudit(ctx, q, e)
}

// adminChange is a command that changes one account.
func adminChange(action string) func(ctx context.Context, args []string, out IO) int {
	return func(ctx context.Context, args []string, out IO) int {
		cmd := "admin " + map[string]string{"disable": "disable", "enable": "enable", "role": "set-role", "reset": "reset-password"}[action]
		fs := newFlagSet(cmd, "Change an organizer account.", out)
		fs.Usage = func() {
			usage := "contest " + cmd + " USERNAME"
			if action == "role" {
				usage += " ROLE"
			}
			fmt.Fprintf(fs.Output(), "Usage:\n  %s\n\nFlags:\n", usage)
			fs.PrintDefaults()
		}
		dsn := databaseFlag(fs)
		rest, code, done := parseFlagsAndArgs(fs, args, out)
		if done {
			return code
		}
		want := 1
		if action == "role" {
			want = 2
		}
		if len(rest) != want {
			fmt.Fprintf(out.Stderr, "contest %s: give the username%s\n", cmd, map[bool]string{true: " and the role", false: ""}[action == "role"])
			return ExitUsage
		}
		var change store.OrganizerChange
		var oneTime string
		switch action {
		case "disable":
			change.Disable = true
		case "enable":
			change.Enable = true
		case "role":
			r, err := organizer.ParseRole(rest[1])
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest %s: %v\n", cmd, err)
				return ExitUsage
			}
			s := string(r)
			change.Role = &s
		case "reset":
			oneTime = organizer.OneTimePassword()
			h := password.Hash(oneTime)
			change.PasswordHash, change.MustChange = &h, true
		}
		pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
		if !ok {
			return code
		}
		defer pool.Close()
		err := store.InTx(ctx, pool, func(tx store.Querier) error {
			before, after, err := store.ChangeOrganizer(ctx, tx, rest[0], change)
			if err != nil {
				return err
			}
			return auditCLI(ctx, tx, "account."+action, rest[0], before, after)
		})
		if err != nil {
			return fail(out, cmd, err)
		}
		if oneTime != "" {
			fmt.Fprintf(out.Stdout, "%s: one-time password: %s\n", rest[0], oneTime)
		} else {
			fmt.Fprintf(out.Stdout, "%s: done\n", rest[0])
		}
		return ExitOK
	}
}

func runAdminList(ctx context.Context, args []string, out IO) int {
	const cmd = "admin list"
	fs := newFlagSet(cmd, "List the organizer accounts.", out)
	dsn := databaseFlag(fs)
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	pool, code, ok := openDatabase(ctx, cmd, *dsn, out)
	if !ok {
		return code
	}
	defer pool.Close()
	list, err := store.ListOrganizers(ctx, pool)
	if err != nil {
		return fail(out, cmd, err)
	}
	w := tabwriter.NewWriter(out.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tROLE\tSTATUS\tSOURCE\tCREATED BY\tLAST SIGN-IN")
	for _, o := range list {
		status := "enabled"
		switch {
		case !o.Active():
			status = "disabled"
		case o.MustChangePassword:
			status = "one-time password"
		}
		last := "never"
		if o.LastSignInAt != nil {
			last = o.LastSignInAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", o.Username, o.Role, status, o.Source, o.CreatedBy, last)
	}
	return boolExit(w.Flush() == nil)
}

func boolExit(ok bool) int {
	if ok {
		return ExitOK
	}
	return ExitError
}

const hashPasswordSummary = "Read an organizer password from standard input and print its hash, for the accounts listed in the chart's Secret."

func runHashPassword(args []string, stdin io.Reader, out IO) int {
	const cmd = "admin hash-password"
	fs := newFlagSet(cmd, hashPasswordSummary, out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage:\n  printf '%%s' \"$PASSWORD\" | contest admin hash-password\n  contest admin hash-password   (asks twice on a terminal, without echo)\n\n"+
			"Put the printed line in the chart's admin.accounts (passwordHash), or in the Secret as %s with the username as %s.\n",
			hashPasswordSummary, adminPasswordHashEnv, adminUsernameEnv)
	}
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	pw, err := readPassword(stdin, out.Stderr)
	if err == nil {
		err = organizer.CheckPassword(pw)
	}
	if err != nil {
		fmt.Fprintf(out.Stderr, "contest %s: %v\n", cmd, err)
		return ExitUsage
	}
	fmt.Fprintln(out.Stdout, password.Hash(pw))
	return ExitOK
}

// readPassword asks twice without echo on a terminal; from a pipe it reads the first line
// (a trailing line end is not part of the password, other spaces are).
func readPassword(stdin io.Reader, prompt io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Organizer password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		fmt.Fprint(prompt, "Repeat it: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("the two passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, maxPasswordInput)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("no password on standard input: pipe it in, e.g. printf '%s' \"$PASSWORD\" | contest admin hash-password")
	}
	return line, nil
}

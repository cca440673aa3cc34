package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/dxcontest/contest-platform/webapp"
)

// Environment variables of the organizer console's account (a Kubernetes Secret).
const (
	adminUsernameEnv     = "CONTEST_ADMIN_USERNAME"
	adminPasswordHashEnv = "CONTEST_ADMIN_PASSWORD_HASH"
)

// maxPasswordInput bounds what hash-password reads from a pipe.
const maxPasswordInput = 4096

// adminCommand reads passwords from the process's standard input.
func adminCommand() Command { return adminCommandWith(os.Stdin) }

func adminCommandWith(stdin io.Reader) Command {
	return groupCommand("admin", "Set up the organizer console's account.", []Command{
		{Name: "hash-password", Summary: hashPasswordSummary, Run: func(ctx context.Context, args []string, out IO) int {
			return runHashPassword(args, stdin, out)
		}},
	})
}

const hashPasswordSummary = "Read the organizer password from standard input and print its hash for " + adminPasswordHashEnv + "."

func runHashPassword(args []string, stdin io.Reader, out IO) int {
	const cmd = "admin hash-password"
	fs := newFlagSet(cmd, hashPasswordSummary, out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage:\n  printf '%%s' \"$PASSWORD\" | contest admin hash-password\n  contest admin hash-password   (asks twice on a terminal, without echo)\n\n"+
			"Put the printed line in the Secret as %s, with the username as %s.\n", hashPasswordSummary, adminPasswordHashEnv, adminUsernameEnv)
	}
	if code, done := parseFlags(fs, args, out); done {
		return code
	}
	password, err := readPassword(stdin, out.Stderr)
	if err != nil {
		fmt.Fprintf(out.Stderr, "contest %s: %v\n", cmd, err)
		return ExitUsage
	}
	hash, err := webapp.HashConsolePassword(password)
	if err != nil {
		fmt.Fprintf(out.Stderr, "contest %s: %v\n", cmd, err)
		return ExitUsage
	}
	fmt.Fprintln(out.Stdout, hash)
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

package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIContext(context.Background(), args...)
}

func runCLIContext(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Run(ctx, args, IO{Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"help lists the commands", []string{"--help"}, ExitOK, "migrate", ""},
		{"help word", []string{"help"}, ExitOK, "Commands:", ""},
		{"no command", nil, ExitUsage, "", "Usage:"},
		{"unknown command", []string{"frobnicate"}, ExitUsage, "", `unknown command "frobnicate"`},
		{"command help", []string{"migrate", "--help"}, ExitOK, "-database-url", ""},
		{"unknown flag", []string{"migrate", "--bogus"}, ExitUsage, "", "flag provided but not defined: -bogus"},
		{"stray argument", []string{"migrate", "now"}, ExitUsage, "", `unexpected argument "now"`},
		{"manager help", []string{"manager", "--help"}, ExitOK, "-leader-elect", ""},
		{"manager without concurrency", []string{"manager", "--max-concurrent-reconciles", "0"}, ExitUsage, "", "must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(databaseURLEnv, "")
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout %q lacks %q", stdout, tt.wantStdout)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.wantStderr)
			}
		})
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	_, stdout, _ := runCLI(t, "--help")
	for _, c := range Commands() {
		if !strings.Contains(stdout, "  "+c.Name+" ") || !strings.Contains(stdout, c.Summary) {
			t.Errorf("help does not list %s: %q", c.Name, stdout)
		}
	}
}

func TestMigrate(t *testing.T) {
	t.Run("needs a database", func(t *testing.T) {
		t.Setenv(databaseURLEnv, "")
		code, _, stderr := runCLI(t, "migrate")
		if code != ExitUsage || !strings.Contains(stderr, "no database given") {
			t.Fatalf("code %d, stderr %q", code, stderr)
		}
	})
	t.Run("unreachable database", func(t *testing.T) {
		code, _, stderr := runCLI(t, "migrate", "--database-url", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
		if code != ExitError || !strings.Contains(stderr, "contest migrate:") {
			t.Fatalf("code %d, stderr %q", code, stderr)
		}
	})
	t.Run("help does not print the secret DSN", func(t *testing.T) {
		t.Setenv(databaseURLEnv, "postgres://admin:s3cret@db/contest")
		_, stdout, stderr := runCLI(t, "migrate", "--help")
		if strings.Contains(stdout+stderr, "s3cret") {
			t.Fatalf("help shows the DSN: %q", stdout+stderr)
		}
	})
	t.Run("applies then reports up to date, DSN from the environment", func(t *testing.T) {
		t.Setenv(databaseURLEnv, pgtest.Empty(t))
		code, stdout, stderr := runCLI(t, "migrate")
		if code != ExitOK || !strings.Contains(stdout, "applied migration 0001 initial") {
			t.Fatalf("first run: code %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		code, stdout, _ = runCLI(t, "migrate")
		if code != ExitOK || !strings.Contains(stdout, "up to date") {
			t.Fatalf("second run: code %d, stdout %q", code, stdout)
		}
	})
}

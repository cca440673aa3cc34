package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
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

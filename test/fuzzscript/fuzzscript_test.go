// Package fuzzscript checks hack/fuzz.sh, which `make fuzz` and CI run: it must fail on a
// finding and go on past Go's end-of-fuzztime deadline race (golang/go#75804) only when
// the target's saved inputs all pass. The script runs on a small tree of its own, with a
// stand-in for `go` that plays each outcome, so the test is fast and needs no fuzzing.
package fuzzscript

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeGo plays `go test`: a -fuzz run of $FAKE_TARGET ends as $FAKE_OUTCOME says (race:
// saves an input and prints only the deadline; finding: a test's message and a saved input),
// other -fuzz runs pass; a replay (-count=1) of the target passes unless $FAKE_REPLAY=fail.
// Every call is logged in calls.log.
const fakeGo = `#!/usr/bin/env bash
echo "$*" >> "$FAKE_DIR/calls.log"
pkg=${!#}
if [ "$2" = -run ] && [ "$3" = '^$' ]; then
  name=${5#^}; name=${name%\$}
  if [ "$name" != "$FAKE_TARGET" ]; then echo "ok $pkg"; exit 0; fi
  mkdir -p "$pkg/testdata/fuzz/$name"
  echo 'go test fuzz v1' > "$pkg/testdata/fuzz/$name/feedface"
  case "$FAKE_OUTCOME" in
  race) printf -- '--- FAIL: %s (15.05s)\n    context deadline exceeded\nFAIL\n' "$name" ;;
  finding) printf -- '--- FAIL: %s (0.01s)\n    --- FAIL: %s (0.00s)\n        x_test.go:9: boom\n\n    Failing input written to testdata/fuzz/%s/feedface\nFAIL\n' "$name" "$name" "$name" ;;
  esac
  exit 1
fi
if [ "$2" = -count=1 ]; then [ "$FAKE_REPLAY" = fail ] && { echo FAIL; exit 1; }; echo ok; exit 0; fi
echo "unexpected call: $*" >&2; exit 2
`

type run struct {
	ok    bool
	out   string
	calls []string
	dir   string
}

func fuzzScript(t *testing.T, outcome, replay string) run {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join(root, "hack", "fuzz.sh"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, text string, mode os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("hack/fuzz.sh", string(script), 0o755)
	write("fakego", fakeGo, 0o755)
	write("a/x_test.go", "package a\n\nfunc FuzzA(f *testing.F) {}\n", 0o644)
	write("b/x_test.go", "package b\n\nfunc FuzzB(f *testing.F) {}\n", 0o644)
	cmd := exec.Command("bash", filepath.Join(dir, "hack", "fuzz.sh"))
	cmd.Env = append(os.Environ(), "GO="+filepath.Join(dir, "fakego"), "FAKE_DIR="+dir,
		"FAKE_TARGET=FuzzA", "FAKE_OUTCOME="+outcome, "FAKE_REPLAY="+replay, "FUZZTIME=1s")
	out, err := cmd.CombinedOutput()
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatal(err)
	}
	calls, _ := os.ReadFile(filepath.Join(dir, "calls.log"))
	return run{ok: err == nil, out: string(out), calls: strings.Split(strings.TrimSpace(string(calls)), "\n"), dir: dir}
}

func (r run) saved() bool {
	_, err := os.Stat(filepath.Join(r.dir, "a", "testdata", "fuzz", "FuzzA", "feedface"))
	return err == nil
}

func TestFuzzScript(t *testing.T) {
	t.Run("the deadline race with a passing corpus goes on, without the input", func(t *testing.T) {
		r := fuzzScript(t, "race", "pass")
		if !r.ok || r.saved() || len(r.calls) != 3 || !strings.Contains(r.calls[1], "-count=1 -run ^FuzzA$ ./a") || !strings.Contains(r.calls[2], "FuzzB") {
			t.Fatalf("ok %v, input kept %v, calls %q\n%s", r.ok, r.saved(), r.calls, r.out)
		}
	})
	t.Run("the deadline race with a failing input is a finding", func(t *testing.T) {
		r := fuzzScript(t, "race", "fail")
		if r.ok || !r.saved() || len(r.calls) != 2 || !strings.Contains(r.out, "a real finding") {
			t.Fatalf("ok %v, input kept %v, calls %q\n%s", r.ok, r.saved(), r.calls, r.out)
		}
	})
	t.Run("a failing input is a finding, not replayed", func(t *testing.T) {
		r := fuzzScript(t, "finding", "pass")
		if r.ok || !r.saved() || len(r.calls) != 1 {
			t.Fatalf("ok %v, input kept %v, calls %q\n%s", r.ok, r.saved(), r.calls, r.out)
		}
	})
}

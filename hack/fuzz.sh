#!/usr/bin/env bash
# Fuzzes every fuzz target (func FuzzXxx in a _test.go file) one after another, for
# FUZZTIME each (go test -fuzztime), and fails on the first real finding.
#
# A real finding is an input that fails the target: go test saves it under the package's
# testdata/fuzz/FuzzXxx/, where every later `go test` runs it. Go's fuzzing coordinator also
# fails a target with a bare "context deadline exceeded" when -fuzztime ends while a worker
# is busy (golang/go#75804, unfixed in Go 1.26), sometimes saving the in-flight input,
# which passes. So a failure whose output says only that is checked by running the target
# again on its whole corpus (no fuzzing, no deadline): if every saved input passes, it was
# the race, the input it saved is removed and the run goes on; otherwise it is a finding.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-15s}
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-2s}
GO=${GO:-go}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

targets=$(grep -rHo --include='*_test.go' --exclude-dir=bin --exclude-dir=tmp --exclude-dir=.git '^func Fuzz[A-Za-z0-9_]*' . | sort)
races=0
while IFS=: read -r file fn; do
  name=${fn#func }
  pkg=$(dirname "$file")
  corpus="$pkg/testdata/fuzz/$name"
  echo "== $name in $pkg for $FUZZTIME"
  before=$(ls "$corpus" 2>/dev/null || true)
  if "$GO" test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" "$pkg" 2>&1 | tee "$out"; then
    continue
  fi
  # Anything besides the coordinator's deadline (a test's own message, a panic, a saved
  # input named as failing) is a finding.
  if ! grep -q '^    context deadline exceeded$' "$out" ||
    grep -q -e 'Failing input written' -e '^panic:' -e '_test\.go:[0-9]*:' "$out"; then
    exit 1
  fi
  echo "== $name: the fuzzer stopped with Go's deadline race (golang/go#75804); replaying its corpus"
  if ! "$GO" test -count=1 -run "^$name\$" "$pkg"; then
    echo "== $name: an input in $corpus fails: a real finding" >&2
    exit 1
  fi
  for f in $(ls "$corpus" 2>/dev/null || true); do
    if ! grep -qxF "$f" <<<"$before"; then
      echo "== $name: removing $corpus/$f, saved by the race and passing"
      rm -f "$corpus/$f"
    fi
  done
  rmdir "$corpus" "$pkg/testdata/fuzz" "$pkg/testdata" 2>/dev/null || true
  races=$((races + 1))
done <<<"$targets"
echo "== fuzzing done; $races target(s) stopped by Go's deadline race and passed their corpus"

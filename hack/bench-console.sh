#!/usr/bin/env bash
# bench-console.sh: the organizer statistics benchmarks at 1,000,000 attempts (docs/BENCHMARKS.md,
# "Organizer statistics at 1,000,000 attempts"), (1) to (5) in order, against one throwaway
# PostgreSQL so the generated round is built once (about a minute) and copied for each. Their
# output goes to the terminal and to $work/console-bench.txt; the figures are copied into the
# document by hand (each benchmark reports its own units). About 30 minutes; wants a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/contest-bench-console.XXXXXX")
eval "$(hack/pg.sh start)"
export CONTEST_TEST_DSN CONTEST_PG_DIR # CONTEST_PG_DIR: the benchmarks read PostgreSQL's CPU
trap 'hack/pg.sh stop "$CONTEST_PG_DIR" >/dev/null 2>&1 || true' EXIT
run() { echo "== bench-console: $*" | tee -a "$work/console-bench.txt"; "$@" 2>&1 | tee -a "$work/console-bench.txt"; }
run go test -run '^$' -bench RoundStats1M -benchtime 5x -timeout 60m ./internal/store/
run go test -run '^$' -bench Report1M -benchtime 1x -timeout 60m ./internal/report/
run go test -run '^$' -bench 'Console1M$' -benchtime 20x -timeout 60m ./webapp/
run go test -run '^$' -bench ConsoleReport1M -benchtime 3x -timeout 60m ./webapp/
for i in 1 2 3; do
  CONTEST_BENCH_FLOW_SECONDS=${CONTEST_BENCH_FLOW_SECONDS:-180} \
    run go test -run '^$' -bench ContestantsWithOrganizers -benchtime 1x -timeout 60m ./webapp/
done
echo "== bench-console: done; output kept in $work/console-bench.txt"

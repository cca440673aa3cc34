#!/usr/bin/env bash
# make bench: measures the whole contestant journey on this machine and writes the figures
# into docs/BENCHMARKS.md (the section between the "make bench" markers; a rerun replaces it).
#
#   1. a throwaway PostgreSQL (hack/pg.sh: fsync and synchronous_commit on), two databases:
#      one for pgbench, one for the web app;
#   2. the SQL of one exam flow recorded from the app itself (contest loadtest pgbench-script)
#      and run by pgbench, as many clients as the app's pool has connections;
#   3. contest web on a rounds file, and contest loadtest run against it: registration,
#      sign-in, the exam flow (closed model), the synchronized start;
#   steps 2 and 3 alternate, three runs each; every figure is the median of the three.
#
# BENCH_MODE=quick (fewer people, shorter phases) is a smoke test; BENCH_MODE=full (the
# default) is the measurement, and wants a quiet machine: the app, PostgreSQL, pgbench and the
# load tool share its cores. BENCH_NOTE adds a sentence to the section (e.g. that the machine
# was busy); BENCH_DOC names another file to write; BENCH_KEEP=1 keeps the work directory
# (reports, logs, the pgbench script).
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD

mode=${BENCH_MODE:-full}
runs=${BENCH_RUNS:-3}
doc=${BENCH_DOC:-docs/BENCHMARKS.md}
case "$mode" in
  quick)
    people=200 register=20 concurrency=16 duration=10s burst=200 burst_window=2s flow_rounds=3
    pgbench_tx=100 ;;
  full)
    people=5000 register=200 concurrency=32 duration=60s burst=5000 burst_window=10s flow_rounds=2
    pgbench_tx=2500 ;;
  *) echo "bench: BENCH_MODE is quick or full, not $mode" >&2; exit 2 ;;
esac
# pgxpool's default pool is max(4, CPUs) connections; pgbench gets as many clients.
conns=$(nproc); [ "$conns" -lt 4 ] && conns=4

log() { printf '\n== bench: %s\n' "$*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/contest-bench.XXXXXX")
web_pid=""
cleanup() {
  local code=$?
  if [ -n "$web_pid" ]; then kill "$web_pid" 2>/dev/null || true; wait "$web_pid" 2>/dev/null || true; fi
  if [ -n "${CONTEST_PG_DIR:-}" ]; then "$here/hack/pg.sh" stop "$CONTEST_PG_DIR"; fi
  if [ "$code" -ne 0 ] || [ "${BENCH_KEEP:-}" = 1 ]; then
    echo "bench: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

log "building contest"
go build -o "$work/contest" .
contest="$work/contest"

log "PostgreSQL"
eval "$("$here/hack/pg.sh" start)"
pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
pgbench=$pg_bin/pgbench
[ -x "$pgbench" ] || pgbench=$(command -v pgbench) || { echo "bench: pgbench not found (Debian's postgresql package has it)" >&2; exit 1; }
psql() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 "$CONTEST_TEST_DSN" "$@"; }
for s in fsync synchronous_commit; do
  v=$(psql -tAc "SHOW $s")
  [ "$v" = on ] || { echo "bench: PostgreSQL has $s=$v; the figures need it on" >&2; exit 1; }
done
psql -c 'CREATE DATABASE bench_pgbench' -c 'CREATE DATABASE bench_load'
dsn_of() { echo "${CONTEST_TEST_DSN/\/postgres\?//$1?}"; }
pg_dsn=$(dsn_of bench_pgbench)
load_dsn=$(dsn_of bench_load)
postmaster=$(head -n 1 "$CONTEST_PG_DIR/data/postmaster.pid")

log "data: $((runs * conns * pgbench_tx)) people for pgbench, $((runs * people)) for the load tool"
"$contest" migrate --database-url "$pg_dsn" >/dev/null
"$contest" migrate --database-url "$load_dsn" >/dev/null
"$contest" loadtest prepare --database-url "$pg_dsn" --people $((runs * conns * pgbench_tx))
rounds=()
for i in $(seq 1 "$runs"); do
  for r in $(seq 1 "$flow_rounds"); do rounds+=(--round "run$i-flow$r"); done
  rounds+=(--round "run$i-burst")
done
"$contest" loadtest prepare --database-url "$load_dsn" --people $((runs * people)) --rounds-file "$work/rounds.yaml" "${rounds[@]}" --open-for 6h

log "recording the SQL of one flow from the app"
"$contest" loadtest pgbench-script --database-url "$pg_dsn" --out "$work/flow.pgbench"

log "contest web"
: >"$work/web.log" # exists before the loop below reads it, however the shell schedules the job
CONTEST_SECRET_KEY=$(head -c 48 /dev/urandom | base64 -w0) CONTEST_DATABASE_URL="$load_dsn&pool_max_conns=$conns" \
  "$contest" web --listen 127.0.0.1:0 --namespace bench --rounds-file "$work/rounds.yaml" --secure-cookies=false \
  --trusted-proxy 127.0.0.1 --drain-delay 0s >"$work/web.log" 2>&1 &
web_pid=$!
addr=""
for _ in $(seq 1 100); do
  addr=$(sed -n 's/.*"msg":"serving","addr":"\([^"]*\)".*/\1/p' "$work/web.log")
  [ -n "$addr" ] && break
  kill -0 "$web_pid" 2>/dev/null || { cat "$work/web.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$addr" ] || { echo "bench: contest web did not start" >&2; cat "$work/web.log" >&2; exit 1; }

loads=() pgbenches=()
for i in $(seq 1 "$runs"); do
  log "run $i of $runs: pgbench, $conns clients × $pgbench_tx flows"
  "$contest" loadtest pgbench --database-url "$pg_dsn" --pgbench "$pgbench" --script "$work/flow.pgbench" \
    --first $(((i - 1) * conns * pgbench_tx)) --clients "$conns" --jobs "$conns" --transactions "$pgbench_tx" \
    --postgres-pid "$postmaster" --json "$work/pgbench-$i.json"
  pgbenches+=(--pgbench "$work/pgbench-$i.json")

  log "run $i of $runs: the load tool against contest web at $addr"
  run_rounds=()
  for r in $(seq 1 "$flow_rounds"); do run_rounds+=(--round "run$i-flow$r"); done
  "$contest" loadtest run --url "http://$addr" --namespace bench "${run_rounds[@]}" --burst-round "run$i-burst" \
    --people-from $(((i - 1) * people)) --people "$people" --register-from $((900000 + (i - 1) * register)) --register "$register" \
    --concurrency "$concurrency" --model closed --duration "$duration" --burst "$burst" --burst-window "$burst_window" \
    --forwarded-for --dsn "$load_dsn" --watch "app=$web_pid" --watch-tree "postgres=$postmaster" \
    --json "$work/load-$i.json"
  loads+=(--load "$work/load-$i.json")
done

notes=()
if [ "$mode" = quick ]; then
  notes+=(--note "**Quick mode** (\`BENCH_MODE=quick\`: $people people, $duration of flows, a burst of $burst): a smoke test of \`make bench\`, not figures to quote.")
fi
if [ -n "${BENCH_NOTE:-}" ]; then notes+=(--note "$BENCH_NOTE"); fi
label=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || label="$label with uncommitted changes"
"$contest" loadtest summarize --doc "$doc" --label "$label" "${loads[@]}" "${pgbenches[@]}" "${notes[@]}"
log "done: $doc"

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for development and tests.
#
#   hack/pg.sh start          starts one (temp dir, free loopback port, fsync on) and prints
#                             shell assignments: CONTEST_PG_DIR=... CONTEST_TEST_DSN=...
#   hack/pg.sh init           only creates a cluster (temp dir, initdb) for a caller that runs
#                             the server itself, and prints CONTEST_PG_DIR=... PG_BIN=...
#   hack/pg.sh stop DIR       stops it and removes its directory
#
# PostgreSQL refuses to run as root, so as root the server runs as the postgres user.
# Debian's postgresql package is installed when no server binaries are found.
set -euo pipefail

log() { printf 'pg.sh: %s\n' "$*" >&2; }

find_bindir() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then echo "$PG_BIN"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
}

ensure_postgres() {
  local bindir
  bindir=$(find_bindir)
  if [ -z "$bindir" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      log "PostgreSQL server binaries not found; install Debian's postgresql package (or set PG_BIN)"
      exit 1
    fi
    log "installing Debian's postgresql package"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bindir=$(find_bindir)
  fi
  [ -n "$bindir" ] || { log "PostgreSQL still not found after install"; exit 1; }
  echo "$bindir"
}

# as_owner runs a command as the cluster's owner: postgres when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  log "no free port found"; exit 1
}

# init_cluster sets bindir and dir: a new cluster in a temp directory, owned by its owner.
init_cluster() {
  bindir=$(ensure_postgres)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/contest-pg.XXXXXX")
  chmod 0755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; log "initdb failed"; exit 1; }
}

init() {
  local bindir dir
  init_cluster
  echo "CONTEST_PG_DIR=$dir"
  echo "PG_BIN=$bindir"
}

start() {
  local bindir dir port
  init_cluster
  for attempt in 1 2 3; do
    port=$(free_port)
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300 -c shared_buffers=256MB" \
      start >/dev/null 2>&1; then
      echo "CONTEST_PG_DIR=$dir"
      echo "CONTEST_TEST_DSN=postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
      log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
      return
    fi
    log "start on port $port failed (attempt $attempt)"; tail -n 5 "$dir/server.log" >&2 || true
  done
  exit 1
}

stop() {
  local dir=${1:?directory printed by start}
  local bindir
  bindir=$(find_bindir)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || log "stop failed; removing anyway"
  fi
  case "$dir" in */contest-pg.*) rm -rf "$dir" ;; *) log "refusing to remove $dir" ;; esac
}

case "${1:-}" in
  start) start ;;
  init) init ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: hack/pg.sh start | init | stop DIR" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Runs a command with CONTEST_TEST_DSN pointing at a throwaway PostgreSQL (started and
# stopped around it). A CONTEST_TEST_DSN already in the environment is used as it is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ -n "${CONTEST_TEST_DSN:-}" ]; then
  exec "$@"
fi
assignments=$("$here/pg.sh" start)
eval "$assignments"
export CONTEST_TEST_DSN CONTEST_PG_DIR
trap '"$here/pg.sh" stop "$CONTEST_PG_DIR"' EXIT
"$@"

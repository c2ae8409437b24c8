#!/usr/bin/env bash
# Cold start, as a newcomer lives it: clone the repository to a temporary folder and time
#   1. `make test` (creates the venv, installs, lints, type-checks, runs every test on SQLite);
#   2. the set-up part of `make run` in a second fresh clone: venv, install, `kotacerdas setup`,
#      `kotacerdas demo`, up to the "KotaCerdas runs at" line printed just before runserver;
#      then also until the server answers /healthz, and stop it.
#
# Usage: bench/cold_setup.sh [--copy PATH]... [REPO]
#   REPO     the repository to clone (default: the one holding this script). Only committed
#            files are cloned.
#   --copy   copy PATH (relative to REPO) from REPO's working tree into each clone, to time
#            uncommitted work, e.g. `--copy bench --copy tests`.
# pip's download cache is used if present; run with PIP_NO_CACHE_DIR=1 for a download-cold figure.
# KOTACERDAS_DATABASE_URL is ignored: both steps use the README's default SQLite database.
set -euo pipefail

copies=()
while [ $# -gt 0 ]; do
  case "$1" in
    --copy) copies+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
REPO=$(cd "${1:-$(dirname "$0")/..}" && git rev-parse --show-toplevel)
unset KOTACERDAS_DATABASE_URL

WORK=$(mktemp -d)
SERVER_PGID=""
cleanup() {
  if [ -n "$SERVER_PGID" ]; then kill -- "-$SERVER_PGID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

fresh_clone() {
  git clone -q "$REPO" "$1"
  for path in "${copies[@]}"; do
    mkdir -p "$1/$(dirname "$path")"
    cp -a "$REPO/$path" "$1/$(dirname "$path")/"
  done
}

echo "--- cold make test (clone of $REPO)"
fresh_clone "$WORK/test"
start=$(now)
set +e
make -C "$WORK/test" test >"$WORK/make-test.log" 2>&1
test_status=$?
set -e
test_seconds=$(since "$start")
tail -n 5 "$WORK/make-test.log"

echo "--- cold set-up of make run (second fresh clone)"
fresh_clone "$WORK/run"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start=$(now)
# Its own process group, so that make, runserver and runserver's reloader child stop together.
setsid make -C "$WORK/run" run HOST="127.0.0.1:$port" >"$WORK/make-run.log" 2>&1 &
SERVER_PGID=$!
setup_seconds=""
serve_seconds=""
for _ in $(seq 1 3000); do  # up to 5 minutes
  if [ -z "$setup_seconds" ] && grep -q "KotaCerdas runs at" "$WORK/make-run.log"; then
    setup_seconds=$(since "$start")
  fi
  if [ -n "$setup_seconds" ] && python3 - "$port" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1).read()
PY
    serve_seconds=$(since "$start")
    break
  fi
  if ! kill -0 "$SERVER_PGID" 2>/dev/null; then break; fi
  sleep 0.1
done
kill -- "-$SERVER_PGID" 2>/dev/null || true
wait "$SERVER_PGID" 2>/dev/null || true
SERVER_PGID=""
grep -E "^(Database ready|Demo|KotaCerdas runs at)" "$WORK/make-run.log" || true

echo "--- results"
echo "cold make test:                        ${test_seconds} s (exit status $test_status)"
if [ -n "$setup_seconds" ]; then
  echo "cold make run set-up, to 'runs at':    ${setup_seconds} s"
  echo "cold make run, to first /healthz 200:  ${serve_seconds:-never} s"
else
  echo "cold make run set-up: failed; its output:"
  tail -n 30 "$WORK/make-run.log"
  exit 1
fi
exit "$test_status"

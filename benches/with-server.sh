#!/usr/bin/env bash
# Runs a benchmark against a release server on a database of its own, then stops it.
#   benches/with-server.sh sqlite|postgres COMMAND ARGS...
# The server's address is appended to COMMAND's arguments. `postgres` makes a fresh
# database on TIENDO_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432) and drops
# it afterwards. Extra server flags may come in TIENDO_BENCH_SERVER_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=$1
shift
port=${TIENDO_BENCH_PORT:-3311}
dir=$(mktemp -d)
database=""
case "$backend" in
  sqlite) url="sqlite://$dir/bench.db" ;;
  postgres)
    server=${TIENDO_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
    database="tiendo_bench_$$"
    psql "$server/postgres" -q -c "CREATE DATABASE $database" >/dev/null
    url="$server/$database"
    ;;
  *) echo "usage: $0 sqlite|postgres COMMAND..." >&2; exit 2 ;;
esac

cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "$database" ] && psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS $database" >/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

# The release as `make run` serves it: its site folder, the style sheet under its hashed name.
# shellcheck disable=SC2086
LEPTOS_SITE_ROOT=target/site-release LEPTOS_HASH_FILES=true \
TIENDO_DATABASE_URL=$url TIENDO_EVIDENCE_DIR=$dir/evidence TIENDO_LOG=warn \
  target/release/tiendo serve --demo --listen "127.0.0.1:$port" --secure-cookies false \
  ${TIENDO_BENCH_SERVER_FLAGS:-} >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.1
done
echo "== $backend"
TIENDO_BENCH_PID=$pid "$@" "http://127.0.0.1:$port"

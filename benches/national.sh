#!/usr/bin/env bash
# The national benchmark: dashboards, my-work and a cascade against the whole country's
# data (`tiendo seed national`), on SQLite and, when TIENDO_BENCH_POSTGRES is set, on
# PostgreSQL. The seeded databases are kept for the next run (target/bench/national.db and
# the PostgreSQL database tiendo_bench_national, by benches/national-db.sh); TIENDO_BENCH_FRESH=1
# seeds them again. The servers run without the reminder sweep (`make bench-sweep` times it).
#   benches/national.sh [sqlite] [postgres]
# TIENDO_BENCH_SCRIPT names the Python script to run against the server (default
# benches/national.py; `make bench` runs benches/load.py) and TIENDO_BENCH_ARGS more
# arguments for it (`make profile` passes --profile); TIENDO_BENCH_BINARY another build of
# the server to run (an earlier one, to compare in one sitting).
set -euo pipefail
cd "$(dirname "$0")/.."
backends=${*:-sqlite postgres}
port=${TIENDO_BENCH_PORT:-3312}
mkdir -p target/bench
binary=${TIENDO_BENCH_BINARY:-target/release/tiendo}

run() {
  local label=$1 url=$2
  local log=target/bench/server-$label.log
  if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
    echo "port $port is taken: stop what runs there or set TIENDO_BENCH_PORT" >&2
    exit 1
  fi
  LEPTOS_SITE_ROOT=target/site-release LEPTOS_HASH_FILES=true \
    TIENDO_DATABASE_URL=$url TIENDO_EVIDENCE_DIR=target/bench/evidence TIENDO_LOG=warn TIENDO_SWEEP_EVERY=0 \
    "$binary" serve --listen "127.0.0.1:$port" --secure-cookies false >"$log" 2>&1 &
  local pid=$!
  trap "kill $pid 2>/dev/null || true" EXIT
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "== $label"
  TIENDO_BENCH_DATABASE_URL=$url TIENDO_BENCH_SERVER_LOG=$log \
    python3 "${TIENDO_BENCH_SCRIPT:-benches/national.py}" "http://127.0.0.1:$port" --pid "$pid" --label "$label" \
    ${TIENDO_BENCH_ARGS:-}
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

for backend in $backends; do
  url=$(benches/national-db.sh "$backend") || continue
  case "$backend" in
    sqlite) run SQLite "$url" ;;
    postgres) run PostgreSQL "$url" ;;
  esac
done

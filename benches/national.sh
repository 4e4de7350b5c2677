#!/usr/bin/env bash
# The national benchmark: dashboards, my-work and a cascade against the whole country's
# data (`tiendo seed national`), on SQLite and, when TIENDO_BENCH_POSTGRES is set, on
# PostgreSQL. The seeded databases are kept for the next run (target/bench/national.db and
# the PostgreSQL database tiendo_bench_national); TIENDO_BENCH_FRESH=1 seeds them again.
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

seed() {
  local url=$1 label=$2
  echo "== seeding the national data set on $label"
  local started=$(date +%s%N)
  TIENDO_DATABASE_URL=$url "$binary" seed national
  local ms=$(( ($(date +%s%N) - started) / 1000000 ))
  echo "seed time on $label: $((ms / 1000)).$(printf %03d $((ms % 1000))) s (wall, the whole command)"
}

run() {
  local label=$1 url=$2
  local log=target/bench/server-$label.log
  if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
    echo "port $port is taken: stop what runs there or set TIENDO_BENCH_PORT" >&2
    exit 1
  fi
  LEPTOS_SITE_ROOT=target/site-release LEPTOS_HASH_FILES=true \
    TIENDO_DATABASE_URL=$url TIENDO_EVIDENCE_DIR=target/bench/evidence TIENDO_LOG=warn \
    "$binary" serve --listen "127.0.0.1:$port" --secure-cookies false >"$log" 2>&1 &
  local pid=$!
  trap "kill $pid 2>/dev/null || true" EXIT
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "== $label"
  TIENDO_BENCH_DATABASE_URL=$url \
    python3 "${TIENDO_BENCH_SCRIPT:-benches/national.py}" "http://127.0.0.1:$port" --pid "$pid" --label "$label" \
    ${TIENDO_BENCH_ARGS:-}
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

for backend in $backends; do
  case "$backend" in
    sqlite)
      file=target/bench/national.db
      if [ -n "${TIENDO_BENCH_FRESH:-}" ]; then rm -f "$file" "$file-wal" "$file-shm"; fi
      if [ ! -f "$file" ]; then seed "sqlite://$file" SQLite; fi
      echo "database size on SQLite: $(du -sh "$file" | cut -f1) ($(stat -c %s "$file") bytes)"
      run SQLite "sqlite://$file"
      ;;
    postgres)
      [ -n "${TIENDO_BENCH_POSTGRES:-}" ] || { echo "== PostgreSQL skipped: TIENDO_BENCH_POSTGRES is not set"; continue; }
      server=$TIENDO_BENCH_POSTGRES
      name=tiendo_bench_national
      if [ -n "${TIENDO_BENCH_FRESH:-}" ]; then
        psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS $name" >/dev/null
      fi
      if ! psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
        psql "$server/postgres" -q -c "CREATE DATABASE $name" >/dev/null
        seed "$server/$name" PostgreSQL
      fi
      echo "database size on PostgreSQL: $(psql "$server/$name" -tAc "SELECT pg_size_pretty(pg_database_size('$name'))")"
      run PostgreSQL "$server/$name"
      ;;
    *) echo "unknown backend $backend" >&2; exit 2 ;;
  esac
done

#!/usr/bin/env bash
# The national data set (`tiendo seed national`) on one backend, seeded on first use and kept
# for the next run: target/bench/national.db, or the PostgreSQL database tiendo_bench_national
# on TIENDO_BENCH_POSTGRES. Prints its URL on stdout (progress goes to stderr); exits 1 when
# the backend is not configured. TIENDO_BENCH_FRESH=1 seeds it again.
#   benches/national-db.sh sqlite|postgres
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${TIENDO_BENCH_BINARY:-target/release/tiendo}
mkdir -p target/bench

seed() {
  local url=$1 label=$2
  echo "== seeding the national data set on $label" >&2
  local started=$(date +%s%N)
  TIENDO_DATABASE_URL=$url "$binary" seed national >&2
  local ms=$(( ($(date +%s%N) - started) / 1000000 ))
  echo "seed time on $label: $((ms / 1000)).$(printf %03d $((ms % 1000))) s (wall, the whole command)" >&2
}

case "${1:-}" in
  sqlite)
    file=target/bench/national.db
    if [ -n "${TIENDO_BENCH_FRESH:-}" ]; then rm -f "$file" "$file-wal" "$file-shm"; fi
    if [ ! -f "$file" ]; then seed "sqlite://$file" SQLite; fi
    echo "database size on SQLite: $(du -sh "$file" | cut -f1) ($(stat -c %s "$file") bytes)" >&2
    echo "sqlite://$file"
    ;;
  postgres)
    [ -n "${TIENDO_BENCH_POSTGRES:-}" ] || { echo "== PostgreSQL skipped: TIENDO_BENCH_POSTGRES is not set" >&2; exit 1; }
    server=$TIENDO_BENCH_POSTGRES
    name=tiendo_bench_national
    if [ -n "${TIENDO_BENCH_FRESH:-}" ]; then
      psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS $name" >/dev/null
    fi
    if ! psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
      psql "$server/postgres" -q -c "CREATE DATABASE $name" >/dev/null
      seed "$server/$name" PostgreSQL
    fi
    echo "database size on PostgreSQL: $(psql "$server/$name" -tAc "SELECT pg_size_pretty(pg_database_size('$name'))")" >&2
    echo "$server/$name"
    ;;
  *) echo "usage: benches/national-db.sh sqlite|postgres" >&2; exit 2 ;;
esac

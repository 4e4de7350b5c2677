#!/usr/bin/env bash
# The reminder sweep on the national data set (1.26 million tasks): on a fresh copy of the
# seeded database, the first sweep ever (it catches up a week), then one sweep a day for the
# following days, then a second sweep on the last day (nothing left to do). Each is one
# `tiendo sweep --today <day>` run; the time printed is the sweep's own (the command also
# opens the database). On SQLite, then on PostgreSQL when TIENDO_BENCH_POSTGRES is set.
#   benches/sweep.sh [sqlite] [postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
backends=${*:-sqlite postgres}
binary=${TIENDO_BENCH_BINARY:-target/release/tiendo}
days=${TIENDO_BENCH_SWEEP_DAYS:-5}
first=$(date -u +%F)

sweeps() {
  local label=$1 url=$2
  echo "== $label"
  for n in $(seq 0 "$days"); do
    local day=$(date -u -d "$first + $n day" +%F)
    echo "-- $day$([ "$n" = 0 ] && echo ' (the first sweep: catches up 7 days)')"
    TIENDO_DATABASE_URL=$url "$binary" sweep --today "$day" | tail -1
  done
  echo "-- $(date -u -d "$first + $days day" +%F) again"
  TIENDO_DATABASE_URL=$url "$binary" sweep --today "$(date -u -d "$first + $days day" +%F)" | tail -1
}

for backend in $backends; do
  source_url=$(benches/national-db.sh "$backend") || continue
  case "$backend" in
    sqlite)
      copy=target/bench/sweep.db
      rm -f "$copy" "$copy-wal" "$copy-shm"
      cp "${source_url#sqlite://}" "$copy"
      sweeps SQLite "sqlite://$copy"
      rm -f "$copy" "$copy-wal" "$copy-shm"
      ;;
    postgres)
      server=${source_url%/*}
      psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS tiendo_bench_sweep" >/dev/null
      psql "$server/postgres" -q -c "CREATE DATABASE tiendo_bench_sweep TEMPLATE tiendo_bench_national" >/dev/null
      sweeps PostgreSQL "$server/tiendo_bench_sweep"
      psql "$server/postgres" -q -c "DROP DATABASE tiendo_bench_sweep" >/dev/null
      ;;
  esac
done

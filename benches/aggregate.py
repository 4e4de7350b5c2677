#!/usr/bin/env python3
"""The two ways to count a dashboard, measured on the national data set: an aggregate
over the tasks on a covering index, and the roll-up tallies the application reads.

Usage: benches/aggregate.py sqlite FILE | postgres URL   [--runs 7]

For the country, Hà Nội and Phường Ba Đình it times, in the database itself (no server),
the query behind a dashboard's headline and per-document figures both ways: grouped
counts, progress sums and overdue counts of the tasks led in the unit's subtree within a
clearance. The covering index (lead path, document, status, due day, classification,
progress) is created in a transaction that is rolled back, so the database is left as
it was. Prints the median and the slowest run of each, in milliseconds.
"""

import argparse
import datetime
import re
import sqlite3
import statistics
import subprocess
import time

OPEN = "('not_started', 'in_progress', 'returned')"
COVERING = (
    "CREATE INDEX bench_covering ON tasks "
    "(lead_path, document_id, status, due_on, classification, progress)"
)


def aggregate(path, today):
    return (
        "SELECT document_id, status, COUNT(*), SUM(progress), "
        f"SUM(CASE WHEN status IN {OPEN} AND due_on < '{today}' THEN 1 ELSE 0 END) "
        f"FROM tasks WHERE lead_path >= '{path}' AND lead_path < '{path}:' "
        "AND classification <= 3 AND status <> 'cancelled' GROUP BY document_id, status"
    )


def tallies(unit_id):
    return (
        "SELECT document_id, status, SUM(tasks), SUM(progress_sum), SUM(overdue) "
        f"FROM tally_status WHERE unit_id = {unit_id} AND classification <= 3 "
        "GROUP BY document_id, status"
    )


def report(label, timings):
    print(f"{label:<48} median {statistics.median(timings):8.2f} ms   max {max(timings):8.2f} ms")


def run_sqlite(file, scopes, today, runs):
    db = sqlite3.connect(file, isolation_level=None)
    db.execute("BEGIN")
    started = time.perf_counter()
    db.execute(COVERING)
    print(f"covering index built in {time.perf_counter() - started:.1f} s (rolled back after)")
    for name, unit_id, path in scopes:
        for label, sql in [("aggregate", aggregate(path, today)), ("tallies", tallies(unit_id))]:
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                db.execute(sql).fetchall()
                timings.append((time.perf_counter() - started) * 1000)
            report(f"{name}: {label}", timings)
    db.execute("ROLLBACK")


def run_postgres(url, scopes, today, runs):
    script = ["BEGIN;", COVERING + ";", "ANALYZE tasks;", "\\timing on"]
    labels = []
    for name, unit_id, path in scopes:
        for label, sql in [("aggregate", aggregate(path, today)), ("tallies", tallies(unit_id))]:
            for _ in range(runs):
                script.append(sql + ";")
                labels.append(f"{name}: {label}")
    script.append("ROLLBACK;")
    output = subprocess.run(
        ["psql", url, "-q"],
        input="\n".join(script),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Timing starts after the index and ANALYZE: then one line a query, in order, and
    # the last for ROLLBACK.
    times = [float(t) for t in re.findall(r"Time: ([0-9.]+) ms", output)][: len(labels)]
    by_label = {}
    for label, t in zip(labels, times):
        by_label.setdefault(label, []).append(t)
    for label, timings in by_label.items():
        report(label, timings)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("backend", choices=["sqlite", "postgres"])
    parser.add_argument("target")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    today = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=7)).date().isoformat()

    if args.backend == "sqlite":
        db = sqlite3.connect(args.target)
        lookup = lambda code: db.execute("SELECT id, path FROM units WHERE code = ?", (code,)).fetchone()
    else:
        def lookup(code):
            row = subprocess.run(
                ["psql", args.target, "-tAc", f"SELECT id || '|' || path FROM units WHERE code = '{code}'"],
                capture_output=True, text=True, check=True,
            ).stdout.strip().split("|")
            return int(row[0]), row[1]
    scopes = [(name, *lookup(code)) for name, code in [("country", "TW"), ("Hà Nội", "01"), ("Phường Ba Đình", "00004")]]
    if args.backend == "sqlite":
        db.close()
        run_sqlite(args.target, scopes, today, args.runs)
    else:
        run_postgres(args.target, scopes, today, args.runs)


if __name__ == "__main__":
    main()

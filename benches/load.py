#!/usr/bin/env python3
"""Every page under load: wrk against a release server on the national data set.

Usage: benches/load.py BASE_URL [--pid PID] [--label NAME] [--seconds 8]
       [--connections 16 64] [--only PAGE ...]

Signs in officials of each level of the national data set (`nat.<unit>.<n>`): the centre's
leader, Hà Nội's leader, a ward's leader and officer. Each page is first fetched once and
checked (status 200 and what the page must show), then driven by `wrk` at each number of
connections for a few seconds, with the official's session. Prints requests per second,
p50 and p99 latency and errors (non-2xx answers and socket errors) per page and load, and
the server's peak resident memory (VmHWM) when --pid is given. Appends the results to
target/bench/results.json under the label.
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from client import Client  # noqa: E402

# Lists and task pages: at least this many requests per second; other official pages
# 1,000; public pages 10,000 (issue 13). p99 at most 100 ms for the official pages.
TARGETS = {"list": 3000, "page": 1000, "public": 10000}


def wrk(url, cookie, connections, seconds):
    command = [
        "wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
        "-H", "Accept: text/html", "-H", "Accept-Encoding: gzip, deflate, br, zstd",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    return parse(out)


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse(out):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors, "requests": total}


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def first_task(client):
    _, body = client.post("/api/my-work", {})
    work = json.loads(body)
    for key in ("due_soon", "overdue", "in_progress", "tasks", "rows"):
        rows = work.get(key) if isinstance(work, dict) else None
        if rows:
            return rows[0]["id"]
    ids = re.findall(r'"id":\s*(\d+)', body.decode())
    if not ids:
        raise SystemExit(f"the ward officer has no task: {body[:300]!r}")
    return int(ids[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--pid", type=int)
    parser.add_argument("--label", default="SQLite")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    centre = Client(base).login("nat.tw.1")
    province = Client(base).login("nat.01.1")
    ward_leader = Client(base).login("nat.00004.1")
    ward_officer = Client(base).login("nat.00004.2")
    _, body = centre.post("/api/documents", {"filter[q]": "57-NQ/TW"})
    document = next(r["id"] for r in json.loads(body)["rows"] if r["code"] == "57-NQ/TW")
    task = first_task(ward_officer)

    # (name, kind, client or None, path, what the page must contain)
    pages = [
        ("/documents (centre leader)", "list", centre, "/documents", b"57-NQ/TW"),
        ("document page (centre leader)", "page", centre, f"/documents/{document}", b"57-NQ/TW"),
        ("/my-work (ward officer)", "list", ward_officer, "/my-work", b"<main"),
        ("task page (ward officer)", "list", ward_officer, f"/tasks/{task}", b"<main"),
        ("national dashboard (centre)", "page", centre, "/dashboard/TW", b'class="stats"'),
        ("province dashboard (centre)", "page", centre, "/dashboard/01", b'class="stats"'),
        ("province dashboard (its leader)", "page", province, "/dashboard/01", b'class="stats"'),
        ("commune dashboard (its leader)", "page", ward_leader, "/dashboard/00004", b'class="stats"'),
        ("/ (public)", "public", None, "/", b"<main"),
        ("/units (public)", "public", None, "/units", b"<main"),
        ("/login (public)", "public", None, "/login", b"<form"),
        ("/feedback (public)", "public", None, "/feedback", b"<form"),
    ]
    results = []
    print(f"== {args.label}: wrk, {args.seconds} s per run, connections {args.connections}")
    print(f"{'page':<36} {'conn':>4} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}  target")
    for name, kind, client, path, must in pages:
        if args.only and not any(o in name for o in args.only):
            continue
        # A connection of its own: the server closes connections idle for 10 s.
        probe = Client(base)
        probe.cookie = client.cookie if client else ""
        response, body = probe.request("GET", path, accept="text/html")
        if response.status != 200 or must not in body:
            raise SystemExit(f"{name}: {response.status} {body[:300]!r}")
        for connections in args.connections:
            figures = wrk(base + path, client.cookie if client else "", connections, args.seconds)
            target = TARGETS[kind]
            met = figures["rps"] >= target and figures["errors"] == 0 and (
                kind == "public" or figures["p99_ms"] <= 100)
            print(
                f"{name:<36} {connections:>4} {figures['rps']:>9.0f} {figures['p50_ms']:>8.1f} "
                f"{figures['p99_ms']:>8.1f} {figures['errors']:>7}  {target:,}/s {'met' if met else 'MISSED'}",
                flush=True,
            )
            results.append(dict(page=name, path=path, connections=connections, target_rps=target,
                                met=met, **figures))
    peak = peak_rss_mb(args.pid) if args.pid else None
    if peak is not None:
        print(f"server peak RSS (VmHWM): {peak:.0f} MB")
    os.makedirs("target/bench", exist_ok=True)
    path = "target/bench/results.json"
    stored = {}
    if os.path.exists(path):
        with open(path) as f:
            stored = json.load(f)
    stored[args.label] = {"pages": results, "peak_rss_mb": peak, "seconds": args.seconds}
    with open(path, "w") as f:
        json.dump(stored, f, indent=2, ensure_ascii=False)
    print(f"written to {path}")


if __name__ == "__main__":
    main()

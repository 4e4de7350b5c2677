#!/usr/bin/env python3
"""Dashboards, my-work and a cascade against the national data set, through the real
endpoints of a release server.

Usage: benches/national.py BASE_URL [--requests 200] [--pid PID] [--label NAME]

Signs in as officials of the national data set (`nat.<unit>.<n>`): the centre's leader,
Hà Nội's leader and a ward's leader and officer. For each of the national, a province and
a commune dashboard it times the page as a browser loads it (server-rendered HTML) and
the server function the page calls, one request at a time after a warm-up; then
`/my-work` for the ward's officer; then cascades a new central task to all 3,321
communes. Prints p50 and p95 per measure, and the server's resident memory (VmRSS) after
the dashboards when --pid is given. Every answer is checked: status 200 and the figures
present, so a fast error cannot pass for a fast page.
"""

import argparse
import json
import statistics
import time
import urllib.parse

from client import Client, cascade_to_all_communes


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(label, requests, call, check):
    for _ in range(5):
        check(*call())
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - started) * 1000)
        check(*result)
    print(
        f"{label:<44} p50 {statistics.median(samples):7.1f} ms   p95 {percentile(samples, 95):7.1f} ms"
        f"   ({requests} requests)"
    )
    return samples


def page_ok(response, body):
    if response.status != 200 or b"class=\"stats\"" not in body:
        raise SystemExit(f"page failed: {response.status} {body[:300]!r}")


def json_ok(response, body):
    if response.status != 200:
        raise SystemExit(f"server function failed: {response.status} {body[:300]!r}")
    json.loads(body)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pid", type=int)
    parser.add_argument("--label", default="")
    parser.add_argument("--cascades", type=int, default=5)
    args = parser.parse_args()
    n = args.requests

    centre = Client(args.base_url).login("nat.tw.1")
    province = Client(args.base_url).login("nat.01.1")
    ward_leader = Client(args.base_url).login("nat.00004.1")
    ward_officer = Client(args.base_url).login("nat.00004.2")

    _, body = centre.request("POST", "/api/dashboard", {"code": "TW"})
    national = json.loads(body)["figures"]
    print(
        f"national data: {national['tasks']:,} tasks counted, {national['overdue']:,} overdue, "
        f"{national['done'] + national['done_late']:,} completed"
    )

    for label, client, code in [
        ("national", centre, "TW"),
        ("province (Hà Nội)", province, "01"),
        ("commune (Phường Ba Đình)", ward_leader, "00004"),
    ]:
        timed(
            f"{label} dashboard, page",
            n,
            lambda: client.request("GET", f"/dashboard/{code}", accept="text/html"),
            page_ok,
        )
        timed(
            f"{label} dashboard, server function",
            n,
            lambda: client.request("POST", "/api/dashboard", {"code": code}),
            json_ok,
        )
    if args.pid:
        print(f"server RSS after the dashboards: {rss_mb(args.pid):.1f} MB")

    timed(
        "my-work of a commune officer, page",
        n,
        lambda: ward_officer.request("GET", "/my-work", accept="text/html"),
        lambda r, b: None if r.status == 200 else (_ for _ in ()).throw(SystemExit(r.status)),
    )
    timed(
        "my-work of a commune officer, server function",
        n,
        lambda: ward_officer.request("POST", "/api/my-work", {}),
        json_ok,
    )

    # Cascades to every commune on top of the national data: each run a new central task.
    document = document_id(centre)
    timings = []
    for run in range(args.cascades):
        _, elapsed, created = cascade_to_all_communes(
            centre, document, f"Nhiệm vụ đo thời gian {int(time.time())}-{run}"
        )
        timings.append(elapsed)
        if created < 3000:
            raise SystemExit(f"the cascade created {created} tasks")
    print(
        f"cascade of one task to all {created:,} communes: median {statistics.median(timings):.0f} ms, "
        f"max {max(timings):.0f} ms ({len(timings)} runs: {', '.join(f'{t:.0f}' for t in timings)})"
    )
    if args.pid:
        print(f"server RSS at the end: {rss_mb(args.pid):.1f} MB")


def document_id(client):
    _, body = client.post("/api/documents", {"filter[q]": "57-NQ/TW"})
    rows = json.loads(body)["rows"]
    return next(r["id"] for r in rows if r["code"] == "57-NQ/TW")


if __name__ == "__main__":
    main()

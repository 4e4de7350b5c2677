#!/usr/bin/env python3
"""A burst of parallel failed sign-ins from one address against a running Tiến Độ server.

Usage: benches/signin_burst.py BASE_URL [--attempts 200] [--runs 3]

Each run sends ATTEMPTS sign-ins with a wrong password at once (a barrier releases them
together), all from one loopback address (a new one each run, so each starts with a fresh
per-address limit), and samples the server's resident memory (VmRSS of the process whose
pid is in TIENDO_BENCH_PID) every few milliseconds until every answer is in. Prints, per
run: how many passwords were checked (401), limited (429) and turned away as busy (503,
which must carry Retry-After), whether every attempt was answered, and the peak growth of
the server's memory over its level before the run. Fails unless every attempt was
answered with one of those, at most 20 were checked, and the peak growth stayed within
--max-growth-mb (100).
"""

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
import urllib.parse


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def attempt(host, port, source, origin, barrier, results, index):
    body = urllib.parse.urlencode({"username": "admin", "password": "not the password", "next": "/"})
    try:
        connection = http.client.HTTPConnection(host, port, timeout=60, source_address=(source, 0))
        connection.connect()
        barrier.wait()
        connection.request(
            "POST",
            "/api/login",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Origin": origin,
            },
        )
        response = connection.getresponse()
        response.read()
        results[index] = (response.status, response.getheader("retry-after"))
        connection.close()
    except Exception as error:  # an unanswered attempt is what this measures
        results[index] = ("error", str(error))


def burst(url, origin, pid, attempts, source):
    results = [None] * attempts
    barrier = threading.Barrier(attempts)
    threads = [
        threading.Thread(
            target=attempt, args=(url.hostname, url.port, source, origin, barrier, results, i)
        )
        for i in range(attempts)
    ]
    baseline = rss_kib(pid)
    peak = [baseline]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    peak[0] = max(peak[0], rss_kib(pid))
    return results, (peak[0] - baseline) / 1024, baseline / 1024, wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-growth-mb", type=float, default=100.0)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.base_url)
    origin = f"{url.scheme}://{url.netloc}"
    pid = os.environ.get("TIENDO_BENCH_PID")
    if not pid:
        sys.exit("TIENDO_BENCH_PID must name the server's process (benches/with-server.sh sets it)")

    ok = True
    growths, checks = [], []
    for run in range(args.runs):
        source = f"127.0.0.{10 + run}"
        results, growth, baseline, wall = burst(url, origin, pid, args.attempts, source)
        statuses = [r[0] for r in results]
        checked = statuses.count(401)
        limited = statuses.count(429)
        busy = statuses.count(503)
        unanswered = len([s for s in statuses if s not in (401, 429, 503)])
        busy_without_retry = len([r for r in results if r[0] in (429, 503) and not r[1]])
        growths.append(growth)
        checks.append(checked)
        print(
            f"run {run + 1}: {args.attempts} attempts from {source} in {wall:.2f} s: "
            f"{checked} checked (401), {limited} limited (429), {busy} busy (503), "
            f"{unanswered} unanswered; server RSS {baseline:.0f} MB before, "
            f"peak growth {growth:.1f} MB"
        )
        if unanswered or busy_without_retry or checked > 20 or growth > args.max_growth_mb:
            ok = False
            print(f"  FAILED: {[r for r in results if r[0] not in (401, 429, 503)][:3]}")
    print(
        f"median over {args.runs} runs: {statistics.median(checks)} checked, "
        f"peak RSS growth {statistics.median(growths):.1f} MB (max {max(growths):.1f} MB)"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Sign-in latency and throughput against a running Tiến Độ server.

Usage: benches/login.py BASE_URL [--clients 8] [--seconds 20]

Each client signs in as the demo admin over and over (a full sign-in: argon2id verify,
session created, audit event written) and records the latency of each. Requests come from
rotating loopback addresses (127.0.x.y), so the per-address sign-in limit of the server is
not what is measured. Prints p50/p95/max latency and sign-ins per second.
"""

import argparse
import http.client
import statistics
import threading
import time
import urllib.parse

PASSWORD = "tiendo-demo-2026"


def sign_in(host, port, source, origin):
    connection = http.client.HTTPConnection(host, port, timeout=30, source_address=(source, 0))
    body = urllib.parse.urlencode({"username": "admin", "password": PASSWORD, "next": "/"})
    started = time.perf_counter()
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
    elapsed = time.perf_counter() - started
    connection.close()
    ok = response.status == 200 and response.getheader("set-cookie") is not None
    return elapsed, ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.base_url)
    origin = f"{url.scheme}://{url.netloc}"

    latencies, failures = [], [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + args.seconds

    def client(index):
        n = 0
        while time.perf_counter() < deadline:
            n += 1
            # A fresh loopback address every few attempts: 20 per address are allowed.
            serial = index * 100_000 + n // 10
            source = f"127.{1 + serial // 65025 % 250}.{serial // 255 % 255}.{1 + serial % 254}"
            elapsed, ok = sign_in(url.hostname, url.port, source, origin)
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started

    latencies.sort()
    ms = lambda s: f"{s * 1000:.1f} ms"
    print(f"clients {args.clients}, {wall:.1f} s, {len(latencies)} sign-ins, {failures[0]} failures")
    if latencies:
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        print(f"latency p50 {ms(statistics.median(latencies))}, p95 {ms(p95)}, max {ms(latencies[-1])}")
        print(f"throughput {len(latencies) / wall:.1f} sign-ins/s")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Cascading one task to every commune of the country, through the real endpoint.

Usage: benches/cascade.py BASE_URL [--runs 7]

Signs in as the demo central leader, registers a document, and for each run creates a
task at the centre and cascades it to all communes (`target=communes`): one request, one
transaction that inserts a child task and its first history event for each of the 3,321
communes and rolls progress up. Prints each run's wall time as the client saw it, then
the median, p95 and max, and checks that every commune got exactly one child task.
"""

import argparse
import json
import statistics
import time
import urllib.parse

from client import Client, cascade_to_all_communes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    client = Client(args.base_url).login("tw.lanhdao")
    document = client.created_id(
        "/api/documents/create",
        {
            "code": f"BENCH-{int(time.time())}",
            "kind": "directive",
            "title": "Đo thời gian giao nhiệm vụ tới mọi xã",
            "issuing_body": "Ban Bí thư",
            "issued_on": "2026-01-01",
            "summary": "",
            "classification": "internal",
        },
        "/documents/",
    )

    timings = []
    for run in range(args.runs):
        task, elapsed, created = cascade_to_all_communes(
            client, document, f"Nhiệm vụ đo thời gian số {run + 1}"
        )
        _, body = client.post("/api/task", {"id": task})
        children = json.loads(body)["row"]["child_count"]
        if created != children or created < 3000:
            raise SystemExit(f"run {run + 1}: created {created}, the task has {children} subtasks")
        timings.append(elapsed / 1000)
        print(f"run {run + 1}: {created} communes in {elapsed:.0f} ms")

    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    ms = lambda s: f"{s * 1000:.0f} ms"
    print(
        f"cascade to all communes: median {ms(statistics.median(timings))}, "
        f"p95 {ms(p95)}, max {ms(timings[-1])} ({len(timings)} runs)"
    )


if __name__ == "__main__":
    main()

"""Sustained feedback submissions against a server whose per-address limits are off
(`--feedback-per-ip 0`), as `make bench-feedback` starts it.

Each worker process holds one keep-alive connection and sends submissions back to back
for the given time: through the public form's server function (a plain form post
without JavaScript, so without a proof of work: the challenges are fetched first and
used once the form has been "open" the required few seconds), or through Open311.

The server's own count is read before and after (the centre's dashboard, which counts
the stored rows): it must grow by exactly the number of success answers, every code
must be distinct, and there must be no error at all.

    python3 benches/feedback.py [--workers 4] [--seconds 20] [--via form|open311] URL
"""

import argparse
import json
import multiprocessing
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from client import Client  # noqa: E402

FORM_WAIT_SECONDS = 3.2


def received(base_url):
    """Items the centre's dashboard counts: every stored item."""
    client = Client(base_url).login("tw.lanhdao")
    _, body = client.post("/api/dashboard", {"code": ""})
    return json.loads(body)["feedback"]["total"]["received"]


def challenges(client, count):
    found = []
    for _ in range(count):
        _, body = client.post("/api/feedback/form", {})
        found.append(json.loads(body)["challenge"])
    return found


def form_fields(worker, n, challenge):
    return {
        "kind": "citizen",
        "category": "online_service",
        "document": "",
        "subject": f"Góp ý đo tải {worker}-{n}",
        "text": "Đề nghị cổng dịch vụ công tự điền thông tin đã có trong cơ sở dữ liệu dân cư. " * 4,
        "name": "",
        "email": "",
        "phone": "",
        "province": "",
        "commune": "",
        "website": "",
        "challenge": challenge,
        "proof": "",
    }


def worker(args):
    base_url, via, seconds, worker_id, start_at, prepared = args
    client = Client(base_url)
    pool = challenges(client, prepared) if via == "form" else []
    # Every worker starts at the same moment, once the forms are old enough.
    time.sleep(max(0.0, start_at - time.time()))
    codes, latencies, errors = [], [], []
    deadline = time.time() + seconds
    n = 0
    while time.time() < deadline:
        began = time.perf_counter()
        if via == "form":
            if n >= len(pool):
                errors.append("ran out of prepared forms: prepare more")
                break
            # As a browser without JavaScript posts it: answered by a redirect.
            response, body = client.request(
                "POST", "/api/feedback/submit", form_fields(worker_id, n, pool[n]), accept="text/html"
            )
            location = response.getheader("location") or ""
            ok = response.status == 302 and location.startswith("/feedback/track?")
            code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query).get("code", [""])[0]
        else:
            response, body = client.request(
                "POST",
                "/open311/v2/requests.json",
                {
                    "service_code": "online_service",
                    "description": f"Góp ý đo tải qua Open311 {worker_id}-{n}. " * 4,
                },
            )
            ok = response.status == 201
            code = json.loads(body)[0]["service_request_id"] if ok else ""
        latencies.append((time.perf_counter() - began) * 1000)
        if ok and code:
            codes.append(code)
        else:
            errors.append(f"{response.status} {body[:200]!r}")
        n += 1
    return codes, latencies, errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--via", choices=["form", "open311"], default="form")
    parser.add_argument(
        "--prepared", type=int, default=0, help="forms drawn per worker (default: enough for 1,500/s)"
    )
    parser.add_argument("base_url")
    args = parser.parse_args()

    before = received(args.base_url)
    prepared = args.prepared or int(1500 * args.seconds / args.workers)
    prepared = prepared if args.via == "form" else 0
    # Drawing the forms takes a while; the clock starts for everyone together afterwards.
    setup_estimate = prepared * args.workers / 600 + FORM_WAIT_SECONDS + 2
    start_at = time.time() + setup_estimate
    with multiprocessing.Pool(args.workers) as pool:
        results = pool.map(
            worker,
            [
                (args.base_url, args.via, args.seconds, w, start_at, prepared)
                for w in range(args.workers)
            ],
        )
    late = time.time() - start_at - args.seconds
    codes = [code for r in results for code in r[0]]
    latencies = sorted(ms for r in results for ms in r[1])
    errors = [e for r in results for e in r[2]]
    after = received(args.base_url)

    accepted_per_s = len(codes) / args.seconds
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0
    print(f"via {args.via}: {args.workers} workers for {args.seconds:.0f} s")
    print(f"  success answers: {len(codes)}, errors: {len(errors)}")
    print(f"  accepted per second: {accepted_per_s:.0f}")
    if latencies:
        print(f"  latency ms: p50 {statistics.median(latencies):.1f}, p95 {p95:.1f}, max {latencies[-1]:.1f}")
    print(f"  stored by the server: {after - before} (before {before}, after {after})")
    print(f"  distinct codes: {len(set(codes))}")
    if late > 5:
        print(f"  note: the workers finished {late:.0f} s late: drawing forms took longer than estimated")
    for error in errors[:5]:
        print(f"  error: {error}")
    if errors or after - before != len(codes) or len(set(codes)) != len(codes):
        raise SystemExit("FAILED: errors, or the stored count differs from the success answers")


if __name__ == "__main__":
    main()

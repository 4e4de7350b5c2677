#!/usr/bin/env python3
"""Every page under load: wrk against a release server on the national data set.

Usage: [TIENDO_BENCH_DATABASE_URL=URL] benches/load.py BASE_URL [--pid PID] [--label NAME] [--seconds 8]
       [--connections 16 64] [--only PAGE ...] [--profile]

Signs in officials of each level of the national data set (`nat.<unit>.<n>`): the centre's
leader, Hà Nội's leader, a ward's leader and officer. Each page is first fetched once and
checked (status 200 and what the page must show), then driven by `wrk` at each number of
connections for a few seconds, with the official's session. Prints requests per second,
p50 and p99 latency and errors (non-2xx answers and socket errors) per page and load, and
the server's peak resident memory (VmHWM) when --pid is given. With --profile (and --pid),
`perf` samples the server during each page's first run and writes a flame graph and the
functions that take the most time to target/bench/profile/. With the database's URL
(national.sh passes it), progress reports are posted too, each on a task of its own, by
the officers of as many communes as that takes (a commune's officer has about 30 such tasks). Appends the results to
target/bench/results.json under the label.
"""

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from client import Client  # noqa: E402

# Lists and task pages: at least this many requests per second; other official pages
# 1,000; public pages 10,000 (issue 13). p99 at most 100 ms for the official pages.
TARGETS = {"list": 3000, "page": 1000, "public": 10000, "submit": 500}


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


PROFILE_DIR = "target/bench/profile"


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def start_profile(pid, name, seconds):
    """perf samples the server's stacks (DWARF unwinding: the release build keeps no frame
    pointers) while wrk runs; 1 s less than the run, so only the load is sampled."""
    os.makedirs(PROFILE_DIR, exist_ok=True)
    data = os.path.join(PROFILE_DIR, slug(name) + ".perf.data")
    return data, subprocess.Popen(
        ["perf", "record", "-q", "-F", "299", "--call-graph", "dwarf,16384", "-p", str(pid),
         "-o", data, "--", "sleep", str(max(1, seconds - 1))],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def finish_profile(data, recorder):
    """Folds the stacks (inferno), draws the flame graph and prints the functions that
    take the most time themselves."""
    recorder.wait()
    base = data.removesuffix(".perf.data")
    script = subprocess.run(["perf", "script", "--no-inline", "-i", data], capture_output=True, check=True).stdout
    folded = subprocess.run(["inferno-collapse-perf"], input=script, capture_output=True,
                            check=True).stdout
    with open(base + ".folded", "wb") as f:
        f.write(folded)
    with open(base + ".svg", "wb") as f:
        f.write(subprocess.run(["inferno-flamegraph"], input=folded, capture_output=True,
                               check=True).stdout)
    own, samples = {}, 0
    for line in folded.decode(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        leaf, count = stack.rsplit(";", 1)[-1], int(count)
        samples += count
        own[leaf] = own.get(leaf, 0) + count
    os.remove(data)
    print(f"   profile: {base}.svg ({samples} samples); most time in:")
    for frame, count in sorted(own.items(), key=lambda kv: -kv[1])[:8]:
        print(f"     {100 * count / samples:5.1f}%  {frame[:110]}")


def server_panics(log_path):
    """How many panics the server's log holds, or None without a log."""
    if not log_path or not os.path.exists(log_path):
        return None
    with open(log_path, errors="replace") as f:
        return sum(line.count("panicked at") for line in f)


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


# The tasks a commune officer can report on: open, without subtasks, without a report
# awaiting evaluation, within an officer's clearance (internal). Each gets one report: a
# second one would wait for the first to be evaluated.
REPORTABLE = """
SELECT u.code, t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id
WHERE u.level = 'commune' AND t.classification <= 1
  AND t.status IN ('not_started', 'in_progress', 'returned')
  AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id)
  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.task_id = t.id AND r.status = 'pending')
  AND u.code IN (SELECT code FROM units WHERE level = 'commune' ORDER BY code LIMIT {communes})
ORDER BY u.code, t.id
"""


def reportable_tasks(database_url, communes):
    sql = REPORTABLE.format(communes=communes)
    if database_url.startswith("sqlite://"):
        path = database_url.removeprefix("sqlite://").split("?")[0]
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute(sql).fetchall()
    out = subprocess.run(["psql", database_url, "-tAF", "\t", "-c", sql],
                         capture_output=True, text=True, check=True).stdout
    return [(code, int(task)) for code, task in (line.split("\t") for line in out.splitlines() if line)]


SUBMIT_LUA = """
-- Each request reports progress on a task of its own, as that commune's officer.
local boundary = "----tiendo-bench-7MA4YWxkTrZu0gW"
local jobs = dofile("{jobs}")
local counter = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
function init(args)
  step = {threads}
  next_job = offset + 1
end
function request()
  local job = jobs[next_job]
  if job == nil then job = jobs[#jobs] end
  next_job = next_job + step
  local function field(name, value)
    return "--" .. boundary .. "\\r\\nContent-Disposition: form-data; name=\\"" .. name ..
      "\\"\\r\\n\\r\\n" .. value .. "\\r\\n"
  end
  local body = field("task_id", job[2]) .. field("progress", "40") ..
    field("text", "Đã triển khai tới các thôn, tổ dân phố; đang tổng hợp số liệu.") ..
    field("submission_key", "bench-" .. job[3]) .. "--" .. boundary .. "--\\r\\n"
  return wrk.format("POST", "/api/reports/submit", {
    ["Cookie"] = job[1],
    ["Origin"] = origin,
    ["Accept"] = "application/json",
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
  }, body)
end
"""


def submit_load(base, database_url, connections, seconds, needed):
    """wrk posting progress reports, each on a task of its own, from many communes'
    officers at once. Returns wrk's figures."""
    rows = reportable_tasks(database_url, communes=1500)
    if len(rows) < needed:
        raise SystemExit(f"only {len(rows)} reportable tasks left, {needed} needed: "
                         "TIENDO_BENCH_FRESH=1 seeds the data set again")
    cookies = {}
    jobs = []
    for n, (code, task) in enumerate(rows[:needed]):
        if code not in cookies:
            cookies[code] = Client(base).login(f"nat.{code.lower()}.2").cookie
        jobs.append((cookies[code], task, f"{os.getpid()}-{connections}-{n}"))
    threads = min(2, connections)
    with tempfile.TemporaryDirectory() as folder:
        data = os.path.join(folder, "jobs.lua")
        with open(data, "w") as f:
            f.write("return {\n")
            for cookie, task, key in jobs:
                f.write(f'{{"{cookie}", "{task}", "{key}"}},\n')
            f.write("}\n")
        script = os.path.join(folder, "submit.lua")
        with open(script, "w") as f:
            f.write(f'origin = "{base}"\n')
            f.write(SUBMIT_LUA.replace("{jobs}", data).replace("{threads}", str(threads)))
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                   "-s", script, base + "/api/reports/submit"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = parse(out)
    if figures["requests"] > needed:
        raise SystemExit(f"wrk sent {figures['requests']} reports for {needed} tasks: raise needed")
    return figures


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
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    centre = Client(base).login("nat.tw.1")
    province = Client(base).login("nat.01.1")
    ward_leader = Client(base).login("nat.00004.1")
    ward_officer = Client(base).login("nat.00004.2")
    _, body = centre.post("/api/documents", {"filter[q]": "57-NQ/TW"})
    document = next(r["id"] for r in json.loads(body)["rows"] if r["code"] == "57-NQ/TW")
    task = first_task(ward_officer)
    _, body = province.post("/api/documents/indicators", {"document_id": document})
    indicator = json.loads(body)["rows"][0]["id"]

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
        ("/periods (centre)", "page", centre, "/periods", b'class="stats"'),
        ("/periods (province leader)", "page", province, "/periods", b'class="stats"'),
        ("indicator page (province leader)", "page", province, f"/indicators/{indicator}", b"<svg"),
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
        for n, connections in enumerate(args.connections):
            profile = args.profile and args.pid and n == 0
            if profile:
                data, recorder = start_profile(args.pid, name, args.seconds)
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
            if profile:
                finish_profile(data, recorder)
    database_url = os.environ.get("TIENDO_BENCH_DATABASE_URL")
    name = "report submission (ward officers)"
    if database_url and (not args.only or any(o in name for o in args.only)):
        for connections in args.connections:
            # Each report uses up a task: a shorter run, enough tasks for 3,000/s.
            seconds = min(args.seconds, 4)
            figures = submit_load(base, database_url, connections, seconds, needed=3000 * seconds)
            target = TARGETS["submit"]
            met = figures["rps"] >= target and figures["errors"] == 0 and figures["p99_ms"] <= 100
            print(
                f"{name:<36} {connections:>4} {figures['rps']:>9.0f} {figures['p50_ms']:>8.1f} "
                f"{figures['p99_ms']:>8.1f} {figures['errors']:>7}  {target:,}/s {'met' if met else 'MISSED'}",
                flush=True,
            )
            results.append(dict(page=name, path="/api/reports/submit", connections=connections,
                                target_rps=target, met=met, **figures))
    peak = peak_rss_mb(args.pid) if args.pid else None
    if peak is not None:
        print(f"server peak RSS (VmHWM): {peak:.0f} MB")
    # A panic is a defect even when no client saw it (one that left mid-page, say).
    panics = server_panics(os.environ.get("TIENDO_BENCH_SERVER_LOG"))
    if panics is not None:
        print(f"server panics in its log: {panics}")
    os.makedirs("target/bench", exist_ok=True)
    path = "target/bench/results.json"
    stored = {}
    if os.path.exists(path):
        with open(path) as f:
            stored = json.load(f)
    stored[args.label] = {"pages": results, "peak_rss_mb": peak, "panics": panics,
                          "seconds": args.seconds}
    with open(path, "w") as f:
        json.dump(stored, f, indent=2, ensure_ascii=False)
    print(f"written to {path}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The fault suite: the real server binary under the failures of its surroundings.

Every scenario runs a write load (Open311 requests, each with a text of its own), does
something bad to the server or its database, and ends with the same two checks: every
write the server acknowledged is in the database, with its text, and SQLite's integrity
check passes. Each scenario is bounded in time.

    python3 tests/faults/faults.py [--bin target/debug/tiendo] [--only NAME ...]

PostgreSQL scenarios run when TIENDO_TEST_DATABASE_URL names a server (CI sets it); the
full-disk scenario mounts a tmpfs and needs root (CI runs as root).
"""

import argparse
import http.client
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

SCENARIO_LIMIT_SECS = 120


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STARTED = []


class Server:
    """One `tiendo serve` process on a database URL of the scenario's."""

    def __init__(self, binary, url, folder):
        self.binary, self.url, self.folder = binary, url, folder
        self.port = free_port()
        self.process = None
        self.log = os.path.join(folder, "server.log")

    def start(self):
        env = dict(os.environ)
        env.update(
            TIENDO_DATABASE_URL=self.url,
            TIENDO_EVIDENCE_DIR=os.path.join(self.folder, "evidence"),
            TIENDO_LOG="warn",
            # The debug build's Leptos settings, as `make test` runs it.
            LEPTOS_OUTPUT_NAME="tiendo",
            LEPTOS_SITE_ROOT="target/site",
            LEPTOS_SITE_PKG_DIR="pkg",
        )
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.binary, "serve", "--listen", f"127.0.0.1:{self.port}",
                    "--secure-cookies", "false", "--feedback-per-ip", "0",
                ],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        STARTED.append(self.process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            check(self.process.poll() is None, f"the server exited on start: {self.tail()}")
            try:
                status, _, _ = request(self.port, "GET", "/healthz", timeout=2)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise Failed("the server did not answer within 60 s")

    def signal(self, sig):
        self.process.send_signal(sig)

    def wait(self, seconds):
        """Seconds the process took to exit, or None if it is still running."""
        started = time.monotonic()
        try:
            self.process.wait(timeout=seconds)
            return time.monotonic() - started
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            if self.wait(15) is None:
                self.process.kill()
                self.process.wait()
                raise Failed("the server did not stop within 15 s of SIGTERM")

    def tail(self):
        with open(self.log, errors="replace") as log:
            return log.read()[-2000:]


def request(port, method, path, body=None, headers=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class Writers:
    """Threads that post Open311 requests until stopped, remembering what was saved."""

    def __init__(self, port, count=4):
        self.port = port
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.saved = []  # (the request's own path, id, text, monotonic time of the answer)
        self.unavailable = 0
        self.other = []  # (status, body) of answers that are neither 201 nor 503
        self.unanswered = 0
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(count)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stop()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def run(self, writer):
        n = 0
        connection = None
        while not self.stopping.is_set():
            n += 1
            text = f"fault writer {writer} request {n} {time.time_ns()}"
            body = urllib.parse.urlencode({"service_code": "other", "description": text})
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                connection.request(
                    "POST", "/open311/v2/requests.json", body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
                response = connection.getresponse()
                data = response.read()
                status = response.status
                retry_after = response.getheader("retry-after")
                if response.getheader("connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except OSError:
                # The server is down (killed, stopping): nothing was acknowledged.
                with self.lock:
                    self.unanswered += 1
                if connection is not None:
                    connection.close()
                    connection = None
                time.sleep(0.05)
                continue
            with self.lock:
                if status == 201:
                    import json

                    created = json.loads(data)[0]
                    code = created["service_request_id"]
                    path = f"/open311/v2/requests/{code}.json?token={created['token']}"
                    self.saved.append((path, int(code.rsplit("-", 1)[1]), text, time.monotonic()))
                elif status == 503:
                    if retry_after is None:
                        self.other.append((status, b"503 without Retry-After"))
                    elif b"reference" in data:
                        self.other.append((status, data))
                    else:
                        self.unavailable += 1
                else:
                    self.other.append((status, data[:300]))
            if status == 503:
                time.sleep(0.05)

    def saved_before(self, moment):
        with self.lock:
            return [s for s in self.saved if s[3] < moment]


def sqlite_rows(path):
    check(os.path.exists(path), f"no database at {path}: {os.listdir(os.path.dirname(path))}")
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
        rows = dict(database.execute("SELECT id, text FROM feedback"))
    finally:
        database.close()
    check(integrity == "ok", f"SQLite's integrity check: {integrity}")
    return rows


def postgres_rows(url):
    out = subprocess.run(
        ["psql", url, "-At", "-F", "\t", "-c", "SELECT id, text FROM feedback"],
        check=True, capture_output=True, text=True,
    ).stdout
    return {int(i): t for i, t in (line.split("\t", 1) for line in out.splitlines() if line)}


def all_saved_are_stored(saved, rows, where):
    missing = [s for s in saved if rows.get(s[1]) != s[2]]
    check(
        not missing,
        f"{len(missing)} of {len(saved)} acknowledged writes are missing from {where}; "
        f"first: {missing[:1]}",
    )
    return f"{len(saved)} acknowledged writes all in {where}"


def no_surprises(writers):
    check(not writers.other, f"answers other than 201 and 503: {writers.other[:3]}")


class Postgres:
    """A database of its own on the test server, dropped afterwards."""

    def __init__(self, admin):
        self.server = admin.rsplit("/", 1)[0]
        self.name = f"tiendo_faults_{os.getpid()}_{time.monotonic_ns()}"
        self.url = f"{self.server}/{self.name}"

    def __enter__(self):
        self.psql("postgres", f"CREATE DATABASE {self.name}")
        return self

    def __exit__(self, *_):
        self.psql("postgres", f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def psql(self, database, sql):
        subprocess.run(["psql", f"{self.server}/{database}", "-q", "-c", sql], check=True,
                       capture_output=True)


def pg_cluster():
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_ready(seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0:
            return
        time.sleep(0.2)
    raise Failed("PostgreSQL did not come back within 60 s")


# ---- scenarios ---------------------------------------------------------------------------


def kill_9_under_load(binary, folder):
    path = os.path.join(folder, "tiendo.db")
    server = Server(binary, f"sqlite://{path}", folder).start()
    with Writers(server.port) as writers:
        time.sleep(2)
        server.process.kill()
        server.process.wait()
        time.sleep(0.5)
    no_surprises(writers)
    check(writers.saved, "nothing was saved before the kill")
    server.start()
    # The restarted server finds what the killed one acknowledged.
    own = writers.saved[-1][0]
    status, _, _ = request(server.port, "GET", own)
    check(status == 200, f"the restarted server answers {status} for {own}")
    server.stop()
    return all_saved_are_stored(writers.saved, sqlite_rows(path), "the database after kill -9")


def disk_full_then_freed(binary, folder):
    disk = os.path.join(folder, "disk")
    os.makedirs(disk)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tiendo-faults", disk],
                             capture_output=True, text=True)
    check(mounted.returncode == 0, f"cannot mount a tmpfs (needs root): {mounted.stderr}")
    try:
        path = os.path.join(disk, "tiendo.db")
        server = Server(binary, f"sqlite://{path}", folder).start()
        with Writers(server.port) as writers:
            time.sleep(1)
            filler = os.path.join(disk, "filler")
            descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
            for size in (65536, 512):
                try:
                    while True:
                        os.write(descriptor, b"\0" * size)
                except OSError:
                    pass
            os.close(descriptor)
            full_until = time.monotonic() + 3
            while time.monotonic() < full_until:
                status, _, _ = request(server.port, "GET", "/units")
                check(status == 200, f"a read while the disk is full answered {status}")
                time.sleep(0.2)
            os.remove(filler)
            freed = time.monotonic()
            time.sleep(2)
        return after_an_outage(writers, server, path, freed, "the full disk")
    finally:
        subprocess.run(["umount", "-l", disk])


def after_an_outage(writers, server, path, ended, outage):
    """The checks after a passing outage of the database: writes were refused meanwhile
    (with 503 and Retry-After, see Writers), saved again after it, and none was lost."""
    no_surprises(writers)
    check(writers.unavailable > 0, f"no write was refused during {outage}: it did not happen")
    check(any(s[3] > ended for s in writers.saved), f"nothing was saved after {outage}")
    server.stop()
    return all_saved_are_stored(writers.saved, sqlite_rows(path), f"the database after {outage}") + \
        f"; {writers.unavailable} refused with 503 and Retry-After during {outage}"


def database_locked_by_another_process(binary, folder):
    path = os.path.join(folder, "tiendo.db")
    server = Server(binary, f"sqlite://{path}", folder).start()
    with Writers(server.port) as writers:
        time.sleep(1)
        holder = subprocess.Popen([
            sys.executable, "-c",
            "import sqlite3,sys,time; d=sqlite3.connect(sys.argv[1], isolation_level=None);"
            "d.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(10);"
            "d.execute('COMMIT')", path,
        ], stdout=subprocess.PIPE)
        check(holder.stdout.readline().strip() == b"locked", "the other process took no lock")
        started = time.monotonic()
        while holder.poll() is None:
            status, _, _ = request(server.port, "GET", "/units")
            check(status == 200, f"a read while the database is locked answered {status}")
            time.sleep(0.5)
        check(time.monotonic() - started > 8, "the lock was not held")
        released = time.monotonic()
        time.sleep(2)
    return after_an_outage(writers, server, path, released, "the lock")


def sigterm_with_slow_clients(binary, folder):
    path = os.path.join(folder, "tiendo.db")
    server = Server(binary, f"sqlite://{path}", folder).start()
    slow = []
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"GET /units HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow.append(s)
    with Writers(server.port) as writers:
        time.sleep(1.5)
        server.signal(signal.SIGTERM)
        took = server.wait(12)
        time.sleep(0.2)
    for s in slow:
        s.close()
    check(took is not None and took < 10, f"the server took {took} s to stop (limit 10 s)")
    return all_saved_are_stored(writers.saved, sqlite_rows(path), "the database after SIGTERM") + \
        f"; stopped {took:.1f} s after SIGTERM with 20 slow clients connected"


def latency_ms(port, count=40):
    times = []
    for _ in range(count):
        started = time.perf_counter()
        status, _, _ = request(port, "GET", "/login")
        check(status == 200, f"/login answered {status}")
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def send_raw(port, head, chunks, timeout=15):
    """Sends a request by hand; returns the status line's code."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(head)
        for chunk in chunks:
            try:
                s.sendall(chunk)
            except OSError:
                break
        answer = b""
        while b"\r\n" not in answer:
            data = s.recv(4096)
            if not data:
                break
            answer += data
        return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1") else None
    finally:
        s.close()


def slow_headers_and_oversized_bodies(binary, folder):
    path = os.path.join(folder, "tiendo.db")
    server = Server(binary, f"sqlite://{path}", folder).start()
    before = latency_ms(server.port)
    slow = []
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        slow.append(s)
    opened = time.monotonic()
    stop_trickle = threading.Event()

    def trickle():
        while not stop_trickle.is_set():
            for s in slow:
                try:
                    s.sendall(b"X")
                except OSError:
                    pass
            stop_trickle.wait(1)

    trickler = threading.Thread(target=trickle)
    trickler.start()
    results = {}
    try:
        with Writers(server.port, count=2) as writers:
            big = 3 * 1024 * 1024
            host = f"127.0.0.1:{server.port}".encode()
            origin = b"Origin: http://" + host + b"\r\n"
            # A declared length past the cap, a chunked body past it, on each kind of endpoint.
            for name, path_, kind in [
                ("sign-in, declared", b"/api/login", "length"),
                ("sign-in, chunked", b"/api/login", "chunked"),
                ("feedback form, chunked", b"/api/feedback/submit", "chunked"),
                ("Open311, chunked", b"/open311/v2/requests.json", "chunked"),
            ]:
                # Open311 is for servers, which send no Origin.
                head = b"POST " + path_ + b" HTTP/1.1\r\nHost: " + host + b"\r\n" + \
                    (b"" if b"open311" in path_ else origin) + \
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                if kind == "length":
                    head += b"Content-Length: %d\r\n\r\n" % big
                    chunks = [b"a" * 65536] * (big // 65536)
                else:
                    head += b"Transfer-Encoding: chunked\r\n\r\n"
                    size = big
                    piece = b"a=" + b"b" * 65534
                    chunks = [b"%x\r\n" % len(piece) + piece + b"\r\n"] * (size // 65536) + [b"0\r\n\r\n"]
                results[name] = send_raw(server.port, head, chunks)
            during = latency_ms(server.port)
        no_surprises(writers)
    finally:
        stop_trickle.set()
        trickler.join()
    wrong = {k: v for k, v in results.items() if v != 413}
    check(not wrong, f"oversized bodies not answered 413: {wrong}")
    check(during <= max(3 * before, before + 50),
          f"normal latency went from {before:.1f} ms to {during:.1f} ms with 200 slow clients")
    # The slow clients are cut off by the header timeout (10 s).
    time.sleep(max(0, 12 - (time.monotonic() - opened)))
    still_open = 0
    for s in slow:
        s.settimeout(0.01)
        try:
            data = s.recv(1024)
            if data and not data.startswith(b"HTTP/1.1 408"):
                still_open += 1
        except socket.timeout:
            still_open += 1
        except OSError:
            pass
        s.close()
    check(still_open == 0, f"{still_open} of 200 slow-header connections still open after 12 s")
    server.stop()
    return all_saved_are_stored(writers.saved, sqlite_rows(path), "the database") + \
        f"; /login median {before:.1f} ms alone, {during:.1f} ms with 200 slow clients; " \
        f"every oversized body 413"


def backup_during_writes_and_restore(binary, folder):
    path = os.path.join(folder, "tiendo.db")
    url = f"sqlite://{path}"
    server = Server(binary, url, folder).start()
    copy = os.path.join(folder, "copy.db")
    env = dict(os.environ, TIENDO_DATABASE_URL=url)
    with Writers(server.port) as writers:
        time.sleep(1.5)
        started = time.monotonic()
        made = subprocess.run([binary, "backup", copy], env=env, capture_output=True, text=True)
        check(made.returncode == 0, f"backup failed: {made.stderr}")
        time.sleep(1)
    no_surprises(writers)
    # Restoring over a database in use is refused and changes nothing.
    refused = subprocess.run([binary, "restore", copy], env=env, capture_output=True, text=True)
    check(refused.returncode != 0 and "in use" in refused.stderr,
          f"restore while the server runs: {refused.returncode} {refused.stderr}")
    server.stop()
    everything = sqlite_rows(path)
    all_saved_are_stored(writers.saved, everything, "the live database")
    restored = subprocess.run([binary, "restore", copy], env=env, capture_output=True, text=True)
    check(restored.returncode == 0, f"restore failed: {restored.stderr}")
    before_backup = writers.saved_before(started)
    rows = sqlite_rows(path)
    result = all_saved_are_stored(before_backup, rows, "the restored database")
    kept = [f for f in os.listdir(folder) if f.startswith("tiendo.db.replaced-")]
    check(len(kept) == 1, f"the replaced database is not kept: {os.listdir(folder)}")
    all_saved_are_stored(writers.saved, sqlite_rows(os.path.join(folder, kept[0])),
                         "the replaced database")
    server.start()
    own = before_backup[-1][0]
    status, _, _ = request(server.port, "GET", own)
    check(status == 200, f"the server on the restored database answers {status} for {own}")
    server.stop()
    return result + f" ({len(rows)} rows restored; the replaced database kept as {kept[0]})"


def postgres_restarted_under_load(binary, folder, admin):
    with Postgres(admin) as database:
        server = Server(binary, database.url, folder).start()
        with Writers(server.port) as writers:
            time.sleep(1.5)
            cluster = pg_cluster()
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main",
                            "restart", "-m", "fast"], check=True, capture_output=True)
            pg_ready()
            back = time.monotonic()
            deadline = back + 20
            while time.monotonic() < deadline and not any(s[3] > back + 1 for s in writers.saved):
                time.sleep(0.2)
        no_surprises(writers)
        check(any(s[3] > back for s in writers.saved), "nothing was saved after the restart")
        server.stop()
        return all_saved_are_stored(writers.saved, postgres_rows(database.url),
                                    "PostgreSQL after its restart") + \
            f"; {writers.unavailable} refused with 503 meanwhile"


def postgres_dump_during_writes_and_restore(binary, folder, admin):
    with Postgres(admin) as database, Postgres(admin) as target:
        server = Server(binary, database.url, folder).start()
        dump = os.path.join(folder, "tiendo.dump")
        with Writers(server.port) as writers:
            time.sleep(1.5)
            started = time.monotonic()
            subprocess.run(["pg_dump", "-Fc", "-f", dump, database.url], check=True,
                           capture_output=True)
            time.sleep(1)
        no_surprises(writers)
        server.stop()
        subprocess.run(["pg_restore", "--no-owner", "-d", target.url, dump], check=True,
                       capture_output=True)
        before_dump = writers.saved_before(started)
        result = all_saved_are_stored(before_dump, postgres_rows(target.url),
                                      "the database restored by pg_restore")
        server = Server(binary, target.url, folder).start()
        status, _, _ = request(server.port, "GET", before_dump[-1][0])
        check(status == 200, f"the server on the restored database answers {status}")
        server.stop()
        return result


SQLITE_SCENARIOS = [
    kill_9_under_load,
    disk_full_then_freed,
    database_locked_by_another_process,
    sigterm_with_slow_clients,
    slow_headers_and_oversized_bodies,
    backup_during_writes_and_restore,
]
POSTGRES_SCENARIOS = [postgres_restarted_under_load, postgres_dump_during_writes_and_restore]


def on_alarm(*_):
    raise Failed(f"the scenario ran past its limit of {SCENARIO_LIMIT_SECS} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default="target/debug/tiendo")
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    admin = os.environ.get("TIENDO_TEST_DATABASE_URL", "")
    scenarios = [(s, ()) for s in SQLITE_SCENARIOS]
    if admin:
        scenarios += [(s, (admin,)) for s in POSTGRES_SCENARIOS]
    else:
        print("PostgreSQL scenarios skipped: TIENDO_TEST_DATABASE_URL is not set")
    signal.signal(signal.SIGALRM, on_alarm)
    failures = 0
    for scenario, extra in scenarios:
        if args.only and scenario.__name__ not in args.only:
            continue
        folder = tempfile.mkdtemp(prefix="tiendo-fault-")
        started = time.monotonic()
        signal.alarm(SCENARIO_LIMIT_SECS)
        server_log = os.path.join(folder, "server.log")
        try:
            outcome = scenario(binary, folder, *extra)
            print(f"ok    {scenario.__name__} ({time.monotonic() - started:.0f} s): {outcome}")
        except Exception as failure:  # noqa: BLE001 - one broken scenario must not hide the rest
            failures += 1
            print(f"FAIL  {scenario.__name__} ({time.monotonic() - started:.0f} s): {failure}")
            if os.path.exists(server_log):
                with open(server_log, errors="replace") as log:
                    print("      server log:", log.read()[-3000:].replace("\n", "\n      "))
        finally:
            signal.alarm(0)
            for process in STARTED:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            STARTED.clear()
            shutil.rmtree(folder, ignore_errors=True)
        sys.stdout.flush()
    print(f"fault suite: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The first-load budget: what a page makes the browser download before it is whole (its
stylesheet, scripts, and the WebAssembly of its islands), brotli-compressed as the release
build serves it, for each type of page. Fails when any exceeds the budget.

Starts the server given with --bin on a fresh demo database, serving the release assets in
--site (assembled by `scripts/site.py --precompress`, as `make run` serves them), reads
each page as the official or citizen who uses it, and adds up the `.br` files of what it
links. With LEPTOS_HASH_FILES=true, the style sheet must be linked under its hashed name and
served cacheable for a year.
"""

import argparse
import html.parser
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "benches"))
from client import Client  # noqa: E402

BUDGET = 60 * 1024


class Assets(html.parser.HTMLParser):
    """The files a page loads first: stylesheets, scripts, module and fetch preloads."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.found.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") in ("stylesheet", "modulepreload", "preload"):
            self.found.append(attrs["href"])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def compressed_size(site, url):
    path = site / urllib.parse.urlparse(url).path.lstrip("/")
    packed = path.with_name(path.name + ".br")
    if not packed.exists():
        raise SystemExit(f"{packed}: missing (build with --precompress)")
    return packed.stat().st_size


def check_served_compressed(base, url, expected):
    """The server sends the precompressed file as it is, to a browser that takes brotli."""
    import http.client

    parsed = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    connection.request("GET", url, headers={"Accept-Encoding": "gzip, br"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200 or response.getheader("content-encoding") != "br" or len(body) != expected:
        raise SystemExit(
            f"{url}: {response.status}, {response.getheader('content-encoding')}, {len(body)} bytes "
            f"(expected the {expected}-byte brotli file)")
    cache = response.getheader("cache-control") or ""
    if not cache:
        raise SystemExit(f"{url}: no Cache-Control")
    if HASHED.search(url) and "immutable" not in cache:
        raise SystemExit(f"{url}: a hashed name, yet Cache-Control is {cache!r}")


# `pkg/tiendo.<content hash>.css`: the name changes when the content does.
HASHED = re.compile(r"/pkg/[^/]+\.[0-9a-f]{16}\.[a-z]+$")


def kind(url):
    path = urllib.parse.urlparse(url).path
    return {".css": "css", ".js": "js", ".wasm": "wasm"}.get(os.path.splitext(path)[1], "other")


def first_report_task(client):
    """A task page with the report form (and so the evidence picker island)."""
    _, body = client.request("GET", "/my-work?view=all", accept="text/html")
    for part in body.decode().split('href="/tasks/')[1:]:
        path = "/tasks/" + part.split('"', 1)[0]
        _, page = client.request("GET", path, accept="text/html")
        if b'id="report-files"' in page:
            return path
    raise SystemExit("no task with a report form for hue.canbo")


def first_document(client):
    _, body = client.request("GET", "/documents", accept="text/html")
    return "/documents/" + body.decode().split('href="/documents/')[1].split('"', 1)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", default="target/debug/tiendo")
    parser.add_argument("--site", default="target/site-release")
    parser.add_argument("--budget", type=int, default=BUDGET)
    args = parser.parse_args()
    site = pathlib.Path(args.site)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, TIENDO_DATABASE_URL=f"sqlite://{data}/tiendo.db", TIENDO_LOG="warn",
                   LEPTOS_SITE_ROOT=str(site))
        server = subprocess.Popen(
            [args.bin, "serve", "--demo", "--listen", f"127.0.0.1:{port}", "--secure-cookies", "false"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(600):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            citizen = Client(base)
            officer = Client(base).login("hue.canbo")
            pages = [
                ("home", citizen, "/"),
                ("sign-in", citizen, "/login"),
                ("units", citizen, "/units"),
                ("feedback form", citizen, "/feedback"),
                ("my work", officer, "/my-work"),
                ("task with report form", officer, first_report_task(officer)),
                ("dashboard", officer, "/dashboard"),
                ("documents", officer, "/documents"),
                ("document", officer, first_document(officer)),
                ("account", officer, "/account"),
            ]
            rows = []
            for name, client, path in pages:
                response, body = client.request("GET", path, accept="text/html")
                if response.status != 200:
                    raise SystemExit(f"{path}: {response.status}")
                assets = Assets()
                assets.feed(body.decode())
                if os.environ.get("LEPTOS_HASH_FILES") == "true" and not any(HASHED.search(u) for u in assets.found):
                    raise SystemExit(f"{path}: the style sheet is not linked under its hashed name: {assets.found}")
                sizes = {"css": 0, "js": 0, "wasm": 0, "other": 0}
                for url in dict.fromkeys(assets.found):
                    size = compressed_size(site, url)
                    check_served_compressed(base, url, size)
                    sizes[kind(url)] += size
                rows.append((name, path, sizes, sum(sizes.values())))
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"{'page':24} {'CSS':>8} {'JS':>8} {'wasm':>8} {'total':>8}  (brotli bytes; budget {args.budget})")
    over = []
    for name, path, sizes, total in rows:
        print(f"{name:24} {sizes['css']:8} {sizes['js']:8} {sizes['wasm']:8} {total:8}  {path}")
        if total > args.budget:
            over.append(name)
    if over:
        raise SystemExit(f"over the first-load budget: {', '.join(over)}")
    print("every page within the first-load budget")


if __name__ == "__main__":
    main()

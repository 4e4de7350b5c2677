"""A client for the benchmarks: one keep-alive connection, the session cookie, and the
headers a browser sends (an Origin on every request, so state-changing calls pass the
origin check)."""

import http.client
import urllib.parse

PASSWORD = "tiendo-demo-2026"


class Client:
    def __init__(self, base_url):
        url = urllib.parse.urlparse(base_url)
        self.host, self.port = url.hostname, url.port
        self.origin = f"{url.scheme}://{url.netloc}"
        self.cookie = ""
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method, path, fields=None, accept="application/json"):
        body = urllib.parse.urlencode(fields) if fields is not None else None
        headers = {"Accept": accept, "Cookie": self.cookie, "Origin": self.origin}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        cookie = response.getheader("set-cookie")
        if cookie and "tiendo_session" in cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response, data

    def post(self, path, fields):
        """A server function; anything but success ends the benchmark."""
        response, body = self.request("POST", path, fields)
        if response.status >= 400:
            raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
        return response, body

    def login(self, username, password=PASSWORD):
        self.post("/api/login", {"username": username, "password": password, "next": "/"})
        return self

    def created_id(self, path, fields, prefix):
        response, _ = self.post(path, fields)
        location = response.getheader("location") or ""
        return int(location.removeprefix(prefix).split("?")[0].split("/")[0])


def cascade_to_all_communes(client, document, title):
    """Creates a central task in `document` and cascades it to every commune. Returns the
    task, the milliseconds the cascade took as the client saw them, and how many tasks it
    created."""
    import time

    task = client.created_id(
        "/api/tasks/create",
        {
            "document_id": document,
            "title": title,
            "description": "Triển khai tới từng xã, phường, đặc khu.",
            "expected_result": "Báo cáo của từng xã",
            "lead_unit": "TW",
            "coordinators": "",
            "start_on": "2026-01-01",
            "due_on": "2026-12-31",
            "priority": "normal",
            "weight": "1",
            "classification": "internal",
        },
        "/tasks/",
    )
    started = time.perf_counter()
    response, _ = client.post("/api/tasks/cascade", {"id": task, "target": "communes", "units": ""})
    elapsed = (time.perf_counter() - started) * 1000
    query = urllib.parse.parse_qs(urllib.parse.urlparse(response.getheader("location") or "").query)
    return task, elapsed, int(query.get("created", ["0"])[0])

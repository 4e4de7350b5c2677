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

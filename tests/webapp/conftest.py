"""Fixtures for the preview's tests, as in Flask's tutorial: ``app`` and ``client``; plus a
live server for the browser tests, a local page server, and a network guard.

No test sends a packet anywhere but loopback: ``loopback_only`` (autouse, in
tests/conftest.py) fails any test whose code connects to, or resolves, anything else.
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import re
import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest

from webapp import create_app

PAGES = Path(__file__).parent / "pages"
SEED = Path(__file__).parents[2] / "cleaner" / "samples" / "seed-wordpress.html"
CHROMIUM = os.environ.get("CLEANER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]
LEGEND = "indicates required fields"


# -- the app, as in Flask's tutorial ------------------------------------------------------

@pytest.fixture
def app(tmp_path):
    """The preview app, writing fixtures under a temporary folder."""
    app = create_app({"TESTING": True, "FIXTURES_DIR": str(tmp_path / "fixtures")})
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Preview:
    """Drive the preview's forms through the test client (token included)."""

    def __init__(self, client):
        self.client = client
        self._token = None

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = _TOKEN.search(self.client.get("/").text).group(1)
        return self._token

    def submit(self, source: str, **fields):
        data = {"csrf_token": self.token, "source": source, **fields}
        return self.client.post("/preview", data=data)

    def open(self, source: str, **fields):
        """Submit and follow to the view; returns (view response, page id)."""
        resp = self.submit(source, **fields)
        assert resp.status_code == 303, resp.text[:500]
        location = resp.headers["Location"]
        page_id = location.split("/view/", 1)[1].split("?", 1)[0]
        return self.client.get(location), page_id


@pytest.fixture
def preview(client):
    return Preview(client)


@pytest.fixture
def preview_for():
    """Preview(app.test_client()) for an app a test builds itself."""
    return lambda app: Preview(app.test_client())


@pytest.fixture
def pages() -> Path:
    """The folder of test pages."""
    return PAGES


@pytest.fixture
def seed_path() -> Path | None:
    return SEED if SEED.is_file() else None


@pytest.fixture
def seed_html() -> bytes:
    """The seed WordPress page (cleaner's sample), else our own small one like it."""
    path = SEED if SEED.is_file() else PAGES / "wordpress-gravity.html"
    return path.read_bytes()


@pytest.fixture
def gravity_html() -> bytes:
    return (PAGES / "wordpress-gravity.html").read_bytes()


# -- servers on 127.0.0.1 -----------------------------------------------------------------

class LiveServer:
    def __init__(self, url: str, requests: list[str]):
        self.url = url
        self.requests = requests  # every path the server was asked for

    def asked_for(self, prefix: str) -> list[str]:
        return [p for p in self.requests if p.startswith(prefix)]


@pytest.fixture
def live_server_for():
    """serve(app) -> LiveServer: an app served by werkzeug in a daemon thread on
    127.0.0.1, port 0, every request path logged; stopped after the test."""
    from werkzeug.serving import make_server

    servers = []

    def serve(app) -> LiveServer:
        seen: list[str] = []
        wsgi = app.wsgi_app

        def logging_app(environ, start_response):
            seen.append(environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"]
                                                         if environ.get("QUERY_STRING") else ""))
            return wsgi(environ, start_response)

        app.wsgi_app = logging_app
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, name="live-server", daemon=True).start()
        servers.append(server)
        return LiveServer(f"http://127.0.0.1:{server.server_port}", seen)

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def live_server(app, live_server_for):
    """The app served by werkzeug in a daemon thread on 127.0.0.1, port 0."""
    return live_server_for(app)


class Served:
    """The app in the waitress server ``cleaner serve`` runs, in a thread, on ``host``."""

    def __init__(self, app, threads: int = 8, host: str = "127.0.0.1"):
        from webapp.server import make_server

        self.server = make_server(app, host, 0, threads)
        self.host, self.port = host, self.server.effective_port
        self.closed = False
        self.thread = threading.Thread(target=self.server.run, name="waitress", daemon=True)
        self.thread.start()

    def connect(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def post_json(self, body: bytes | dict, timeout: float = 30) -> tuple[int, dict]:
        conn = self.connect(timeout)
        try:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            conn.request("POST", "/api/clean", body=data,
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read() or b"null")
        finally:
            conn.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        server = self.server

        def shut_down() -> None:  # runs in the server's loop: it exits once nothing is left
            for channel in list(server._map.values()):
                if channel is not server.trigger:
                    channel.close()
            server.trigger.close()

        if self.thread.is_alive():
            try:
                server.trigger.pull_trigger(shut_down)
            except OSError:  # the trigger's pipe is gone already: close from here
                shut_down()
            self.thread.join(5)
        server.task_dispatcher.shutdown(timeout=5)


@pytest.fixture
def served_for():
    """served_for(app, threads=8, host="127.0.0.1") -> Served, closed after the test."""
    made: list[Served] = []

    def serve(app, threads: int = 8, host: str = "127.0.0.1") -> Served:
        made.append(Served(app, threads, host))
        return made[-1]

    yield serve
    for served in made:
        served.close()


ROOT = Path(__file__).parents[2]


class ServeProcess:
    """``cleaner serve --port 0`` (plus ``args``) in a child process; ``port`` once it
    listens. Its RSS is the real server's: waitress's threads and all."""

    def __init__(self, *args: str, env: dict[str, str] | None = None):
        self.proc = subprocess.Popen([sys.executable, "-m", "cleaner", "serve", "--port", "0",
                                      *args], cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, **(env or {})})
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line + self.proc.stderr.read()
        self.port = int(m.group(1))

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, str, bytes]:
        """(status, Content-Type, body) of one request on a fresh connection."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            self.location = resp.getheader("Location")
            self.set_cookie = resp.getheader("Set-Cookie")
            return resp.status, resp.getheader("Content-Type") or "", resp.read()
        except (BrokenPipeError, ConnectionResetError):  # refused before the body was sent
            return 413, "", b""
        finally:
            conn.close()

    def token_and_cookie(self) -> tuple[str, str]:
        """A CSRF token and the session cookie it belongs to."""
        _, _, page = self.request("GET", "/")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.decode()).group(1)
        return token, self.set_cookie.split(";", 1)[0]

    def rss(self) -> int:
        with open(f"/proc/{self.proc.pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture
def serve_process():
    """serve_process(*args, env=None) -> ServeProcess, stopped after the test."""
    made: list[ServeProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> ServeProcess:
        made.append(ServeProcess(*args, env=env))
        return made[-1]

    yield start
    for proc in made:
        proc.close()


def _multipart(fields: dict[str, str], file: bytes | None = None,
               filename: str = "page.html") -> tuple[bytes, str]:
    """A multipart/form-data body of ``fields`` (and ``file``); (body, Content-Type)."""
    boundary = "test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             .encode() for k, v in fields.items()]
    if file is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{filename}"\r\nContent-Type: text/html\r\n\r\n'.encode()
                     + file + b"\r\n")
    return (b"".join(parts) + f"--{boundary}--\r\n".encode(),
            f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def multipart():
    """multipart(fields, file=None, filename="page.html") -> (body, Content-Type)."""
    return _multipart


def tiny_png(width: int = 4, height: int = 4) -> bytes:
    """A valid PNG of one red colour, ``width`` x ``height`` pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xc6\x28\x28" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class _PageHandler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.seen.append((self.path, dict(self.headers)))
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for k, v in {"Content-Type": "text/html; charset=utf-8",
                     "Content-Length": str(len(body)), **headers}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def page_server(gravity_html):
    """A plain HTTP server on 127.0.0.1 serving test pages and redirects."""
    routes = {
        "/article": (200, {}, gravity_html),
        "/notes.txt": (200, {"Content-Type": "text/plain; charset=utf-8"},
                       b'The story ends here.\n"*" indicates required fields\n'),
        "/to-private": (302, {"Location": "http://10.0.0.1/admin"}, b""),
        "/to-metadata": (301, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
        "/to-internal": (302, {"Location": "http://intranet.example/"}, b""),
        "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n"),
    }
    handler = type("Handler", (_PageHandler,), {"routes": routes, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class ImageServer:
    def __init__(self, url: str, seen: list):
        self.url = url
        self.seen = seen  # (path, headers) of every request, in order

    @property
    def paths(self) -> list[str]:
        return [p for p, _ in self.seen]


@pytest.fixture
def image_server():
    """A server on 127.0.0.1 with images: /pic.png (a real PNG), /pic.svg, /not-image
    (HTML); it records every request, so a test can prove none was made."""
    routes = {
        "/pic.png": (200, {"Content-Type": "image/png"}, tiny_png(8, 6)),
        "/pic.svg": (200, {"Content-Type": "image/svg+xml"},
                     b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        "/not-image": (200, {}, b"<p>a page</p>"),
    }
    handler = type("Handler", (_PageHandler,), {"routes": routes, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield ImageServer(f"http://127.0.0.1:{httpd.server_address[1]}", handler.seen)
    httpd.shutdown()
    httpd.server_close()


# -- the browser: pytest-playwright with Debian's Chromium --------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium package "
                    "(apt-get install -y chromium) to run the browser tests")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": CHROMIUM_ARGS}

"""`cleaner serve`: the real WSGI server (waitress), loopback by default."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.cli import build_parser
from webapp import server as serve_cli

ROOT = Path(__file__).parents[2]


def test_serve_is_a_cleaner_subcommand():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.open) == ("127.0.0.1", 5000, False)
    args = build_parser().parse_args(["serve", "--host", "::1", "--port", "0", "--open"])
    assert (args.host, args.port, args.open) == ("::1", 0, True)


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True),
                                            ("::1", True), ("[::1]", True), ("127.0.0.2", True),
                                            ("0.0.0.0", False), ("::", False),
                                            ("192.168.1.5", False), ("example.org", False)])
def test_is_loopback(host, loopback):
    assert serve_cli.is_loopback(host) is loopback


class FakeServer:
    effective_port = 5999

    def __init__(self, app, **kw):
        self.app, self.kw = app, kw

    def run(self):
        pass

    def close(self):
        pass


@pytest.fixture
def fake_waitress(monkeypatch):
    made = []

    def create_server(app, **kw):
        made.append(FakeServer(app, **kw))
        return made[-1]

    import waitress
    monkeypatch.setattr(waitress, "create_server", create_server)
    return made


def test_non_loopback_bind_warns(fake_waitress, capsys):
    serve_cli.serve("0.0.0.0", 0)
    err = capsys.readouterr().err
    assert "warning: listening on 0.0.0.0, not loopback" in err
    assert fake_waitress[0].app.config["TRUSTED_HOSTS"] is None


def test_loopback_bind_is_quiet_and_host_checked(fake_waitress, capsys):
    urls = []
    serve_cli.serve("127.0.0.1", 0, ready=urls.append)
    out, err = capsys.readouterr()
    assert err == "" and urls == ["http://127.0.0.1:5999/"]
    assert "cleaner preview on http://127.0.0.1:5999/" in out
    server = fake_waitress[0]
    assert server.kw["host"] == "127.0.0.1" and server.kw["threads"] == 8
    assert server.app.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]


def test_serve_runs_waitress_end_to_end(gravity_html):
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "serve", "--port", "0"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line + proc.stderr.read()
        port = int(m.group(1))
        for _ in range(50):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/")
                resp = conn.getresponse()
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
        assert resp.status == 200 and resp.getheader("Server") == "cleaner-preview"
        assert "default-src 'none'" in resp.getheader("Content-Security-Policy")
        resp.read()
        conn.request("POST", "/api/clean", body=json.dumps({"html": gravity_html.decode()}),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = json.loads(resp.read())
        assert resp.status == 200 and "indicates required fields" not in data["text"]
        conn.close()
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()

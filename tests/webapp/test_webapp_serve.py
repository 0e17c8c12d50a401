"""`cleaner serve`: the real WSGI server (waitress), loopback by default."""

from __future__ import annotations

import http.client
import json
import socket
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


def test_a_port_past_65535_is_a_usage_error(capsys):
    # was: waitress served 99999 as port 34463
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["serve", "--port", "99999"])
    assert info.value.code == 2 and "a port is 0 to 65535" in capsys.readouterr().err


def test_a_taken_port_is_one_line_not_a_traceback(capsys):
    # was: OSError "Address already in use" as a traceback (and ValueError for a bad host)
    from cleaner.cli import main
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"cleaner: cannot listen on 127.0.0.1 port {port}: ")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_failed_bind_beyond_loopback_warns_of_nothing(monkeypatch, capsys):
    # was: the not-loopback warning, then the error: two lines for one bad --host
    import waitress

    def refuse(app, **kw):
        raise ValueError("Invalid host/port specified.")
    monkeypatch.setattr(waitress, "create_server", refuse)
    from cleaner.cli import main
    assert main(["serve", "--host", "bad host"]) == 1
    assert capsys.readouterr().err == \
        "cleaner: cannot listen on bad host port 5000: Invalid host/port specified.\n"


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
    assert fake_waitress[0].app.config["ALLOWED_HOSTS"] is None


def test_loopback_bind_is_quiet_and_host_checked(fake_waitress, capsys):
    urls = []
    serve_cli.serve("127.0.0.1", 0, ready=urls.append)
    out, err = capsys.readouterr()
    assert err == "" and urls == ["http://127.0.0.1:5999/"]
    assert "cleaner preview on http://127.0.0.1:5999/" in out
    server = fake_waitress[0]
    assert server.kw["host"] == "127.0.0.1" and server.kw["threads"] == 8
    assert server.app.config["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]


# every loopback bind: the bound address and localhost pass, any other name is refused, so
# a DNS-rebinding page (evil.example -> 127.0.0.1) gets neither a page nor a CSRF token
BINDS = [("127.0.0.1", "127.0.0.1"), ("::1", "[::1]"), ("[::1]", "[::1]"),
         ("127.0.0.2", "127.0.0.2"), ("localhost", "localhost")]
REBINDING = ["evil.example", "evil.example:5999", "127.0.0.1.evil.example", "localhost.evil",
             "localhost.", "169.254.169.254"]


@pytest.mark.parametrize("bind, own", BINDS)
def test_every_loopback_bind_accepts_only_its_address_and_localhost(fake_waitress, tmp_path,
                                                                    bind, own):
    serve_cli.serve(bind, 0, config={"FIXTURES_DIR": str(tmp_path / "fixtures")})
    client = fake_waitress[0].app.test_client()
    for host in (f"{own}:5999", own, "localhost:5999", "LOCALHOST:5999", "LocalHost"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in REBINDING:
        resp = client.get("/", headers={"Host": host})
        assert resp.status_code == 400, host
        assert "csrf_token" not in resp.text and "untrusted Host" in resp.text
        resp = client.post("/api/clean", json={"html": "<p>x</p>"}, headers={"Host": host})
        assert resp.status_code == 400 and "untrusted Host" in resp.get_json()["error"]
    others = {"127.0.0.1", "[::1]", "127.0.0.2"} - {own}
    if bind != "localhost":  # a bind answers to its own address only
        for host in others:
            assert client.get("/", headers={"Host": f"{host}:5999"}).status_code == 400, host


@pytest.mark.parametrize("bind, own", BINDS)
def test_rebinding_page_cannot_write_a_fixture_on_any_loopback_bind(fake_waitress, tmp_path,
                                                                    preview_for, gravity_html,
                                                                    bind, own):
    """The attack the issue reported: a page on evil.example, rebound to the preview's
    address, fetches a token and posts /fixture/<id>. Even with a valid token and session
    cookie in hand, its requests carry Host: evil.example and are refused."""
    fixtures = tmp_path / "fixtures"
    serve_cli.serve(bind, 0, config={"FIXTURES_DIR": str(fixtures)})
    preview = preview_for(fake_waitress[0].app)
    preview.client.environ_base["HTTP_HOST"] = own
    _, page_id = preview.open("paste", html=gravity_html.decode())
    evil = {"Host": "evil.example:5999"}
    assert preview.client.get("/", headers=evil).status_code == 400
    resp = preview.client.post(f"/fixture/{page_id}", headers=evil, data={
        "csrf_token": preview.token, "site": "planted-by-evil"})
    assert resp.status_code == 400
    assert not (fixtures / "planted-by-evil").exists()
    # the same post under the bound address works: the refusal above was the Host check
    resp = preview.client.post(f"/fixture/{page_id}", data={
        "csrf_token": preview.token, "site": "planted-by-me"})
    assert resp.status_code == 303 and (fixtures / "planted-by-me").is_dir()


def test_ipv6_loopback_bind_refuses_a_foreign_host_through_waitress(served_for):
    """The real server on ::1 (skipped where the machine has no IPv6 loopback)."""
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    from webapp import create_app
    served = served_for(create_app({"ALLOWED_HOSTS": serve_cli.allowed_hosts("::1")}),
                        threads=2, host="::1")
    for host, status in ((f"evil.example:{served.port}", 400), (f"[::1]:{served.port}", 200),
                         (f"localhost:{served.port}", 200)):
        conn = served.connect(10)
        conn.request("GET", "/", headers={"Host": host})
        resp = conn.getresponse()
        assert resp.status == status, host
        resp.read()
        conn.close()


@pytest.fixture
def small_cap_serve(serve_process):
    return serve_process("--max-bytes", "100000")


def test_oversized_api_request_gets_the_apps_json_413_not_the_servers(small_cap_serve):
    """A body over the request limit, but within the server's margin above it, is refused
    by the preview itself: JSON, naming the one documented cap (the page's bytes)."""
    body = json.dumps({"html": "<p>" + "x" * 400_000 + "</p>"}).encode()
    status, ctype, answer = small_cap_serve.request(
        "POST", "/api/clean", body, {"Content-Type": "application/json"})
    assert status == 413 and ctype.startswith("application/json"), answer[:200]
    assert "pages up to 100,000 bytes" in json.loads(answer)["error"]


def test_oversized_form_post_gets_the_start_page_with_the_error(small_cap_serve, multipart):
    token, cookie = small_cap_serve.token_and_cookie()
    body, ctype = multipart({"csrf_token": token, "source": "upload"}, b"x" * 400_000)
    status, got, answer = small_cap_serve.request(
        "POST", "/preview", body, {"Content-Type": ctype, "Cookie": cookie})
    page = answer.decode()
    assert status == 413 and got.startswith("text/html"), page[:200]
    assert 'id="form-upload"' in page and 'id="form-paste"' in page  # the forms, again
    assert "pages up to 100,000 bytes" in page and 'role="alert"' in page


def test_a_page_under_the_cap_passes_however_it_is_encoded(small_cap_serve):
    """The cap is the page's UTF-8 bytes, not the request's: 90,000 bytes of Cyrillic are
    270,000 bytes as ASCII-escaped JSON, and still accepted."""
    html = "<p>" + "Привет мир. " * 4000 + "</p>"
    assert len(html.encode()) < 100_000 < len(json.dumps({"html": html}))
    status, _, answer = small_cap_serve.request(
        "POST", "/api/clean", json.dumps({"html": html}).encode(),
        {"Content-Type": "application/json"})
    assert status == 200, answer[:300]
    assert json.loads(answer)["text"].startswith("Привет мир.")


def test_far_over_the_margin_the_server_refuses_alone(small_cap_serve):
    status, _, _ = small_cap_serve.request(
        "POST", "/api/clean", b"{" + b" " * 3_000_000 + b"}",
        {"Content-Type": "application/json"})
    assert status == 413


def test_serve_runs_waitress_end_to_end(serve_process, gravity_html):
    served = serve_process()
    status, _, _ = served.request("GET", "/")
    assert status == 200
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    conn.request("GET", "/")
    resp = conn.getresponse()
    assert resp.getheader("Server") == "cleaner-preview"
    assert "default-src 'none'" in resp.getheader("Content-Security-Policy")
    resp.read()
    conn.close()
    status, _, answer = served.request("POST", "/api/clean",
                                       json.dumps({"html": gravity_html.decode()}).encode(),
                                       {"Content-Type": "application/json"})
    assert status == 200 and "indicates required fields" not in json.loads(answer)["text"]

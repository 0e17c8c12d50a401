"""The guarded fetcher: SSRF rules, redirects re-checked per hop, caps and deadlines.

No test sends a packet anywhere but loopback: names go through a stub resolver, and the
``loopback_only`` fixture fails any test whose code connects (or resolves) elsewhere.
Pages come from a local http.server thread on 127.0.0.1, fetched with
``allow_loopback=True`` (that server only).
"""

from __future__ import annotations

import gzip
import http.server
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest

from cleaner.errors import CleanerError, FetchError
from cleaner.sources.fetch import BlockedURLError, Page, blocked_reason, check_url, fetch

PAGE = b"<html><head><title>T</title></head><body><p>Hello there.</p></body></html>"


# -- the network guard --------------------------------------------------------------------



def stub_resolver(table: dict[str, list[str]]):
    """A resolver answering from ``table``; counts its calls in ``.calls``."""
    def resolve(host: str, port: int) -> list[str]:
        resolve.calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]
    resolve.calls = []
    return resolve


# -- the local test server ----------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("Host")))
        route = self.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        route(self)


def _send(status=200, body=PAGE, headers=None):
    def handle(h):
        h.send_response(status)
        hdrs = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))}
        hdrs.update(headers or {})
        for k, v in hdrs.items():
            if v is not None:
                h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
    return handle


def _redirect(location, status=302):
    return _send(status, b"", {"Location": location, "Content-Length": "0"})


def _drip(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    try:
        for _ in range(40):
            h.wfile.write(b"<p>x</p>")
            h.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def _drip_headers(h):
    """A status line and headers sent one byte every 0.1 s: every recv gets a byte well
    inside any socket timeout, so only an overall deadline stops the fetch."""
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 8\r\n"
            b"X-Padding: " + b"x" * 40 + b"\r\n\r\n<p>x</p>")
    try:
        for i in range(len(head)):
            h.wfile.write(head[i:i + 1])
            h.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def _endless(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    try:
        for _ in range(2000):
            h.wfile.write(b"<p>" + b"x" * 8192 + b"</p>")
    except OSError:
        pass


BOMB = gzip.compress(b"<p>" + b"a" * 30_000_000, compresslevel=9)

ROUTES = {
    "/page": _send(),
    "/gzip": _send(body=gzip.compress(PAGE), headers={"Content-Encoding": "gzip"}),
    "/bomb": _send(body=BOMB, headers={"Content-Encoding": "gzip"}),
    "/big": _send(headers={"Content-Length": "50000000"}),
    "/endless": _endless,
    "/slow": _drip,
    "/slow-headers": _drip_headers,
    "/image": _send(body=b"\x89PNG....", headers={"Content-Type": "image/png"}),
    "/gone": _send(410, b"gone"),
    "/to-page": _redirect("/page"),
    "/to-private": _redirect("http://10.0.0.1/admin"),
    "/to-metadata": _redirect("http://169.254.169.254/latest/meta-data/", 307),
    "/to-hex-private": _redirect("http://0x0a000001/"),
    "/to-internal-name": _redirect("http://intranet.example/"),
    "/to-file": _redirect("file:///etc/passwd"),
    "/to-broken-ipv6": _redirect("http://[::1"),
    "/to-broken-ipv6-relative": _redirect("//[x"),
    "/to-ipv6-mapped": _redirect("http://[::ffff:10.0.0.1]/"),
    "/loop": _redirect("/loop"),
    "/to-slow-headers": _redirect("/slow-headers"),
    "/no-location": _send(302, b""),
}


@pytest.fixture(scope="module")
def server():
    """An HTTP server on 127.0.0.1 with the routes above; yields its base URL."""
    handler = type("Handler", (_Handler,), {"routes": ROUTES, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server):
    server[1].seen.clear()
    return server[0]


def local(url, **kw):
    return fetch(url, allow_loopback=True, **kw)


# -- URLs and addresses refused before anything is sent -----------------------------------

@pytest.mark.parametrize("url, why", [
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.1:8080/admin", "loopback"),
    ("http://10.0.0.1/", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]/", "loopback"),
    ("http://[::]/", "unspecified"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://0x7f000001/", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://0x7f.0.0.1/", "loopback"),
    ("http://0xa9fea9fe/", "link-local"),
    ("http://100.64.0.1/", "carrier-grade"),
    ("http://224.0.0.251/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://240.0.0.1/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fd12:3456::1]/", "private"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:169.254.169.254]/", "link-local"),
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[::127.0.0.1]/", "loopback"),
    ("http://[64:ff9b::a00:1]/", "private"),      # NAT64 of 10.0.0.1
    ("http://[2002:7f00:1::]/", "loopback"),       # 6to4 of 127.0.0.1
    ("http://[2002:a9fe:a9fe::1]/", "link-local"),  # 6to4 of 169.254.169.254
])
def test_private_and_special_addresses_are_refused(url, why):
    with pytest.raises(BlockedURLError, match=why):
        fetch(url)


@pytest.mark.parametrize("url, why", [
    ("file:///etc/passwd", "only http and https"),
    ("ftp://example.org/x", "only http and https"),
    ("gopher://example.org/", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("http://user:pw@example.org/", "user name or password"),
    ("http:///nohost", "no host"),
    ("http://exa mple.org/", "spaces or control"),
    ("http://example.org\r\nX-Injected: 1/", "spaces or control"),
    ("http://example.org:0/", "port 0"),
    ("http://example.org:99999/", "refused"),
    ("http://1.2.3.4.5/", "valid IPv4"),
    ("http://0x1g.0x1/", "valid IPv4"),
    ("", "no URL"),
])
def test_malformed_or_unsupported_urls_are_refused(url, why):
    with pytest.raises(BlockedURLError, match=why):
        fetch(url, resolver=stub_resolver({}))


def test_loopback_refused_even_with_allow_loopback_when_private():
    with pytest.raises(BlockedURLError, match="private"):
        fetch("http://10.1.2.3/", allow_loopback=True)
    with pytest.raises(BlockedURLError, match="inside an IPv6"):
        fetch("http://[::ffff:127.0.0.1]/", allow_loopback=True)


def test_public_name_resolving_to_private_address_is_refused():
    resolver = stub_resolver({"public.example": ["10.0.0.1"]})
    with pytest.raises(BlockedURLError, match="public.example resolves to 10.0.0.1"):
        fetch("http://public.example/page", resolver=resolver)
    assert resolver.calls == ["public.example"]


def test_one_private_answer_among_public_ones_refuses_the_host():
    resolver = stub_resolver({"mixed.example": ["93.184.215.14", "2606:2800::1", "127.0.0.1"]})
    with pytest.raises(BlockedURLError, match="resolves to 127.0.0.1, which is a loopback"):
        fetch("https://mixed.example/", resolver=resolver)


@pytest.mark.parametrize("answer", ["169.254.169.254", "::1", "fe80::1%eth0", "100.100.1.1",
                                    "::ffff:192.168.0.1", "0.0.0.0"])
def test_name_resolving_to_special_address_is_refused(answer):
    with pytest.raises(BlockedURLError):
        fetch("http://sneaky.example/", resolver=stub_resolver({"sneaky.example": [answer]}))


def test_localhost_name_is_refused():
    with pytest.raises(BlockedURLError, match="localhost resolves to .* loopback"):
        fetch("http://localhost/")


def test_refusal_of_a_resolved_name_reads_as_a_sentence():
    resolver = stub_resolver({"localhost": ["127.0.0.1"], "lan.example": ["::ffff:10.0.0.1"]})
    with pytest.raises(BlockedURLError) as info:
        fetch("http://localhost/", resolver=resolver)
    assert str(info.value) == ("refused http://localhost/: localhost resolves to 127.0.0.1, "
                               "which is a loopback address")
    with pytest.raises(BlockedURLError) as info:
        fetch("http://lan.example/", resolver=resolver)
    mapped = ipaddress.ip_address("::ffff:10.0.0.1")  # written ::ffff:a00:1 before 3.13
    assert str(info.value).endswith(f"lan.example resolves to {mapped}, which is a private "
                                    "address (IPv4 10.0.0.1 inside an IPv6 address)")


def test_unresolvable_name_is_a_fetch_error_not_a_block():
    with pytest.raises(FetchError, match="cannot resolve nowhere.example") as info:
        fetch("http://nowhere.example/", resolver=stub_resolver({}))
    assert not isinstance(info.value, BlockedURLError)


def test_check_url_returns_vetted_addresses_without_connecting():
    resolver = stub_resolver({"example.org": ["93.184.215.14", "2606:2800:21f:cb07::1"]})
    assert check_url("https://example.org/a", resolver=resolver) == [
        "93.184.215.14", "2606:2800:21f:cb07::1"]


@pytest.mark.parametrize("address, blocked", [
    ("8.8.8.8", False), ("2001:4860:4860::8888", False), ("1.1.1.1", False),
    ("127.0.0.53", True), ("10.255.255.255", True), ("192.0.2.7", True), ("::", True),
    ("64:ff9b::c0a8:1", True),
    ("64:ff9b::808:808", True),  # NAT64 sits in reserved ::/8: refused even when public
])
def test_blocked_reason(address, blocked):
    assert (blocked_reason(address) is not None) is blocked


def test_errors_are_cleaner_errors():
    assert issubclass(BlockedURLError, FetchError) and issubclass(FetchError, CleanerError)


# -- fetching from the local server -------------------------------------------------------

def test_fetches_a_page(base):
    page = local(base + "/page")
    assert isinstance(page, Page)
    assert (page.status, page.content, page.url) == (200, PAGE, base + "/page")
    assert page.headers["content-type"].startswith("text/html")
    assert page.content_type.startswith("text/html")


def test_loopback_needs_the_explicit_switch(base):
    with pytest.raises(BlockedURLError, match="loopback"):
        fetch(base + "/page")


def test_connection_is_pinned_to_the_vetted_address_and_host_header_kept(server):
    base_url, handler = server
    port = base_url.rsplit(":", 1)[1]
    handler.seen.clear()
    # a rebinding resolver: the second answer would be private, but it is never asked again
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    calls = []

    def rebinding(host, p):
        calls.append(host)
        return next(answers)

    page = fetch(f"http://site.test:{port}/page", allow_loopback=True, resolver=rebinding)
    assert page.content == PAGE
    assert calls == ["site.test"]
    assert handler.seen == [("/page", f"site.test:{port}")]


def test_gzip_body_is_decoded(base):
    assert local(base + "/gzip").content == PAGE


@pytest.mark.parametrize("route, options, error", [
    ("/bomb", {"max_bytes": 1_000_000}, "over the limit of 1,000,000 bytes once decompressed"),
    ("/big", {"max_bytes": 1_000_000}, "50,000,000 bytes, over the limit"),
    ("/endless", {"max_bytes": 100_000}, "over the limit of 100,000 bytes"),
    ("/image", {}, "image/png, not an HTML page"),
    ("/gone", {}, "HTTP 410"),
    ("/missing", {}, "HTTP 404"),
    ("/loop", {"max_redirects": 3}, "more than 3 redirects"),
    ("/no-location", {}, "without a Location"),
])
def test_fetch_failures(base, route, options, error):
    with pytest.raises(FetchError, match=error) as info:
        local(base + route, **options)
    assert not isinstance(info.value, BlockedURLError)


def test_content_types_choose_what_is_accepted(base):
    """The preview's image proxy fetches images under the same rules as pages."""
    types = {"image/png", "image/gif"}
    assert local(base + "/image", content_types=types).content.startswith(b"\x89PNG")
    with pytest.raises(FetchError, match="text/html, not image/gif or image/png"):
        local(base + "/page", content_types=types)


def test_accept_header_names_the_types(server):
    base_url, handler = server
    handler.seen.clear()
    seen_accept = []
    original = handler.do_GET

    def record(h):
        seen_accept.append(h.headers.get("Accept"))
        return original(h)

    handler.do_GET = record
    try:
        local(base_url + "/image", content_types={"image/png", "image/webp"})
        local(base_url + "/page")
    finally:
        handler.do_GET = original
    assert seen_accept[0] == "image/png,image/webp"
    assert seen_accept[1].startswith("text/html,")


def test_slow_body_hits_the_deadline(base):
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        local(base + "/slow", timeout=0.5)
    assert time.monotonic() - start < 3


def test_slow_drip_headers_hit_the_one_deadline(base):
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        local(base + "/slow-headers", timeout=1)
    assert time.monotonic() - start < 2  # one deadline, not one timeout per byte


def test_deadline_covers_a_redirect_chain(base):
    """Every hop spends the same budget: a redirect then dripped headers stop in time."""
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        local(base + "/to-slow-headers", timeout=1)
    assert time.monotonic() - start < 2


def test_connection_refused_is_a_fetch_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        local(f"http://127.0.0.1:{port}/")


# -- redirects, re-checked at every hop ---------------------------------------------------

def test_relative_redirect_is_followed(base):
    page = local(base + "/to-page")
    assert page.content == PAGE and page.url == base + "/page"
    assert page.redirects == (base + "/to-page",)


@pytest.mark.parametrize("route, why", [
    ("/to-private", "10.0.0.1 is a private"),
    ("/to-metadata", "169.254.169.254 is a link-local"),
    ("/to-ipv6-mapped", "inside an IPv6"),
    ("/to-hex-private", "10.0.0.1 is a private"),
    ("/to-file", "only http and https"),
    # was: ValueError from urljoin, a traceback from the CLI and a 500 in the preview
    ("/to-broken-ipv6", "Invalid IPv6 URL"),
    ("/to-broken-ipv6-relative", "Invalid IPv6 URL"),
])
def test_redirect_to_forbidden_target_is_refused(base, server, route, why):
    with pytest.raises(BlockedURLError, match=why):
        local(base + route)
    assert [p for p, _ in server[1].seen] == [route]  # nothing else was requested


def test_redirect_to_name_resolving_private_is_refused(base, server):
    port = base.rsplit(":", 1)[1]
    resolver = stub_resolver({"start.test": ["127.0.0.1"], "intranet.example": ["192.168.7.7"]})
    with pytest.raises(BlockedURLError, match="intranet.example resolves to 192.168.7.7"):
        fetch(f"http://start.test:{port}/to-internal-name", allow_loopback=True,
              resolver=resolver)
    assert resolver.calls == ["start.test", "intranet.example"]


# -- HTTPS: pinned address, certificate and SNI checked against the name ------------------

@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed (needed to make a test certificate)")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=site.test", "-addext", "subjectAltName=DNS:site.test",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    handler = type("Handler", (_Handler,), {"routes": ROUTES, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(cert, key)
    sni = []
    sctx.sni_callback = lambda sock, name, ctx: sni.append(name)
    httpd.socket = sctx.wrap_socket(httpd.socket, server_side=True)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield httpd.server_address[1], ssl.create_default_context(cafile=str(cert)), sni, handler
    httpd.shutdown()
    httpd.server_close()


def test_https_uses_the_name_for_sni_and_certificate(tls_server):
    port, ctx, sni, handler = tls_server
    resolver = stub_resolver({"site.test": ["127.0.0.1"]})
    page = fetch(f"https://site.test:{port}/page", allow_loopback=True, resolver=resolver,
                 ssl_context=ctx)
    assert page.content == PAGE
    assert sni[-1] == "site.test"
    assert handler.seen[-1] == ("/page", f"site.test:{port}")


def test_https_certificate_for_another_name_fails(tls_server):
    port, ctx, _, _ = tls_server
    resolver = stub_resolver({"other.test": ["127.0.0.1"]})
    with pytest.raises(FetchError, match="TLS error"):
        fetch(f"https://other.test:{port}/page", allow_loopback=True, resolver=resolver,
              ssl_context=ctx)

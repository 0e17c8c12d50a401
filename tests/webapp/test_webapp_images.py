"""Images on: the framed page may load its images only through the preview's image proxy,
which fetches them with the guarded fetcher. No image URL (img, srcset, picture, poster,
input image, preload, prefetch, CSS, through <base href>) reaches loopback, the LAN or a
metadata service; refusals happen before any connection."""

from __future__ import annotations

import re
import socket

import pytest

from webapp import create_app

PRIVATE = {
    "img": "http://10.0.0.1/img.png",
    "srcset": "http://192.168.1.1/big.png",
    "picture": "http://172.16.0.5/pic.webp",
    "poster": "http://169.254.169.254/latest/meta-data/poster.jpg",
    "input": "http://[::1]/go.png",
    "preload": "http://10.9.9.9/preload.png",
    "prefetch": "http://10.9.9.8/prefetch",
    "css": "http://10.7.7.7/background.png",
    "lan-name": "http://router.lan.example/logo.png",
}


def page_with(urls: dict[str, str], base: str | None = None) -> str:
    """Every way a page loads an image, each pointing at ``urls[kind]``."""
    head = f'<base href="{base}">' if base else ""
    return f"""<html><head>{head}<title>Images</title>
<link rel="preload" as="image" href="{urls['preload']}">
<link rel="prefetch" href="{urls['prefetch']}">
<style>article {{ background: url("{urls['css']}"); }}</style></head>
<body><article><h1>A page of images</h1>
<p>The council voted on Tuesday to close the old bridge, citing safety and cost.</p>
<img src="{urls['img']}" alt="one">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" srcset="{urls['srcset']} 2x" alt="two">
<picture><source srcset="{urls['picture']}"><img src="relative.png" alt="three"></picture>
<video poster="{urls['poster']}"></video>
<form><input type="image" src="{urls['input']}" alt="go"></form>
<img src="{urls['lan-name']}" alt="four">
<div style="background-image: url({urls['css']})">styled</div>
</article></body></html>"""


@pytest.fixture
def guarded_app(tmp_path):
    """The preview as shipped (loopback refused), with a stub resolver for LAN names."""
    def resolve(host, port):
        if host == "router.lan.example":
            return ["192.168.0.1"]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return create_app({"TESTING": True, "FIXTURES_DIR": str(tmp_path / "fixtures"),
                       "FETCH_RESOLVER": resolve})


@pytest.fixture
def connects(monkeypatch):
    """Every address the code under test connects to (the loopback guard still applies)."""
    seen: list = []
    real = socket.socket.connect

    def connect(self, address):
        seen.append(address)
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


@pytest.fixture
def open_images(preview_for):
    """open_images(app, html, url=None) -> (Preview, page id): the page pasted and viewed."""
    def open_page(app, html: str, url: str | None = None):
        preview = preview_for(app)
        _, page_id = preview.open("paste", html=html, page_url=url or "")
        return preview, page_id
    return open_page


def test_images_on_csp_allows_only_this_pages_image_proxy(guarded_app, open_images):
    preview, page_id = open_images(guarded_app, page_with(PRIVATE))
    for path in (f"/page/{page_id}?images=1", f"/page/{page_id}?mark=1&images=1"):
        csp = preview.client.get(path).headers["Content-Security-Policy"]
        img = re.search(r"img-src ([^;]*);", csp).group(1)
        assert img == f"data: http://localhost/page/{page_id}/image/"
        assert not re.search(r"\bhttps?:(?!//localhost/page/)", csp)  # no scheme-wide source
        assert csp.startswith("sandbox;")
    csp = preview.client.get(f"/page/{page_id}?mark=1").headers["Content-Security-Policy"]
    assert re.search(r"img-src data:;", csp)


@pytest.mark.parametrize("mark", ["1", "0"])
def test_every_image_url_points_at_the_proxy_and_nothing_else_is_left(guarded_app, mark, open_images):
    preview, page_id = open_images(guarded_app, page_with(PRIVATE))
    body = preview.client.get(f"/page/{page_id}?mark={mark}&images=1").text
    prefix = f"/page/{page_id}/image/"
    for tag in re.findall(r"<(?:img|source|video|input)\b[^>]*>", body):
        for attr, value in re.findall(r'\b(src|srcset|poster)="([^"]*)"', tag):
            for item in value.split(",") if attr == "srcset" else [value]:
                url = item.strip().split(" ")[0]
                assert url.startswith((prefix, "data:")), (attr, tag)
    assert "<link" not in body and "<base" not in body  # preload, prefetch: gone
    # what stays in the page (CSS) can only load from the proxy's path: see the CSP test
    assert "<img alt=\"three\">" in body or 'alt="three"' in body  # relative, no URL: dropped


def test_images_off_point_at_nothing(guarded_app, open_images):
    preview, page_id = open_images(guarded_app, page_with(PRIVATE))
    body = preview.client.get(f"/page/{page_id}?mark=1").text
    assert f"/page/{page_id}/image/" not in body
    assert 'src="data:,0"' in body


@pytest.mark.parametrize("kind", list(PRIVATE))
def test_image_proxy_refuses_private_targets_before_connecting(guarded_app, connects, kind, open_images):
    """Refused by the guard before any socket connects: loopback_only (tests/conftest.py)
    fails on a non-loopback connect, and ``connects`` shows none to loopback either."""
    urls = dict.fromkeys(PRIVATE, "data:,x") | {kind: PRIVATE[kind]}
    if kind in ("preload", "prefetch", "css"):
        pytest.skip("not an image the proxy serves: removed from the page or left to the CSP")
    preview, page_id = open_images(guarded_app, page_with(urls))
    before = len(connects)
    resp = preview.client.get(f"/page/{page_id}/image/0")
    assert resp.status_code == 400, resp.text
    assert re.search(r"private|loopback|link-local", resp.text)
    assert connects[before:] == []


def test_base_href_to_a_private_host_is_refused_too(guarded_app, connects, open_images):
    urls = dict.fromkeys(PRIVATE, "logo.png")
    preview, page_id = open_images(guarded_app, page_with(urls, base="http://10.1.1.1/assets/"),
                                   url="https://news.example/story")
    before = len(connects)
    resp = preview.client.get(f"/page/{page_id}/image/0")
    assert resp.status_code == 400 and "10.1.1.1 is a private address" in resp.text
    assert connects[before:] == []


@pytest.fixture
def loopback_images_app(tmp_path):
    """An app whose fetcher may reach the local image server under a public-looking name
    (tests only: FETCH_ALLOW_LOOPBACK stands in for the public internet)."""
    return create_app({"TESTING": True, "FIXTURES_DIR": str(tmp_path / "fixtures"),
                       "FETCH_ALLOW_LOOPBACK": True,
                       "FETCH_RESOLVER": lambda host, port: ["127.0.0.1"]})


def test_image_proxy_fetches_a_public_image(loopback_images_app, image_server, open_images):
    port = image_server.url.rsplit(":", 1)[1]
    html = page_with(dict.fromkeys(PRIVATE, f"http://images.example:{port}/pic.png"))
    preview, page_id = open_images(loopback_images_app, html)
    resp = preview.client.get(f"/page/{page_id}/image/0")
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert resp.data.startswith(b"\x89PNG")
    assert resp.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    path, headers = image_server.seen[-1]
    assert path == "/pic.png" and headers["Host"] == f"images.example:{port}"
    assert headers["User-Agent"].startswith("cleaner/") and "Cookie" not in headers


@pytest.mark.parametrize("path, status", [("/pic.svg", 502), ("/not-image", 502)])
def test_image_proxy_serves_raster_images_only(loopback_images_app, image_server, path,
                                               status, open_images):
    port = image_server.url.rsplit(":", 1)[1]
    html = page_with(dict.fromkeys(PRIVATE, f"http://images.example:{port}{path}"))
    preview, page_id = open_images(loopback_images_app, html)
    resp = preview.client.get(f"/page/{page_id}/image/0")
    assert resp.status_code == status and resp.mimetype == "text/plain"


def test_image_proxy_serves_only_the_pages_own_images(guarded_app, open_images):
    preview, page_id = open_images(guarded_app, page_with(PRIVATE))
    assert preview.client.get(f"/page/{page_id}/image/999").status_code == 404
    assert preview.client.get("/page/AAAAAAAAAAAAAAAA/image/0").status_code == 404


def test_the_warning_names_what_will_be_contacted(guarded_app, open_images):
    html = page_with(dict.fromkeys(PRIVATE, "https://cdn.example/a.png")
                     | {"img": "https://img.example/b.png"})
    preview, page_id = open_images(guarded_app, html)
    view = preview.client.get(f"/view/{page_id}").text
    hint = re.search(r'<p class="hint" id="images-hint">(.*?)</p>', view, re.S).group(1)
    assert "cdn.example" in hint and "img.example" in hint
    assert "public addresses only" in hint
    view = preview.client.get(f"/view/{page_id}?images=1").text
    hint = re.search(r'<p class="hint" id="images-hint">(.*?)</p>', view, re.S).group(1)
    assert "cdn.example" in hint and "Turn images off" in hint


@pytest.mark.parametrize("broken, base, url", [
    ("http://[::1/x.png", None, None), ("//[/x.png", None, None),
    ("http://a\uff03b/x.png", None, None), ("http://a.example:99999/x.png", None, None),
    ("x.png", "http://[::1", None), ("x.png", None, "http://[::1"),
])
def test_an_image_url_urllib_cannot_read_is_dropped_not_a_500(guarded_app, open_images,
                                                               broken, base, url):
    # was: ValueError ("Invalid IPv6 URL") from urljoin/urlsplit: every view of the page,
    # its framed copy and its image proxy answered 500
    urls = dict.fromkeys(PRIVATE, broken) | {"img": "https://cdn.example/ok.png"}
    preview, page_id = open_images(guarded_app, page_with(urls, base=base), url=url)
    for path in (f"/view/{page_id}", f"/view/{page_id}?images=1", f"/page/{page_id}?images=1",
                 f"/page/{page_id}?mark=1&images=1", f"/page/{page_id}/image/1"):
        resp = preview.client.get(path)
        assert resp.status_code in (200, 404), (path, resp.status_code)
    body = preview.client.get(f"/page/{page_id}?images=1").text
    for tag in re.findall(r"<(?:img|source|video|input)\b[^>]*>", body):  # CSS: the CSP's
        assert not re.search(r"\[::1|\uff03|99999", tag), tag

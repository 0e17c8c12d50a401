"""The preview's URL box and API refuse local, private and special addresses: directly,
through a public-looking name, and through a redirect. Nothing leaves loopback."""

from __future__ import annotations

import socket

import pytest

from webapp import create_app

FORBIDDEN = [
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.1:5000/api/clean", "loopback"),
    ("http://localhost:8080/", "loopback"),
    ("http://10.0.0.1/", "private"),
    ("http://192.168.0.1/", "private"),
    ("http://172.31.255.255/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[fd00::1]/", "private"),
    ("http://0x7f000001/", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://100.64.0.1/", "carrier-grade"),
    ("http://224.0.0.1/", "multicast"),
    ("file:///etc/passwd", "only http and https"),
    ("gopher://127.0.0.1:25/", "only http and https"),
    ("http://user:secret@example.org/", "user name or password"),
]


def stub_resolver(table):
    def resolve(host, port):
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]
    return resolve


@pytest.mark.parametrize("url, why", FORBIDDEN)
def test_api_refuses_forbidden_urls(client, url, why):
    resp = client.post("/api/clean", json={"url": url})
    assert resp.status_code == 400
    assert why in resp.get_json()["error"]


@pytest.mark.parametrize("url, why", FORBIDDEN[:12])
def test_form_refuses_forbidden_urls(preview, url, why):
    resp = preview.submit("url", url=url)
    assert resp.status_code == 400
    assert why in resp.text


@pytest.fixture
def resolving_app():
    return create_app({"TESTING": True, "FETCH_RESOLVER": stub_resolver({
        "news.example": ["10.20.30.40"],
        "metadata.example": ["169.254.169.254"],
        "mixed.example": ["93.184.215.14", "192.168.1.20"],
        "v6.example": ["::1"],
    })})


@pytest.mark.parametrize("url, answer", [("http://news.example/story", "10.20.30.40"),
                                         ("https://metadata.example/", "169.254.169.254"),
                                         ("http://mixed.example/", "192.168.1.20"),
                                         ("http://v6.example/", "::1")])
def test_public_name_resolving_to_private_address_is_refused(resolving_app, url, answer):
    resp = resolving_app.test_client().post("/api/clean", json={"url": url})
    assert resp.status_code == 400
    assert f"resolves to {answer}" in resp.get_json()["error"]


def test_unresolvable_name_is_502(resolving_app):
    resp = resolving_app.test_client().post("/api/clean", json={"url": "http://gone.example/"})
    assert resp.status_code == 502 and "cannot resolve" in resp.get_json()["error"]


@pytest.fixture
def redirect_app():
    """The local test server is reachable (loopback allowed); private targets are not."""
    return create_app({"TESTING": True, "FETCH_ALLOW_LOOPBACK": True, "FETCH_TIMEOUT": 5,
                       "FETCH_RESOLVER": stub_resolver({"intranet.example": ["10.1.1.1"]})})


@pytest.mark.parametrize("path, why", [("/to-private", "10.0.0.1 is a private"),
                                       ("/to-metadata", "169.254.169.254 is a link-local"),
                                       ("/to-internal", "intranet.example resolves to 10.1.1.1")])
def test_redirect_to_private_address_is_refused(redirect_app, page_server, path, why):
    resp = redirect_app.test_client().post("/api/clean", json={"url": page_server + path})
    assert resp.status_code == 400
    assert why in resp.get_json()["error"]


def test_loopback_switch_is_off_by_default():
    assert create_app().config["FETCH_ALLOW_LOOPBACK"] is False

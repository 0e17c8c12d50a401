"""POST /api/clean: CleanResult.to_dict() on success, JSON {"error": ...} otherwise."""

from __future__ import annotations

import pytest

from cleaner import clean_article
from webapp import create_app

LEGEND = "indicates required fields"
KEYS = {"title", "text", "markdown", "html", "metadata", "confidence", "removed",
        "removed_by_family"}


def test_html_gives_the_clean_result(client, gravity_html):
    resp = client.post("/api/clean", json={"html": gravity_html.decode()})
    assert resp.status_code == 200
    data = resp.get_json()
    assert set(data) == KEYS
    expected = clean_article(gravity_html).to_dict()
    for key in ("title", "text", "markdown", "html", "removed", "removed_by_family"):
        assert data[key] == expected[key], key
    assert LEGEND not in data["text"]
    assert data["removed_by_family"]["form"] >= 1
    gravity = [r for r in data["removed"] if r["rule"] == "form.gravity.wrapper"]
    assert gravity and LEGEND in gravity[0]["text"]
    assert set(gravity[0]) == {"rule", "family", "text", "where", "reason", "path"}


def test_text_runs_clean_text(client):
    resp = client.post("/api/clean", json={"text": 'Body.\n"*" indicates required fields'})
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["text"] == "Body."
    assert data["removed"][0]["rule"] == "form.gravity.legend"


def test_html_with_url_uses_it_for_metadata_without_fetching(client, gravity_html):
    url = "https://coastal-ledger.example/2025/10/ferry/"
    data = client.post("/api/clean", json={"html": gravity_html.decode(), "url": url}).get_json()
    assert data["metadata"]["url"] == url


@pytest.mark.parametrize("fmt, marker", [("markdown", "## Commuters welcome the change"),
                                         ("html", "<h2>Commuters welcome the change</h2>"),
                                         ("text", "Commuters welcome the change")])
def test_format_adds_the_content_in_that_format(client, gravity_html, fmt, marker):
    data = client.post("/api/clean", json={"html": gravity_html.decode(),
                                           "format": fmt}).get_json()
    assert marker in data["content"]
    assert set(data) >= KEYS


def test_format_json_is_the_plain_dict(client):
    data = client.post("/api/clean", json={"html": "<p>Hi there.</p>", "format": "json"})
    assert set(data.get_json()) == KEYS


def test_include_comments_is_passed_on(client, gravity_html):
    data = client.post("/api/clean", json={"html": gravity_html.decode(),
                                           "include_comments": True}).get_json()
    assert data["text"]


@pytest.mark.parametrize("body, message", [
    ({}, "'html', 'text' or 'url'"),
    ({"html": 5}, "'html' must be a string"),
    ({"text": ["a"]}, "'text' must be a string"),
    ({"html": "<p>x</p>", "text": "x"}, "not both"),
    ({"html": "<p>x</p>", "format": "pdf"}, "unknown format"),
    ({"html": "<p>x</p>", "profile": "no-such-site"}, "no profile named"),
    ({"html": "<p>x</p>", "profile": 3}, "profile must be a string"),
    ({"html": "<p>x</p>", "include_comments": "yes"}, "true or false"),
    ({"url": "ftp://example.org/"}, "only http and https"),
])
def test_bad_requests_are_400_json(client, body, message):
    resp = client.post("/api/clean", json=body)
    assert resp.status_code == 400
    assert resp.is_json and message in resp.get_json()["error"]


def test_not_json_is_400(client):
    resp = client.post("/api/clean", data={"html": "<p>x</p>"})
    assert resp.status_code == 400 and "Content-Type: application/json" in resp.get_json()["error"]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"html"', b""])
def test_malformed_json_is_400(client, raw):
    resp = client.post("/api/clean", data=raw, content_type="application/json")
    assert resp.status_code == 400 and resp.is_json


def test_input_that_cannot_be_cleaned_is_422(client):
    resp = client.post("/api/clean", json={"html": "\x01\x02\x03\x04" * 200})
    assert resp.status_code == 422
    assert "binary" in resp.get_json()["error"]


def test_html_over_the_cap_is_413():
    client = create_app({"TESTING": True, "MAX_INPUT_BYTES": 1000}).test_client()
    resp = client.post("/api/clean", json={"html": "<p>" + "x" * 1200 + "</p>"})
    assert resp.status_code == 413
    assert "over the limit of 1,000" in resp.get_json()["error"]


def test_request_over_max_content_length_is_413_json():
    client = create_app({"TESTING": True, "MAX_INPUT_BYTES": 1000}).test_client()
    resp = client.post("/api/clean", json={"html": "x" * 200_000})
    assert resp.status_code == 413
    assert resp.is_json and "size limit" in resp.get_json()["error"]


def test_unknown_api_path_and_method_are_json(client):
    resp = client.get("/api/nope")
    assert resp.status_code == 404 and resp.is_json
    resp = client.get("/api/clean")
    assert resp.status_code == 405 and resp.is_json


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Sec-Fetch-Site": "cross-site"}])
def test_cross_site_api_call_is_refused(client, headers):
    resp = client.post("/api/clean", json={"html": "<p>x</p>"}, headers=headers)
    assert resp.status_code == 400 and "refused" in resp.get_json()["error"]


def test_same_origin_api_call_is_fine(client):
    resp = client.post("/api/clean", json={"html": "<p>x</p>"},
                       headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert resp.status_code == 200


def test_internal_error_is_json_without_traceback(monkeypatch):
    import webapp.views

    def boom(*a, **k):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(webapp.views, "clean_article", boom)
    client = create_app({"TESTING": False}).test_client()
    resp = client.post("/api/clean", json={"html": "<p>x</p>"})
    assert resp.status_code == 500 and resp.is_json
    assert "secret" not in resp.get_data(as_text=True)
    assert "Traceback" not in resp.get_data(as_text=True)


# -- URLs, through a local server ---------------------------------------------------------

@pytest.fixture
def loopback_app(tmp_path):
    """An app whose fetcher may reach the local test server (and nothing else private)."""
    return create_app({"TESTING": True, "FETCH_ALLOW_LOOPBACK": True, "FETCH_TIMEOUT": 5,
                       "FIXTURES_DIR": str(tmp_path / "fixtures")})


def test_url_is_fetched_and_cleaned(loopback_app, page_server):
    resp = loopback_app.test_client().post("/api/clean", json={"url": page_server + "/article"})
    assert resp.status_code == 200
    data = resp.get_json()
    assert "four crossings a day" in data["text"] and LEGEND not in data["text"]
    assert data["metadata"]["url"] == page_server + "/article"


def test_text_url_runs_clean_text(loopback_app, page_server):
    data = loopback_app.test_client().post("/api/clean",
                                           json={"url": page_server + "/notes.txt"}).get_json()
    assert data["text"] == "The story ends here."


@pytest.mark.parametrize("path, message", [("/missing", "HTTP 404"),
                                           ("/image", "not an HTML page")])
def test_upstream_failure_is_502(loopback_app, page_server, path, message):
    resp = loopback_app.test_client().post("/api/clean", json={"url": page_server + path})
    assert resp.status_code == 502
    assert message in resp.get_json()["error"]


def test_unreachable_url_is_502(loopback_app):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    resp = loopback_app.test_client().post("/api/clean", json={"url": f"http://127.0.0.1:{port}/"})
    assert resp.status_code == 502 and "cannot connect" in resp.get_json()["error"]


@pytest.mark.parametrize("key", ["html", "text"])
def test_lone_surrogate_becomes_one_replacement_character(client, key):
    """A JSON string is text already: it is never re-guessed as bytes (that read this one as
    cp1125); its lone surrogate becomes U+FFFD and nothing else changes."""
    body = b'{"%s": "<p>abc \\ud800 def \\u00e9t\\u00e9 \\u041c\\u0438\\u0440</p>"}' % key.encode()
    resp = client.post("/api/clean", data=body, content_type="application/json")
    assert resp.status_code == 200, resp.get_data()[:300]
    data = resp.get_json()
    want = "abc \ufffd def été Мир"
    assert data["text"] == (want if key == "html" else f"<p>{want}</p>")


def test_json_html_is_read_as_the_string_it_is(client):
    resp = client.post("/api/clean", json={"html": "<meta charset=koi8-r><p>Grüße, Привет</p>"})
    data = resp.get_json()
    assert data["text"] == "Grüße, Привет"
    assert data["metadata"]["encoding_source"] == "str"

"""The library as Python code calls it: from many threads at once, pickled to workers,
with an HTTP client's response (content, headers, url) or a BeautifulSoup object."""

from __future__ import annotations

import http.server
import json
import pickle
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cleaner import CleanResult, InputError, OptionError, clean_article, clean_text
from cleaner.contrib.scrapy import CleanerPipeline

FIXTURES = Path(__file__).parent.parent / "fixtures"
SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").exists())
PAGE = ("<html><body><article><h1>Market day</h1><p>Caf\xe9 owners met on Tuesday to plan "
        "the street market, which opens in May.</p><p>\u201cWe want more stalls,\u201d said "
        "one.</p><p>Share this article</p></article></body></html>")


def pages() -> list[tuple[bytes, str]]:
    out = []
    for site in SITES:
        meta = json.loads((FIXTURES / site / "meta.json").read_text(encoding="utf-8"))
        out.append(((FIXTURES / site / "input.html").read_bytes(), meta["url"]))
    return out


def snapshot(result: CleanResult) -> tuple:
    return (result.text, result.markdown, result.html, result.title,
            json.dumps(result.metadata, sort_keys=True), result.removed)


def test_eight_threads_at_once_give_the_serial_results():
    work = pages() * 6
    serial = [snapshot(clean_article(html, url)) for html, url in work]

    def clean(item):
        html, url = item
        return snapshot(clean_article(html, url))

    with ThreadPoolExecutor(8) as pool:  # lxml lets go of the GIL: the threads interleave
        threaded = list(pool.map(clean, work))
    assert threaded == serial


def test_results_do_not_depend_on_what_was_cleaned_before():
    work = pages()
    forward = [snapshot(clean_article(h, u)) for h, u in work]
    backward = [snapshot(clean_article(h, u)) for h, u in reversed(work)]
    assert forward == backward[::-1]


def test_threads_mixing_clean_text_and_profiles_stay_independent():
    lines = 'The story ends here.\n"*" indicates required fields'
    work = [("text", lines), *[("html", h) for h, _ in pages()]] * 4

    def clean(item):
        kind, data = item
        return clean_text(data).text if kind == "text" else clean_article(data).text

    serial = [clean(w) for w in work]
    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(clean, work)) == serial


def test_results_errors_and_the_pipeline_pickle():
    html, url = pages()[0]
    result = clean_article(html, url, format="markdown")
    back = pickle.loads(pickle.dumps(result))
    assert snapshot(back) == snapshot(result) and back.content == result.content
    for exc in (InputError("input is a PNG image"), OptionError("bad output")):
        again = pickle.loads(pickle.dumps(exc))
        assert type(again) is type(exc) and str(again) == str(exc)
    pipeline = pickle.loads(pickle.dumps(CleanerPipeline(text_field="clean")))
    assert pipeline.process_item({"html": PAGE})["clean"].startswith("Café owners")
    assert pickle.loads(pickle.dumps(clean_article)) is clean_article


# -- HTTP clients' responses: requests, httpx and the like ---------------------------------

class CaseInsensitiveHeaders(Mapping):
    """A headers mapping like requests' and httpx's: keys compare case-insensitively."""

    def __init__(self, items):
        self._items = {k.lower(): (k, v) for k, v in items}

    def __getitem__(self, key):
        return self._items[key.lower()][1]

    def __iter__(self):
        return (k for k, _ in self._items.values())

    def __len__(self):
        return len(self._items)


class Response:
    """What ``requests.get()`` and ``httpx.get()`` return, as far as cleaning needs."""

    def __init__(self, content: bytes, headers: Mapping, url: str):
        self.content, self.headers, self.url = content, headers, url


def test_a_response_objects_content_headers_and_url():
    resp = Response(PAGE.encode("cp1252"), CaseInsensitiveHeaders(
        [("content-type", "text/html; charset=windows-1252")]),
        "https://news.example/market")
    result = clean_article(resp.content, url=resp.url, headers=resp.headers)
    assert result.text.startswith("Café owners") and "\u201cWe want" in result.text
    assert result.metadata["url"] == "https://news.example/market"
    assert (result.metadata["encoding"], result.metadata["encoding_source"]) == \
        ("cp1252", "http")
    assert [r.family for r in result.removed if r.family == "share"] == ["share"]


@pytest.mark.parametrize("name", ["Content-Type", "content-type", "CONTENT-TYPE"])
def test_header_names_match_in_any_case(name):
    result = clean_article(PAGE.encode("cp1252"),
                           headers={name: "text/html; charset=windows-1252"})
    assert result.metadata["encoding_source"] == "http"
    assert result.text.startswith("Café owners")


def test_a_real_requests_response_from_a_local_server():
    requests = pytest.importorskip("requests")
    body = PAGE.encode("cp1252")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=windows-1252")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        resp = requests.get(f"http://127.0.0.1:{server.server_address[1]}/market", timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    result = clean_article(resp.content, url=resp.url, headers=resp.headers)
    assert result.metadata["encoding_source"] == "http"
    assert result.text.startswith("Café owners")
    assert result.metadata["url"].endswith("/market")


def test_a_beautifulsoup_object_cleans_like_its_markup():
    soup = BeautifulSoup(PAGE, "html.parser")
    assert snapshot(clean_article(soup)) == snapshot(clean_article(PAGE))

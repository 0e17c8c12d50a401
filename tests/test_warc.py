"""WARC input: HTML responses only, with their URL and HTTP charset; a WARC in a batch."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import clean_article
from cleaner.batch import run_batch
from cleaner.errors import InputError
from cleaner.sources.warc import WarcReader

FIXTURES = Path(__file__).parent.parent / "fixtures"
SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").exists())
CP1252_SITE = "millbrook-courier.example"   # its input.html is windows-1252


def fixture_url(site: str) -> str:
    return json.loads((FIXTURES / site / "meta.json").read_text(encoding="utf-8"))["url"]


def _http(status: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def write_warc(path: Path, *, gz: bool = True) -> list[str]:
    """A WARC of every fixture page (as a response) plus records a reader must skip.
    Returns the URLs of the HTML responses, in file order."""
    urls = []
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record("test.warc.gz", {"software": "tests"}))
        for site in SITES:
            url = fixture_url(site)
            charset = "windows-1252" if site == CP1252_SITE else "utf-8"
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(
                f"GET {url} HTTP/1.1\r\nHost: x\r\n\r\n".encode()),
                warc_content_type="application/http; msgtype=request"))
            body = (FIXTURES / site / "input.html").read_bytes()
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body),
                           http_headers=_http("200 OK", [
                               ("Content-Type", f"text/html; charset={charset}"),
                               ("Content-Length", str(len(body)))])))
            urls.append(url)
        w.write_record(w.create_warc_record(
            "https://img.example/logo.png", "response", payload=io.BytesIO(b"\x89PNG" * 50),
            http_headers=_http("200 OK", [("Content-Type", "image/png")])))
        w.write_record(w.create_warc_record(
            "https://news.example/moved", "response", payload=io.BytesIO(b"<p>Moved</p>"),
            http_headers=_http("301 Moved Permanently", [("Content-Type", "text/html"),
                                                         ("Location", "/new")])))
        w.write_record(w.create_warc_record(
            "https://news.example/", "metadata", payload=io.BytesIO(b"fetchTimeMs: 12"),
            warc_content_type="application/warc-fields"))
    return urls


def test_reader_yields_html_responses_with_url_and_headers(tmp_path):
    urls = write_warc(tmp_path / "crawl.warc.gz")
    reader = WarcReader(tmp_path / "crawl.warc.gz")
    pages = list(reader)
    assert [p.url for p in pages] == urls
    # skipped: warcinfo, a request per page, the PNG, the redirect, the metadata record
    assert reader.skipped == 1 + len(SITES) + 3
    page = pages[SITES.index(CP1252_SITE)]
    assert page.headers["content-type"] == "text/html; charset=windows-1252"
    assert page.content == (FIXTURES / CP1252_SITE / "input.html").read_bytes()
    assert len({p.offset for p in pages}) == len(pages)


def test_http_charset_from_the_record_reaches_clean_article(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz")
    page = next(p for p in WarcReader(tmp_path / "crawl.warc.gz")
                if p.url == fixture_url(CP1252_SITE))
    result = clean_article(page.content, page.url, headers=page.headers)
    assert (result.metadata["encoding"], result.metadata["encoding_source"]) == \
        ("cp1252", "http")
    assert result.text == (FIXTURES / CP1252_SITE / "expected.txt").read_text(
        encoding="utf-8").rstrip("\n")


def test_uncompressed_warc_reads_the_same(tmp_path):
    write_warc(tmp_path / "a.warc.gz")
    write_warc(tmp_path / "b.warc", gz=False)
    strip = lambda pages: [(p.url, p.content) for p in pages]
    assert strip(WarcReader(tmp_path / "a.warc.gz")) == strip(WarcReader(tmp_path / "b.warc"))


def test_chunked_and_gzip_encoded_bodies_are_decoded(tmp_path):
    body = b"<html><body><article><p>A story told in chunks, and gzipped.</p></article>"
    zipped = gzip.compress(body)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(zipped), zipped)
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    w.write_record(w.create_warc_record(
        "https://news.example/c", "response", payload=io.BytesIO(chunked),
        http_headers=_http("200 OK", [("Content-Type", "text/html"),
                                      ("Transfer-Encoding", "chunked"),
                                      ("Content-Encoding", "gzip")])))
    buf.seek(0)
    (page,) = WarcReader(buf)
    assert page.content == body


def test_untyped_response_is_sniffed(tmp_path):
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for url, body in (("https://a.example/", b"  <!DOCTYPE html><p>page</p>"),
                      ("https://a.example/data", b'{"json": true}')):
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body),
                                            http_headers=_http("200 OK", [])))
    buf.seek(0)
    assert [p.url for p in WarcReader(buf)] == ["https://a.example/"]


def test_oversized_record_is_read_only_up_to_the_limit(tmp_path):
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    big = b"<html><body>" + b"<p>words words words</p>" * 20000
    w.write_record(w.create_warc_record("https://a.example/big", "response",
                                        payload=io.BytesIO(big),
                                        http_headers=_http("200 OK", [("Content-Type",
                                                                       "text/html")])))
    buf.seek(0)
    (page,) = WarcReader(buf, max_bytes=1000)
    assert len(page.content) == 1001


def test_not_a_warc_is_one_clear_error(tmp_path):
    path = tmp_path / "x.warc"
    path.write_bytes(b"this is not a warc file at all\n" * 10)
    with pytest.raises(InputError, match="is not a WARC file"):
        list(WarcReader(path))


def test_batch_over_a_warc_gives_one_result_per_html_response(tmp_path):
    urls = write_warc(tmp_path / "crawl.warc.gz")
    summary = run_batch([tmp_path / "crawl.warc.gz"], tmp_path / "out.jsonl", jobs=1)
    assert (summary.pages, summary.errors) == (len(SITES), 0)
    assert summary.not_html == 1 + len(SITES) + 3
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["metadata"]["url"] for r in rows] == urls
    assert all(r["source"].startswith(f"{tmp_path / 'crawl.warc.gz'}@") for r in rows)
    for site, row in zip(SITES, rows):
        expected = (FIXTURES / site / "expected.txt").read_text(encoding="utf-8")
        assert row["text"] == expected.rstrip("\n"), site


def test_a_truncated_warc_is_an_error_line_and_the_batch_goes_on(tmp_path):
    write_warc(tmp_path / "good.warc.gz")
    data = (tmp_path / "good.warc.gz").read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[:len(data) // 2])
    summary = run_batch([tmp_path / "cut.warc.gz", tmp_path / "good.warc.gz"],
                        tmp_path / "out", jobs=1)
    assert summary.errors == 1 and summary.pages > len(SITES)
    (error,) = [json.loads(line) for line in
                (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert error["source"] == str(tmp_path / "cut.warc.gz")
    names = sorted(p.relative_to(tmp_path / "out").parts[0]
                   for p in (tmp_path / "out").rglob("*.txt"))
    assert set(names) == {"cut", "good"}


def test_warc_folder_output_names_are_offset_and_url(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz")
    run_batch([tmp_path / "crawl.warc.gz"], tmp_path / "out", jobs=1)
    names = sorted(p.name for p in (tmp_path / "out" / "crawl").iterdir())
    assert len(names) == len(SITES)
    assert any(n.endswith("-www.metro-tribune.example_metro_2026_10_07_transit-digital-"
                          "billboards-budget-gap.txt") for n in names)
    assert all(n.split("-", 1)[0].isdigit() for n in names)


def test_without_warcio_a_warc_input_is_one_clear_error(tmp_path, monkeypatch):
    write_warc(tmp_path / "crawl.warc.gz")
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)  # as if not installed
    with pytest.raises(InputError, match=r"needs warcio: pip install 'cleaner\[batch\]'"):
        list(WarcReader(tmp_path / "crawl.warc.gz"))

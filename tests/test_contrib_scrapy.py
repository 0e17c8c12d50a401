"""Scrapy: CleanerPipeline on its own, and in a real crawl of a local server.

The crawl runs this file as a script in a child process (Twisted's reactor cannot be
restarted inside the test process); the child only talks to 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import scrapy
from scrapy.exceptions import DropItem
from scrapy.http import Headers
from scrapy.utils.test import get_crawler

from cleaner import clean_article
from cleaner.contrib.scrapy import CleanerPipeline
from cleaner.errors import OptionError

FIXTURES = Path(__file__).parent.parent / "fixtures"
SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").exists())
CP1252_SITE = "millbrook-courier.example"
PAGE = ("<html><body><article><p>Caf\xe9 owners met on Tuesday to plan the street "
        "market, which opens in May.</p><p>Share this article</p></article></body></html>")


class SiteSpider(scrapy.Spider):
    """Crawls the local test site: the index, then every page it links to."""

    name = "site"

    def __init__(self, start: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]

    def parse(self, response):
        if response.url.endswith("/index"):
            yield from response.follow_all(css="a.page", callback=self.parse)
            return
        yield {"url": response.url, "html": response.body, "headers": response.headers}


def crawl(start: str, out: str) -> None:
    """Run SiteSpider with CleanerPipeline, items to a JSON lines feed (in the child)."""
    from scrapy.crawler import CrawlerProcess
    process = CrawlerProcess({
        "ITEM_PIPELINES": {"cleaner.contrib.scrapy.CleanerPipeline": 300},
        "CLEANER_KEEP_REMOVED": True,
        "FEEDS": {Path(out).as_uri(): {"format": "jsonlines",
                                       "fields": ["url", "text", "removed"]}},
        "TELNETCONSOLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "LOG_LEVEL": "WARNING",
        "CONCURRENT_REQUESTS": 8,
    })
    process.crawl(SiteSpider, start=start)
    process.start()


class _Site(http.server.BaseHTTPRequestHandler):
    """/index links every fixture page at /<site>/; pages carry an HTTP charset."""

    def do_GET(self):
        name = self.path.strip("/")
        if name == "index":
            links = "".join(f'<a class="page" href="/{s}/">{s}</a>' for s in SITES)
            body, charset = f"<html><body>{links}</body></html>".encode(), "utf-8"
        elif name in SITES:
            body = (FIXTURES / name / "input.html").read_bytes()
            charset = "windows-1252" if name == CP1252_SITE else "utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", f"text/html; charset={charset}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_real_crawl_yields_items_with_clean_text_and_removals(site, tmp_path):
    out = tmp_path / "items.jsonl"
    run = subprocess.run([sys.executable, __file__, f"{site}/index", str(out)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0 and "ERROR" not in run.stderr, run.stderr[-3000:]
    items = {item["url"]: item for item in map(json.loads, out.read_text().splitlines())}
    assert sorted(items) == sorted(f"{site}/{s}/" for s in SITES)
    for s in SITES:
        item = items[f"{site}/{s}/"]
        charset = "windows-1252" if s == CP1252_SITE else "utf-8"
        want = clean_article((FIXTURES / s / "input.html").read_bytes(), item["url"],
                             headers={"Content-Type": f"text/html; charset={charset}"})
        assert item["text"] == want.text and item["text"], s
        assert item["removed"] == [r.to_dict() for r in want.removed] and item["removed"], s
    # a page without a site profile cleans the same wherever it is served from
    expected = (FIXTURES / "metro-tribune.example" / "expected.txt").read_text("utf-8")
    assert items[f"{site}/metro-tribune.example/"]["text"] == expected.rstrip("\n")
    assert "Continue reading the main story" not in "".join(i["text"] for i in items.values())


def test_settings_come_from_the_crawler():
    crawler = get_crawler(settings_dict={"CLEANER_HTML_FIELD": "body",
                                         "CLEANER_TEXT_FIELD": "clean",
                                         "CLEANER_FORMAT": "markdown",
                                         "CLEANER_KEEP_REMOVED": False})
    pipeline = CleanerPipeline.from_crawler(crawler)
    item = pipeline.process_item({"body": "<article><h2>Plan</h2><p>" + "Words. " * 20
                                  + "</p></article>"})
    assert item["clean"].startswith("## Plan") and "removed" not in item


def test_bad_output_setting_is_one_clear_error():
    with pytest.raises(OptionError, match="CLEANER_.*unknown format 'pdf'"):
        CleanerPipeline.from_crawler(get_crawler(settings_dict={
            "CLEANER_FORMAT": "pdf"}))


def test_bytes_and_scrapy_headers_give_the_http_charset():
    item = {"html": PAGE.encode("cp1252"),
            "headers": Headers({"Content-Type": "text/html; charset=windows-1252"})}
    CleanerPipeline().process_item(item, spider=None)
    assert item["text"].startswith("Café owners")
    assert [r["family"] for r in item["removed"]] == ["share"]


class ArticleItem(scrapy.Item):
    url = scrapy.Field()
    html = scrapy.Field()
    text = scrapy.Field()
    removed = scrapy.Field()


@dataclasses.dataclass
class ArticleRecord:
    html: str
    text: str = ""
    removed: list = dataclasses.field(default_factory=list)


def test_scrapy_items_and_dataclass_items_work():
    item = CleanerPipeline().process_item(ArticleItem(url="https://a.example/", html=PAGE))
    assert item["text"].startswith("Café owners") and item["removed"]
    record = CleanerPipeline().process_item(ArticleRecord(html=PAGE))
    assert record.text.startswith("Café owners") and record.removed


def test_item_without_the_declared_field_says_which_field():
    class Bare(scrapy.Item):
        html = scrapy.Field()
        text = scrapy.Field()
    with pytest.raises(OptionError, match="has no field 'removed'"):
        CleanerPipeline().process_item(Bare(html=PAGE))


def test_items_without_html_pass_untouched_and_unreadable_pages_are_dropped():
    pipeline = CleanerPipeline(stats=_Stats())
    assert pipeline.process_item({"title": "not a page"}) == {"title": "not a page"}
    with pytest.raises(DropItem, match="cleaner: input is a PNG image"):
        pipeline.process_item({"html": b"\x89PNG\r\n\x1a\n" + bytes(100)})
    pipeline.process_item({"html": PAGE})
    assert pipeline.stats.values == {"cleaner/errors": 1, "cleaner/pages": 1,
                                     "cleaner/removed/share": 1}


class _Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count


if __name__ == "__main__":
    crawl(sys.argv[1], sys.argv[2])

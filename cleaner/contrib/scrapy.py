"""Scrapy: ``CleanerPipeline`` cleans each item's HTML into text and records what went.

Enable it in ``settings.py``; every setting is optional::

    ITEM_PIPELINES = {"cleaner.contrib.scrapy.CleanerPipeline": 300}
    CLEANER_HTML_FIELD = "html"        # the field holding the page (str or bytes)
    CLEANER_TEXT_FIELD = "text"        # where the clean body goes
    CLEANER_FORMAT = "text"            # text, markdown, html or json
    CLEANER_KEEP_REMOVED = True        # also fill "removed": [{rule, family, text, ...}]
    CLEANER_INCLUDE_CAPTIONS = False   # any CleanOptions field as CLEANER_<NAME>

A spider yields the page, e.g. ``{"url": response.url, "html": response.body,
"headers": response.headers}``: with bytes, the ``headers`` field (Scrapy's ``Headers``
or a dict) gives the HTTP charset, and ``url`` picks the site profile. Feed exports
cannot write bytes: list what to export (``FEED_EXPORT_FIELDS = ["url", "text",
"removed"]``) or yield ``response.text`` (Scrapy has decoded it already). Dicts, Scrapy
``Item`` classes, dataclass and attrs items all work (through itemadapter); an ``Item``
must declare the text field, and ``removed`` when CLEANER_KEEP_REMOVED is on. An item
without the HTML field passes untouched; a page cleaner cannot read (binary, too large)
is dropped with ``DropItem`` and its one-line reason. Stats: ``cleaner/pages``,
``cleaner/errors``, ``cleaner/removed/<family>``.

Cleaning is CPU work on Scrapy's reactor thread (a few ms a page). For heavy crawls,
store the HTML and run ``cleaner batch`` afterwards, or clean in a thread: the library
keeps no shared state and is safe to call from several threads.

>>> pipeline = CleanerPipeline()
>>> item = pipeline.process_item({"html": "<article><p>The story, in full.</p>"
...                               "<p>Share this article</p></article>"})
>>> item["text"], [r["family"] for r in item["removed"]]
('The story, in full.', ['share'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from ..errors import CleanerError, OptionError
from ..headers import flatten_headers
from ..options import CleanOptions
from ..pipeline import clean_article

__all__ = ["CleanerPipeline"]

REMOVED_FIELD = "removed"
OPTION_NAMES = tuple(f.name for f in fields(CleanOptions))   # CLEANER_<NAME> settings


class CleanerPipeline:
    """Scrapy item pipeline: the HTML field in, the clean text and removals out."""

    def __init__(self, html_field: str = "html", text_field: str = "text",
                 options: CleanOptions | None = None, keep_removed: bool = True,
                 url_field: str = "url", headers_field: str = "headers",
                 stats: Any = None) -> None:
        self.html_field, self.text_field = html_field, text_field
        self.options = options or CleanOptions()
        self.keep_removed, self.url_field, self.headers_field = (keep_removed, url_field,
                                                                 headers_field)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanerPipeline:
        """Reads the CLEANER_* settings; Scrapy calls this when it builds the pipeline."""
        s = crawler.settings
        fields = {name: s.get(f"CLEANER_{name.upper()}") for name in OPTION_NAMES
                  if s.get(f"CLEANER_{name.upper()}") is not None}
        for name in ("include_comments", "include_captions", "text_layer"):
            if name in fields:
                fields[name] = s.getbool(f"CLEANER_{name.upper()}")
        for name in ("max_bytes", "max_nodes"):
            if name in fields:
                fields[name] = s.getint(f"CLEANER_{name.upper()}") or None
        return cls(html_field=s.get("CLEANER_HTML_FIELD", "html"),
                   text_field=s.get("CLEANER_TEXT_FIELD", "text"),
                   options=_options(fields),
                   keep_removed=s.getbool("CLEANER_KEEP_REMOVED", True),
                   stats=getattr(crawler, "stats", None))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Clean one item in place and return it (``spider`` is optional, for old Scrapy)."""
        from itemadapter import ItemAdapter

        adapter = ItemAdapter(item)
        html = adapter.get(self.html_field)
        if html is None:
            return item
        url = adapter.get(self.url_field)
        try:
            result = clean_article(html, url if isinstance(url, str) else None,
                                   options=self.options,
                                   headers=_headers(adapter.get(self.headers_field)))
        except CleanerError as exc:
            from scrapy.exceptions import DropItem
            self._inc("cleaner/errors")
            raise DropItem(f"cleaner: {exc}") from None
        self._set(adapter, self.text_field, result.content)
        if self.keep_removed:
            self._set(adapter, REMOVED_FIELD, [r.to_dict() for r in result.removed])
        self._inc("cleaner/pages")
        for family, count in result.removed_by_family().items():
            self._inc(f"cleaner/removed/{family}", count)
        return item

    def _set(self, adapter: Any, name: str, value: Any) -> None:
        try:
            adapter[name] = value
        except KeyError:
            raise OptionError(f"the item {type(adapter.item).__name__} has no field "
                              f"{name!r}: declare it (or change the CLEANER_* setting)") \
                from None

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)


def _options(fields: dict[str, Any]) -> CleanOptions:
    try:
        return CleanOptions(**fields)
    except OptionError as exc:
        raise OptionError(f"a CLEANER_* setting: {exc}") from None


def _headers(headers: Any) -> dict[str, str] | None:
    """Scrapy's ``Headers`` (bytes, value lists) or a dict; anything else is no headers."""
    if not isinstance(headers, Mapping) and not hasattr(headers, "items"):
        return None
    return flatten_headers(headers)

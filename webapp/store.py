"""Pages being previewed, kept in memory (the preview is a one-user local tool).

A submitted page gets a random id; the result view, the sandboxed page, downloads and
"save as fixture" all read it back by that id. The oldest pages go first when the store
is over its page count or byte budget.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Entry", "PageStore", "ID_PATTERN"]

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16}")


@dataclass
class Entry:
    """One submitted page or text. ``kind`` is ``html`` or ``text`` (text runs clean_text)."""

    id: str
    data: bytes
    kind: str
    label: str                      # what the user gave: "pasted HTML", "upload a.html", a URL
    url: str | None = None          # the page's URL (fetched, or typed with the paste)
    headers: dict[str, str] = field(default_factory=dict)
    # the data is the UTF-8 of a str the user gave (a paste, JSON): clean it as that str,
    # never re-guess its encoding
    text_input: bool = False
    created: float = field(default_factory=time.time)
    # (profile name or "") -> Analysis; filled by views on first view
    analyses: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def markup(self) -> str | bytes:
        """What cleaning reads: the str the user gave, or the bytes that were sent."""
        return self.data.decode("utf-8") if self.text_input else self.data

    @property
    def markup_headers(self) -> dict[str, str] | None:
        """The headers cleaning decodes by: none for a str, which has no charset to read."""
        return None if self.text_input else self.headers or None


class PageStore:
    """A small thread-safe LRU of :class:`Entry` objects."""

    def __init__(self, max_pages: int = 64, max_bytes: int = 256_000_000) -> None:
        self.max_pages = max_pages
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, data: bytes, kind: str, label: str, url: str | None = None,
            headers: dict[str, str] | None = None, text_input: bool = False) -> Entry:
        page = Entry(id=secrets.token_urlsafe(12), data=data, kind=kind, label=label, url=url,
                     headers=dict(headers or {}), text_input=text_input)
        with self._lock:
            self._pages[page.id] = page
            total = sum(len(p.data) for p in self._pages.values())
            while len(self._pages) > 1 and (len(self._pages) > self.max_pages
                                            or total > self.max_bytes):
                _, old = self._pages.popitem(last=False)
                total -= len(old.data)
        return page

    def get(self, page_id: str) -> Entry | None:
        if not ID_PATTERN.fullmatch(page_id or ""):
            return None
        with self._lock:
            page = self._pages.get(page_id)
            if page is not None:
                self._pages.move_to_end(page_id)
            return page

    def __len__(self) -> int:
        return len(self._pages)

"""Pages being previewed, kept in memory (the preview is a one-user local tool).

A submitted page gets a random id; the result view, the sandboxed page, downloads and
"save as fixture" all read it back by that id. The store has a budget in bytes for what
it keeps, counted whole: the page's bytes and everything computed from them and cached on
the entry (cleaning results, the marked page, the before text). Least recently used pages
go first when it is over its byte budget or page count; the page in use always stays.
"""

from __future__ import annotations

import re
import secrets
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Entry", "PageStore", "ID_PATTERN", "deep_size"]

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16}")
_LEAVES = (str, bytes, bytearray, int, float, complex, bool, type(None))


def deep_size(obj: object) -> int:
    """Bytes held by ``obj`` and everything it refers to (containers, dataclasses, named
    tuples, instance ``__dict__``), each object counted once.

    >>> deep_size(b"x" * 1000) > 1000 and deep_size(["ab", "ab"]) < deep_size(["ab", "cd"])
    True
    """
    seen: set[int] = set()
    stack = [obj]
    total = 0
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, type):
            continue
        seen.add(id(o))
        total += sys.getsizeof(o)
        if isinstance(o, _LEAVES):
            continue
        if isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            stack.extend(o)
        else:
            stack.extend(getattr(o, "__dict__", {}).values())
            for name in getattr(type(o), "__slots__", ()):
                if hasattr(o, name):
                    stack.append(getattr(o, name))
    return total


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
    # what views compute from the page, by key; counted against the store's budget
    analyses: dict[Any, Any] = field(default_factory=dict, repr=False)
    size: int = 0                   # bytes kept, as last counted by PageStore

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
    """A small thread-safe LRU of :class:`Entry` objects under a byte budget."""

    def __init__(self, max_pages: int = 64, max_bytes: int = 256_000_000) -> None:
        self.max_pages = max_pages
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, data: bytes, kind: str, label: str, url: str | None = None,
            headers: dict[str, str] | None = None, text_input: bool = False) -> Entry:
        page = Entry(id=secrets.token_urlsafe(12), data=data, kind=kind, label=label, url=url,
                     headers=dict(headers or {}), text_input=text_input)
        page.size = deep_size(page)
        with self._lock:
            self._pages[page.id] = page
            self._evict(keep=page.id)
        return page

    def get(self, page_id: str) -> Entry | None:
        if not ID_PATTERN.fullmatch(page_id or ""):
            return None
        with self._lock:
            page = self._pages.get(page_id)
            if page is not None:
                self._pages.move_to_end(page_id)
            return page

    def keep(self, page: Entry, key: Any, value: Any) -> Any:
        """Cache ``value`` (computed from ``page``) under ``key``, count it, and evict the
        least recently used other pages while the store is over its budget."""
        size = deep_size(value)
        with self._lock:
            page.analyses[key] = value
            page.size += size
            if page.id in self._pages:
                self._evict(keep=page.id)
        return value

    def kept_bytes(self) -> int:
        """Bytes the store holds now, as counted."""
        with self._lock:
            return sum(p.size for p in self._pages.values())

    def _evict(self, keep: str) -> None:
        total = sum(p.size for p in self._pages.values())
        for page_id in list(self._pages):
            if len(self._pages) <= self.max_pages and total <= self.max_bytes:
                break
            if page_id == keep:
                continue
            total -= self._pages.pop(page_id).size

    def __len__(self) -> int:
        return len(self._pages)

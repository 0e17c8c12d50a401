"""The one result type: CleanResult, and Removal, the record of one removed piece."""

from __future__ import annotations

import gc
import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from .blocks import Block, to_html, to_markdown

__all__ = ["Removal", "CleanResult"]


_new_tuple = tuple.__new__
_pause_lock = threading.Lock()
_pausing = [0, False]        # callers inside records_in_bulk, and whether gc was enabled


@contextmanager
def records_in_bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a million records are made.

    Records hold only strings, so they make no cycles; but the collector, counting
    allocations, would walk the growing heap again and again (half the time of a text
    of 1.6 million removed lines). Nested and threaded callers share one pause; the
    collector's state before the first one is restored when the last one leaves.
    """
    with _pause_lock:
        if _pausing[0] == 0:
            _pausing[1] = gc.isenabled()
            gc.disable()
        _pausing[0] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pausing[0] -= 1
            if _pausing[0] == 0 and _pausing[1]:
                gc.enable()


class Removal(NamedTuple):
    """One piece of the input that cleaning removed, and why (an immutable record).

    ``where`` starts with the layer: ``"html:"`` plus the element's path in the page
    (``html:/html/body/div[2]/form``), or ``"text:"`` plus the 1-based line number.
    ``path`` is the element the text came from, in the page as parsed
    (:func:`cleaner.parse_page`): the removed element itself for the HTML layer, the
    block holding the line for the text layer; empty for :func:`cleaner.clean_text`.

    A named tuple, not a dataclass: a page can leave millions of records (a text of a
    million "Share this:" lines), and a tuple is made in a third of the time.
    """

    rule: str
    family: str
    text: str
    where: str
    reason: str = ""
    path: str = ""

    @classmethod
    def of_element(cls, rule: str, family: str, text: str, path: str,
                   reason: str = "") -> Removal:
        """A removal by the HTML layer: an element, by its path."""
        return _new_tuple(cls, (rule, family, text, "html:" + path, reason, path))

    @classmethod
    def of_line(cls, rule: str, family: str, text: str, line: int, reason: str = "",
                path: str = "") -> Removal:
        """A removal by the text layer: line ``line`` (1-based), from the block at
        ``path`` when the text came from a page."""
        return _new_tuple(cls, (rule, family, text, f"text:{line}", reason, path))

    @property
    def layer(self) -> str:
        """``"html"`` or ``"text"``: which layer removed it."""
        return self.where.split(":", 1)[0]

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "family": self.family,
            "text": self.text,
            "where": self.where,
            "reason": self.reason,
            "path": self.path,
        }


@dataclass(frozen=True)
class CleanResult:
    """What cleaning returns: the clean text, its structure, metadata and the removals.

    ``html`` and ``markdown`` are rendered from the same blocks as ``text`` on first use.
    ``confidence`` (0 to 1) says how sure :func:`cleaner.clean_article` is that the text
    is the page's article: below 0.5 the page is worth a look (an empty result is 0;
    None for text cleaned with :func:`cleaner.clean_text`). ``metadata["body"]`` says
    which box was chosen, its runner-up and what decided.
    """

    text: str
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    removed: tuple[Removal, ...] = ()
    blocks: tuple[Block, ...] = field(default=(), repr=False)
    format: str = "text"
    confidence: float | None = None

    @cached_property
    def html(self) -> str:
        """The clean body as simple, safe HTML (only tags cleaner writes itself)."""
        return to_html(self.blocks)

    @cached_property
    def markdown(self) -> str:
        """The clean body as Markdown (GFM tables, fenced code)."""
        return to_markdown(self.blocks)

    @property
    def content(self) -> str:
        """The body in the format asked for with ``format=``."""
        if self.format == "json":
            return self.to_json()
        return str(getattr(self, self.format))

    def removed_by_family(self) -> dict[str, int]:
        """Counts of removals per family, most frequent first."""
        return dict(Counter(r.family for r in self.removed).most_common())

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "text": self.text,
            "markdown": self.markdown,
            "html": self.html,
            "metadata": dict(self.metadata),
            "confidence": self.confidence,
            "removed": [r.to_dict() for r in self.removed],
            "removed_by_family": self.removed_by_family(),
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


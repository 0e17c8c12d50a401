"""What the bench learns about cleaner's result on one page besides its text: how sure
it was, which box it chose, and how much of what it dropped its removal records explain.

The explanation measure: the page's visible words (the text of ``<body>`` without
script, style, noscript, template and comments, block elements apart; a word is a
``\\w+`` run, lower-cased, counted as a multiset) minus the words of the clean text
are the *dropped* words; those also found among the words of all ``Removal`` texts
and the title are *explained*.

>>> from cleaner import clean_article
>>> page = b"<body><nav>Home World</nav><article><p>The story, told once.</p></article></body>"
>>> d = page_detail(page, None, clean_article(page))
>>> d["dropped"], d["explained"]
(2, 2)
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from lxml import etree

from ... import CleanResult, parse_page
from ...dom import spaced_text_of

__all__ = ["page_detail", "visible_words", "explained_words", "unresolved_paths"]

_WORD = re.compile(r"\w+")
_INVISIBLE = ("script", "style", "noscript", "template")


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def visible_words(html: bytes | str, url: str | None = None) -> Counter[str]:
    """The words a reader of the page sees (see the module's docstring)."""
    root = parse_page(html, url)
    return _visible(root) if root is not None else Counter()


def _visible(root: Any) -> Counter[str]:
    body = root.find("body")
    if body is None:  # e.g. everything swallowed by an unclosed <title>
        return Counter()
    etree.strip_elements(body, *_INVISIBLE, with_tail=False)
    return words(spaced_text_of(body))


def unresolved_paths(root: Any, result: CleanResult) -> list[str]:
    """The removal paths that do not name exactly one element of the parsed page."""
    tree = root.getroottree() if root is not None else None
    return [r.path for r in result.removed if r.path and not _resolves(tree, r.path)]


def _resolves(tree: Any, path: str) -> bool:
    try:
        return tree is not None and len(tree.xpath(path)) == 1
    except etree.XPathError:
        return False


def explained_words(seen: Counter[str], result: CleanResult) -> tuple[Counter[str],
                                                                       Counter[str]]:
    """(dropped, explained): the words of ``seen`` not in the clean text, and those of
    them that a removal record (or the title) accounts for."""
    dropped = seen - words(result.text)
    told = words(" ".join(r.text for r in result.removed) + " " + (result.title or ""))
    return dropped, dropped & told


def page_detail(html: bytes | str, url: str | None, result: CleanResult) -> dict[str, Any]:
    """The bench's per-page facts for cleaner (JSON-ready)."""
    root = parse_page(html, url)
    lost = unresolved_paths(root, result)  # before the invisible elements go
    dropped, explained = explained_words(_visible(root) if root is not None else Counter(),
                                         result)
    missing = dropped - explained
    return {
        "unresolved_paths": lost[:5],
        "records": len(result.removed),
        "confidence": getattr(result, "confidence", None),
        "body": result.metadata.get("body"),
        "dropped": sum(dropped.values()),
        "explained": sum(explained.values()),
        "unexplained": [w for w, _ in missing.most_common(8)],
    }

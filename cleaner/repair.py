"""Repairs of a parsed tree whose article libxml2 put where no reader would look.

Broken markup can leave the page's text outside ``<body>``: an unclosed ``<title>`` (or a
``<script>`` that starts with markup) reads the rest of the page as raw text; flow
content in ``<head>`` stays there; a second ``<html>`` root is never looked at. Each
repair moves that content into ``<body>`` and says so in a note. They run inside
:func:`cleaner.parse.parse`, so :func:`cleaner.parse_page` sees the same tree.
"""

from __future__ import annotations

import re

from lxml import etree

from .dom import Element, text_of

__all__ = ["repair", "RAW_TEXT_MIN_CHARS"]

RAW_TEXT_MIN_CHARS = 2000       # a raw-text element this long may hold a swallowed page
RAW_TEXT_MIN_TAGS = 10          # ... when this many tags sit in its text
HEAD_MIN_CHARS = 200            # flow content in <head> with this much text is moved
_RAW_TEXT = ("title", "script", "style", "textarea", "xmp")
_MARKUP = re.compile(r"<(?:/?(?:body|head|div|p|td|tr|table|span|a|br|h[1-6]|ul|li|font|"
                     r"center)\b)", re.I)
_HEAD_OK = frozenset({"title", "meta", "link", "script", "style", "base", "noscript",
                      "template"})


def _fragment_parser() -> etree.HTMLParser:
    return etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True,
                            default_doctype=False,  # type: ignore[call-arg]  # not in stubs
                            collect_ids=False)


def _body(root: Element) -> Element:
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    return body


def _swallowed(el: Element) -> str | None:
    """The page held as raw text by a title, script or style, or None."""
    text = el.text or ""
    if len(text) < RAW_TEXT_MIN_CHARS:
        return None
    if el.tag != "title":  # script: markup, not code that writes markup
        start = text[:200].lstrip()
        if not start.startswith("<") or start.startswith("<!--"):
            return None
    return text if len(_MARKUP.findall(text)) >= RAW_TEXT_MIN_TAGS else None


def _raw_text(root: Element, notes: list[str]) -> None:
    for el in list(root.iter(*_RAW_TEXT)):
        text = _swallowed(el)
        if text is None:
            continue
        cut = text.find("<")
        parsed = etree.fromstring("<html><body>" + text[cut:] + "</body></html>",
                                  _fragment_parser())
        found = parsed.find("body") if parsed is not None else None
        if found is None:
            continue
        parent = el.getparent()
        if el.tag == "title" or parent is None or parent.tag == "head":
            target, at = _body(root), 0
        else:
            target, at = parent, parent.index(el) + 1
        for i, child in enumerate(list(found)):
            target.insert(at + i, child)
        el.text = text[:cut] if el.tag == "title" else ""
        notes.append(f"an unclosed <{el.tag}> held {len(text):,} characters of the page: "
                     "read as markup")


def _head(root: Element, notes: list[str]) -> None:
    head = root.find("head")
    if head is None:
        return
    stray = [c for c in head if isinstance(c.tag, str) and c.tag not in _HEAD_OK]
    if not stray or sum(len(text_of(c)) for c in stray) <= HEAD_MIN_CHARS:
        return
    moved = list(head)[head.index(stray[0]):]
    body = _body(root)
    for i, child in enumerate(moved):
        body.insert(i, child)
    notes.append(f"{len(moved)} element(s) of the page sat in <head>: moved to <body>")


def _roots(root: Element, notes: list[str]) -> None:
    extra = [s for s in root.itersiblings() if s.tag == "html"]
    if not extra:
        return
    body = _body(root)
    for sib in extra:
        source = sib.find("body")
        for child in list(source if source is not None else sib):
            if child.tag != "head":
                body.append(child)
    notes.append(f"{len(extra)} more <html> root(s) merged into the first")


def repair(root: Element) -> list[str]:
    """Move page content that parsing left outside ``<body>`` into it; one note per
    repair made (none for a well-formed page)."""
    notes: list[str] = []
    if root.tag != "html":
        return notes
    _raw_text(root, notes)
    _head(root, notes)
    _roots(root, notes)
    return notes

"""Property tests: for any input, clean_article() and clean_text() return a CleanResult or
raise a CleanerError; the same input gives the same output; cleaning clean text removes
nothing; every removal and every output line comes from the input.

Profiles and strategies: html_strategies.py (``HYPOTHESIS_PROFILE=ci|long``).
"""

from __future__ import annotations

import re

from html_strategies import (
    any_input,
    budget,
    clean_kwargs,
    html_input,
    lines_of_text,
    random_bytes,
    random_text,
)
from hypothesis import given, note
from lxml import etree

from cleaner import CleanerError, CleanResult, clean_article, clean_text, parse_page
from cleaner.blocks import to_text
from cleaner.decode import looks_like_html, prepare
from cleaner.textnorm import without_surrogates

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Text without whitespace: separators and line breaks are not content."""
    return _SPACE.sub("", text)


def within(part: str, whole: str) -> bool:
    """``part`` is ``whole`` with characters left out (a subsequence): what removing
    pieces, never adding any, can make of it."""
    it = iter(whole)
    return all(ch in it for ch in part)


def input_text(data: str | bytes) -> str:
    """All the text a reader of the input could see: decoded like clean_article decodes
    it, and for HTML every text node of the tree it parses (repairs included)."""
    text = prepare(data).text
    if not looks_like_html(text):
        return text
    root = parse_page(data)
    if root is None:
        return ""
    return etree.tostring(root, method="text", encoding="unicode")


def block_texts(result: CleanResult) -> list[str]:
    out = []
    for b in result.blocks:
        out.extend(c for row in b.rows for c in row) if b.kind == "table" else out.append(b.text)
    return out


def check_result(result: object, fmt: str = "text") -> None:
    """What every result holds, whatever the input."""
    assert isinstance(result, CleanResult)
    assert isinstance(result.text, str)
    assert result.format == fmt
    assert isinstance(result.content, str)  # every format renders
    assert isinstance(result.markdown, str) and isinstance(result.html, str)
    result.to_json()
    for r in result.removed:
        assert r.layer in ("html", "text"), r


# -- result or CleanerError, nothing else --------------------------------------------------

@budget(0.12)
@given(data=any_input, kw=clean_kwargs)
def test_clean_article_gives_a_result_or_a_cleaner_error(data, kw):
    try:
        result = clean_article(data, **kw)
    except CleanerError:
        return
    check_result(result, kw.get("format", "text"))


@budget(0.04)
@given(data=random_bytes)
def test_random_bytes_give_a_result_or_a_cleaner_error(data):
    try:
        check_result(clean_article(data))
    except CleanerError:
        pass


@budget(0.06)
@given(text=lines_of_text() | random_text, fmt=clean_kwargs.map(
    lambda kw: kw.get("format", "text")))
def test_clean_text_gives_a_result_or_a_cleaner_error(text, fmt):
    try:
        result = clean_text(text, format=fmt)
    except CleanerError:
        return
    check_result(result, fmt)


# -- the article properties ----------------------------------------------------------------

@budget(0.43)
@given(data=html_input, kw=clean_kwargs)
def test_clean_article_properties(data, kw):
    try:
        result = clean_article(data, **kw)
    except CleanerError:
        return
    check_result(result, kw.get("format", "text"))

    # deterministic: the same input, the same result
    assert clean_article(data, **kw).to_json() == result.to_json()

    # the text is the blocks, rendered (plain text input keeps its own lines, spaces and all)
    if looks_like_html(prepare(data).text):
        assert result.text == to_text(result.blocks)

    # every removal, and every block of the output, comes from the input's text
    source = squash(input_text(data))
    for removal in result.removed:
        assert within(squash(removal.text), source), removal
    out = [squash(t) for t in block_texts(result)]
    for text in out:
        assert within(text, source), text
    if not kw.get("include_comments"):  # reader comments join after the article
        assert within("".join(out), source), "the output is not in the page's order"

    # idempotent: the text layer over clean text, in the same language, removes nothing.
    # Quotations, code and tables are the article's own words: the article's text layer
    # leaves them alone, and clean_text cannot tell them from other lines, so their lines
    # go in blank.
    if kw.get("text_layer", True):
        lang = result.metadata.get("language")
        note(f"language: {lang!r}")
        lines = []
        for b in result.blocks:
            rendered = to_text([b]).split("\n")
            lines += [""] * len(rendered) if b.kind in ("quote", "pre", "table") else rendered
        again = clean_text("\n".join(lines), lang=lang)
        assert again.removed == (), again.removed
        if not any(b.kind in ("quote", "pre", "table") for b in result.blocks):
            assert clean_text(result.text, lang=lang).text == result.text


# -- the text layer's properties -----------------------------------------------------------

@budget(0.15)
@given(text=lines_of_text())
def test_clean_text_properties(text):
    try:
        result = clean_text(text)
    except CleanerError:
        return
    assert clean_text(text).to_json() == result.to_json()
    lines = without_surrogates(text).splitlines()  # lone surrogates read as U+FFFD
    for removal in result.removed:
        n = int(removal.where.removeprefix("text:"))
        assert within(squash(removal.text), squash(lines[n - 1])), removal
    # every kept line is an input line, or one with a phrase cut out of it
    source = squash("\n".join(lines))
    for line in result.text.splitlines():
        assert within(squash(line), source)
    assert within(squash(result.text), source)
    # idempotent: cleaning the clean text removes nothing, changes nothing
    again = clean_text(result.text, lang=result.metadata["language"])
    assert again.removed == (), again.removed
    assert again.text == result.text

"""Residue cases (must go) and hard cases (must stay), one test per case.

Cases live in ``tests/cases/residue/*.toml`` and ``tests/cases/hard/*.toml``::

    [[case]]
    name = "onetrust-banner-before-article"
    kind = "html"                  # or "text"
    lang = "en"
    input = '<div id="onetrust-consent-sdk">...</div>{article}'
    gone = ["Accept All Cookies"]  # text that must not be in the result
    gone_lines = []                # lines that must not be in the result as whole lines
                                   # (the same words may stay inside a sentence quoting them)
    keep = []                      # text that must be in the result
    rule = "consent.onetrust.banner"   # optional: this rule (or "family.") must have fired
    options = {}                   # optional keyword arguments for clean_article
    pipeline_issue = ""            # optional: a known pipeline problem (the case xfails)

Placeholders: ``{p1}``..``{p4}`` are long prose paragraphs in the case's language;
``{article}`` is an ``<article>`` holding the headline and all four. HTML using either is
wrapped in a page as it is; any other HTML snippet is placed inside a realistic article
page, between its second and third paragraph (``check.article_page``). Every prose
paragraph used must survive. A text hard case without ``gone`` must come back unchanged.
"""

from __future__ import annotations

import tomllib
from html import escape
from pathlib import Path

import pytest

import cleaner
from cleaner.devtools.rulecheck import PROSE, TITLES, article_page
from cleaner.textnorm import normalize_line

CASES = Path(__file__).parent / "cases"
FIELDS = {"name", "kind", "lang", "input", "gone", "gone_lines", "keep", "rule", "options",
          "pipeline_issue"}


def _load(group: str) -> list:
    params = []
    for path in sorted((CASES / group).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data.get("case", []):
            marks = []
            if case.get("pipeline_issue"):
                marks.append(pytest.mark.xfail(reason=case["pipeline_issue"], strict=False))
            params.append(pytest.param(group, path.name, case, marks=marks,
                                       id=f"{path.stem}:{case.get('name')}"))
    return params


RESIDUE = _load("residue")
HARD = _load("hard")


def _expand(case: dict) -> tuple[str, list[str]]:
    lang = case["lang"] if case["lang"] in PROSE else "en"
    prose = PROSE[lang]
    text = case["input"]
    used = [p for i, p in enumerate(prose, 1) if f"{{p{i}}}" in text]
    for i, p in enumerate(prose, 1):
        text = text.replace(f"{{p{i}}}", escape(p) if case["kind"] == "html" else p)
    if case["kind"] != "html":
        return text, used
    if "{article}" in text:
        body = "".join(f"<p>{escape(p)}</p>" for p in prose)
        article = (f'<article class="post"><h1 class="entry-title">{escape(TITLES[lang])}'
                   f'</h1><div class="entry-content">{body}</div></article>')
        text = text.replace("{article}", article)
        used = list(prose)
    if "<html" in text:
        return text, used
    if used:
        text = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>'
                f"{escape(TITLES[lang])}</title></head><body>{text}</body></html>")
    else:
        text = article_page(text, lang)
        used = list(prose)
    return text, used


def _run(case: dict):
    text, used = _expand(case)
    if case["kind"] == "html":
        res = cleaner.clean_article(text, **case.get("options", {}))
    else:
        res = cleaner.clean_text(text, lang=case["lang"])
    return text, used, res


def _contains(haystack: str, needle: str) -> bool:
    return normalize_line(needle) in normalize_line(haystack.replace("\n", " "))


def _lines_left(text: str, lines: list[str]) -> list[str]:
    present = {normalize_line(line) for line in text.splitlines()}
    return [line for line in lines if normalize_line(line) in present]


def _check_shape(case: dict) -> None:
    assert set(case) <= FIELDS, f"unknown case fields {set(case) - FIELDS}"
    assert case["kind"] in ("html", "text") and case["lang"] in ("en", "de", "fr", "es")


@pytest.mark.parametrize("group, file, case", RESIDUE)
def test_residue_case_is_removed(group, file, case):
    _check_shape(case)
    assert case.get("gone") or case.get("gone_lines"), "a residue case says what must be gone"
    _, used, res = _run(case)
    left = [g for g in case.get("gone", []) if _contains(res.text, g)]
    left += _lines_left(res.text, case.get("gone_lines", []))
    assert not left, f"residue left: {left}\n---\n{res.text}"
    lost = [k for k in [*used, *case.get("keep", [])] if not _contains(res.text, k)]
    assert not lost, f"content lost: {lost}; removed {[(r.rule, r.text[:50]) for r in res.removed]}"
    if case.get("rule"):
        want = case["rule"]
        fired = [r.rule for r in res.removed]
        assert any(r == want or (want.endswith(".") and r.startswith(want)) for r in fired), \
            f"{want} did not fire; removals: {fired}"


@pytest.mark.parametrize("group, file, case", HARD)
def test_hard_case_is_kept(group, file, case):
    _check_shape(case)
    assert case.get("keep") or case["kind"] == "text", "a hard case says what must stay"
    text, used, res = _run(case)
    lost = [k for k in [*used, *case.get("keep", [])] if not _contains(res.text, k)]
    assert not lost, (f"content lost: {lost}; removed "
                      f"{[(r.rule, r.text[:60]) for r in res.removed]}\n---\n{res.text}")
    left = [g for g in case.get("gone", []) if _contains(res.text, g)]
    left += _lines_left(res.text, case.get("gone_lines", []))
    assert not left, f"residue left: {left}"
    if case["kind"] == "text" and not case.get("gone") and not case.get("gone_lines"):
        assert res.text == text and not res.removed


def test_there_are_enough_cases():
    residue = [p.values[2] for p in RESIDUE]
    hard = [p.values[2] for p in HARD]
    assert len(residue) >= 60 and len(hard) >= 25
    assert {c["lang"] for c in residue} == {"en", "de", "fr", "es"}
    assert {c["kind"] for c in residue} == {"html", "text"}
    families = {p.values[1].removesuffix(".toml") for p in RESIDUE}
    assert {"form", "comments", "newsletter", "paywall", "consent", "share", "related", "ads",
            "navigation", "tools", "author", "readmore", "feed"} <= families


def test_case_names_are_unique():
    for group in (RESIDUE, HARD):
        ids = [p.id for p in group]
        assert len(ids) == len(set(ids))

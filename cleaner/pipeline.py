"""The pipeline behind the public API: parse -> prune -> extract -> render (+ text layer)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from typing import Any, Unpack

from lxml import etree

from .blocks import PARAGRAPH_CHARS, Block, from_paths, holds_prose, to_text
from .boundary import trim_edges
from .decode import Prepared, looks_like_html, prepare
from .dom import Element, PathIndex, spaced_text_of
from .errors import InputError, InputTooLargeError, OptionError
from .extract import extract, form_boxes, vote_boxes
from .extract.decide import body_metadata, confidence, readability_box
from .extract.scores import measure
from .headers import flatten_headers
from .lang import guess_language, normalize_lang, text_language
from .metadata import FIELDS, extract_metadata
from .options import DEFAULT_MAX_BYTES, CleanOptions, OptionFields, check_format, check_limit
from .parse import Document, parse
from .profiles import Profile, find_profile
from .prune import prune
from .result import CleanResult, Removal, records_in_bulk
from .rules import Rule, RuleSet, default_rules
from .textnorm import normalize_line, without_surrogates
from .textrules import Verdict, judge_lines

__all__ = ["clean_article", "clean_text", "parse_page", "decode_page"]


def _empty(metadata: dict[str, Any], fmt: str, removed: tuple[Removal, ...] = ()) -> CleanResult:
    return CleanResult(text="", title=metadata.get("title"), metadata=metadata,
                       removed=removed, blocks=(), format=fmt, confidence=0.0)


def _coerce_markup(html: object) -> str | bytes | bytearray | memoryview:
    """The ``html`` argument as markup: str or bytes as they are; a BeautifulSoup object
    or an lxml element (or tree) serialised once, to be parsed once with lxml."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        return html
    if isinstance(html, str):
        return html if type(html) is str else str.__str__(html)  # a subclass's own methods
    if isinstance(html, etree._ElementTree):
        root = html.getroot()
        return "" if root is None else etree.tostring(root, encoding="unicode", method="html")
    if isinstance(html, etree._Element):
        return etree.tostring(html, encoding="unicode", method="html")
    if (getattr(type(html), "__module__", None) or "").startswith("bs4"):
        from bs4.element import PageElement  # a soup, a tag or a string of one
        if isinstance(html, PageElement):
            return str(html)
    raise InputError("html must be str, bytes, a BeautifulSoup object or an lxml element, "
                     f"got {type(html).__name__}")


def _check_url(url: object) -> str | None:
    """The ``url`` argument: a str (lone surrogates replaced, so the result encodes) or
    None. A malformed URL is kept: it only names the page, and matches no profile."""
    if url is None:
        return None
    if not isinstance(url, str):
        raise OptionError(f"url must be a str or None, got {type(url).__name__}")
    return without_surrogates(url)


def _check_headers(headers: object) -> dict[str, str] | None:
    """The ``headers`` argument, any shape (see :mod:`cleaner.headers`), as one dict."""
    return None if headers is None else flatten_headers(headers)


def _check_rules(rules: object) -> RuleSet:
    """The ``rules`` argument: a RuleSet, or None for the bundled rules."""
    if rules is None:
        return default_rules()
    if not isinstance(rules, RuleSet):
        raise OptionError(f"rules must be a RuleSet or None, got {type(rules).__name__}")
    return rules


def _check_lang(lang: object) -> str | None:
    """The ``lang`` argument: a language code ("en", "de-AT"; a malformed one is None:
    the language is guessed), or None."""
    if lang is not None and not isinstance(lang, str):
        raise OptionError(f"lang must be a language code (str) or None, "
                          f"got {type(lang).__name__}")
    return normalize_lang(lang)


def _resolve_profile(opts: CleanOptions, url: str | None) -> Profile | None:
    if isinstance(opts.profile, Profile):
        return opts.profile
    if isinstance(opts.profile, str):
        return find_profile(name=opts.profile, profiles_dir=opts.profiles_dir)
    return find_profile(url=url, profiles_dir=opts.profiles_dir) if url else None


def _text_pass(blocks: list[Block], rules: RuleSet, lang: str | None,
               extra_lines: Mapping[str, Rule],
               kept: Callable[[Block], bool] | None = None) -> tuple[list[Block], list[Removal]]:
    """The text layer over the body's blocks, then blocks repeated back to back. A
    profile's lines go by ``extra_lines`` (normalised line -> its rule); blocks that
    ``kept`` says a profile keeps are left alone."""
    removed: list[Removal] = []
    # quotations are the article's own content, even when they quote a banner or a form
    texts = [b.text if b.kind not in ("pre", "table", "quote") and not (kept and kept(b))
             else "" for b in blocks]
    verdicts = {v.index: v for v in judge_lines(texts, rules, lang)}
    kept_blocks: list[Block] = []
    for i, b in enumerate(blocks):
        v = verdicts.get(i)
        if v is not None:
            removed.append(Removal.of_line(v.rule.id, v.rule.family, v.removed, i + 1,
                                           v.rule.why, b.path))
            if v.new_text is None:
                continue
            b = b._replace(text=v.new_text)
        line_rule = extra_lines.get(normalize_line(b.text)) \
            if extra_lines and not (kept and kept(b)) else None
        if line_rule is not None:
            removed.append(Removal.of_line(line_rule.id, line_rule.family, b.text, i + 1,
                                           line_rule.why, b.path))
            continue
        # a block repeating the one before it is an artefact (two copies in the markup);
        # repeats further apart are content (recipe steps, weekly plans, refrains)
        if kept_blocks and b.text == kept_blocks[-1].text and b.kind == kept_blocks[-1].kind:
            removed.append(Removal.of_line("structure.duplicate", "duplicate", b.text, i + 1,
                                           "the same block twice in a row", b.path))
            continue
        kept_blocks.append(b)
    return kept_blocks, removed


def _elements(found: object) -> list[Element]:
    """The elements of an XPath result (a profile's selectors)."""
    if not isinstance(found, list):
        return []
    return [el for el in found if isinstance(el, etree._Element) and isinstance(el.tag, str)]


TRIM_MAX_SHARE = 0.5    # trimming the edges never takes more than this share of the body
BULK_LINES = 10_000     # past this many lines, records are made with the collector paused


def _share(removed: list[Removal], blocks: list[Block]) -> float:
    total = sum(len(b.text) for b in blocks)
    return sum(len(r.text) for r in removed) / total if total else 0.0


def _holds_paragraph(blocks: list[Block]) -> bool:
    """Some block other than a heading is PARAGRAPH_CHARS long, in Latin letters (a
    character of Han or kana counts as a word): the text has a paragraph, not only
    lines of names, labels or links."""
    return any(b.kind != "h" and measure(b.text.strip())[0] >= PARAGRAPH_CHARS
               for b in blocks)


def residue_share(el: Element, rules: RuleSet, lang: str | None) -> float:
    """The share of an element's text that the text layer's rules would remove."""
    lines = [line for line in spaced_text_of(el, "\n").split("\n") if line.strip()]
    total = sum(len(line) for line in lines)
    if not total:
        return 0.0
    gone = sum(len(v.removed) for v in judge_lines(lines, rules, lang))
    return gone / total


_VOTE = re.compile(b"vote")


def _names_vote(prepared: Prepared) -> bool:
    """"vote" is in the page, in any case (vote_boxes reads names in any case): its UTF-8
    bytes, when kept, are lowered (ASCII only, in C) and searched once (by the regex
    engine, which skips to each "v": twice as fast as ``in`` there)."""
    if prepared.utf8 is not None:
        return _VOTE.search(prepared.utf8.lower()) is not None
    return "vote" in prepared.text.lower()


def _prepare(html: Any, headers: Any, opts: CleanOptions) -> Prepared:
    return prepare(_coerce_markup(html), _check_headers(headers), opts.max_bytes)


def _parse(prepared: Prepared, url: str | None, opts: CleanOptions) -> Document | None:
    return parse(prepared.text, url, opts.max_nodes, prepared.encoding, prepared.source,
                 prepared.utf8)


def clean_article(html: str | bytes | Any, url: str | None = None, *,
                  headers: Any = None, options: CleanOptions | None = None,
                  rules: RuleSet | None = None,
                  **option_fields: Unpack[OptionFields]) -> CleanResult:
    """Clean one scraped article page: find the body, strip residue, explain removals.

    ``html`` is the page as bytes (preferred: cleaner decodes it), ``str``, a
    BeautifulSoup object or an lxml element; plain text goes to :func:`clean_text`.
    ``headers`` (e.g. ``resp.headers``) supply the HTTP charset. How to clean comes from
    ``options`` (a :class:`~cleaner.options.CleanOptions`) and/or its fields as keyword
    arguments (``format="markdown"``, ``include_comments=True``...). Raises
    :class:`~cleaner.errors.CleanerError` subclasses only; empty input gives an empty
    result.

    >>> r = clean_article("<article><p>Hello world, this is the story.</p>"
    ...                   "<p>\\"*\\" indicates required fields</p></article>")
    >>> r.text
    'Hello world, this is the story.'
    >>> r.removed[0].rule
    'form.gravity.legend'
    """
    opts = CleanOptions.build(options, **option_fields)
    url = _check_url(url)
    rules = _check_rules(rules)
    prepared = _prepare(html, headers, opts)
    base_meta: dict[str, Any] = dict.fromkeys(FIELDS)
    base_meta.update(url=url, encoding=prepared.encoding, encoding_source=prepared.source)
    if not prepared.text.strip():
        return _empty(base_meta, opts.format)
    if not looks_like_html(prepared.text):
        res = clean_text(prepared.text, format=opts.format, rules=rules,
                         max_bytes=opts.max_bytes)
        meta = {**base_meta, **{k: v for k, v in res.metadata.items() if v is not None}}
        return CleanResult(text=res.text, title=None, metadata=meta, removed=res.removed,
                           blocks=res.blocks, format=opts.format)
    doc = _parse(prepared, url, opts)
    if doc is None:
        return _empty(base_meta, opts.format)
    meta = extract_metadata(doc.root, url)
    article_body = meta.pop("_article_body", None)
    article_body_at = meta.pop("_article_body_at", None)
    # a forum thread or a question's page: its replies are the content
    discussion = bool(meta.pop("_discussion", False))
    comments = opts.include_comments or discussion
    metadata = {**base_meta, **{k: v for k, v in meta.items() if v}}
    prof = _resolve_profile(opts, url)
    if prof is not None:
        metadata["profile"] = prof.name
    residue: dict[Element, int] = {}
    paths = PathIndex(doc.root)
    # the script that declared the articleBody, named before prune drops <head>
    declared_at = paths.path(article_body_at) \
        if isinstance(article_body_at, etree._Element) else None
    notes: list[str] = list(doc.notes)
    keep_xpath = prof.keep_xpath() if prof else None
    keep = _elements(keep_xpath(doc.root)) if keep_xpath is not None else []
    kept = from_paths(paths.path(el) for el in keep)
    forms = form_boxes(doc.root)  # before pruning takes their fields out
    # and their vote buttons, on a page whose markup names a vote (a scan in C first)
    votes = vote_boxes(doc.root) if _names_vote(prepared) else set()
    removed: list[Removal] = prune(doc.root, rules, paths,
                                   include_comments=comments,
                                   extra=prof.strip_rules() if prof else (), residue=residue,
                                   notes=notes, keep=keep)
    ex = extract(doc.root, paths,
                 body_selector=prof.body_xpath() if prof and prof.body else None,
                 include_captions=opts.include_captions,
                 include_comments=comments, residue=residue,
                 article_body=article_body if isinstance(article_body, str) else None,
                 article_body_path=declared_at,
                 second_opinion=readability_box, title=metadata.get("title"),
                 residue_share=lambda el: residue_share(el, rules, metadata.get("language")),
                 keep=keep, forms=forms, discussion=discussion, votes=votes)
    removed.extend(ex.removed)
    # a body without prose (a photo post) keeps its headline and byline: they are its text
    blocks, edge_removed = trim_edges(ex.blocks, metadata, keeps=kept,
                                      meta_at=ex.meta_marks) \
        if holds_prose(ex.blocks) else (ex.blocks, [])
    if _share(edge_removed, ex.blocks) > TRIM_MAX_SHARE:
        blocks, edge_removed = ex.blocks, []  # a headline-and-date post: that is its text
    removed.extend(edge_removed)
    lang = text_language(metadata.get("language"), " ".join(b.text for b in blocks[:40]))
    if lang and not metadata.get("language"):
        metadata["language"] = lang if lang != "xx" else None
    if opts.text_layer:
        blocks, text_removed = _text_pass(blocks, rules, lang,
                                          prof.line_rules() if prof else {}, kept)
        removed.extend(text_removed)
    if notes:
        metadata["notes"] = notes
    text = to_text(blocks)
    sure = 0.0
    if ex.decision is not None:
        metadata["body"] = body_metadata(ex.decision, paths)
        sure = 1.0 if ex.decision.decided_by == "profile" and text else \
            confidence(ex.decision, len(text), paragraph=_holds_paragraph(blocks))
    return CleanResult(text=text, title=metadata.get("title"), metadata=metadata,
                       removed=tuple(removed), blocks=tuple(blocks), format=opts.format,
                       confidence=sure)


def decode_page(html: str | bytes | Any, *, headers: Any = None,
                options: CleanOptions | None = None) -> str:
    """The page as text, decoded exactly as :func:`clean_article` decodes it.

    >>> decode_page(b"<meta charset=koi8-r><p>\\xf0\\xd2\\xc9\\xd7\\xc5\\xd4</p>")
    '<meta charset=koi8-r><p>Привет</p>'
    """
    return _prepare(html, headers, CleanOptions.build(options)).text


def parse_page(html: str | bytes | Any, url: str | None = None, *, headers: Any = None,
               options: CleanOptions | None = None) -> Element | None:
    """The tree :func:`clean_article` parses (``<html>``), before anything is removed:
    every ``Removal.where`` path (``html:/html/body/...``) resolves in it with
    ``root.getroottree().xpath(path)``. None for a page without elements.

    >>> root = parse_page("<p>One</p><p>Two</p>")
    >>> [p.text for p in root.getroottree().xpath("/html/body/p[2]")]
    ['Two']
    """
    opts = CleanOptions.build(options)
    doc = _parse(_prepare(html, headers, opts), _check_url(url), opts)
    return doc.root if doc is not None else None


def clean_text(text: str | bytes, *, lang: str | None = None, format: str = "text",
               rules: RuleSet | None = None,
               max_bytes: int | None = DEFAULT_MAX_BYTES) -> CleanResult:
    """Remove residue lines from text another tool already extracted.

    Whole lines are compared, after normalisation, with the residue families' strings;
    long specific phrases are cut out of lines. Every other line is kept as it was,
    blank lines included. Text over ``max_bytes`` (characters of a str, bytes of bytes;
    None: no limit) raises :class:`~cleaner.errors.InputTooLargeError`, as in
    :func:`clean_article`.

    >>> clean_text('The story ends here.\\n"*" indicates required fields').text
    'The story ends here.'
    """
    check_format(format)
    max_bytes = check_limit("max_bytes", max_bytes)
    lang = _check_lang(lang)
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = prepare(text, None, max_bytes).text
    elif isinstance(text, str):
        if max_bytes and len(text) > max_bytes:
            raise InputTooLargeError(
                f"text is {len(text):,} characters, over the limit of {max_bytes:,} "
                "(raise max_bytes to allow it)")
        text = without_surrogates(text)
    else:
        raise InputError(f"text must be str or bytes, got {type(text).__name__}")
    rules = _check_rules(rules)
    lang = lang or guess_language(text)
    lines = text.splitlines()
    out: list[str] = []
    removed: list[Removal] = []
    with records_in_bulk() if len(lines) > BULK_LINES else nullcontext():
        for number, (line, v) in enumerate(zip(lines, _judge(lines, rules, lang),
                                               strict=True), 1):
            if v is None:
                out.append(line)
                continue
            removed.append(Removal.of_line(v.rule.id, v.rule.family, v.removed, number,
                                           v.rule.why))
            if v.new_text is not None:
                out.append(v.new_text)
    # a removed line leaves no double blank line behind, nor a trailing one
    cleaned: list[str] = []
    for line in out:
        if not line.strip() and cleaned and not cleaned[-1].strip():
            continue
        cleaned.append(line)
    while cleaned and not cleaned[-1].strip():  # so cleaning clean text changes nothing
        cleaned.pop()
    result_text = "\n".join(cleaned)
    blocks = tuple(Block("p", line.strip()) for line in cleaned if line.strip())
    metadata = dict.fromkeys(FIELDS)
    metadata["language"] = lang if lang != "xx" else None
    return CleanResult(text=result_text, title=None, metadata=metadata,
                       removed=tuple(removed), blocks=blocks, format=format)


def _judge(lines: list[str], rules: RuleSet, lang: str | None) -> list[Verdict | None]:
    """:func:`~cleaner.textrules.judge_lines` for every line, each run of identical lines
    judged once ("Share this:" a million times is one line to judge, not a million).

    Exact, not a heuristic: a blank line never gets a verdict nor counts as prose, so
    leaving blank lines out moves no line across the prose edges; identical lines with
    only blank lines between them are both prose, or both on the same side of every
    prose line, so they get the same verdict.
    """
    judged: list[str] = []
    group: list[int] = []          # per line: its index in ``judged``, or -1 (blank)
    for line in lines:
        if not line.strip():
            group.append(-1)
        elif judged and judged[-1] == line:
            group.append(len(judged) - 1)
        else:
            judged.append(line)
            group.append(len(judged) - 1)
    by_judged: dict[int, Verdict] = {v.index: v for v in judge_lines(judged, rules, lang)}
    return [by_judged.get(g) if g >= 0 else None for g in group]

"""The pipeline behind the public API: parse -> prune -> extract -> render (+ text layer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .blocks import Block, to_text
from .boundary import trim_edges
from .errors import InputError, OptionError
from .extract import extract
from .lang import guess_language, normalize_lang
from .metadata import FIELDS, extract_metadata
from .parse import DEFAULT_LIMITS, Limits, looks_like_html, parse, prepare, prepare_utf8
from .profiles import Profile, find_profile
from .prune import prune
from .result import CleanResult, Removal
from .rules import RuleSet, default_rules
from .textnorm import normalize_line
from .textrules import judge_lines

__all__ = ["clean_article", "clean_text", "OUTPUTS"]

OUTPUTS = ("text", "markdown", "html", "json")



def _limits(max_bytes: int | None | object, max_nodes: int | None | object) -> Limits:
    kw = {}
    for name, value in (("max_bytes", max_bytes), ("max_nodes", max_nodes)):
        if value is _DEFAULT:
            continue
        if value is not None and (not isinstance(value, int) or value <= 0):
            raise OptionError(f"{name} must be a positive int or None, got {value!r}")
        kw[name] = value
    return Limits(**kw) if kw else DEFAULT_LIMITS


_DEFAULT = object()


def _check_output(output: str) -> None:
    if output not in OUTPUTS:
        raise OptionError(f"unknown output {output!r}; choose one of {', '.join(OUTPUTS)}")


def _empty(metadata: dict[str, Any], output: str, removed=()) -> CleanResult:
    return CleanResult(text="", title=metadata.get("title"), metadata=metadata,
                       removed=tuple(removed), blocks=(), output=output)


def _coerce_markup(html: Any) -> str | bytes:
    if isinstance(html, (str, bytes, bytearray, memoryview)):
        return html
    # a BeautifulSoup object or an lxml element: serialise once, parse once with lxml
    mod = type(html).__module__ or ""
    if mod.startswith("bs4"):
        return str(html)
    if mod.startswith("lxml"):
        from lxml import etree
        return etree.tostring(html, encoding="unicode", method="html")
    raise InputError(f"expected HTML as str or bytes, got {type(html).__name__}")


def _resolve_profile(profile: Profile | str | None, url: str | None,
                     profiles_dir: str | Path | None) -> Profile | None:
    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, str):
        return find_profile(name=profile, profiles_dir=profiles_dir)
    if profile is not None:
        raise OptionError("profile must be a Profile, a profile name or None")
    return find_profile(url=url, profiles_dir=profiles_dir) if url else None


def _text_pass(blocks: list[Block], rules: RuleSet, lang: str | None,
               extra_lines: frozenset[str]) -> tuple[list[Block], list[Removal]]:
    """The text layer over the body's blocks, then blocks repeated back to back."""
    removed: list[Removal] = []
    # quotations are the article's own content, even when they quote a banner or a form
    texts = [b.text if b.kind not in ("pre", "table", "quote") else "" for b in blocks]
    verdicts = {v.index: v for v in judge_lines(texts, rules, lang)}
    kept: list[Block] = []
    for i, b in enumerate(blocks):
        v = verdicts.get(i)
        where = f"text:{i + 1}"
        if v is not None:
            removed.append(Removal(v.rule.id, v.rule.family, v.removed, where, v.rule.why))
            if v.new_text is None:
                continue
            b = b._replace(text=v.new_text)
        if extra_lines and normalize_line(b.text) in extra_lines:
            removed.append(Removal("profile.strip_text", "profile", b.text, where,
                                   "a line the site profile strips"))
            continue
        # a block repeating the one before it is an artefact (two copies in the markup);
        # repeats further apart are content (recipe steps, weekly plans, refrains)
        if kept and b.text == kept[-1].text and b.kind == kept[-1].kind:
            removed.append(Removal("structure.duplicate", "duplicate", b.text, where,
                                   "the same block twice in a row"))
            continue
        kept.append(b)
    return kept, removed


def clean_article(html: str | bytes | Any, url: str | None = None, *,
                  profile: Profile | str | None = None, output: str = "text",
                  include_comments: bool = False, include_captions: bool = False,
                  headers: Mapping[str, str] | None = None,
                  text_layer: bool = True, rules: RuleSet | None = None,
                  profiles_dir: str | Path | None = None,
                  max_bytes: int | None | object = _DEFAULT,
                  max_nodes: int | None | object = _DEFAULT) -> CleanResult:
    """Clean one scraped article page: find the body, strip residue, explain removals.

    ``html`` is the page as bytes (preferred: cleaner decodes it), ``str``, a
    BeautifulSoup object or an lxml element; plain text goes to :func:`clean_text`.
    ``headers`` (e.g. ``resp.headers``) supply the HTTP charset. Raises
    :class:`~cleaner.errors.CleanerError` subclasses only; empty input gives an empty
    result.

    >>> r = clean_article("<article><p>Hello world, this is the story.</p>"
    ...                   "<p>\\"*\\" indicates required fields</p></article>")
    >>> r.text
    'Hello world, this is the story.'
    >>> r.removed[0].rule
    'form.gravity.legend'
    """
    _check_output(output)
    limits = _limits(max_bytes, max_nodes)
    rules = rules or default_rules()
    text, encoding, enc_source, utf8 = prepare_utf8(_coerce_markup(html), headers, limits)
    base_meta: dict[str, Any] = dict.fromkeys(FIELDS)
    base_meta.update(url=url, encoding=encoding, encoding_source=enc_source)
    if not text.strip():
        return _empty(base_meta, output)
    if not looks_like_html(text):
        res = clean_text(text, output=output, rules=rules)
        meta = {**base_meta, **{k: v for k, v in res.metadata.items() if v is not None}}
        return CleanResult(text=res.text, title=None, metadata=meta, removed=res.removed,
                           blocks=res.blocks, output=output)
    doc = parse(text, url, limits, encoding, enc_source, utf8)
    if doc is None:
        return _empty(base_meta, output)
    meta = extract_metadata(doc.root, url)
    article_body = meta.pop("_article_body", None)
    metadata = {**base_meta, **{k: v for k, v in meta.items() if v}}
    if doc.notes:
        metadata["notes"] = list(doc.notes)
    prof = _resolve_profile(profile, url, profiles_dir)
    if prof is not None:
        metadata["profile"] = prof.name
    residue: dict = {}
    removed: list[Removal] = prune(doc.root, rules, include_comments=include_comments,
                                   extra=prof.strip_rules() if prof else (), residue=residue)
    ex = extract(doc.root, body_selector=prof.body_xpath() if prof and prof.body else None,
                 include_captions=include_captions, include_comments=include_comments,
                 residue=residue)
    removed.extend(ex.removed)
    blocks = ex.blocks
    blocks, edge_removed = trim_edges(blocks, metadata)
    removed.extend(edge_removed)
    lang = metadata.get("language") or guess_language(" ".join(b.text for b in blocks[:40]))
    if lang and not metadata.get("language"):
        metadata["language"] = lang if lang != "xx" else None
    if text_layer:
        extra = frozenset(normalize_line(s) for s in prof.strip_text) if prof else frozenset()
        blocks, text_removed = _text_pass(blocks, rules, lang, extra)
        removed.extend(text_removed)
    del article_body  # reserved for the body finder's cross-check
    return CleanResult(text=to_text(blocks), title=metadata.get("title"), metadata=metadata,
                       removed=tuple(removed), blocks=tuple(blocks), output=output)


def clean_text(text: str, *, lang: str | None = None, output: str = "text",
               rules: RuleSet | None = None) -> CleanResult:
    """Remove residue lines from text another tool already extracted.

    Whole lines are compared, after normalisation, with the residue families' strings;
    long specific phrases are cut out of lines. Every other line is kept as it was,
    blank lines included.

    >>> clean_text('The story ends here.\\n"*" indicates required fields').text
    'The story ends here.'
    """
    _check_output(output)
    if isinstance(text, (bytes, bytearray)):
        text, _, _ = prepare(bytes(text))
    if not isinstance(text, str):
        raise InputError(f"expected text as str, got {type(text).__name__}")
    rules = rules or default_rules()
    lang = normalize_lang(lang) or guess_language(text)
    lines = text.splitlines()
    verdicts = {v.index: v for v in judge_lines(lines, rules, lang)}
    out: list[str] = []
    removed: list[Removal] = []
    for i, line in enumerate(lines):
        v = verdicts.get(i)
        if v is None:
            out.append(line)
            continue
        removed.append(Removal(v.rule.id, v.rule.family, v.removed, f"text:{i + 1}",
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
                       removed=tuple(removed), blocks=blocks, output=output)

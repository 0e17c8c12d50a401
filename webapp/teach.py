"""Teaching a site from the preview: one picked element ("remove things like this on this
site", "keep this") or one line of the clean text ("this line is residue on this site")
becomes a rule of the site's profile.

:func:`plan` works out everything the preview shows before anything is saved: the
proposed (or edited) selector, how many elements it matches on the page, the example the
rule records, the profile it would join and the clean text with the rule applied (the
page cleaned again with the candidate profile, nothing written). :func:`save` writes the
same rule into ``<profiles folder>/<host>.toml``: the folder is the one ``cleaner serve
--profiles DIR`` was given, the host comes from the page's URL, nothing else from the
request names a file.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from cleaner import CleanerError, CleanOptions, CleanResult, ProfileError, clean_article
from cleaner.dom import Element
from cleaner.profiles import (
    Profile,
    ProfileRule,
    add_rule,
    example_html,
    example_text,
    find_profile,
    load_profiles,
    select,
    site_host,
    with_rule,
)

from .annotate import PATH_PATTERN, PathResolver
from .linediff import line_opcodes
from .pick import describe, propose

__all__ = ["Lesson", "plan", "save", "ACTIONS", "MAX_NOTE"]

ACTIONS = ("strip", "keep")
MAX_NOTE = 300
_SAVING = threading.Lock()   # one append at a time: the server has several threads


@dataclass
class Lesson:
    """What the preview shows while a rule is being taught (see :func:`plan`)."""

    mode: str                          # "element" or "line"
    kind: str = ""                     # strip, keep, strip_text ("" until chosen)
    path: str = ""                     # the picked element
    label: str = ""                    # tag#id.classes of the picked element
    excerpt: str = ""
    proposed: str = ""                 # the selector the preview proposed
    value: str = ""                    # the selector (maybe edited) or the line
    note: str = ""
    matches: int = 0                   # elements the selector matches on the page
    hits: int = 0                      # removals (or kept blocks) the rule made here
    misses_pick: bool = False          # the edited selector no longer matches the pick
    example: str = ""
    example_markup: str | None = None
    rows: list[tuple[str, str]] = field(default_factory=list)   # after now -> with rule
    gone: int = 0
    back: int = 0
    error: str = ""
    host: str = ""
    profile_name: str = ""
    target: str = ""                   # the file it would be saved in
    why_not: str = ""                  # why it cannot be saved (no folder, no URL...)
    rule: ProfileRule | None = None
    start_from: Profile | None = None

    @property
    def ready(self) -> bool:
        """A rule was tried: it can be shown and, unless ``why_not``, saved."""
        return self.rule is not None and not self.error


def _site(url: str | None, folder: str | None,
          in_effect: Profile | None) -> tuple[str, Profile, Profile | None, str, str]:
    """(host, base profile, profile to start a new file from, target file, why it
    cannot be saved) for a page at ``url`` and the profiles ``folder``."""
    try:
        host = site_host(url)
    except ProfileError as exc:
        # a stand-in to try the rule on this page; ".invalid" names no real site
        base = in_effect or Profile(name="this page", host="this-page.invalid")
        return "", base, None, "", str(exc) if url else \
            "give the page's URL (paste it with the page) to save a rule for its site"
    if not folder:
        return host, in_effect or Profile(name=host, host=host), None, "", \
            "to save rules, start the preview with 'cleaner serve --profiles DIR'"
    mine = Path(folder).resolve()
    try:
        loaded = load_profiles(folder)
    except ProfileError as exc:
        return host, Profile(name=host, host=host), None, "", str(exc)
    own = [p for p in loaded if p.source and Path(p.source).parent.resolve() == mine
           and p.matches(url)]
    if own:  # the folder already has a profile for this site: the rule joins it
        base = max(own, key=lambda p: len(p.host))
        file = Path(base.source).name
        if file != f"{base.host}.toml":
            return base.host, base, None, "", (f"this site's profile is {file}; rename it "
                                               f"{base.host}.toml to add rules to it here")
        return base.host, base, None, str(Path(folder) / file), ""
    same = [p for p in loaded if p.host == host]
    start = same[-1] if same else None
    base = start or Profile(name=host, host=host)
    return host, base, start, str(Path(folder) / f"{host}.toml"), ""


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _diff(before: str, after: str) -> tuple[list[tuple[str, str]], int, int]:
    a, b = before.splitlines(), after.splitlines()
    rows: list[tuple[str, str]] = []
    gone = back = 0
    for op, i1, i2, j1, j2 in line_opcodes(a, b):
        if op == "equal":
            rows.extend((" ", line) for line in a[i1:i2])
            continue
        rows.extend(("-", line) for line in a[i1:i2])
        rows.extend(("+", line) for line in b[j1:j2])
        gone += i2 - i1
        back += j2 - j1
    return rows, gone, back


def _markup_matches(html: str | None, css: str) -> str | None:
    """``html`` if ``css`` matches an element of it on a page of its own, else None (a
    selector that leans on the page's structure is tested on the site's pages only)."""
    if not html:
        return None
    try:
        root = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
        return html if select(root, css) else None
    except (ProfileError, ValueError, etree.ParserError):
        return None


def plan(args: Mapping[str, str], *, root: Element | None, markup: bytes | str,
         url: str | None, headers: Mapping[str, str] | None, options: CleanOptions,
         result: CleanResult, folder: str | None) -> Lesson | None:
    """The lesson the request ``args`` asks for (``pick`` + ``selector`` + ``action``, or
    ``line``; ``note``), tried on the page; None when it asks for none."""
    pick, line = args.get("pick", ""), args.get("line", "")
    if not pick and not line:
        return None
    lesson = Lesson(mode="element" if pick else "line")
    lesson.note = " ".join(args.get("note", "").split())[:MAX_NOTE]
    in_effect = None
    if result.metadata.get("profile"):
        try:
            in_effect = find_profile(name=result.metadata["profile"],
                                     profiles_dir=options.profiles_dir)
        except ProfileError:
            in_effect = None
    lesson.host, base, lesson.start_from, lesson.target, lesson.why_not = \
        _site(url, folder, in_effect)
    lesson.profile_name = base.name
    if lesson.mode == "element":
        el = _picked(lesson, pick, root)
        if el is None or root is None:
            return lesson
        action = args.get("action", "")
        lesson.kind = action if action in ACTIONS else ""
        avoid = _body(root, result) if lesson.kind != "keep" else []
        lesson.proposed = propose(root, el, avoid)
        lesson.value = " ".join(args.get("selector", "").split()) or lesson.proposed
        body = root.find("body")
        try:
            found = select(body if body is not None else root, lesson.value)
        except ProfileError as exc:
            lesson.error = str(exc)
            return lesson
        lesson.matches = len(found)
        lesson.misses_pick = el not in found
        if not lesson.kind:
            return lesson
        if lesson.kind == "strip":
            lesson.example = example_text(el)
            lesson.example_markup = _markup_matches(example_html(el), lesson.value)
    else:
        lesson.kind = "strip_text"
        lesson.value = " ".join(line.split())
        lesson.example = lesson.value
    rule = _rule(lesson)
    try:
        candidate = with_rule(base, rule)
        cleaned = clean_article(markup, url, headers=headers,
                                options=options.but(profile=candidate))
    except CleanerError as exc:
        lesson.error = str(exc)
        return lesson
    new_id = rule.rule_id(candidate.name, len(candidate.rules))
    if lesson.kind == "keep":
        kept = [b.text for b in cleaned.blocks if b.path and _under(b.path, lesson.path)]
        lesson.hits = len(kept)
        lesson.example = example_text(" ".join(kept))
        el = _picked(lesson, lesson.path, root)
        lesson.example_markup = _markup_matches(example_html(el), lesson.value) \
            if el is not None else None
        rule = _rule(lesson)
    else:
        lesson.hits = sum(1 for r in cleaned.removed if r.rule == new_id)
        if lesson.mode == "line":
            lesson.matches = lesson.hits
    lesson.rule = rule
    lesson.rows, lesson.gone, lesson.back = _diff(result.text, cleaned.text)
    return lesson


def _picked(lesson: Lesson, path: str, root: Element | None) -> Element | None:
    if not PATH_PATTERN.fullmatch(path or ""):
        lesson.error = "that is not an element path of this page"
        return None
    el = PathResolver(root).find(path) if root is not None else None
    if el is None:
        lesson.error = f"the page has no element at {path}"
        return None
    lesson.path, lesson.label = path, describe(el)
    lesson.excerpt = example_text(el)[:200]
    return el


def _body(root: Element, result: CleanResult) -> list[Element]:
    body: Any = result.metadata.get("body") or {}
    resolve = PathResolver(root)
    return [el for el in (resolve.find(p) for p in body.get("containers") or ())
            if el is not None]


def _rule(lesson: Lesson) -> ProfileRule:
    example = (lesson.example,) if lesson.example else ()
    markup = (lesson.example_markup,) if lesson.example_markup else ()
    if lesson.kind == "keep":
        return ProfileRule("keep", lesson.value, why=lesson.note, keep_examples=example,
                           keep_html=markup)
    return ProfileRule(lesson.kind or "strip", lesson.value, why=lesson.note,
                       drop_examples=example, drop_html=markup)


def save(lesson: Lesson, folder: str) -> Profile:
    """Write the lesson's rule into the site's profile in ``folder`` (atomically)."""
    if lesson.rule is None or lesson.error:
        raise ProfileError(lesson.error or "try the rule before saving it")
    if lesson.why_not:
        raise ProfileError(lesson.why_not)
    with _SAVING:
        return add_rule(folder, lesson.host, lesson.rule, start_from=lesson.start_from)

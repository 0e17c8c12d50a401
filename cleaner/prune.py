"""Stage 2, prune: remove what is never article text, and residue widgets, recording why.

One pass over the body decides for every element: hidden (inline style, ``hidden``,
``aria-hidden``, a display:none utility class), or matched by a residue rule's selector
(looked up by id, class and tag in the rule index, then tested); the attribute values
are read first (the rarer ones in C), so only the elements they flag are tested.
Matches inside an already matched element are skipped; an element holding more than the
rule's ``max_share`` of the page text is kept (a rule that matches the whole article is
a bad rule for that page, not a verdict).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Collection, Iterable, Mapping
from typing import Any, cast

from lxml import etree

from .dom import (
    BLOCK_TAGS,
    NAMES_CACHED,
    NEVER_CONTENT,
    Element,
    PathIndex,
    inside_any,
    parting_text_of,
    spaced_text_of,
    text_of,
)
from .result import Removal
from .rules import Rule, RuleSet
from .textnorm import collapse_spaces

__all__ = ["prune", "HiddenRule"]

LARGE_CHARS = 500           # a match with more text is checked against the page's
HIDDEN_PROSE_SHARE = 0.5    # a hidden element with over this share of the prose stays
PROSE_RUN_CHARS = 80        # a text run this long with a sentence end is prose
NOSCRIPT_COPY_MIN_CHARS = 200   # a <noscript> with this much text, this many times
NOSCRIPT_COPY_RATIO = 2         # what the page shows outside it, is a script-rendered
                                # page's copy (not a gallery's fallback beside its text)
_SENTENCE = re.compile(r"[.!?。！？](?:\s|$)|[。！？]")
# class names of the display:none utilities (Bootstrap, Tailwind, Foundation, Bulma); a
# breakpoint class beside one shows the element on wider screens ("hidden md:block");
# each holds "hid" or "none", tested before the class list is split
_HIDDEN_CLASSES = frozenset({"hidden", "hide", "d-none", "is-hidden", "u-hidden",
                             "display-none"})
_SHOWN_AT = re.compile(r"^(?:d-(?:sm|md|lg|xl|xxl)-|(?:sm|md|lg|xl|2xl):|visible-|"
                       r"show-for-|(?:hidden|hide)-(?:for-)?(?:xs|sm|md|lg|xl|small|medium|"
                       r"large|mobile|tablet|desktop|print))")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|"
                           r"(?:left|top)\s*:\s*-\d{4,}px", re.I)


# what the strip takes that a reader could still see, recorded (scripts and styles are not)
SHOWN_NOT_CONTENT = tuple(t for t in NEVER_CONTENT if t not in
                          ("script", "style", "noscript", "template", "head", "link", "meta",
                           "input"))
NOT_CONTENT = Rule(id="structure.not-content", family="layout",
                   why="a form control, embedded object or media element: not article text")


class HiddenRule:
    """Pseudo-rules for hidden elements, so they are recorded like any other removal."""

    STYLE = Rule(id="hidden.inline-style", family="hidden",
                 why="hidden by its inline style (honeypots, collapsed widgets)")
    ATTR = Rule(id="hidden.attribute", family="hidden",
                why="has the HTML 'hidden' attribute")
    ARIA = Rule(id="hidden.aria", family="hidden",
                why="aria-hidden: not shown to readers or assistive technology")
    CLASS = Rule(id="hidden.class", family="hidden",
                 why="classed with a display:none utility ('hidden', 'd-none')")


def hidden_by_class(cls: str) -> bool:
    """The class list names a display:none utility and no breakpoint that shows it."""
    names = cls.split()
    return not _HIDDEN_CLASSES.isdisjoint(names) and \
        not any(_SHOWN_AT.match(name) for name in names)


def _noscript_copy(body: Element) -> Element | None:
    """The <noscript> that holds a script-rendered page's text (a forum app's copy for
    readers without scripts): NOSCRIPT_COPY_MIN_CHARS or more, and NOSCRIPT_COPY_RATIO
    times all the text the page shows outside its scripts and <noscript> boxes."""
    best, most = None, 0
    for el in body.iter("noscript"):
        n = _chars(el)
        if n > most:
            best, most = el, n
    if best is None or most < NOSCRIPT_COPY_MIN_CHARS:
        return None
    unshown: set[Element] = set()
    hidden = 0
    for el in body.iter("script", "style", "noscript", "template"):
        if not any(a in unshown for a in el.iterancestors()):
            unshown.add(el)
            hidden += _chars(el)
    return best if most > NOSCRIPT_COPY_RATIO * (_chars(body) - hidden) else None


def _chars(el: Element) -> int:
    """The characters of an element's text, spaces left out."""
    return sum(len("".join(str(t).split())) for t in el.itertext())


def prune(root: Element, rules: RuleSet, paths: PathIndex, *, include_comments: bool = False,
          extra: Iterable[tuple[Rule, Any]] = (),
          residue: dict[Element, int] | None = None,
          notes: list[str] | None = None, keep: Collection[Element] = ()) -> list[Removal]:
    """Remove hidden elements and residue widgets from ``root`` in place.

    ``extra`` adds (rule, compiled XPath selecting elements) pairs, e.g. a site
    profile's ``strip`` selectors. Returns the removals in document order, each with
    its path in the page as parsed (``paths``). When ``residue`` is a dict, it receives
    {parent element: characters removed from it}, so the body finder can still count
    residue against the box that held it. A hidden element holding most of the page's
    prose is kept (a script shows it), with a line in ``notes``. Elements in ``keep`` (a
    site profile's keep rules) and every box holding one are never removed, nor anything
    inside them but hidden elements.
    """
    body = root.find("body")
    if body is None:
        body = root
    shown = _shown_not_content(body, paths)
    copy = _noscript_copy(body)
    if copy is not None:
        copy.tag = "div"   # its content stays, as a reader without scripts sees it
        if notes is not None:
            notes.append("read the <noscript> copy of a page its scripts render")
    etree.strip_elements(root, *NEVER_CONTENT, with_tail=False)
    matches: list[tuple[Element, Rule]] = []
    for by, xpath in extra:
        matches.extend((el, by) for el in xpath(body))
    marked = {el for el, _ in matches}
    by_tag, by_id, by_class = rules.by_tag, rules.by_id_attr, rules.by_class
    any_tag = by_tag.get("*", ())
    by_classes = _verdicts(rules)
    candidates = list(body.iterdescendants(etree.Element)) if any_tag else \
        _flagged(body, rules, by_classes)
    for el in candidates:
        if marked and el in marked:
            continue
        # the elements to test are few (flagged in C): one read of their attributes
        attrs = cast("dict[str, str]", dict(el.items()))
        cls = attrs.get("class")
        known = (by_classes.get(cls) or _class_verdict(cls, by_class, by_classes)) \
            if cls else _NO_CLASS
        ident, style = attrs.get("id"), attrs.get("style")
        hidden, aria = attrs.get("hidden"), attrs.get("aria-hidden")
        rule: Rule | None = None
        if hidden is not None:
            rule = HiddenRule.ATTR
        elif aria == "true":
            rule = HiddenRule.ARIA
        elif style and _HIDDEN_STYLE.search(style):
            rule = HiddenRule.STYLE
        elif known[0]:
            rule = HiddenRule.CLASS
        if rule is None:
            # candidate rules: by tag, by id, by each class; then the full test
            cands = by_tag.get(el.tag, ())
            if any_tag:
                cands = (*cands, *any_tag)
            if ident and ident in by_id:
                cands = (*cands, *by_id[ident])
            if known[1]:
                cands = (*cands, *known[1])
            for cand, test in cands:
                if include_comments and cand.comment_content:
                    continue
                if test(el):
                    rule = cand
                    break
        if rule is not None:
            matches.append((el, rule))
            marked.add(el)
    if not matches:
        return shown
    if len(matches) > 1 and extra:
        order = {el: i for i, el in enumerate(body.iter())}
        matches.sort(key=lambda m: order.get(m[0], 0))
    page_chars = page_prose = -1  # measured only if a large element matches
    removals: list[Removal] = shown
    removed: set[Element] = set()
    # dropped in document order (the spaces left depend on it), with each one's text
    in_order: list[tuple[Element, Rule, str]] = []
    covered: dict[Element, bool] = {}
    kept = set(keep)
    holding = {a for el in kept for a in el.iterancestors()}
    in_kept: dict[Element, bool] = {}
    for el, rule in matches:
        if el in removed or inside_any(el, removed, covered):
            continue
        if kept and (el in kept or el in holding or (
                rule.family != "hidden" and inside_any(el, kept, in_kept))):
            continue  # hidden parts of a kept box still go: no reader sees them
        raw = text_of(el)
        if len(raw) > LARGE_CHARS:
            if rule.family == "hidden":
                if page_prose < 0:
                    page_prose = prose_chars(body)
                if prose_chars(el) > HIDDEN_PROSE_SHARE * page_prose:
                    if notes is not None:
                        notes.append(f"kept a hidden element holding most of the page's "
                                     f"prose ({paths.path(el)}): a script shows it")
                    continue
            if page_chars < 0:
                page_chars = len(text_of(body)) or 1
            if len(raw) > rule.max_share * page_chars:
                continue
        removed.add(el)
        in_order.append((el, rule, raw))
    # recorded once every verdict is in: reading a leaving box spaces its blocks' text
    for el, rule, raw in in_order:
        text = collapse_spaces(parting_text_of(el, raw))
        path = paths.path(el)  # before anything is dropped: its siblings keep their steps
        if text:
            removals.append(Removal.of_element(rule.id, rule.family, text, path, rule.why))
        if residue is not None:
            parent = el.getparent()
            if parent is not None:
                residue[parent] = residue.get(parent, 0) + len(text)
    for el, _rule, _raw in in_order:
        _drop(el)
    return removals


# what a class string says: (a display:none utility, the rules its names index)
Verdict = tuple[bool, tuple[tuple[Rule, Any], ...]]
Verdicts = dict[str, Verdict]
_NO_CLASS: Verdict = (False, ())   # nothing to test
# per rule set, each class string's verdict, kept across pages (a site's pages share their
# class strings); emptied when it holds NAMES_CACHED strings
_VERDICTS: weakref.WeakKeyDictionary[RuleSet, Verdicts] = weakref.WeakKeyDictionary()


def _verdicts(rules: RuleSet) -> Verdicts:
    found = _VERDICTS.get(rules)
    if found is None or len(found) >= NAMES_CACHED:
        found = _VERDICTS[rules] = {}
    return found


def _class_verdict(cls: str, by_class: Mapping[str, Any],
                   by_classes: Verdicts) -> Verdict:
    """A class string's :data:`Verdict`, kept in ``by_classes`` (each distinct string is
    judged once: :func:`_verdicts`); :data:`_NO_CLASS` itself when it says neither."""
    hits: tuple[tuple[Rule, Any], ...] = ()
    for name in cls.split():
        hit = by_class.get(name)
        if hit:
            hits = (*hits, *hit)
    hidden = ("hid" in cls or "none" in cls) and hidden_by_class(cls)
    known = by_classes[cls] = (hidden, hits) if hidden or hits else _NO_CLASS
    return known


def _flagged(body: Element, rules: RuleSet,
             by_classes: Verdicts) -> list[Element]:
    """The elements under ``body`` that a rule or a hiding could match, in document
    order: a class that names a display:none utility or that a rule indexes, an id a
    rule indexes, an inline style that hides, ``hidden``, ``aria-hidden="true"``, a tag
    a rule indexes. The rarer attributes are read in C (strings that know their
    element); the class, on most elements, is read in the one walk that puts the
    elements in order (cheaper than its XPath, whose strings each make their element's
    proxy, and a walk to order them)."""
    by_id, by_class = rules.by_id_attr, rules.by_class
    found: set[Element] = {v.getparent() for v in cast("list[Any]", _IDS(body))
                           if v in by_id}
    found.update(v.getparent() for v in cast("list[Any]", _STYLES(body))
                 if _HIDDEN_STYLE.search(v))
    found.update(v.getparent() for v in cast("list[Any]", _HIDDEN(body)))
    found.update(v.getparent() for v in cast("list[Any]", _ARIA_HIDDEN(body)) if v == "true")
    if rules.by_tag:
        found.update(body.iterdescendants(*rules.by_tag))
    known = by_classes.get
    flagged: list[Element] = []
    for el in body.iterdescendants():
        cls = el.get("class")
        if (cls and (known(cls) or _class_verdict(cls, by_class, by_classes))
                is not _NO_CLASS) or el in found:
            flagged.append(el)
    return flagged


_IDS, _STYLES, _HIDDEN, _ARIA_HIDDEN = (
    etree.XPath(f"descendant::*/@{name}") for name in ("id", "style", "hidden", "aria-hidden"))


def prose_chars(el: Element) -> int:
    """Characters of sentence-like text runs (a full stop inside, no shorter than a
    sentence) under ``el``: what readers read, however the markup wraps it."""
    return sum(len(t) for t in cast("list[str]", _LONG_RUNS(el, least=PROSE_RUN_CHARS))
               if _SENTENCE.search(t) is not None)


# the text runs under an element as long as a sentence or longer, picked out in C
_LONG_RUNS = etree.XPath("descendant::text()[string-length() >= $least]", smart_strings=False)


def _shown_not_content(body: Element, paths: PathIndex) -> list[Removal]:
    """Form controls, embeds and media that show a reader some text (never article
    text), one record each; one inside another is in the outer one's record (nested
    selects read per element were quadratic: 1,000 took seconds)."""
    seen: set[Element] = set()
    memo: dict[Element, bool] = {}
    shown = []
    for el in body.iter(*SHOWN_NOT_CONTENT):
        if seen and inside_any(el, seen, memo):
            continue
        seen.add(el)
        if _shows_text(el) and (text := collapse_spaces(spaced_text_of(el))):
            shown.append(Removal.of_element(NOT_CONTENT.id, NOT_CONTENT.family, text,
                                            paths.path(el), NOT_CONTENT.why))
    return shown


def _shows_text(el: Element) -> bool:
    text = text_of(el)
    return bool(text) and not text.isspace()


def _drop(el: Element) -> None:
    """Remove an element but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if el.tag in BLOCK_TAGS and (tail or el.getnext() is not None) and \
            not (tail or "x")[0].isspace():
        tail = " " + (tail or "")  # the block parted the words on either side of it
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)

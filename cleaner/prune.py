"""Stage 2, prune: remove what is never article text, and residue widgets, recording why.

One walk over the body decides for every element: hidden (inline style, ``hidden``,
``aria-hidden``), or matched by a residue rule's selector (looked up by id, class and
tag in the rule index, then tested). Matches inside an already matched element are
skipped; an element holding more than the rule's ``max_share`` of the page text is kept
(a rule that matches the whole article is a bad rule for that page, not a verdict).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from .dom import NEVER_CONTENT, spaced_text_of, text_of
from .result import Removal
from .rules import Rule, RuleSet
from .textnorm import collapse_spaces

__all__ = ["prune", "HiddenRule"]

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|"
                           r"(?:left|top)\s*:\s*-\d{4,}px", re.I)


class HiddenRule:
    """Pseudo-rules for hidden elements, so they are recorded like any other removal."""

    STYLE = Rule(id="hidden.inline-style", family="hidden",
                 why="hidden by its inline style (honeypots, collapsed widgets)")
    ATTR = Rule(id="hidden.attribute", family="hidden",
                why="has the HTML 'hidden' attribute")
    ARIA = Rule(id="hidden.aria", family="hidden",
                why="aria-hidden: not shown to readers or assistive technology")


def prune(root, rules: RuleSet, *, include_comments: bool = False,
          extra: Iterable[tuple[Rule, object]] = (),
          residue: dict | None = None) -> list[Removal]:
    """Remove hidden elements and residue widgets from ``root`` in place.

    ``extra`` adds (rule, compiled XPath selecting elements) pairs, e.g. a site
    profile's ``strip`` selectors. Returns the removals in document order. When
    ``residue`` is a dict, it receives {parent element: characters removed from it}, so
    the body finder can still count residue against the box that held it.
    """
    etree.strip_elements(root, *NEVER_CONTENT, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root
    matches: list[tuple[object, Rule]] = []
    for rule, xpath in extra:
        matches.extend((el, rule) for el in xpath(body))
    marked = {el for el, _ in matches}
    by_tag, by_id, by_class = rules.by_tag, rules.by_id_attr, rules.by_class
    any_tag = by_tag.get("*", ())
    for el in body.iterdescendants(etree.Element):  # never <html> or <body> below body
        tag = el.tag
        if marked and el in marked:
            continue
        get = el.get
        rule = None
        if get("hidden") is not None:
            rule = HiddenRule.ATTR
        elif get("aria-hidden") == "true":
            rule = HiddenRule.ARIA
        else:
            style = get("style")
            if style and _HIDDEN_STYLE.search(style):
                rule = HiddenRule.STYLE
        if rule is None:
            # candidate rules: by tag, by id, by each class; then the full test
            cands = by_tag.get(tag, ())
            if any_tag:
                cands = (*cands, *any_tag)
            ident = get("id")
            if ident and ident in by_id:
                cands = (*cands, *by_id[ident])
            cls = get("class")
            if cls:
                for name in cls.split():
                    hit = by_class.get(name)
                    if hit:
                        cands = (*cands, *hit)
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
        return []
    if len(matches) > 1 and extra:
        order = {el: i for i, el in enumerate(body.iter())}
        matches.sort(key=lambda m: order.get(m[0], 0))
    page_chars = 0  # measured only if a large element matches
    tree = root.getroottree()
    removals: list[Removal] = []
    removed: set = set()
    for el, rule in matches:
        if any(a in removed for a in el.iterancestors()):
            continue
        raw = text_of(el)
        if len(raw) > 500:
            page_chars = page_chars or len(text_of(body)) or 1
            if len(raw) > rule.max_share * page_chars:
                continue
        text = collapse_spaces(spaced_text_of(el))
        if text:
            removals.append(Removal(rule.id, rule.family, text, "html:" + tree.getpath(el),
                                    rule.why))
        removed.add(el)
        if residue is not None:
            parent = el.getparent()
            residue[parent] = residue.get(parent, 0) + len(text)
    for el in removed:
        _drop(el)
    return removals


def _drop(el) -> None:
    """Remove an element but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)

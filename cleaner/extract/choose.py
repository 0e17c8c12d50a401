"""The body decision: which container (and which of its siblings) is the article.
"""

from __future__ import annotations

import re

from lxml import etree

from ..dom import Element, inside_any, text_of
from . import weights as S
from .scores import Scores

__all__ = ["top_candidate", "with_siblings", "comment_sections"]


def top_candidate(body, sc: Scores):
    if not sc.score:
        return body
    weight = S.GAIN_POINTS_PER_100 / 100
    top = max(sc.score, key=lambda el: sc.final(el) + weight * sc.gain(el))
    if sc.final(top) <= 0:
        return body
    # narrow to a child that keeps nearly all the prose with less junk
    narrowed = sc.good.get(top, 0) > 0
    while narrowed:
        narrowed = False
        keep = sc.good.get(top, 0) * S.NARROW_KEEP_SHARE
        for child in top:
            if child in sc.good and sc.good[child] >= keep and sc.gain(child) > sc.gain(top):
                top, narrowed = child, True
                break
    # widen to the ancestor that holds the most prose for the least junk
    best, best_gain = top, sc.gain(top)
    for anc in top.iterancestors():
        g = sc.gain(anc)
        if g > best_gain * S.WIDEN_MIN_GAIN:
            best, best_gain = anc, g
        if anc is body:
            break
    return best


_SENTENCE_END = re.compile(r"\.(\s|$)")


def with_siblings(top, body, sc: Scores) -> list:
    parent = top.getparent()
    if top is body or parent is None:
        return [top]
    top_score = sc.final(top)
    threshold = max(S.SIBLING_MIN_SCORE, top_score * S.SIBLING_SCORE_SHARE)
    top_class = top.get("class") or ""
    out = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is top:
            out.append(sib)
            continue
        bonus = top_score * 0.2 if top_class and sib.get("class") == top_class else 0
        if sib in sc.score and sc.final(sib) + bonus >= threshold and \
                sc.good.get(sib, 0) >= S.SIBLING_MIN_GOOD:
            out.append(sib)
        elif sib.tag == "p":
            n = sc.chars.get(sib, 0)
            ld = sc.density(sib)
            long_prose = n > S.SIBLING_PARAGRAPH_CHARS and ld < S.SIBLING_MAX_LINK_DENSITY
            if long_prose or (0 < n <= S.SIBLING_PARAGRAPH_CHARS and ld == 0 and
                              _SENTENCE_END.search(text_of(sib))):
                out.append(sib)
    return out


# where reader comments live (WordPress and most themes, Disqus, generic comment lists)
_COMMENT_ROOTS = etree.XPath(
    "//*[@id='comments' or @id='comment-list' or @id='disqus_thread' or "
    "contains(concat(' ', normalize-space(@class), ' '), ' comment-list ') or "
    "contains(concat(' ', normalize-space(@class), ' '), ' commentlist ') or "
    "contains(concat(' ', normalize-space(@class), ' '), ' comments-area ')]")


def comment_sections(root: Element, containers: list[Element]) -> list[Element]:
    """Outermost comment sections outside (and not around) the body containers, in page
    order; linear in the page, however many sections it has."""
    around = {a for c in containers for a in c.iterancestors()}
    taken = set(containers)   # the body, then each section taken: nothing inside counts
    memo: dict[Element, bool] = {}
    out: list[Element] = []
    for el in _COMMENT_ROOTS(root):   # document order
        if el in around or el in taken or inside_any(el, taken, memo):
            continue  # around the body, or inside the body or a section already taken
        out.append(el)
        taken.add(el)
    return out

"""The body decision: which container (and which of its siblings) is the article.
"""

from __future__ import annotations

import re

from lxml import etree

from ..dom import Element, inside_any, text_of
from . import weights as S
from .scores import PARAGRAPH_LIKE, Scores

__all__ = ["candidates", "top_candidate", "narrow", "widen", "with_siblings",
           "comment_sections"]

_PLAIN = frozenset({"p", "blockquote", "ul", "ol", "dl", "pre", "table", "figure", "h2", "h3",
                    "h4", "h5", "h6"})


def candidates(body: Element, sc: Scores) -> list[Element]:
    """The boxes that may become the body. Once the page has a paragraph of prose, a box
    with no prose in it (a class-named sliver, a poll, a form) cannot win; once it has a
    real cluster of paragraphs, neither can a box holding less than PROSE_FLOOR_SHARE
    of the densest one (the box the paragraphs sit in directly), except the boxes
    around that cluster (a short article in a small, link-rich box). A box in the
    site's banner cannot win unless the banner holds half of the page's prose."""
    good = sc.good
    if max(good.values(), default=0) < S.PROSE_GATE_CHARS:
        return list(sc.score)
    banned: set[Element] = set()    # a promo or teaser panel in the site's banner
    for banner in sc.banners():
        banned.update(banner.iter())
    holding: set[Element] = set()   # boxes with prose in them, outside chrome boxes
    densest, cluster = 0, body
    for el, g in good.items():
        if g <= 0 or el in banned:
            continue
        if el not in holding:
            holding.add(el)
            for node in el.iterancestors():
                if node in holding:
                    break
                holding.add(node)
        if g > densest:
            direct = g - sum(good.get(c, 0) for c in el if c.tag not in PARAGRAPH_LIKE)
            if direct > densest:
                densest, cluster = direct, el
    pool = [el for el in sc.score if el in holding]
    if densest < S.PROSE_FLOOR_MIN_CHARS:
        return pool
    floor = S.PROSE_FLOOR_SHARE * densest
    around = set(cluster.iterancestors())
    return [el for el in pool if good.get(el, 0) >= floor or el is cluster or el in around]


def top_candidate(body: Element, sc: Scores, pool: list[Element] | None = None) -> Element:
    """The best box: readability's score plus its prose gain, among :func:`candidates`
    (or ``pool``), narrowed to a child holding nearly all of its prose, widened to an
    ancestor whose alike children add prose."""
    if pool is None:
        pool = candidates(body, sc)
    if not pool:
        return body
    weight = S.GAIN_POINTS_PER_100 / 100
    top = max(pool, key=lambda el: sc.final(el) + weight * sc.gain(el))
    if sc.final(top) <= 0:
        return body
    return widen(narrow(top, sc), body, sc)


def narrow(top: Element, sc: Scores) -> Element:
    """A child that keeps nearly all the prose with less junk, repeatedly."""
    narrowed = sc.good.get(top, 0) > 0
    while narrowed:
        narrowed = False
        keep = sc.good.get(top, 0) * S.NARROW_KEEP_SHARE
        for child in top:
            if child in sc.good and sc.good[child] >= keep and sc.gain(child) > sc.gain(top):
                top, narrowed = child, True
                break
    return top


def _alike(child: Element, path: Element) -> bool:
    """A sibling that continues the article: the same tag sharing a class, or a plain
    unclassed paragraph, quote, list, table or figure."""
    if child.tag == path.tag:
        mine = set((path.get("class") or "").split())
        if mine and not mine.isdisjoint((child.get("class") or "").split()):
            return True
    return child.tag in _PLAIN and not child.get("class")


def widen(top: Element, body: Element, sc: Scores) -> Element:
    """The ancestor holding the most prose for the least junk, when worth WIDEN_MIN_GAIN
    times more: each ancestor adds the gain of its children that are alike the path's
    (an article split over chunks); the others (teasers, panels) add only a loss."""
    best, best_gain = top, sc.gain(top)
    worth, path = best_gain, top
    for anc in top.iterancestors():
        for child in anc:
            if child is path or not isinstance(child.tag, str):
                continue
            g = sc.gain(child)
            if g > 0 and (sc.density(child) >= S.WIDEN_MAX_LINK_DENSITY or
                          not _alike(child, path)):
                g = 0.0
            worth += g
        if worth > best_gain + (S.WIDEN_MIN_GAIN - 1) * abs(best_gain):
            best, best_gain = anc, worth
        path = anc
        if anc is body:
            break
    return best


_SENTENCE_END = re.compile(r"\.(\s|$)")


def is_feed(box: Element) -> bool:
    """A box of teasers: two or more of its headings are links (other stories' titles)."""
    heads = linked = 0
    for h in box.iter("h1", "h2", "h3", "h4"):
        heads += 1
        text = len(text_of(h).strip())
        inside = sum(len(text_of(a).strip()) for a in h.iter("a"))
        if text and inside >= S.LINK_ITEM_MIN_SHARE * text:
            linked += 1
    return linked >= 2 and linked >= heads / 2


def with_siblings(top: Element, body: Element, sc: Scores) -> list[Element]:
    parent = top.getparent()
    if top is body or parent is None:
        return [top]
    top_score = sc.final(top)
    threshold = max(S.SIBLING_MIN_SCORE, top_score * S.SIBLING_SCORE_SHARE)
    top_class = top.get("class") or ""
    banners = sc.banners()
    out = []
    for sib in parent:
        if not isinstance(sib.tag, str) or sib in banners:
            continue
        if sib is top:
            out.append(sib)
            continue
        bonus = top_score * 0.2 if top_class and sib.get("class") == top_class else 0
        if sib in sc.score and sc.final(sib) + bonus >= threshold and \
                sc.good.get(sib, 0) >= S.SIBLING_MIN_GOOD and not is_feed(sib):
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


def _elements(found: object) -> list[Element]:
    """An XPath result's elements (a node-set query returns a list)."""
    return [el for el in found if isinstance(el, etree._Element)] \
        if isinstance(found, list) else []


def comment_sections(root: Element, containers: list[Element]) -> list[Element]:
    """Outermost comment sections outside (and not around) the body containers, in page
    order; linear in the page, however many sections it has."""
    around = {a for c in containers for a in c.iterancestors()}
    taken = set(containers)   # the body, then each section taken: nothing inside counts
    memo: dict[Element, bool] = {}
    out: list[Element] = []
    for el in _elements(_COMMENT_ROOTS(root)):   # document order
        if el in around or el in taken or inside_any(el, taken, memo):
            continue  # around the body, or inside the body or a section already taken
        out.append(el)
        taken.add(el)
    return out

"""Per-element statistics for the body decision, from one post-order walk of the tree.

Text is split into runs: the phrasing text (inline elements included) directly inside
one block element. A run of 25+ characters is a paragraph: it scores its ancestors
(readability's points) and, when it is not link text, not inside a chrome box and not a
column of labels (short lines parted by ``<br>``: :func:`label_lines`), adds its length
beyond ``GOOD_RUN_OFFSET`` to the ``good`` (prose) mass of every ancestor.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from lxml import etree

from ..dom import BLOCK_TAGS, Element, inside_any, text_of
from . import weights as S
from .boxes import (
    article_body_box,
    article_body_of,
    box_family,
    box_words,
    chrome_hint,
    class_weight,
    hint_text,
    holds_content,
    lower_hint,
    positional_hint,
)

__all__ = ["Scores", "PARAGRAPH_LIKE", "measure"]

PARAGRAPH_LIKE = frozenset({"p", "pre", "td", "th", "blockquote", "dd", "dt", "li", "h1", "h2",
                            "h3", "h4", "h5", "h6", "caption", "figcaption", "address"})
_NEVER_CHROME = frozenset({"html", "body", "main", "article"})
_HEADS_ARTICLE = frozenset({"main", "article"})  # a <header> in these is the article's
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_COMMAS = re.compile(r"[,，、،]")
# every wide-script character and comma but "," and "،" is U+3001 or later: one range is
# searched several times faster than the wide script's ranges
_WIDE_OR_LATER = re.compile("[\u3001-\U0010ffff]")
_WIDE = re.compile(S.WIDE_SCRIPT)
# how a line that is a sentence or a clause ends, closing quotes and brackets aside
_CLAUSE_ENDS = frozenset(".,;!?\u2026\u2013\u2014\u3002\uff01\uff1f\uff0c\u3001\u061b\u060c")
_CLOSERS = "\"')]\u00bb\u201d\u2019"


def measure(s: str) -> tuple[int, int]:
    """Length and commas of a stripped text, the length in Latin letters: a character of a
    script written without spaces between words (Han, kana) counts WIDE_CHAR_WEIGHT.

    >>> measure("The pier, at last"), measure("新码头，终于")
    ((17, 1), (16, 1))
    """
    if s.isascii():
        return len(s), s.count(",")
    if _WIDE_OR_LATER.search(s) is None:  # curly quotes, accents: no wide script or comma
        return len(s), s.count(",") + s.count("\u060c")
    wide = len(_WIDE.findall(s))
    return len(s) + (S.WIDE_CHAR_WEIGHT - 1) * wide, len(_COMMAS.findall(s))


def _site_header(lowered: str) -> bool:
    """Whether a lowercased class/id string holds a word naming the site's banner
    (SITE_HEADER). Each of those words holds "header" or "masthead": a substring test
    first spares the split of most strings.

    >>> all("header" in word or "masthead" in word for word in S.SITE_HEADER)
    True
    >>> _site_header("site-header sticky"), _site_header("entry-header")
    (True, False)
    """
    return ("header" in lowered or "masthead" in lowered) and \
        not S.SITE_HEADER.isdisjoint(lowered.split())


def label_lines(el: Element, blocks: Collection[Element]) -> bool:
    """Whether the run directly in ``el`` (its text and its inline children's), parted
    into lines at each ``<br>`` or other block child (``blocks``), is a column of labels:
    LABEL_MIN_LINES lines or more averaging under LABEL_LINE_CHARS, fewer than
    LABEL_SENTENCE_SHARE of them ending like a sentence or a clause (names, addresses,
    link labels, menu items; a poem's lines end in commas and full stops).

    >>> from lxml import html
    >>> p = html.fragment_fromstring("<p>Ana Ruiz<br>ana at example.org<br><br>"
    ...                              "Ben Okafor<br>ben at example.org</p>")
    >>> label_lines(p, set(p)), label_lines(p, set())
    (True, False)
    """
    lines: list[str] = []
    part: list[str] = []
    t = el.text
    if t:
        part.append(t)
    for child in el:
        if child in blocks:
            line = " ".join("".join(part).split())
            if line:
                lines.append(line)
            part = []
        elif isinstance(child.tag, str):
            part.append(text_of(child))
        t = child.tail
        if t:
            part.append(t)
    line = " ".join("".join(part).split())
    if line:
        lines.append(line)
    n = len(lines)
    if n < S.LABEL_MIN_LINES or \
            sum(measure(line)[0] for line in lines) >= S.LABEL_LINE_CHARS * n:
        return False
    ends = sum(line.rstrip(_CLOSERS)[-1:] in _CLAUSE_ENDS for line in lines)
    return ends < S.LABEL_SENTENCE_SHARE * n


class Scores:
    """Per-element statistics from one post-order walk.

    Text is split into runs: the phrasing text (inline elements included) directly inside
    one block element. A run of 25+ characters is a paragraph: it scores its ancestors
    (readability's points) and, when it is not link text and not inside a chrome box, adds
    its length beyond ``GOOD_RUN_OFFSET`` to the ``good`` mass of every ancestor.
    """

    def __init__(self, body: Element, residue: dict[Element, int] | None = None,
                 forms: Collection[Element] = ()) -> None:
        self.body = body
        self.forms = forms   # boxes of a form that asks for input: chrome (form_boxes)
        self.residue = residue or {}
        self.chars: dict[Element, int] = {}
        self.links: dict[Element, int] = {}
        self.score: dict[Element, float] = {}
        self.good: dict[Element, int] = {}
        self.junk: dict[Element, int] = {}
        self.chrome: set[Element] = set()
        self.wrappers: set[Element] = set()   # chrome by name, kept as the article's box
        self.inner_chrome: set[Element] = set()   # chrome by name, big, inside the article
        self.page_prose = 0                   # prose mass of the page, chrome counted
        self.chrome_prose: dict[Element, int] = {}   # prose of boxes inside chrome boxes
        # comment-named boxes that are a thread's posts, the opening one too
        self.thread_posts: set[Element] = set()
        # a chrome box's prose and junk before it was zeroed, and its prose with chrome
        # counted, for boxes that may turn out to wrap the article
        self._kept: dict[Element, tuple[int, int, int]] = {}
        self._banner_marks: list[Element] = []   # <header> and SITE_HEADER boxes with text
        self._banners: list[Element] | None = None
        # block elements whose text or tail starts without a space, with that text, for
        # space_blocks
        self._unspaced: list[Element] = []
        self._unspaced_texts: list[str | None] = []
        self._unspaced_tails: list[Element] = []
        self._unspaced_tail_texts: list[str | None] = []
        # headings holding link text, last first, for _unprose_teasers
        self._linked_heads: list[Element] = []
        self._walk(body)
        self._unchrome_wrappers()
        self._unprose_teasers()

    def _walk(self, body: Element) -> None:
        # Reversed document order visits every element after all of its descendants, so
        # one loop can add each element's totals to its parent's.
        chars, links, score, good, junk = self.chars, self.links, self.score, self.good, \
            self.junk
        chrome_set = self.chrome
        measure_text = measure
        min_chars, levels = S.MIN_PARAGRAPH_CHARS, S.ANCESTOR_LEVELS
        first_level, tag_weight = S.DIRECT_TEXT_FIRST_LEVEL, S.TAG_WEIGHT
        # what a paragraph's points are divided by at each level up: 1, 2, then level * 3
        shares = tuple(1 if level == 0 else (2 if level == 1 else level * 3)
                       for level in range(levels))
        offset, max_ld = S.GOOD_RUN_OFFSET, S.GOOD_RUN_MAX_LINK_DENSITY
        card_chars, card_ld = S.CARD_MAX_CHARS, S.CARD_MIN_LINK_DENSITY
        list_ld = S.TEASER_LIST_LINK_DENSITY
        chrome_tags = S.CHROME_TAGS
        forms, form_max = self.forms, S.FORM_MAX_CHARS
        chrome_roles = S.CHROME_ROLES
        seen_hints: dict[str, int] = {}  # class strings repeat: decide each once (1: chrome,
        banner_marks = self._banner_marks  # 2: the site's banner)
        weights: dict[tuple[str | None, str | None, str | None, str | None], int] = {}
        kept = self._kept
        unspaced, unspaced_texts = self._unspaced, self._unspaced_texts
        unspaced_tails, unspaced_tail_texts = self._unspaced_tails, self._unspaced_tail_texts
        linked_heads = self._linked_heads
        # children's totals: [chars, links, commas, has block, run, run links, run commas,
        #                     good, junk, good with chrome counted]
        acc: dict[Element | None, list[Any]] = {}
        # <br>s per parent, counted as the walk meets them (before their parent): a run
        # of short lines parted by them may be a column of labels
        breaks: dict[Element | None, int] = {}
        label_chars, label_breaks = S.LABEL_LINE_CHARS, S.LABEL_MIN_LINES - 1
        # removed residue still counts against the box that held it, as link text
        for parent, gone in (self.residue or {}).items():
            if gone:
                acc[parent] = [gone, gone, 0, False, 0, 0, 0, 0, 0, 0]
        for el in reversed(list(body.iter(etree.Element))):
            tag = el.tag
            a = acc.pop(el, None)
            up = el.getparent()
            t = el.text
            block_tag = tag in BLOCK_TAGS
            if t and not t.isspace():
                if block_tag and not t[0].isspace():
                    unspaced.append(el)
                    unspaced_texts.append(t)
                s = t.strip()
                if s.isascii():
                    tn, tc = len(s), s.count(",")
                else:
                    tn, tc = measure_text(s)
            else:
                if block_tag and not t:
                    unspaced.append(el)
                    unspaced_texts.append(t)
                tn = tc = 0
            if a is None:
                n = run = tn
                ln = run_ln = g = j = rg = 0
                commas = run_c = tc
                has_block = False
            else:
                n, ln, commas, has_block, run, run_ln, run_c, g, j, rg = a
                if tn:
                    n += tn
                    commas += tc
                    run += tn
                    run_c += tc
            if tag == "a":
                ln = n
                run_ln = run
            is_block = block_tag or has_block
            if is_block:
                if tag == "br":
                    breaks[up] = breaks.get(up, 0) + 1
                # code is no prose: a listing's lines earn neither points nor mass
                if run >= min_chars and tag != "pre":
                    points = 1 + run_c + min(run // S.CHARS_PER_POINT, S.MAX_LENGTH_POINTS)
                    # a paragraph scores its parent fully, a text run straight in a div
                    # starts at DIRECT_TEXT_FIRST_LEVEL (1: the div's parent, at half)
                    if tag in PARAGRAPH_LIKE:
                        level = 0
                        anc = el.getparent() if el is not body else None
                    else:
                        level = first_level
                        anc = el if level == 0 else \
                            (el.getparent() if el is not body else None)
                    while anc is not None and level < levels:
                        total = score.get(anc)
                        if total is None:
                            # what class_weight reads (a slot names a part as a class does)
                            hint = (anc.get("class"), anc.get("id"), anc.get("itemprop"),
                                    anc.get("slot"))
                            w = weights.get(hint)
                            if w is None:
                                w = weights[hint] = class_weight(anc)
                            total = tag_weight.get(anc.tag, 0) + w
                        score[anc] = total + points / shares[level]
                        if anc is body:
                            break
                        anc = anc.getparent()
                        level += 1
                    if run > offset and run_ln < run * max_ld and not (
                            breaks and (nb := breaks.get(el, 0)) >= label_breaks and
                            run < label_chars * (nb + 1) and label_lines(el, chars)):
                        g += run - offset
                        rg += run - offset
                # a small box whose text is largely a link is a teaser card, not prose
                if has_block and n < card_chars and ln > n * card_ld and \
                        tag not in PARAGRAPH_LIKE:
                    g = rg = 0
                elif (tag == "ul" or tag == "ol") and ln > n * list_ld:
                    g = rg = 0  # a list of linked teasers
                if tag in chrome_tags or (forms and n < form_max and el in forms):
                    is_chrome = True
                elif n and tag not in _NEVER_CHROME:  # boxes with text only
                    cls = slot = ident = role = None
                    # one read: a get() per name costs more (str values from a parsed page)
                    items: list[tuple[str, str]] = el.items()  # type: ignore[assignment]
                    for key, value in items:
                        if key == "class":
                            cls = value
                        elif key == "id":
                            ident = value
                        elif key == "role":
                            role = value
                        elif key == "slot":  # a web component's part, named as a class is
                            slot = value
                    if slot:
                        cls = cls + " " + slot if cls else slot
                    names = (cls + " " + ident if cls else ident) if ident else cls
                    banner = tag == "header" or role == "banner"
                    is_chrome = role in chrome_roles  # role=navigation: a <nav>
                    if names:
                        known = seen_hints.get(names)
                        if known is None:
                            lowered = lower_hint(names)
                            known = seen_hints[names] = chrome_hint(lowered) + \
                                2 * _site_header(lowered)
                        if known:
                            is_chrome = is_chrome or known & 1 == 1
                            banner = banner or known >= 2
                    if banner:
                        banner_marks.append(el)
                else:
                    is_chrome = False
                if is_chrome:
                    # prose inside a chrome box does not count; its text is junk, once
                    chrome_set.add(el)
                    if rg and tag not in chrome_tags:
                        kept[el] = (g, j, rg)
                    g = 0
                    j = n - ln
                chars[el] = n
                links[el] = ln
                good[el] = g
                if ln and tag in _HEADINGS:
                    linked_heads.append(el)
            # an inline element holds no block, so no prose; a form's box is chrome
            elif tag in chrome_tags or (forms and n < form_max and el in forms):
                chrome_set.add(el)
                j = n - ln
            if j:
                junk[el] = j
            if el is body:
                self.page_prose = rg
                break
            tl = el.tail
            if tl and not tl.isspace():
                if block_tag and not tl[0].isspace():
                    unspaced_tails.append(el)
                    unspaced_tail_texts.append(tl)
                s = tl.strip()
                if s.isascii():
                    tln, tlc = len(s), s.count(",")
                else:
                    tln, tlc = measure_text(s)
            else:
                if block_tag and not tl:
                    unspaced_tails.append(el)
                    unspaced_tail_texts.append(tl)
                if not n:  # no text in it nor after it: nothing to add (an image, a spacer)
                    if is_block:
                        pa = acc.get(up)
                        if pa is None:
                            acc[up] = [0, 0, 0, True, 0, 0, 0, 0, 0, 0]
                        else:
                            pa[3] = True
                    continue
                tln = tlc = 0
            pa = acc.get(up)
            # (most of the counts to add are 0: a tail with text, commas, links and
            # prose are rare next to the boxes)
            if is_block:
                if pa is None:
                    acc[up] = [n + tln, ln, commas + tlc, True, tln, 0, tlc, g, j, rg]
                    continue
                pa[3] = True
                if tln:
                    pa[0] += n + tln
                    pa[2] += commas + tlc
                    pa[4] += tln
                    pa[6] += tlc
                else:
                    pa[0] += n
                    if commas:
                        pa[2] += commas
                if rg:  # prose with chrome counted: never less than the prose
                    pa[7] += g
                    pa[9] += rg
            # an inline element holds no block, so no prose: its good counts are 0
            elif pa is None:
                acc[up] = [n + tln, ln, commas + tlc, False, n + tln, run_ln,
                           commas + tlc, 0, j, 0]
                continue
            else:
                pa[0] += n + tln
                pa[4] += n + tln
                if commas or tlc:
                    pa[2] += commas + tlc
                    pa[6] += commas + tlc
                if run_ln:
                    pa[5] += run_ln
            if ln:
                pa[1] += ln
            if j:  # chrome, or a form's box
                pa[8] += j

    def space_blocks(self) -> None:
        """Start the text and the tail of every block element with a space (once), so
        that :func:`~cleaner.dom.text_of` of any box reads its blocks as separate phrases,
        like :func:`~cleaner.dom.parting_text_of`, in C. It writes what the scorer's walk
        read, so call it when nothing has changed the text since and nothing reads it but
        to record what leaves the page. A block that opens with a child gets a space too:
        the text before it may end in an inline element ("Contact</a><ul><li><a>About").)"""
        for el, t in zip(self._unspaced, self._unspaced_texts, strict=True):
            el.text = " " + t if t else " "
        for el, tl in zip(self._unspaced_tails, self._unspaced_tail_texts, strict=True):
            el.tail = " " + tl if tl else " "
        self._unspaced, self._unspaced_texts = [], []
        self._unspaced_tails, self._unspaced_tail_texts = [], []

    def _unchrome_wrappers(self) -> None:
        """A box named like chrome that holds most of the page's prose wraps the article
        ("widget Blog", "content-sidebar-wrap"): its prose counts again. Names that say
        where a box sits (sidebar, comments, nav, footer), and ARIA landmark roles, stay
        chrome unless the box holds a content container (h1, article, articleBody...)."""
        # a page with next to no prose has no article for a chrome box to wrap
        need = max(S.WRAPPER_PROSE_SHARE * self.page_prose, S.PROSE_GATE_CHARS)
        chrome, good, junk, chars, links = (self.chrome, self.good, self.junk, self.chars,
                                            self.links)
        # prose of wrappers inside a chrome box, for when that box turns out a wrapper too
        held: dict[Element, tuple[int, int]] = {}   # (prose, junk) to add
        posts = self.thread_posts = self._comment_posts()
        for el, (g, j, raw) in self._kept.items():  # inner boxes first
            if el not in posts and (raw < need or (
                    (positional_hint(hint_text(el)) or el.get("role") in S.CHROME_ROLES)
                    and not holds_content(el))):
                continue
            holder = article_body_of(el)
            if holder is not None and good.get(holder, 0) >= S.PROSE_GATE_CHARS:
                # a promo or slideshow beside the article's own prose, not around it
                self.inner_chrome.add(el)
                continue
            chrome.discard(el)
            self.wrappers.add(el)
            hg, hj = held.pop(el, (0, 0))
            dg, dj = g + hg, j + hj - (chars.get(el, 0) - links.get(el, 0))
            for node in (el, *el.iterancestors()):
                if node is not el and node in chrome:
                    hg, hj = held.get(node, (0, 0))
                    held[node] = (hg + dg, hj + dj)
                    break
                good[node] = good.get(node, 0) + dg
                junk[node] = junk.get(node, 0) + dj
                if node is self.body:
                    break
        # prose inside a chrome box is not prose for any element in it either
        if chrome:
            memo: dict[Element, bool] = {}
            for el in [el for el, g in good.items() if g]:
                if inside_any(el, chrome, memo):
                    self.chrome_prose[el] = good[el]
                    good[el] = 0

    def _comment_posts(self) -> set[Element]:
        """The comment-named boxes holding prose when they are a thread's posts, the
        opening one too (an issue tracker's timeline): the page has less than a paragraph
        of prose outside chrome, two or more of them are made alike (tag and class), and
        there is no post apart from them: no box outside them named as the article's
        body (a blog post with a short or empty body keeps its entry-content box above
        its comments) and no <p> of a sentence's length outside chrome and bylines."""
        if self.good.get(self.body, 0) >= S.PROSE_GATE_CHARS:
            return set()
        made: dict[tuple[str, str], int] = {}
        posts = set()
        for el in self._kept:
            hint = hint_text(el)
            word = box_words(hint)[1] if hint else None
            if word is not None and box_family(word) == "comments":
                posts.add(el)
                key = (el.tag, el.get("class") or "")
                made[key] = made.get(key, 0) + 1
        if max(made.values(), default=0) < S.THREAD_MIN_COMMENT_POSTS:
            return set()
        memo: dict[Element, bool] = {}
        for el in self.body.iter("div", "section", "article", "main", "td"):
            if article_body_box(el) and not inside_any(el, posts, memo):
                return set()
        # nor a paragraph of its own outside chrome (a short post above its comments),
        # a byline or other meta box apart
        chrome, chars, links = self.chrome, self.chars, self.links
        memo = {}
        for p in self.body.iter("p"):
            n = chars.get(p, 0)
            if n < S.MIN_PARAGRAPH_CHARS or links.get(p, 0) * 2 >= n or \
                    inside_any(p, chrome, memo):
                continue
            if not any(box_words(hint)[2] for a in p.iterancestors()
                       if (hint := hint_text(a))):
                return set()
        return posts

    def _unprose_teasers(self) -> None:
        """Teaser cards in a row are not prose: a small box (under CARD_MAX_CHARS) that
        holds a headline linked to another page and a summary, beside TEASER_ROW - 1 such
        boxes or more (a grid of other stories, however long their excerpts; each may
        sit alone in a grid cell), in a row with no prose of its own beside them (cards
        among a listicle's paragraphs are its items). A headline linked to a fragment is
        a post's permalink (a forum thread's "Re:" titles), not a teaser's."""
        chars, links, good = self.chars, self.links, self.good
        rows: dict[Element, dict[Element, Element]] = {}   # row: {grid cell: card}
        for head in reversed(self._linked_heads):  # in document order
            n = chars.get(head, 0)
            if not n or links.get(head, 0) < S.LINK_ITEM_MIN_SHARE * n or \
                    all("#" in (a.get("href") or "#") for a in head.iter("a")):
                continue  # a post's permalink ("#p101", "?topic=12.msg34#msg34")
            card = head.getparent()
            while card is not None and card is not self.body and chars.get(card, 0) <= n:
                card = card.getparent()  # a <header> or a link around the headline
            if card is None or card is self.body or good.get(card, 0) <= 0 or \
                    chars.get(card, 0) >= S.CARD_MAX_CHARS:
                continue
            slot = card  # the card's own cell of a grid: wrappers holding it alone
            while (up := slot.getparent()) is not None and up is not self.body and \
                    len(up) == 1:
                slot = up
            if up is not None:
                rows.setdefault(up, {})[slot] = card
        for up, cells in rows.items():
            # prose beside the cards (a listicle's intro) makes them the article's items
            if len(cells) < S.TEASER_ROW or \
                    any(good.get(c, 0) > 0 and c not in cells for c in up):
                continue
            for card in cells.values():
                g = good.get(card, 0)
                for el in card.iter():
                    if el in good:
                        good[el] = 0
                for anc in card.iterancestors():
                    if anc in good:
                        good[anc] = max(0, good[anc] - g)
                    if anc is self.body:
                        break

    def banners(self) -> list[Element]:
        """The outermost boxes of the site's banner, a <header> or role=banner outside any
        <article> or <main> (one in them heads the article) or a box whose class/id names
        the site header (SITE_HEADER), that hold less than WRAPPER_PROSE_SHARE of the page's
        prose: nothing in them is the article (a promo or "latest issue" panel)."""
        if self._banners is None:
            need = S.WRAPPER_PROSE_SHARE * self.page_prose
            marks = set(self._banner_marks)
            self._banners = []
            for el in self._banner_marks:
                up = [a for a in el.iterancestors() if a in marks or a.tag in _HEADS_ARTICLE]
                if not up and self.good.get(el, 0) < need:
                    self._banners.append(el)
        return self._banners

    def prose_in_chrome(self, el: Element) -> int:
        """The prose ``el`` holds in chrome boxes, counted as if they were not chrome:
        its own when it sits in one, else that of the chrome boxes in it that hold more
        than CHROME_MAX_SHARE of its text (those it keeps: blockify drops the others)."""
        inside = self.chrome_prose.get(el, 0)
        if inside:
            return inside
        n, chrome, kept = self.chars.get(el, 0), self.chrome, self._kept
        held = 0
        stack = list(el)
        while stack:
            node = stack.pop()
            if node in chrome:
                if self.chars.get(node, 0) > S.CHROME_MAX_SHARE * n and node in kept:
                    held += kept[node][2]
                continue
            stack.extend(node)
        return held

    def density(self, el: Element) -> float:
        n = self.chars.get(el, 0)
        return self.links.get(el, 0) / n if n else 0.0

    def final(self, el: Element) -> float:
        return self.score.get(el, 0.0) * (1 - S.LINK_DENSITY_PENALTY * self.density(el))

    def gain(self, el: Element) -> float:
        """Prose mass minus junk (links, chrome boxes): what a container is worth."""
        return self.good.get(el, 0) - S.JUNK_WEIGHT * (self.links.get(el, 0) +
                                                         self.junk.get(el, 0))

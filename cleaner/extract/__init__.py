"""Stage 3, extract: find the article body in the pruned tree and turn it into blocks.

1. One post-order walk scores containers: every paragraph (25+ characters) gives points
   (1 + commas + length) to its ancestors, which start from tag and class/id hints;
   link-heavy containers are discounted (readability's method, weights in scoring.py).
2. The best container is widened to a common ancestor when near-equal candidates share
   one, and siblings that score well or read as prose join it.
3. The body is walked once more into Blocks; boxes that are chrome by class, link lists
   and link-dense paragraphs inside it are dropped and recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from ..blocks import Block, table_text
from ..dom import BLOCK_TAGS, spaced_text_of, text_of
from ..result import Removal
from ..textnorm import collapse_spaces
from . import weights as S

__all__ = ["extract", "Extraction", "blockify"]

PARAGRAPH_LIKE = frozenset({"p", "pre", "td", "th", "blockquote", "dd", "dt", "li", "h1", "h2",
                            "h3", "h4", "h5", "h6", "caption", "figcaption", "address"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_NEVER_CHROME = frozenset({"html", "body", "main", "article"})
_COMMAS = re.compile(r"[,，、،]")


@dataclass
class Extraction:
    """The chosen body: its containers, the blocks made from them, and the removals."""

    containers: list = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)


def _hint_text(el) -> str:
    """The element's class and id, lowercased, for the class/id patterns in scoring."""
    cls = el.get("class")
    ident = el.get("id")
    if cls and ident:
        return (cls + " " + ident).lower()
    return (cls or ident or "").lower()


def _class_weight(el) -> int:
    hint = _hint_text(el)
    w = 0
    if hint:
        if S.NEGATIVE.search(hint):
            w -= S.CLASS_WEIGHT
        if S.POSITIVE.search(hint):
            w += S.CLASS_WEIGHT
        if S.STRONG_CONTAINER.search(hint):
            w += S.STRONG_CONTAINER_WEIGHT
    prop = el.get("itemprop")
    if prop and "articlebody" in prop.lower():
        w += S.STRONG_CONTAINER_WEIGHT
    return w


class _Scores:
    """Per-element statistics from one post-order walk.

    Text is split into runs: the phrasing text (inline elements included) directly inside
    one block element. A run of 25+ characters is a paragraph: it scores its ancestors
    (readability's points) and, when it is not link text and not inside a chrome box, adds
    its length beyond ``GOOD_RUN_OFFSET`` to the ``good`` mass of every ancestor.
    """

    def __init__(self, body, residue: dict | None = None):
        self.residue = residue or {}
        self.chars: dict = {}
        self.links: dict = {}
        self.score: dict = {}
        self.good: dict = {}
        self.junk: dict = {}
        self.chrome: set = set()
        self._walk(body)

    def _walk(self, body) -> None:
        # Reversed document order visits every element after all of its descendants, so
        # one loop can add each element's totals to its parent's.
        chars, links, score, good, junk = self.chars, self.links, self.score, self.good, \
            self.junk
        chrome_set = self.chrome
        min_chars, levels = S.MIN_PARAGRAPH_CHARS, S.ANCESTOR_LEVELS
        offset, max_ld = S.GOOD_RUN_OFFSET, S.GOOD_RUN_MAX_LINK_DENSITY
        card_chars, card_ld = S.CARD_MAX_CHARS, S.CARD_MIN_LINK_DENSITY
        list_ld = S.TEASER_LIST_LINK_DENSITY
        chrome_tags = S.CHROME_TAGS
        commas_rx = _COMMAS.findall
        seen_hints: dict[str, bool] = {}  # class strings repeat: decide each once
        weights: dict[tuple, int] = {}
        # children's totals: [chars, links, commas, has block, run, run links, run commas,
        #                     good, junk]
        acc: dict = {}
        # removed residue still counts against the box that held it, as link text
        for parent, gone in (self.residue or {}).items():
            if gone:
                acc[parent] = [gone, gone, 0, False, 0, 0, 0, 0, 0]
        for el in reversed(list(body.iter(etree.Element))):
            tag = el.tag
            a = acc.pop(el, None)
            t = el.text
            if t and not t.isspace():
                s = t.strip()
                tn = len(s)
                tc = len(commas_rx(s)) if "," in s or not s.isascii() else 0
            else:
                tn = tc = 0
            if a is None:
                n = run = tn
                ln = run_ln = g = j = 0
                commas = run_c = tc
                has_block = False
            else:
                n, ln, commas, has_block, run, run_ln, run_c, g, j = a
                n += tn
                commas += tc
                run += tn
                run_c += tc
            if tag == "a":
                ln = n
                run_ln = run
            is_block = tag in BLOCK_TAGS or has_block
            if is_block:
                if run >= min_chars:
                    points = 1 + run_c + min(run // S.CHARS_PER_POINT, S.MAX_LENGTH_POINTS)
                    # a paragraph scores its parent fully, a text run straight in a div
                    # starts at DIRECT_TEXT_FIRST_LEVEL (1: the div's parent, at half)
                    level = 0 if tag in PARAGRAPH_LIKE else S.DIRECT_TEXT_FIRST_LEVEL
                    anc = el if level == 0 and tag not in PARAGRAPH_LIKE else \
                        (el.getparent() if el is not body else None)
                    while anc is not None and level < levels:
                        if anc not in score:
                            hint = (anc.get("class"), anc.get("id"), anc.get("itemprop"))
                            w = weights.get(hint)
                            if w is None:
                                w = weights[hint] = _class_weight(anc)
                            score[anc] = S.TAG_WEIGHT.get(anc.tag, 0) + w
                        score[anc] += points / (1 if level == 0 else
                                                (2 if level == 1 else level * 3))
                        if anc is body:
                            break
                        anc = anc.getparent()
                        level += 1
                    if run > offset and run_ln < run * max_ld:
                        g += run - offset
                # a small box whose text is largely a link is a teaser card, not prose
                if has_block and n < card_chars and ln > n * card_ld and \
                        tag not in PARAGRAPH_LIKE:
                    g = 0
                elif (tag == "ul" or tag == "ol") and ln > n * list_ld:
                    g = 0  # a list of linked teasers
            is_chrome = False
            if tag in chrome_tags:
                is_chrome = True
            elif n and is_block and tag not in _NEVER_CHROME:  # boxes with text only
                hint = el.get("class")
                ident = el.get("id")
                if ident:
                    hint = hint + " " + ident if hint else ident
                if hint:
                    is_chrome = seen_hints.get(hint)
                    if is_chrome is None:
                        is_chrome = seen_hints[hint] = _chrome_hint(hint.lower())
            if is_chrome:
                # prose inside a chrome box does not count; its text is junk, once
                chrome_set.add(el)
                g = 0
                j = n - ln
            if is_block:
                chars[el] = n
                links[el] = ln
                good[el] = g
            if j:
                junk[el] = j
            if el is body:
                break
            parent = el.getparent()
            if parent is None:
                continue
            tl = el.tail
            if tl and not tl.isspace():
                s = tl.strip()
                tln = len(s)
                tlc = len(commas_rx(s)) if "," in s or not s.isascii() else 0
            else:
                tln = tlc = 0
            pa = acc.get(parent)
            if pa is None:
                pa = acc[parent] = [0, 0, 0, False, 0, 0, 0, 0, 0]
            pa[0] += n + tln
            pa[1] += ln
            pa[2] += commas + tlc
            pa[7] += g
            pa[8] += j
            if is_block:
                pa[3] = True
                pa[4] += tln
                pa[6] += tlc
            else:
                pa[4] += n + tln
                pa[5] += run_ln
                pa[6] += commas + tlc

        # prose inside a chrome box is not prose for any element in it either
        if chrome_set:
            for el in [el for el, g in good.items() if g]:
                for anc in el.iterancestors():
                    if anc in chrome_set:
                        good[el] = 0
                        break
                    if anc is body:
                        break

    def density(self, el) -> float:
        n = self.chars.get(el, 0)
        return self.links.get(el, 0) / n if n else 0.0

    def final(self, el) -> float:
        return self.score.get(el, 0.0) * (1 - S.LINK_DENSITY_PENALTY * self.density(el))

    def gain(self, el) -> float:
        """Prose mass minus junk (links, chrome boxes): what a container is worth."""
        return self.good.get(el, 0) - S.JUNK_WEIGHT * (self.links.get(el, 0) +
                                                         self.junk.get(el, 0))


def _top_candidate(body, sc: _Scores):
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


def _with_siblings(top, body, sc: _Scores) -> list:
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


def _comment_sections(root, containers: list) -> list:
    """Outermost comment sections outside (and not around) the body containers."""
    inside = set(containers)
    out: list = []
    for el in _COMMENT_ROOTS(root):
        ancestors = set(el.iterancestors())
        if ancestors & inside or any(c in ancestors for c in out):
            continue
        if any(el in set(c.iterancestors()) for c in containers):
            continue  # it holds the body: not a comment section
        out.append(el)
    return out


def extract(root, *, body_selector=None, include_captions: bool = False,
            include_comments: bool = False, residue: dict | None = None) -> Extraction:
    """Find the article body in a pruned tree and render it to blocks.

    ``body_selector`` (a compiled XPath from a site profile) overrides the scoring.
    With ``include_comments``, reader comments outside the body follow it.
    """
    body = root.find("body")
    if body is None:
        body = root
    containers = None
    if body_selector is not None:
        found = [el for el in body_selector(root) if isinstance(el.tag, str)]
        containers = found or None
    sc = _Scores(body, residue)
    if containers is None:
        top = _top_candidate(body, sc)
        containers = _with_siblings(top, body, sc)
    ex = Extraction(containers=containers)
    tree = root.getroottree()
    body_chars = sum(sc.chars.get(c, 0) for c in containers) or None
    for c in containers:
        blockify(c, sc, tree, ex.blocks, ex.removed, include_captions=include_captions,
                 body_chars=body_chars, keep_comments=include_comments)
    _drop_trailing_chrome(ex)
    if include_comments:
        for section in _comment_sections(root, containers):
            blockify(section, sc, tree, ex.blocks, ex.removed,
                     include_captions=include_captions, keep_comments=True)
    return ex


_KIND = {"h1": "h", "h2": "h", "h3": "h", "h4": "h", "h5": "h", "h6": "h", "li": "li",
         "pre": "pre", "blockquote": "quote", "figcaption": "caption"}
_BOX_FAMILY = (
    ("shar", "share"), ("social", "share"), ("print", "tools"), ("toolbar", "tools"),
    ("relat", "related"), ("recommend", "related"), ("more-stories", "related"),
    ("popular", "related"), ("trending", "related"), ("see-also", "related"),
    ("further", "related"), ("read", "readmore"), ("comment", "comments"),
    ("respond", "comments"), ("newsletter", "newsletter"), ("subscri", "newsletter"),
    ("signup", "newsletter"), ("cta", "newsletter"), ("paywall", "paywall"),
    ("promo", "ads"), ("ad", "ads"), ("sponsor", "ads"), ("outbrain", "related"),
    ("taboola", "related"), ("breadcrumb", "navigation"), ("nav", "navigation"),
    ("pagination", "navigation"), ("author", "author"), ("byline", "meta"),
    ("tag", "meta"), ("meta", "meta"), ("dateline", "meta"), ("timestamp", "meta"),
)
_STRUCTURAL_DROP = {"nav": "navigation", "form": "form", "aside": "related",
                    "footer": "meta"}


def _box_family(word: str) -> str:
    word = word.lower().strip(" _-")
    for prefix, family in _BOX_FAMILY:
        if word.startswith(prefix):
            return family
    return "layout"


def _is_data_table(table) -> bool:
    if table.get("role") == "presentation" or table.find(".//table") is not None:
        return False
    rows = table.findall(".//tr")
    if not rows:
        return False
    return all(len(text_of(cell)) <= 400 for cell in table.iter("td", "th"))


def _table_block(table) -> Block | None:
    rows = []
    header = False
    for i, tr in enumerate(table.iter("tr")):
        cells = [collapse_spaces(text_of(c)) for c in tr if c.tag in ("td", "th")]
        if not any(cells):
            continue
        if i == 0 or not rows:
            header = all(c.tag == "th" for c in tr if c.tag in ("td", "th"))
        rows.append(tuple(cells))
    if not rows:
        return None
    return Block("table", table_text(tuple(rows)), rows=tuple(rows), header=header)


@lru_cache(maxsize=4096)
def _caption_class(hint: str) -> bool:
    return bool(S.CAPTION_BOX.search(hint))


def _is_caption(el) -> bool:
    """An image caption or credit; the caption of a figure holding a table is not one."""
    tag = el.tag
    if tag == "figcaption":
        figure = el.getparent()
        return figure is None or figure.find(".//table") is None
    if tag in ("figure", "img", "picture", "table", "caption"):
        return False
    hint = el.get("class")
    return bool(hint) and _caption_class(hint.lower())


def _chrome_word(hint: str) -> str | None:
    found = S.CHROME_BOX.search(hint) or S.SITE_FOOTER.search(hint)
    return found.group(0).strip(" _-") if found else None


@lru_cache(maxsize=4096)
def _chrome_hint(hint: str) -> bool:
    """A lowercased class/id string naming a chrome box and no content container (the
    body finder's test: one search for most hints, the rest only when it hits)."""
    return _chrome_word(hint) is not None and not _box_words(hint)[0]


@lru_cache(maxsize=4096)
def _box_words(hint: str) -> tuple[bool, str | None, str | None]:
    """For a class/id string: (names content, chrome word, meta word).

    Content names (article body containers, embedded posts) outrank chrome words.
    """
    meta = S.META_BOX.search(hint)
    return (bool(S.STRONG_CONTAINER.search(hint) or S.CONTENT_EMBED.search(hint)),
            _chrome_word(hint),
            meta.group(0).strip(" _-") if meta else None)


def _mostly_link_items(lst, sc: _Scores) -> bool:
    """Most items of the list are nothing but a link: a list of teasers."""
    items = linked = 0
    chars, links = sc.chars, sc.links
    for li in lst:
        if li.tag != "li":
            continue
        n = chars.get(li, 0)
        if not n:
            continue
        items += 1
        if links.get(li, 0) >= n * S.LINK_ITEM_MIN_SHARE:
            linked += 1
    return items >= 2 and linked >= items * S.LINK_LIST_MIN_ITEMS


def _inline_chrome(el) -> tuple[str, str, str] | None:
    """A short inline element whose class marks it as chrome: an ad label, a share link."""
    hint = _hint_text(el)
    if not hint:
        return None
    strong, chrome, _ = _box_words(hint)
    if not chrome or strong:
        return None
    if len(text_of(el)) > S.INLINE_CHROME_MAX_CHARS:
        return None
    return ("extract.chrome-label", _box_family(chrome),
            f"class/id '{chrome}' marks a label inside a paragraph")


def _drop_box(el, sc: _Scores, body_chars: int) -> tuple[str, str, str] | None:
    """Why a box inside the body is chrome: (rule id, family, reason), or None."""
    tag = el.tag
    n = sc.chars.get(el)
    if n is None:
        return None
    if n > S.CHROME_MAX_SHARE * body_chars:
        # however long, a list of nothing but links is not the article's prose
        if tag in ("ul", "ol") and len(el) >= 2 and \
                sc.links.get(el, 0) >= n * S.LINK_ITEM_MIN_SHARE and \
                _mostly_link_items(el, sc):
            return ("extract.link-list", "related", "a list made of links (related/teasers)")
        return None
    if tag in _STRUCTURAL_DROP:
        return (f"extract.{tag}", _STRUCTURAL_DROP[tag],
                f"<{tag}> inside the body holds site chrome, not article text")
    hint = _hint_text(el)
    if hint:
        strong, chrome, meta = _box_words(hint)
        word = chrome or (meta if n <= S.META_MAX_SHARE * body_chars else None)
        if word and not strong:
            return ("extract.chrome-box", _box_family(word),
                    f"class/id '{word}' marks a chrome box inside the body")
    if tag in ("ul", "ol") and len(el) >= 2 and _mostly_link_items(el, sc):
        return ("extract.link-list", "related", "a list made of links (related/teasers)")
    if n and sc.links.get(el, 0) / n > S.BOX_MAX_LINK_DENSITY and \
            tag in ("div", "section", "table") and len(el.findall(".//a")) >= S.BOX_MIN_LINKS:
        return ("extract.link-box", "related", "a box made of links (related/teasers)")
    return None


def blockify(container, sc: _Scores, tree, blocks: list[Block],
             removed: list[Removal], *, include_captions: bool = False,
             body_chars: int | None = None, keep_comments: bool = False) -> None:
    """Walk one body container into blocks, dropping chrome boxes and link lists."""
    body_chars = body_chars or sc.chars.get(container) or len(text_of(container)) or 1
    buf: list[str] = []
    state = {"links": 0}
    ctx: list[str] = []          # block kind of the innermost kind-setting element
    lists: list[list] = []       # [ordered, counter] per open ul/ol
    in_link = 0
    in_pre = 0
    skipped: set = set()

    def add(text: str | None) -> None:
        if text:
            buf.append(text)
            if in_link:
                state["links"] += len(text.strip())

    def flush() -> None:
        if not buf:
            return
        raw = "".join(buf)
        buf.clear()
        links, state["links"] = state["links"], 0
        kind = ctx[-1] if ctx else "p"
        if in_pre or kind == "pre":
            text = "\n".join(line.rstrip() for line in raw.strip("\n").split("\n"))
            kind = "pre"
        else:
            text = collapse_spaces(raw)
        if not text:
            return
        n = len(text)
        if kind != "h" and links and links / n > S.BLOCK_MAX_LINK_DENSITY \
                and n < S.BLOCK_LINKY_MAX_CHARS:
            removed.append(Removal("extract.link-paragraph", "related", text, "html:",
                                   "a short paragraph made of links"))
            return
        if kind == "li":
            level = len(lists) or 1
            ordered = lists[-1][1] if lists and lists[-1][0] else 0
            blocks.append(Block("li", text, level=level, ordered=ordered))
        elif kind == "h":
            blocks.append(Block("h", text, level=ctx_level[-1] if ctx_level else 2))
        else:
            blocks.append(Block(kind, text))

    ctx_level: list[int] = []
    walker = etree.iterwalk(container, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in BLOCK_TAGS:
                flush()
            if el is not container:
                why = _drop_box(el, sc, body_chars)
                if why is not None and keep_comments and why[1] == "comments":
                    why = None
                if why is None and not include_captions and _is_caption(el):
                    why = ("extract.caption", "caption",
                           "an image caption or credit (include_captions=True keeps it)")
                if why is None and tag == "table" and _is_data_table(el):
                    title = el.find("caption")
                    if title is not None and collapse_spaces(text_of(title)):
                        blocks.append(Block("p", collapse_spaces(text_of(title))))
                    b = _table_block(el)
                    if b is not None:
                        blocks.append(b)
                    walker.skip_subtree()
                    skipped.add(el)
                    continue
                if why is None and tag not in BLOCK_TAGS and tag != "a":
                    why = _inline_chrome(el)
                    if why is not None:
                        buf.append(" ")  # the label sat between two words or sentences
                if why is not None:
                    text = collapse_spaces(spaced_text_of(el))
                    if text:
                        removed.append(Removal(why[0], why[1], text,
                                               "html:" + tree.getpath(el), why[2]))
                    # a heading right before a list of links is that list's title
                    if why[1] == "related" and not buf and blocks and blocks[-1].kind == "h":
                        head = blocks.pop()
                        removed.append(Removal("extract.box-title", "related", head.text,
                                               "html:" + tree.getpath(el),
                                               "the title of a removed list of links"))
                    walker.skip_subtree()
                    skipped.add(el)
                    continue
            if tag == "br" or tag == "hr":
                continue
            kind = _KIND.get(tag)
            if kind:
                ctx.append(kind)
                if kind == "h":
                    ctx_level.append(HEADINGS[tag])
            if tag in ("ul", "ol"):
                lists.append([tag == "ol", 0])
            elif tag == "li" and lists:
                lists[-1][1] += 1
            if tag == "a":
                in_link += 1
            elif tag == "pre":
                in_pre += 1
            add(el.text)
        else:
            if el in skipped:
                skipped.discard(el)
                add(el.tail)
                continue
            if tag == "br" or tag == "hr":
                flush()
                add(el.tail)
                continue
            if tag in BLOCK_TAGS:
                flush()
            if tag in _KIND:
                ctx.pop()
                if tag in HEADINGS:
                    ctx_level.pop()
            if tag in ("ul", "ol") and lists:
                lists.pop()
            elif tag == "a":
                in_link -= 1
            elif tag == "pre":
                in_pre -= 1
            if el is not container:
                add(el.tail)
    flush()


def _drop_trailing_chrome(ex: Extraction) -> None:
    """Headings with nothing after them are titles of boxes that were removed."""
    while ex.blocks and ex.blocks[-1].kind == "h":
        b = ex.blocks.pop()
        ex.removed.append(Removal("extract.orphan-heading", "layout", b.text, "html:",
                                  "a heading with no text after it"))

"""The body decision: which container (and which of its siblings) is the article.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from itertools import repeat

from ..dom import BLOCK_TAGS, AttributeOwners, Element, inside_any, text_of
from . import weights as S
from .boxes import article_body_box, box_family, box_words, gallery_in, hint_text, is_caption
from .scores import PARAGRAPH_LIKE, Scores

__all__ = ["candidates", "top_candidate", "narrow", "widen", "with_siblings",
           "with_posts", "comment_sections"]

_PLAIN = frozenset({"p", "blockquote", "ul", "ol", "dl", "pre", "table", "figure", "h2", "h3",
                    "h4", "h5", "h6"})

# a piece of an article, never its container: narrowing stops above it
_PIECES = frozenset({"p", "blockquote", "pre", "ul", "ol", "dl", "li", "dt", "dd", "h1", "h2",
                     "h3", "h4", "h5", "h6", "address", "caption", "figcaption"})


def candidates(body: Element, sc: Scores) -> list[Element]:
    """The boxes that may become the body. Once the page has a paragraph of prose, a box
    with no prose in it (a class-named sliver, a poll, a form) cannot win; once it has a
    real cluster of paragraphs, neither can a box holding less than PROSE_FLOOR_SHARE
    of the densest one (the box the paragraphs sit in directly), except the boxes
    around that cluster (a short article in a small, link-rich box). A box in the
    site's banner cannot win unless the banner holds half of the page's prose. On a
    page with less prose than that, a box in a chrome box (a comment in the thread)
    cannot win while a box outside chrome scores, unless its name says it is the
    article's body. On a thread whose posts are all named as comments, only the posts
    and the boxes holding them compete (not the page's header beside them)."""
    pool = _candidates(body, sc)
    if not sc.thread_posts:
        return pool
    posts = sc.thread_posts
    around = {a for el in posts for a in el.iterancestors()}
    memo: dict[Element, bool] = {}
    return [el for el in pool if el in posts or el in around or
            inside_any(el, posts, memo)] or pool


def _candidates(body: Element, sc: Scores) -> list[Element]:
    good = sc.good
    if max(good.values(), default=0) < S.PROSE_GATE_CHARS:
        if not sc.chrome:
            return list(sc.score)
        memo: dict[Element, bool] = {}
        outside = [el for el in sc.score if article_body_box(el) or (
            el not in sc.chrome and not inside_any(el, sc.chrome, memo))]
        return outside or list(sc.score)
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


_ITEMS = frozenset({"ul", "ol", "dl", "table"})


def narrow(top: Element, sc: Scores) -> Element:
    """A child that keeps nearly all the prose with less junk, repeatedly; never a
    paragraph, quote or list: that is a piece of the article, and the box it sits in
    (with its other paragraphs, the link to the video, the credits) is the container;
    never out of a box named as the article's body that holds a list or table of its own
    beside the child (the article's items: a link roundup, a schedule)."""
    narrowed = sc.good.get(top, 0) > 0
    while narrowed:
        narrowed = False
        keep = sc.good.get(top, 0) * S.NARROW_KEEP_SHARE
        for child in top:
            if child.tag in _PIECES:
                continue
            if child in sc.good and sc.good[child] >= keep and sc.gain(child) > sc.gain(top):
                if article_body_box(top) and any(
                        c is not child and c.tag in _ITEMS and sc.chars.get(c, 0)
                        for c in top):
                    return top
                top, narrowed = child, True
                break
    return top


def _same_kind(child: Element, box: Element) -> bool:
    """The same tag as ``box``, sharing a class with it."""
    if child.tag != box.tag:
        return False
    mine = (box.get("class") or "").split()
    return bool(mine) and not set(mine).isdisjoint((child.get("class") or "").split())


def _alike(child: Element, path: Element) -> bool:
    """A sibling that continues the article: the same tag sharing a class, or a plain
    unclassed paragraph, quote, list, table or figure."""
    return _same_kind(child, path) or (child.tag in _PLAIN and not child.get("class"))


def _headed(box: Element) -> bool:
    """The box holds a top-level headline (an <h1>): an article of its own."""
    return box.tag == "h1" or next(box.iterdescendants("h1"), None) is not None


def widen(top: Element, body: Element, sc: Scores) -> Element:
    """The ancestor holding the most prose for the least junk, when worth WIDEN_MIN_GAIN
    times more: each ancestor adds the gain of its children that are alike the path's
    (an article split over chunks), or that hold as deep a box like the top (same tag
    and classes: sections made alike, <div class=sect1><h2/><div class=sectionbody>,
    beside a preamble; not <article>s, each a post of its own with its author's name);
    the others (teasers, panels) add only a loss, and so does a box under its own <h1>
    beside a path under one (the next story of an endless page)."""
    best, best_gain = top, sc.gain(top)
    worth, path, depth = best_gain, top, 0
    classed = bool(top.get("class"))
    for anc in top.iterancestors():
        headed = None   # whether the path holds an <h1> (a walk of it): read when needed
        for child in anc:
            if child is path or not isinstance(child.tag, str):
                continue
            g = sc.gain(child)
            if g > 0 and (sc.density(child) >= S.WIDEN_MAX_LINK_DENSITY or
                          not (_alike(child, path) or
                               (classed and depth and child.tag != "article" and
                                _holds_alike(child, top, depth)))):
                g = 0.0
            elif g > 0:
                if headed is None:
                    headed = _headed(path)
                if headed and _headed(child):
                    g = 0.0
            worth += g
        if worth > best_gain + (S.WIDEN_MIN_GAIN - 1) * abs(best_gain):
            best, best_gain = anc, worth
        path, depth = anc, depth + 1
        if anc is body:
            break
    return best


_PARAGRAPH_BOXES = frozenset({"div", "font", "span", "center"})
_SENTENCE_END = re.compile(r"\.(\s|$)")


def is_feed(box: Element) -> bool:
    """A box of teasers: two or more of its headings are links (other stories' titles),
    or head a short item (under CARD_MAX_CHARS) with a link to another page after the
    heading (a summary ending in "Read more")."""
    heads = linked = 0
    for h in box.iter("h1", "h2", "h3", "h4"):
        heads += 1
        text = len(text_of(h).strip())
        inside = sum(len(text_of(a).strip()) for a in h.iter("a"))
        if text and (inside >= S.LINK_ITEM_MIN_SHARE * text or _teaser_item(h, box, text)):
            linked += 1
    return linked >= 2 and linked >= heads / 2


def _teaser_item(head: Element, box: Element, n: int) -> bool:
    """The heading heads a short item of ``box`` that links to another page after it."""
    item = head.getparent()
    while item is not None and item is not box and len(text_of(item).strip()) <= n:
        item = item.getparent()
    if item is None or item is box or len(text_of(item).strip()) >= S.CARD_MAX_CHARS:
        return False
    after = False
    for el in item.iter():
        if el is head:
            after = True
        elif after and el.tag == "a" and not any(a is head for a in el.iterancestors()) \
                and not (el.get("href") or "#").startswith("#"):
            return True
    return False


def _paragraph_box(box: Element) -> bool:
    """A paragraph in all but name: a box with no class or id whose children are all
    plain paragraphs, quotes, lists or inline text (<div><p>..</p><p>..</p></div>,
    <font>..</font>)."""
    if box.tag not in _PARAGRAPH_BOXES or box.get("class") or box.get("id"):
        return False
    return all(not isinstance(c.tag, str) or c.tag in _PLAIN or c.tag == "br" or
               c.tag not in BLOCK_TAGS for c in box)


def with_siblings(top: Element, body: Element, sc: Scores) -> list[Element]:
    parent = top.getparent()
    if top is body or parent is None:
        return [top]
    top_score = sc.final(top)
    threshold = max(S.SIBLING_MIN_SCORE, top_score * S.SIBLING_SCORE_SHARE)
    top_class = top.get("class") or ""
    banners = sc.banners()
    out = []
    before = True
    for sib in parent:
        if not isinstance(sib.tag, str) or sib in banners:
            continue
        if sib is top:
            out.append(sib)
            before = False
            continue
        lede = _lede_of(sib, sc) if before else None
        if lede is not None:
            out.append(lede)
            continue
        bonus = top_score * 0.2 if top_class and sib.get("class") == top_class else 0
        if sib in sc.score and sc.final(sib) + bonus >= threshold and \
                sc.good.get(sib, 0) >= S.SIBLING_MIN_GOOD and not is_feed(sib):
            out.append(sib)
        elif (sib.tag == "p" or _paragraph_box(sib)) and not is_caption(sib):
            # a paragraph named as a caption is its image's (an AMP page's amp-img)
            n = sc.chars.get(sib, 0)
            ld = sc.density(sib)
            long_prose = n > S.SIBLING_PARAGRAPH_CHARS and ld < S.SIBLING_MAX_LINK_DENSITY
            if long_prose or (sib.tag == "p" and 0 < n <= S.SIBLING_PARAGRAPH_CHARS and
                              ld == 0 and _SENTENCE_END.search(text_of(sib))):
                out.append(sib)
        elif _gallery_beside(sib, top, sc):
            out.append(sib)
    return _with_chunks(top, out, body, sc)


def _lede(sib: Element, sc: Scores) -> bool:
    """A box named as the article's lede (intro, standfirst, synopsis) holding a sentence
    and no links: the article's first words, set apart above its body."""
    hint = hint_text(sib)
    return bool(hint) and bool(S.LEDE_BOX.search(hint)) and not is_caption(sib) and \
        not sc.links.get(sib, 0) and \
        sc.chars.get(sib, 0) >= S.LEDE_MIN_CHARS and \
        S.SENTENCE_END.search(text_of(sib)) is not None


def _lede_of(sib: Element, sc: Scores) -> Element | None:
    """The lede box ``sib`` is, or the one among the children of the article's
    ``<header>`` it is (the headline, the lede and the byline over the body)."""
    if _lede(sib, sc):
        return sib
    if sib.tag == "header":
        return next((c for c in sib if isinstance(c.tag, str) and _lede(c, sc)), None)
    return None


def _gallery_beside(sib: Element, top: Element, sc: Scores) -> bool:
    """A photo gallery or slideshow beside the body, its captions' sentences (few links,
    no feed) holding GALLERY_TEXT_SHARE of the body's text: the rest of a gallery
    article, whose readability points its deep captions barely pass up."""
    if sc.density(sib) >= S.SIBLING_MAX_LINK_DENSITY or is_feed(sib):
        return False
    chars = gallery_in(sib)
    return chars > 0 and chars >= S.GALLERY_TEXT_SHARE * sc.chars.get(top, 0)


def _with_chunks(top: Element, out: list[Element], body: Element,
                 sc: Scores) -> list[Element]:
    """An article in chunks: the box ``top`` was narrowed from (its outermost wrapper
    holding no other prose) has siblings of its tag sharing a class with it, around an
    inset (a side rail, a photo): each chunk holding prose joins, in page order; one
    under its own <h1> is the next story of an endless page."""
    prose = sc.good.get(top, 0)
    box, depth = top, 0
    while (up := box.getparent()) is not None and up is not body and \
            up.getparent() is not None and 0 < sc.good.get(up, 0) <= prose:
        box, depth = up, depth + 1
    parent = box.getparent()
    if box is top or parent is None or not box.get("class"):
        return out
    banners = sc.banners()
    chunks = [sib for sib in parent
              if sib is not box and _same_kind(sib, box) and sib not in banners and
              sc.good.get(sib, 0) >= S.SIBLING_MIN_GOOD and not is_feed(sib) and
              not _headed(sib) and _holds_alike(sib, top, depth)]
    if not chunks:
        return out
    order = {el: i for i, el in enumerate(parent.iter())}
    at = {el: order[el] for el in out}
    for c in chunks:
        # as the body is its box in its wrapper, a chunk joins as the boxes in it like the
        # body's own (an answer's text, not its votes and its author's card)
        for el in _like_top(c, top, depth):
            at[el] = order[el]
    return sorted(at, key=at.__getitem__)


def _like_top(chunk: Element, top: Element, depth: int) -> list[Element]:
    """The boxes ``depth`` levels down in ``chunk`` like ``top`` (same tag and classes)."""
    want = frozenset((top.get("class") or "").split())
    level = [chunk]
    for _ in range(depth):
        level = [c for el in level for c in el if isinstance(c.tag, str)]
    return [el for el in level
            if el.tag == top.tag and frozenset((el.get("class") or "").split()) == want]


def _holds_alike(chunk: Element, top: Element, depth: int) -> bool:
    """``chunk`` holds, ``depth`` levels down, a box like ``top`` (same tag and classes)."""
    return bool(_like_top(chunk, top, depth))


# a paragraph's own element: the box it sits in holds the post's prose
_TEXT_LEVEL = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre",
                         "address", "caption", "figcaption"})


def _holder(containers: list[Element], sc: Scores) -> Element | None:
    """The box that holds most of the body's prose directly (its paragraphs, or its own
    text runs): the body's post template. A body inside chrome (a box named as the
    answers' nav) has its prose there."""
    found = _holder_by(containers, sc.good)
    return found if found is not None else _holder_by(containers, sc.chrome_prose)


def _holder_by(containers: list[Element], good: dict[Element, int]) -> Element | None:
    held: dict[Element, int] = {}
    for c in containers:
        for el in c.iter():
            g = good.get(el, 0)
            if g <= 0:
                continue
            own = g - sum(map(good.get, el, repeat(0)))  # less its children's
            if own <= 0:
                continue
            box: Element | None = el
            while box is not None and box.tag in _TEXT_LEVEL:
                box = box.getparent()
            if box is not None:
                held[box] = held.get(box, 0) + own
    return max(held, key=held.__getitem__) if held else None


def _template(el: Element) -> list[tuple[str, frozenset[str], str]] | None:
    """The element and TEMPLATE_LEVELS - 1 boxes above it, as (tag, classes, itemprop);
    None when the element has no class (a bare box is no template)."""
    if not (el.get("class") or "").strip():
        return None
    chain = []
    node: Element | None = el
    for _ in range(S.TEMPLATE_LEVELS):
        if node is None or not isinstance(node.tag, str):
            return None
        chain.append((node.tag, frozenset((node.get("class") or "").split()),
                      (node.get("itemprop") or "").strip()))
        node = node.getparent()
    return chain


def _same_template(el: Element, want: list[tuple[str, frozenset[str], str]]) -> bool:
    """The same tags, the same classes on the box itself (layout classes like "clearfix"
    or "span12" are shared by unrelated boxes) and above it a class in common (or none
    on both) or the same microdata property (itemprop="comment": the opening post's box
    classed as the author's, a reply's bare)."""
    node: Element | None = el
    for level, (tag, classes, prop) in enumerate(want):
        if node is None or node.tag != tag:
            return False
        mine = frozenset((node.get("class") or "").split())
        if level == 0:
            if mine != classes:
                return False
        elif (classes.isdisjoint(mine) if classes else bool(mine)) and \
                not (prop and (node.get("itemprop") or "").strip() == prop):
            return False
        node = node.getparent()
    return True


def _in_a_thread(el: Element, body: Element, sc: Scores,
                 around: Collection[Element] = ()) -> bool:
    """Not inside chrome, unless the chrome is a comment box (the thread's replies) or
    holds the body too (``around``: its posts sit where it sits)."""
    for anc in el.iterancestors():
        if anc is body:
            return True
        if anc in sc.chrome and anc not in around:
            hint = hint_text(anc)
            word = box_words(hint)[1] if hint else None
            if word is None or box_family(word) != "comments":
                return False
    return True


def with_posts(containers: list[Element], body: Element, sc: Scores) -> list[Element]:
    """The posts of a thread: boxes with prose elsewhere on the page made from the body's
    own template (the classed box holding its prose, same tags and classes
    TEMPLATE_LEVELS up) are the thread's other posts (a question and its answers, a
    topic and its replies), and join the body in page order, even inside a comment box;
    not in the site's banner, not link text, not under another <h1>."""
    if any(c is body for c in containers):
        return containers
    holder = _holder(containers, sc)
    want = _template(holder) if holder is not None else None
    if holder is None or want is None:
        return containers
    inside = set(containers)
    around = {a for c in containers for a in c.iterancestors()}
    banned = set(sc.banners())
    memo: dict[Element, bool] = {}
    found: list[Element] = []
    good, chrome_prose, chars, links = sc.good, sc.chrome_prose, sc.chars, sc.links
    for el in body.iter(holder.tag):
        # prose first: most boxes of the tag have none, and need no walk up
        prose = good.get(el, 0) or chrome_prose.get(el, 0)
        if prose <= 0 or el is holder or el in around or el in inside or \
                inside_any(el, inside, memo):
            continue
        n = chars.get(el, 0)
        if links.get(el, 0) > n * S.TEMPLATE_MAX_LINK_DENSITY or \
                not _same_template(el, want) or inside_any(el, banned, {}) or \
                not _in_a_thread(el, body, sc, around):
            continue
        found.append(el)
        inside.add(el)
    if not found:
        return containers
    # a thread runs under one headline: a repeat under another <h1> is the next story
    # of an endless page, not a reply
    order: dict[Element, int] = {}
    under: dict[Element, Element | None] = {}
    wanted = {holder, *found}
    head: Element | None = None
    for i, el in enumerate(body.iter()):
        order[el] = i
        if el.tag == "h1":
            head = el
        elif el in wanted:
            under[el] = head
    found = [el for el in found if under.get(el) is under.get(holder)]
    # one short repeat is a headline or a teaser made like the post; a thread has
    # several posts (the body's own count) or a post of prose
    posts = len(found) + sum(1 for c in containers for el in c.iter(holder.tag)
                             if el is holder or _same_template(el, want))
    if not found or (posts < S.THREAD_MIN_POSTS and
                     max(sc.good.get(el, 0) or sc.chrome_prose.get(el, 0)
                         for el in found) < S.SIBLING_MIN_GOOD):
        return containers
    return sorted([*containers, *found], key=lambda el: order.get(el, 0))


# where reader comments live (WordPress and most themes, Disqus, generic comment lists)
_COMMENT_IDS = ("comments", "comment-list", "disqus_thread")
_COMMENT_CLASSES = frozenset({"comment-list", "commentlist", "comments-area"})
_COMMENT_NAMED = AttributeOwners(
    "/descendant::*/@id[" + " or ".join(f". = '{i}'" for i in _COMMENT_IDS) + "]",
    ("/descendant::*/@class", lambda value: "comment" in value))
_XML_SPACE = str.maketrans("\t\n\r", "   ")  # XPath's normalize-space splits at these


def _comment_roots(root: Element) -> list[Element]:
    """The boxes named as reader comments, by id or by a whole class name, in page
    order (attributes found in C, class names split in Python: a predicate on every
    element costs libxml2 microseconds each)."""
    return [el for el in _COMMENT_NAMED(root)
            if el.get("id") in _COMMENT_IDS or not _COMMENT_CLASSES.isdisjoint(
                (el.get("class") or "").translate(_XML_SPACE).split(" "))]


def _comment_named(root: Element, sc: Scores) -> list[Element]:
    """The boxes named as comments ("comment-tree", "commentarea") with a paragraph's
    length of text, in page order: where a thread's replies sit on a platform of its own
    naming."""
    found = []
    for el in root.iter():
        if sc.chars.get(el, 0) >= S.MIN_PARAGRAPH_CHARS:
            hint = hint_text(el)
            word = box_words(hint)[1] if hint else None
            if word is not None and box_family(word) == "comments":
                found.append(el)
    return found


def opens_a_thread(root: Element, containers: list[Element], sc: Scores,
                   votes: Collection[Element]) -> bool:
    """The body is a post that opens a discussion (a link aggregator's or a community's
    post, the replies in boxes of the platform's own naming): it holds under
    THREAD_POST_MAX_CHARS, the comment sections after it hold more text than it, and it
    is voted on as the replies are: a vote box (:func:`.boxes.vote_boxes`) before the
    sections, THREAD_MIN_COMMENT_POSTS or more in them."""
    post = sum(sc.chars.get(c, 0) for c in containers)
    if not post or post >= S.THREAD_POST_MAX_CHARS or not votes:
        return False
    order = {el: i for i, el in enumerate(root.iter())}
    last = max(order.get(c, 0) for c in containers)
    sections = [el for el in comment_sections(root, containers, sc) if order[el] > last]
    if not sections or sum(sc.chars.get(el, 0) for el in sections) <= post:
        return False
    start = order[sections[0]]
    shown = [el for el in votes if el in order]
    memo: dict[Element, bool] = {}
    inside = sum(1 for el in shown if inside_any(el, set(sections), memo))
    return any(order[el] < start for el in shown) and inside >= S.THREAD_MIN_COMMENT_POSTS


def comment_sections(root: Element, containers: list[Element],
                     sc: Scores | None = None) -> list[Element]:
    """Outermost comment sections outside (and not around) the body containers, in page
    order; linear in the page, however many sections it has. With ``sc`` (a discussion's
    replies), any box named as comments is such a section too."""
    around = {a for c in containers for a in c.iterancestors()}
    taken = set(containers)   # the body, then each section taken: nothing inside counts
    memo: dict[Element, bool] = {}
    out: list[Element] = []
    roots = _comment_roots(root)
    if sc is not None:
        order = {el: i for i, el in enumerate(root.iter())}
        roots = sorted({*roots, *_comment_named(root, sc)}, key=order.__getitem__)
    for el in roots:   # document order
        if el in around or el in taken or inside_any(el, taken, memo):
            continue  # around the body, or inside the body or a section already taken
        out.append(el)
        taken.add(el)
    return out

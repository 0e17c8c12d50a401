"""What an element's class, id and shape say about it: content container, chrome box
(share bars, related lists, comments...), caption, data table, link list.

Every test reads the lower-cased class and id against the patterns in :mod:`.weights`;
results are cached per class string, which repeats across a page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from lxml import etree

from ..blocks import Block, table_text
from ..dom import BLOCK_TAGS, NAMES_CACHED, Element, spaced_text_of, text_of
from ..textnorm import collapse_spaces
from . import weights as S

__all__ = ["hint_text", "lower_hint", "class_weight", "chrome_hint", "positional_hint",
           "holds_content", "form_boxes", "article_body_of", "article_body_box", "box_words",
           "box_family", "is_caption", "gallery_caption", "gallery_in", "caption_credit",
           "image_credit",
           "is_data_table", "table_block", "inline_chrome", "drop_box", "titled_box",
           "counter_or_icon", "Stats"]


class Stats(Protocol):
    """What the box tests read of :class:`.scores.Scores`: characters and link characters
    per block element."""

    chars: dict[Element, int]
    links: dict[Element, int]
    wrappers: set[Element]
    inner_chrome: set[Element]
    good: dict[Element, int]


def hint_text(el: Element) -> str:
    """The element's class and id, lowercased, for the class/id patterns in scoring; a
    web component's slot name (slot="commentMeta") names its part as a class does."""
    get = el.get
    cls = get("class")
    slot = get("slot")
    if slot:
        cls = cls + " " + slot if cls else slot
    ident = get("id")
    if cls and ident:
        return lower_hint(cls + " " + ident)
    if cls or ident:
        return lower_hint(cls or ident)
    return ""


@lru_cache(maxsize=NAMES_CACHED)
def lower_hint(hint: str) -> str:
    """A class/id string lowercased, camelCase words apart ("postComments" reads as
    "post-comments"), so the patterns see the words a developer wrote.

    >>> lower_hint("postComments storyText")
    'post-comments story-text'
    """
    return _CAMEL.sub("-", hint).lower() if not hint.islower() else hint


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def class_weight(el: Element) -> int:
    hint = hint_text(el)
    w = _hint_weight(hint) if hint else 0
    prop = el.get("itemprop")
    if prop and "articlebody" in prop.lower():
        w += S.STRONG_CONTAINER_WEIGHT
    return w


@lru_cache(maxsize=NAMES_CACHED)
def _hint_weight(hint: str) -> int:
    """What a class/id string adds to its box's score (it repeats across a page)."""
    w = 0
    if S.NEGATIVE.search(hint):
        w -= S.CLASS_WEIGHT
    if S.POSITIVE.search(hint):
        w += S.CLASS_WEIGHT
    if _search(S.STRONG_CONTAINER, hint):
        w += S.STRONG_CONTAINER_WEIGHT
    return w


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


def box_family(word: str) -> str:
    word = word.lower().strip(" _-")
    for prefix, family in _BOX_FAMILY:
        if word.startswith(prefix):
            return family
    return "layout"


def is_data_table(table: Element) -> bool:
    """A table of data, not of layout: no role="presentation", no table inside, no code
    listing inside (Pygments' highlighttable lays code out), short cells, and not one row
    of boxes side by side (cells holding <div>s or paragraphs, no header cell: a
    comment's indent, its vote arrows and its text)."""
    if table.get("role") == "presentation" or table.find(".//table") is not None or \
            table.find(".//pre") is not None:
        return False
    rows = table.findall(".//tr")
    if not rows or (len(rows) == 1 and rows[0].find("th") is None and
                    any(cell.find(".//div") is not None or cell.find(".//p") is not None
                        for cell in rows[0].iter("td"))):
        return False
    cells = list(table.iter("td", "th"))
    if len(cells) == 1:
        # one cell, mostly a link: a teaser box drawn with a table ("Baca juga: <a>")
        text = len(text_of(cells[0]))
        if text and sum(len(text_of(a)) for a in cells[0].iter("a")) > \
                S.TEASER_TABLE_LINK_SHARE * text:
            return False
    return all(len(text_of(cell)) <= 400 for cell in table.iter("td", "th"))


def table_block(table: Element) -> Block | None:
    rows: list[tuple[str, ...]] = []
    header = False
    for i, tr in enumerate(table.iter("tr")):
        # a line break in a cell parts its words ("Name<br>Role"), as anywhere else
        cells = [collapse_spaces(spaced_text_of(c)) for c in tr if c.tag in ("td", "th")]
        if not any(cells):
            continue
        if i == 0 or not rows:
            header = all(c.tag == "th" for c in tr if c.tag in ("td", "th"))
        rows.append(tuple(cells))
    if not rows:
        return None
    return Block("table", table_text(tuple(rows)), rows=tuple(rows), header=header)


@lru_cache(maxsize=NAMES_CACHED)
def _caption_class(hint: str) -> bool:
    return bool(S.CAPTION_BOX.search(hint))


def is_caption(el: Element) -> bool:
    """An image caption or credit; the caption of a figure holding a table is not one."""
    tag = el.tag
    if tag == "figcaption":
        figure = el.getparent()
        return figure is None or figure.find(".//table") is None
    if tag in ("figure", "img", "picture", "table", "caption"):
        return False
    hint = el.get("class")
    return bool(hint) and _caption_class(lower_hint(hint))


def _holds_image(el: Element) -> bool:
    return el.tag in ("img", "picture") or next(el.iterdescendants("img", "picture"), None) \
        is not None


def _sentence(text: str) -> bool:
    """A caption's sentence: long enough, and ending like one (a credit after it aside)."""
    text = collapse_spaces(text)
    return len(text) >= S.GALLERY_SENTENCE_CHARS and bool(S.SENTENCE_END.search(text))


def _gallery_item(el: Element) -> Element | None:
    """The box holding a caption's image: the caption's nearest ancestor (a few levels up
    at most) that holds an image."""
    item = el.getparent()
    for _ in range(S.GALLERY_ITEM_DEPTH):
        if item is None:
            return None
        if _holds_image(item):
            return item
        item = item.getparent()
    return None


def gallery_caption(el: Element, memo: dict[tuple[Element, str, str], int]) -> int:
    """The text of the photo gallery or slideshow a caption is in (0: none): its image's
    box stands among GALLERY_MIN_ITEMS or more boxes made alike (tag and class) under one
    parent, each holding an image and a sentence, and the caption holds a sentence
    itself. ``memo``: the answer per parent, tag and class of item boxes, for the item's
    peers (a gallery is read once, not once per caption)."""
    if not _sentence(spaced_text_of(el)):
        return 0
    item = _gallery_item(el)
    if item is None:
        return 0
    parent = item.getparent()
    if parent is None:
        return 0
    key = (parent, item.tag, item.get("class") or "")
    if key not in memo:
        memo[key] = _gallery_text(item)
    return memo[key]


def _gallery_text(item: Element) -> int:
    parent = item.getparent()
    if parent is None:
        return 0
    tag, cls = item.tag, item.get("class") or ""
    n = chars = 0
    for child in parent:
        if child.tag == tag and (child.get("class") or "") == cls and _holds_image(child):
            text = spaced_text_of(child)
            if _sentence(text):
                n += 1
                chars += len(collapse_spaces(text))
    return chars if n >= S.GALLERY_MIN_ITEMS else 0


def gallery_in(box: Element) -> int:
    """The text of a photo gallery or slideshow the box is (or holds a level or two
    down): GALLERY_MIN_ITEMS or more boxes made alike under one parent, each holding an
    image and a sentence (0: none)."""
    parents = [box]
    for _ in range(S.GALLERY_ITEM_DEPTH):
        for parent in parents:
            seen: set[tuple[str, str]] = set()
            for child in parent:
                if not isinstance(child.tag, str):
                    continue
                kind = (child.tag, child.get("class") or "")
                if kind in seen or not _holds_image(child):
                    continue
                seen.add(kind)
                chars = _gallery_text(child)
                if chars:
                    return chars
        parents = [c for p in parents for c in p if isinstance(c.tag, str) and len(c)]
    return 0


def caption_credit(el: Element, caption: Element) -> bool:
    """A child of a gallery's caption kept as text, beside the caption's sentence, set apart (a
    block, or the caption's last element with nothing after it), whose text is short and
    ends like no sentence ("Rui Moreira / Agency", "Photo: X"): its credit."""
    if el.getparent() is not caption:
        return False
    if el.tag not in BLOCK_TAGS and (el.getnext() is not None or (el.tail or "").strip()):
        return False
    text = collapse_spaces(text_of(el))
    if not text or len(text) > S.CAPTION_CREDIT_MAX_CHARS or S.CLAUSE_END.search(text):
        return False
    rest = len(collapse_spaces(spaced_text_of(caption))) - len(text)
    return rest >= S.GALLERY_SENTENCE_CHARS


def image_credit(el: Element) -> bool:
    """Text beside an image in a ``<figure>``, outside its caption (an element right before
    or after the ``<img>``/``<picture>``), short and ending like no sentence ("Getty
    Images"): the image's credit, laid over it."""
    prev, nxt = el.getprevious(), el.getnext()  # the cheap test first: blockify asks of all
    if not ((prev is not None and prev.tag in ("img", "picture")) or
            (nxt is not None and nxt.tag in ("img", "picture"))):
        return False
    if el.tag in ("img", "picture", "figcaption") or _holds_image(el):
        return False
    box = el.getparent()
    for _ in range(S.GALLERY_ITEM_DEPTH):
        if box is None or box.tag == "figcaption":
            return False
        if box.tag == "figure":
            break
        box = box.getparent()
    else:
        return False
    text = collapse_spaces(text_of(el))
    return bool(text) and len(text) <= S.CAPTION_CREDIT_MAX_CHARS and \
        not S.CLAUSE_END.search(text)


@lru_cache(maxsize=NAMES_CACHED)
def _chrome_word(hint: str) -> str | None:
    """The chrome word a class/id string holds (read by the body finder and again by the
    walk of the body: cached apart from both). The substring tests let through every
    name the patterns take:

    >>> all("footer" in word for word in S.SITE_FOOTER)
    True
    >>> _chrome_word("post category-social-media"), _chrome_word("site-footer x")
    (None, 'site-footer')
    """
    if "tag" in hint or "categor" in hint or "format" in hint or "status" in hint or \
            "topic" in hint:  # category-social-media: a topic, not a role
        hint = S.TAXONOMY.sub(" ", hint)
    found = S.CHROME_BOX.search(hint)
    if found:
        return found.group(0).strip(" _-")
    if "footer" not in hint:  # every SITE_FOOTER word holds it
        return None
    return next((word for word in hint.split() if word in S.SITE_FOOTER), None)


# the words every name a pattern takes holds one of: a substring test of them (several
# times cheaper than the pattern's search) lets through every string the pattern matches
_MUST_HOLD = {
    S.STRONG_CONTAINER: ("body", "content", "text", "post"),
    S.CONTENT_EMBED: ("embed", "quote", "tweet", "media"),
    S.META_BOX: ("tag", "meta", "line", "time", "print", "tool", "cta"),
}


def _search(pattern: re.Pattern[str], hint: str) -> re.Match[str] | None:
    """``pattern.search(hint)``, skipped when the hint holds none of its words:

    >>> all(_search(p, n) for p in _MUST_HOLD for n in _pattern_names(p))
    True
    >>> min(len(_pattern_names(p)) for p in _MUST_HOLD) > 10
    True
    """
    for word in _MUST_HOLD[pattern]:
        if word in hint:
            return pattern.search(hint)
    return None


def _pattern_names(pattern: re.Pattern[str]) -> list[str]:
    """The names a pattern's word list (``(?:...)(?:a|b-?c|ds?)``) takes, each optional
    letter or hyphen both left out and kept, and each checked against the pattern: what
    a substring test before the pattern must let through."""
    found = re.search(r"\)\(\?:([a-z_|?-]+)\)", pattern.pattern)
    assert found is not None, "not a word-list pattern"
    names = [form for alt in found.group(1).split("|")
             for form in (re.sub(r".\?", "", alt), alt.replace("?", ""))]
    assert all(pattern.search(n) for n in names), "a name the pattern does not take"
    return names


@lru_cache(maxsize=NAMES_CACHED)
def positional_hint(hint: str) -> bool:
    """A class/id naming where a box sits (sidebar, comments, nav, footer): chrome even
    when it is big, unless it holds a content container."""
    return bool(hint) and bool(S.POSITIONAL.search(hint))


def holds_content(el: Element) -> bool:
    """The box holds a headline, an <article> or an article-body container. An <h1> that
    is nothing but a link to the site's front page is the site's name, not a headline."""
    for d in el.iterdescendants("h1", "article", "div", "section", "main"):
        if d.tag == "article" or (d.tag == "h1" and not _names_the_site(d)):
            return True
        if article_body_box(d):
            return True
    return False


_NOT_ASKING = frozenset({"hidden", "submit", "button", "image", "reset"})


def form_boxes(root: Element) -> set[Element]:
    """Forms with a field a reader fills in or picks (a poll, a search, a sign-up), and
    the box around each that holds little else: their labels and options are not the
    article's prose (when short: FORM_MAX_CHARS). Read before pruning, which takes the
    fields out."""
    found: set[Element] = set()
    for form in root.iter("form"):
        if not any((c.get("type") or "text").lower() not in _NOT_ASKING
                   for c in form.iter("input", "select", "textarea")):
            continue
        found.add(form)
        up = form.getparent()
        if up is not None and up.tag in ("div", "td", "section") and \
                len(text_of(up)) - len(text_of(form)) < S.FORM_BOX_MAX_CHARS:
            found.add(up)
    return found


def vote_boxes(root: Element) -> set[Element]:
    """The boxes of up/down vote controls (by class, id or aria-label: "votearrow",
    "upvoter", aria-label="Upvote"), each a button's nearest box that is not a form
    control, so pruning, which takes the buttons out, leaves them. Read before pruning."""
    found: set[Element] = set()
    if not _names_a_vote(root):
        return found
    asked: set[Element] = set()
    for names in _NAMES:  # every class, id and aria-label value, read in C
        for value in cast("list[Any]", names(root)):  # strings that know their element
            # every name the pattern takes holds "vote" once lowered ("upVOter" too)
            if "vote" not in value.lower():
                continue
            el = value.getparent()
            if el in asked:
                continue
            asked.add(el)
            if _vote_named(el):
                box: Element | None = el
                while box is not None and box.tag in _CONTROL_TAGS:
                    box = box.getparent()
                if box is not None:
                    found.add(box)
    return found


_NAMES = tuple(etree.XPath(f"descendant-or-self::*/@{name}")
               for name in ("class", "id", "aria-label"))
# the same values as plain strings: no string that knows its element is made for each
_PLAIN_NAMES = tuple(etree.XPath(f"descendant-or-self::*/@{name}", smart_strings=False)
                     for name in ("class", "id", "aria-label"))


def _names_a_vote(root: Element) -> bool:
    """Some class, id or aria-label holds "vote" once lowered: the values read as plain
    strings, joined by spaces (no "vote" runs across one) and lowered at once. Most pages
    that pass the vote gate name no vote control, and need no more.

    >>> _names_a_vote(etree.fromstring('<p><b class="x upVOter"/></p>'))
    True
    >>> _names_a_vote(etree.fromstring('<p title="vote"><b class="vo te"/></p>'))
    False
    """
    return any("vote" in " ".join(cast("list[str]", names(root))).lower()
               for names in _PLAIN_NAMES)


_CONTROL_TAGS = frozenset({"button", "input", "svg", "use", "path", "img", "i"})


def article_body_of(el: Element) -> Element | None:
    """The nearest ancestor of the box that is an article-body container (articleBody,
    entry-content), if any."""
    return next((a for a in el.iterancestors("div", "section", "main", "article", "td")
                 if article_body_box(a)), None)


def article_body_box(el: Element) -> bool:
    """The box is named as the article's body (itemprop articleBody, entry-content...)."""
    if "articlebody" in (el.get("itemprop") or "").lower():
        return True
    hint = hint_text(el).replace("_", "-")  # article_body reads as article-body
    return bool(hint) and _search(S.STRONG_CONTAINER, hint) is not None


def _names_the_site(h1: Element) -> bool:
    """All of the heading's text is in links to the site's root ("/", "https://host/")."""
    text = collapse_spaces(text_of(h1))
    linked = 0
    for a in h1.iter("a"):
        if urlsplit((a.get("href") or "").strip()).path not in ("", "/"):
            return False
        linked += len(collapse_spaces(text_of(a)))
    return bool(text) and linked >= S.SITE_NAME_LINK_SHARE * len(text)


@lru_cache(maxsize=NAMES_CACHED)
def chrome_hint(hint: str) -> bool:
    """A lowercased class/id string naming a chrome box and no content container (the
    body finder's test: one search for most hints, the rest only when it hits)."""
    return _chrome_word(hint) is not None and not box_words(hint)[0]


@lru_cache(maxsize=NAMES_CACHED)
def box_words(hint: str) -> tuple[bool, str | None, str | None]:
    """For a class/id string: (names content, chrome word, meta word).

    Content names (article body containers, embedded posts) outrank chrome words.
    """
    meta = _search(S.META_BOX, hint)
    return (_search(S.STRONG_CONTAINER, hint) is not None or
            _search(S.CONTENT_EMBED, hint) is not None,
            _chrome_word(hint),
            meta.group(0).strip(" _-") if meta else None)


def _mostly_link_items(lst: Element, sc: Stats) -> bool:
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


def inline_chrome(el: Element, hint: str | None = None) -> tuple[str, str, str] | None:
    """A short inline element whose class marks it as chrome: an ad label, a share link
    (``hint``: its :func:`hint_text`, where the caller has read it)."""
    if hint is None:
        hint = hint_text(el)
    if not hint:
        return None
    strong, chrome, _ = box_words(hint)
    if not chrome or strong:
        return None
    if len(text_of(el)) > S.INLINE_CHROME_MAX_CHARS:
        return None
    return ("extract.chrome-label", box_family(chrome),
            f"class/id '{chrome}' marks a label inside a paragraph")


_ICON_CLASS = re.compile(r"(?:^|\s)(?:icons?|octicon|glyphicon|material-(?:icons|symbols)[\w-]*)"
                         r"(?:\s|$)", re.I)
_LIGATURE = re.compile(r"[a-z][a-z0-9_]{1,39}")


_PERMALINK_MARKS = frozenset({"¶", "§", "#", "🔗"})
_VOTE_COUNT = re.compile(r"[-+−]?\d[\d.,]*\s?[kKmM]?|")


def _vote_named(el: Element, hint: str | None = None) -> bool:
    """The element's class, id or aria-label names an up/down vote control."""
    if hint is None:
        hint = hint_text(el)
    # every name the pattern takes holds "vote"
    if "vote" in hint and S.VOTE_CONTROL.search(hint):
        return True
    label = el.get("aria-label")
    if not label:
        return False
    label = label.lower().replace(" ", "")
    return "vote" in label and S.VOTE_CONTROL.search(label) is not None


def counter_or_icon(el: Element, hint: str | None = None) -> tuple[str, str, str] | None:
    """An element whose markup says it is no text: a schema.org interaction counter
    (``itemprop=interactionStatistic``: '3 Likes', '12 Comments' under a post), a vote
    control's box holding only its count (a thread's scores), or an
    icon font's ligature (``<span class="material-icons">share</span>``: one lower-case
    word, the icon's name, in an element classed as an icon), or a link to a fragment
    whose text is a mark (``<a href="#overview">¶</a>``: a heading's permalink).
    ``hint``: the element's :func:`hint_text`, where the caller has read it."""
    prop = el.get("itemprop")
    if prop and "interactionstatistic" in prop.lower():
        return ("extract.counter", "share", "itemprop=interactionStatistic: a count of "
                "likes, comments or shares, not text")
    if _vote_named(el, hint) and _VOTE_COUNT.fullmatch(text_of(el).strip()):
        return ("extract.vote-count", "share", "a vote control's box holding only its "
                "count: a score, not text")
    if el.tag == "a" and (el.get("href") or "").startswith("#") and \
            text_of(el).strip() in _PERMALINK_MARKS:
        return ("extract.permalink", "navigation", "a link to a fragment drawn as a mark "
                "(¶, §, #): a heading's permalink, not text")
    cls = el.get("class")
    if cls and len(el) == 0 and _ICON_CLASS.search(cls):
        text = (el.text or "").strip()
        if text and _LIGATURE.fullmatch(text):
            return ("extract.icon-name", "layout", "an icon font's ligature: the name of "
                    "the icon drawn, not text")
    return None


def admonition(el: Element) -> bool:
    """The element's class, id or aria-label names an admonition (a note, tip or
    warning): a docs page's callout drawn as an <aside>, part of the text."""
    label = el.get("aria-label")
    return bool(S.ADMONITION.search(hint_text(el)) or
                (label and S.ADMONITION.search(label.lower())))


def drop_box(el: Element, sc: Stats, body_chars: int, hint: str | None = None,
             bare: bool = False) -> tuple[str, str, str] | None:
    """Why a box inside the body is chrome: (rule id, family, reason), or None.
    ``hint``: the box's :func:`hint_text`, where the caller has read it; ``bare``: the
    box has no attribute (no role, class or id to read)."""
    tag = el.tag
    n = sc.chars.get(el)
    if n is None or el in sc.wrappers:
        return None
    if el in sc.inner_chrome:
        return ("extract.chrome-box", "layout", "a chrome-named box inside the article's "
                "body container holds no article text, however long")
    if n > S.CHROME_MAX_SHARE * body_chars:
        # however long, a titled box of other stories' teasers ("More galleries" over
        # headlines linked elsewhere, no prose) is a module, not the article's text
        if n < body_chars and _teasers(el, sc, n) and titled_box(el):
            return ("extract.teaser-box", "related", "a titled box of headlines linked to "
                    "other pages and no prose of its own: other stories' teasers")
        # however long, a list of nothing but links is not the article's prose
        if tag in ("ul", "ol") and len(el) >= 2 and \
                sc.links.get(el, 0) >= n * S.LINK_ITEM_MIN_SHARE and \
                _mostly_link_items(el, sc):
            return ("extract.link-list", "related", "a list made of links (related/teasers)")
        return None
    role = None if bare else el.get("role")
    kind = S.CHROME_ROLES.get(role or "", tag)  # role=navigation: a <nav>
    if kind in _STRUCTURAL_DROP and not (kind == "aside" and admonition(el)):
        return (f"extract.{kind}", _STRUCTURAL_DROP[kind],
                f"<{kind}> inside the body holds site chrome, not article text")
    if hint is None:
        hint = "" if bare else hint_text(el)
    if hint:
        strong, chrome, meta = box_words(hint)
        word = chrome or (meta if n <= S.META_MAX_SHARE * body_chars else None)
        if word and not strong:
            return ("extract.chrome-box", box_family(word),
                    f"class/id '{word}' marks a chrome box inside the body")
    if tag in ("ul", "ol") and len(el) >= 2 and _mostly_link_items(el, sc):
        return ("extract.link-list", "related", "a list made of links (related/teasers)")
    if n and sc.links.get(el, 0) / n > S.BOX_MAX_LINK_DENSITY and \
            tag in ("div", "section", "table") and len(el.findall(".//a")) >= S.BOX_MIN_LINKS:
        return ("extract.link-box", "related", "a box made of links (related/teasers)")
    if _teasers(el, sc, n):
        return ("extract.teaser-box", "related", "a box of headlines linked to other pages "
                "and no prose of its own: other stories' teasers")
    return None


def _teasers(el: Element, sc: Stats, n: int) -> bool:
    """A small box of headlines linked to other pages, with no prose run of its own; one
    such headline is enough in an ``<article>`` of the box's (another story's card)."""
    if el.tag not in _TEASER_BOX_TAGS or n > S.TEASER_BOX_MAX_CHARS or \
            not sc.links.get(el, 0) or sc.good.get(el, 0):
        return False
    heads = _linked_headlines(el)
    return heads >= S.TEASER_BOX_MIN_HEADLINES or \
        (heads >= 1 and next(el.iterdescendants("article"), None) is not None)


def titled_box(box: Element) -> bool:
    """The box opens with a heading of its own that links nowhere: its title."""
    for h in box.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        title = collapse_spaces(text_of(h))
        return bool(title) and h.find(".//a") is None and \
            collapse_spaces(text_of(box)).startswith(title)
    return False


_TEASER_BOX_TAGS = frozenset({"div", "section", "aside", "ul", "ol"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def _linked_headlines(box: Element) -> int:
    """Headings in the box linked to another page (the link around the heading or in
    it); a link to a fragment of this page (a table of contents) is not counted."""
    found = 0
    for a in box.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        if any(d.tag in _HEADINGS for d in a.iterdescendants()):
            found += 1
            continue
        for anc in a.iterancestors():
            if anc.tag in _HEADINGS:
                found += 1
                break
            if anc is box:
                break
    return found

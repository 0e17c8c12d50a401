"""Teaching the preview a site: the page's elements as an outline to pick from, and a
selector proposed for the picked element.

Picking happens in the preview's own, escaped view of the page: an outline of its block
elements (and the classed or named ones), built here from :func:`cleaner.parse_page`.
The framed page never runs a script and its sandbox is never loosened; the picked
element is outlined in it by the server (``/page/<id>?mark=1&pick=<path>``).

The proposal is the shortest stable selector: the element's id when it is unique and
looks written by a person; else its most distinctive class (fewest matches on the page),
with the tag when that narrows it; else a path from the nearest ancestor that has one of
those; positions (``:nth-of-type``) only when nothing else tells the element apart.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import islice

from lxml import etree

from cleaner import ProfileError
from cleaner.dom import BLOCK_TAGS, NEVER_CONTENT, Element, PathIndex
from cleaner.profiles import select

__all__ = ["OutlineItem", "outline", "propose", "describe", "MAX_OUTLINE", "MAX_DEPTH_SHOWN"]

MAX_OUTLINE = 1500         # elements listed; a note says when the page has more
MAX_DEPTH_SHOWN = 8        # deeper levels are indented as this one (phones stay narrow)
EXCERPT_CHARS = 90
_SKIP = frozenset(NEVER_CONTENT)
_IDENT = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")
# names a build tool or a CMS made up: hashes, long numbers, framework prefixes
_GENERATED = re.compile(r"\d{4,}|^(?:css|sc|jsx|emotion|svelte|styled|ember|ng|v)-|"
                        r"^_|__[A-Za-z0-9]{5,}$|-[A-Za-z0-9]*\d[A-Za-z0-9]*[A-Z][A-Za-z0-9]*$|"
                        r"^[a-z]{1,3}-[A-Za-z0-9]{5,}$")
_STATE = frozenset({"active", "current", "open", "opened", "closed", "selected", "show",
                    "shown", "hidden", "visible", "in", "fade", "clearfix", "first", "last",
                    "odd", "even"})
_STATE_PREFIX = ("is-", "has-", "js-is-")
MANY = 20                  # a class matching more elements than this is not distinctive


@dataclass(frozen=True)
class OutlineItem:
    """One element of the outline: its path, outline depth, label (tag, id, classes),
    the start of its text and its length."""

    path: str
    depth: int
    label: str
    excerpt: str
    chars: int

    @property
    def indent(self) -> int:
        return min(self.depth, MAX_DEPTH_SHOWN)


def describe(el: Element) -> str:
    """``tag#id.class1.class2`` (three classes at most), cut at 60 characters.

    >>> from lxml import etree
    >>> describe(etree.fromstring('<div id="x" class="a  b c d"/>'))
    'div#x.a.b.c'
    """
    label = str(el.tag)
    ident = (el.get("id") or "").strip()
    if ident:
        label += "#" + ident
    label += "".join("." + c for c in (el.get("class") or "").split()[:3])
    return label if len(label) <= 60 else label[:59] + "…"


def _own_chars(body: Element) -> dict[Element, int]:
    """Characters of reader text under each element, in one post-order walk."""
    chars: dict[Element, int] = {}
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            if event == "start":
                walker.skip_subtree()
            continue
        if event == "end":
            total = len((el.text or "").strip())
            for kid in el:
                total += chars.get(kid, 0) + len((kid.tail or "").strip())
            chars[el] = total
    return chars


def _excerpt(el: Element) -> str:
    pieces: list[str] = []
    size = 0
    for text in islice(_reader_text(el), 200):
        text = " ".join(text.split())
        if text:
            pieces.append(text)
            size += len(text) + 1
            if size > EXCERPT_CHARS:
                break
    out = " ".join(pieces)
    return out if len(out) <= EXCERPT_CHARS else out[:EXCERPT_CHARS - 1] + "…"


def _reader_text(el: Element) -> Iterator[str]:
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        if event == "start":
            if node is not el and (not isinstance(node.tag, str) or node.tag in _SKIP):
                walker.skip_subtree()
                continue
            if node.text:
                yield node.text
        elif node is not el and node.tail:
            yield node.tail


def _listed(el: Element) -> bool:
    return el.tag in BLOCK_TAGS or bool(el.get("id") or el.get("class"))


def outline(root: Element) -> tuple[list[OutlineItem], bool]:
    """The page's block elements (and any element with an id or class) that hold text,
    in page order, each with its depth among the listed ones; and whether the list was
    cut at MAX_OUTLINE."""
    body = root.find("body")
    if body is None:
        body = root
    chars = _own_chars(body)
    paths = PathIndex(root)
    items: list[OutlineItem] = []
    depth_of: dict[Element, int] = {}
    for el in body.iterdescendants():
        if not isinstance(el.tag, str) or not chars.get(el) or not _listed(el):
            continue
        parent = el.getparent()
        depth = 0
        while parent is not None and parent is not body:
            if parent in depth_of:
                depth = depth_of[parent] + 1
                break
            parent = parent.getparent()
        depth_of[el] = depth
        items.append(OutlineItem(paths.path(el), depth, describe(el), _excerpt(el),
                                 chars[el]))
        if len(items) >= MAX_OUTLINE:
            return items, True
    return items, False


def _stable(name: str) -> bool:
    return (1 < len(name) <= 40 and bool(_IDENT.fullmatch(name))
            and not _GENERATED.search(name) and name.lower() not in _STATE
            and not name.lower().startswith(_STATE_PREFIX))


class _Counter:
    """How many elements of the page a selector matches, each selector tried once."""

    def __init__(self, body: Element, avoid: Collection[Element]) -> None:
        self.body = body
        self.avoid = set(avoid)
        self._seen: dict[str, list[Element]] = {}

    def matches(self, css: str) -> list[Element]:
        if css not in self._seen:
            try:
                self._seen[css] = select(self.body, css)
            except ProfileError:
                self._seen[css] = []
        return self._seen[css]

    def usable(self, css: str, el: Element) -> int:
        """How many it matches, or 0 when it misses ``el`` or takes in a box to avoid
        (the article body, or what holds it)."""
        found = self.matches(css)
        if el not in found:
            return 0
        if self.avoid and any(a is f or any(x is f for x in a.iterancestors())
                              for f in found for a in self.avoid):
            return 0
        return len(found)


def _by_name(el: Element, count: _Counter) -> str | None:
    """``#id`` when unique, else the most distinctive class (with its tag, or two
    classes, when that narrows it)."""
    ident = (el.get("id") or "").strip()
    if ident and _stable(ident) and count.usable(f"#{ident}", el) == 1:
        return f"#{ident}"
    classes = [c for c in dict.fromkeys((el.get("class") or "").split()) if _stable(c)]
    best: tuple[int, int, str] | None = None
    for c in classes:
        for css in (f".{c}", f"{el.tag}.{c}"):
            n = count.usable(css, el)
            if n and (best is None or (n, len(css)) < best[:2]):
                best = (n, len(css), css)
    if best is not None and best[0] > MANY:
        for a, b in ((a, b) for i, a in enumerate(classes) for b in classes[i + 1:]):
            css = f".{a}.{b}"
            n = count.usable(css, el)
            if n and n < best[0]:
                best = (n, len(css), css)
    return best[2] if best is not None else None


def _position(el: Element) -> str:
    tag = str(el.tag)
    parent = el.getparent()
    if parent is None:
        return tag
    same = [s for s in parent if s.tag == tag]
    return tag if len(same) == 1 else f"{tag}:nth-of-type({same.index(el) + 1})"


def propose(root: Element, el: Element, avoid: Collection[Element] = ()) -> str:
    """The shortest stable CSS selector for ``el`` in the page ``root`` (see the module's
    docstring). ``avoid``: boxes it must not take in (the article body, when the
    selector is for removing).

    >>> from cleaner import parse_page
    >>> root = parse_page('<div class="row promo-box"><p>Buy</p></div><div class="row">'
    ...                   '<p id="x1">One</p></div><aside><p>Two</p><p>Three</p></aside>'
    ...                   '<section class="rail"><div><b>Four</b></div></section>')
    >>> [propose(root, root.getroottree().xpath(p)[0]) for p in
    ...  ("//div[1]", "//p[@id]", "//aside/p[2]", "//b")]
    ['.promo-box', '#x1', 'body > aside > p:nth-of-type(2)', '.rail > div > b']
    """
    body = root.find("body")
    if body is None:
        body = root
    count = _Counter(body, avoid)
    named = _by_name(el, count)
    if named is not None:
        return named
    # structure: tags down from the nearest ancestor that has a name
    names = _Counter(body, ())
    tags = [str(el.tag)]
    node = el.getparent()
    while node is not None and node is not body and len(tags) <= 6:
        anchor = _by_name(node, names)
        if anchor is not None:
            css = " > ".join([anchor, *tags])
            if count.usable(css, el):
                return css
            break
        tags.insert(0, str(node.tag))
        node = node.getparent()
    # positions, from <body> down (a tag alone where it has no sibling of its kind)
    chain: list[str] = []
    node = el
    while node is not None and node is not body:
        chain.insert(0, _position(node))
        node = node.getparent()
    return " > ".join(["body", *chain])

"""What every stage knows about the tree: block tags, text of an element, element paths.

>>> from lxml import etree
>>> root = etree.fromstring("<div><h2>Title</h2><p>One <b>two</b></p>x</div>")
>>> text_of(root), spaced_text_of(root)
('TitleOne twox', '  Title  One two x ')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, cast

from lxml import etree

__all__ = ["BLOCK_TAGS", "NEVER_CONTENT", "MAX_DEPTH", "NAMES_CACHED", "Element", "text_of",
           "spaced_text_of", "parting_text_of", "inside_any", "PathIndex", "child_steps",
           "owners", "AttributeOwners"]

Element = etree._Element

# elements that start a new line for a reader: text on either side is not one phrase
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "h1",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption",
    "form", "fieldset", "legend", "address", "hr", "br", "details", "summary", "center",
    "hgroup", "body", "html", "menu", "dir", "noframes", "output", "listing", "xmp",
    "plaintext", "option", "optgroup",
})

# elements whose content is never article text (no text a reader sees as prose)
NEVER_CONTENT = ("script", "style", "noscript", "template", "iframe", "object", "embed",
                 "canvas", "video", "audio", "select", "button", "input", "textarea",
                 "link", "meta", "svg", "map", "dialog", "head", "frameset", "frame")

MAX_DEPTH = 2047   # libxml2 drops everything nested deeper than this
# what each cache of verdicts on class/id strings holds, kept across pages: a site's pages
# share their names, and so do sites ("container", "row"); the eight caches full hold
# about 26 MB
NAMES_CACHED = 32768


def text_of(el: Element) -> str:
    """All text inside an element (not its tail), as the reader would see it."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


_SMALL_SUBTREE = 32   # nodes; lxml's many-tag filter costs more to set up than these


def block_descendants(el: Element) -> list[Element]:
    """The block elements under ``el``, in document order. A small subtree is filtered
    here: setting up lxml's tag filter for the block tags costs more (about 7 µs) than
    reading a few dozen tags, and small regions are the many."""
    found: list[Element] = []
    for count, node in enumerate(el.iterdescendants()):
        if count == _SMALL_SUBTREE:
            return list(el.iterdescendants(*BLOCK_TAGS))
        if node.tag in BLOCK_TAGS:
            found.append(node)
    return found


def spaced_text_of(el: Element, sep: str = " ") -> str:
    """Like text_of, with ``sep`` wherever a block or line break separates two texts
    ("Cancel reply" + "Your email" stays two phrases), for removal records."""
    if not block_descendants(el):
        return text_of(el)
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag
        if event == "start":
            if tag in BLOCK_TAGS:
                parts.append(sep)
            if node.text:
                parts.append(node.text)
        else:
            if tag in BLOCK_TAGS:
                parts.append(sep)
            if node is not el and node.tail:
                parts.append(node.tail)
    return "".join(parts)


def parting_text_of(el: Element, read: str | None = None) -> str:
    """:func:`spaced_text_of` for a subtree that is leaving the page (a removed box, a
    region outside the body), the same up to runs of whitespace: a space is written
    into the text and tail of each block element that does not start with one, then
    the text is read in C, several times faster on big regions. The subtree keeps those
    spaces, so use it once, on elements nothing reads afterwards. ``read``: the
    element's :func:`text_of`, where the caller has it (the text when no block is under
    it).
    """
    blocks = block_descendants(el)
    if not blocks and read is not None:
        return read
    for node in blocks:
        text = node.text
        if not text or not text[0].isspace():
            node.text = " " + text if text else " "
        tail = node.tail
        if not tail or not tail[0].isspace():
            node.tail = " " + tail if tail else " "
    return text_of(el)


def inside_any(el: Element, marked: set[Element], memo: dict[Element, bool]) -> bool:
    """Whether an ancestor of ``el`` is in ``marked``, each ancestor looked at once over
    many calls (``memo``), so deep chains cost no quadratic walk. ``marked`` may grow
    between calls only with elements that come later in document order than the ones
    asked about so far (an ancestor found outside stays outside).

    >>> from lxml import etree
    >>> root = etree.fromstring("<a><b><c/></b><d/></a>")
    >>> memo = {}
    >>> inside_any(root[0][0], {root[0]}, memo), inside_any(root[1], {root[0]}, memo)
    (True, False)
    """
    walked: list[Element] = []
    node = el.getparent()
    found = False
    while node is not None:
        if node in marked:
            found = True
            break
        known = memo.get(node)
        if known is not None:
            found = known
            break
        walked.append(node)
        node = node.getparent()
    for node in walked:
        memo[node] = found
    return found


XPATH_NAME = re.compile(r"[A-Za-z_][\w.-]*\Z")  # a tag an XPath step can name
_NAMED: dict[str, bool] = {}   # tags met so far: whether XPATH_NAME takes each
_NAMED_MAX = 1024              # ... up to this many (a hostile page makes up tags)


def child_steps(parent: Element) -> dict[Element, str]:
    """Each child element's step in a path, as ``getpath()`` writes it: its tag, with its
    1-based position among same-tag siblings when it has any; a tag that is no XPath name
    (a stray ``o:p``) is ``*[n]``, n counting the parent's elements.

    >>> from lxml import etree
    >>> root = etree.fromstring("<div><p/><h2/><p/></div>")
    >>> list(child_steps(root).values())
    ['p[1]', 'h2', 'p[2]']
    """
    totals: dict[str, int] = {}
    children = list(parent.iterchildren(etree.Element))
    for child in children:
        totals[child.tag] = totals.get(child.tag, 0) + 1
    seen: dict[str, int] = {}
    steps: dict[Element, str] = {}
    named = _NAMED
    for position, child in enumerate(children, 1):
        tag = child.tag
        ok = named.get(tag)
        if ok is None:
            ok = XPATH_NAME.match(tag) is not None
            if len(named) < _NAMED_MAX:
                named[tag] = ok
        if not ok:  # "o:p", "weird.tag)": no XPath name
            steps[child] = f"*[{position}]"
        elif totals[tag] > 1:
            n = seen[tag] = seen.get(tag, 0) + 1
            steps[child] = f"{tag}[{n}]"
        else:
            steps[child] = tag
    return steps


class PathIndex:
    """Element paths as ``getpath()`` writes them (``/html/body/div[2]/p``), as the page
    was parsed, however the tree changes afterwards. A tag that is no XPath name (a
    stray ``o:p``) is a step ``*[n]``, n counting its parent's elements.

    ``getpath`` scans siblings (O(siblings) a call: quadratic when thousands of siblings
    are removed), and after a removal it names the remaining siblings by their new
    positions. Here each parent's table of child positions is built once, on first use;
    :meth:`freeze` builds the tables of the parents of elements about to be removed, so
    that every path keeps pointing at the element of the tree as parsed.
    """

    def __init__(self, root: Element) -> None:
        self._root = root
        self._steps: dict[Element, dict[Element, str]] = {}   # parent -> child -> step
        self._known: dict[Element, str] = {}                  # element -> its path

    def _table(self, parent: Element) -> dict[Element, str]:
        table = self._steps.get(parent)
        if table is None:
            table = self._steps[parent] = child_steps(parent)
        return table

    def freeze(self, elements: Iterable[Element]) -> None:
        """Record the positions around ``elements`` before they are removed."""
        for el in elements:
            for node in (el, *el.iterancestors()):
                parent = node.getparent()
                if parent is None or parent in self._steps:
                    break
                self._table(parent)

    def path(self, el: Element) -> str:
        """The element's path in the tree as parsed (ancestors' paths are remembered, so
        the blocks of one container cost one step each)."""
        known = self._known
        found = known.get(el)
        if found is not None:
            return found
        chain: list[tuple[Element, str]] = []
        node = el
        parent = node.getparent()
        base = ""
        while parent is not None:
            step = self._table(parent).get(node)
            if step is None:  # added after its parent's table was made
                return el.getroottree().getpath(el)
            chain.append((node, step))
            cached = known.get(parent)
            if cached is not None:
                base = cached
                break
            node, parent = parent, parent.getparent()
        else:
            base = "/" + self._root_step(node)
            known[node] = base
        for node, step in reversed(chain):
            base = known[node] = f"{base}/{step}"
        return base

    @staticmethod
    def _root_step(node: Element) -> str:
        # libxml2 can leave a second <html> beside the root: getpath numbers them
        tag = str(node.tag)
        before = sum(1 for s in node.itersiblings(preceding=True) if s.tag == tag)
        after = sum(1 for s in node.itersiblings() if s.tag == tag)
        return f"{tag}[{before + 1}]" if before or after else tag


SORT_MAX = 64   # owners put in order by their positions; past this many, one walk does


def owners(attrs: object) -> list[Element]:
    """The elements of an XPath's attribute results, each once, in their order (an
    element's attributes come together there)."""
    return list(dict.fromkeys(a.getparent() for a in cast("list[Any]", attrs)))


def _position(el: Element) -> list[int]:
    """The element's place in its tree: each ancestor's index among its siblings, from
    the top (lists compare in page order)."""
    steps: list[int] = []
    parent = el.getparent()
    while parent is not None:
        steps.append(parent.index(el))
        el, parent = parent, parent.getparent()
    steps.reverse()
    return steps


class AttributeOwners:
    """The elements owning the attributes some XPaths select (``//@rel[. = 'author']``),
    each once, in page order. Attribute steps are cheap in libxml2, a predicate on every
    element is not, and a union of the queries runs them all again and is ordered in
    quadratic time: the owners found by more than one query are put in order by their
    positions, or, past SORT_MAX, by one walk of the page. A query may come with a test
    of the values, made in Python: a substring test there costs a fraction of an XPath
    predicate on every attribute (which copies the value for each ``contains()``).

    >>> owners_of = AttributeOwners("//@id[. = 'b']", ("//@class", lambda v: "a" in v))
    >>> [el.tag for el in owners_of(etree.fromstring("<r><a class='a'/><b id='b'/></r>"))]
    ['a', 'b']
    """

    def __init__(self, *queries: str | tuple[str, Callable[[str], bool]]) -> None:
        self._parts = tuple((etree.XPath(q), None) if isinstance(q, str) else
                            (etree.XPath(q[0]), q[1]) for q in queries)

    def __call__(self, root: Element) -> list[Element]:
        parts: list[list[Element]] = []
        for xpath, test in self._parts:
            values = cast("list[Any]", xpath(root))
            if test is not None:
                values = [v for v in values if test(v)]
            if found := owners(values):
                parts.append(found)
        if len(parts) <= 1:
            return parts[0] if parts else []
        every = {el for p in parts for el in p}
        if len(every) <= SORT_MAX:
            return sorted(every, key=_position)
        return [el for el in root.iter() if el in every]

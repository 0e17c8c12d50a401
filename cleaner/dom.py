"""What every stage knows about the tree: block tags, text of an element, element paths.

>>> from lxml import etree
>>> root = etree.fromstring("<div><h2>Title</h2><p>One <b>two</b></p>x</div>")
>>> text_of(root), spaced_text_of(root)
('TitleOne twox', '  Title  One two x ')
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

__all__ = ["BLOCK_TAGS", "NEVER_CONTENT", "MAX_DEPTH", "Element", "text_of",
           "spaced_text_of", "PathIndex"]

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


def text_of(el: Element) -> str:
    """All text inside an element (not its tail), as the reader would see it."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def spaced_text_of(el: Element, sep: str = " ") -> str:
    """Like text_of, with ``sep`` wherever a block or line break separates two texts
    ("Cancel reply" + "Your email" stays two phrases), for removal records."""
    if not any(True for _ in el.iterdescendants(*BLOCK_TAGS)):
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


class PathIndex:
    """Element paths as ``getpath()`` writes them (``/html/body/div[2]/p``), computed
    from one walk of the tree instead of one sibling scan per element (``getpath`` is
    O(siblings), which is quadratic when thousands of siblings are removed).

    Build it before the tree changes: the paths name elements of the page as parsed.
    """

    def __init__(self, root: Element) -> None:
        self._root = root
        self._paths: dict[Element, str] | None = None

    def _build(self) -> dict[Element, str]:
        paths: dict[Element, str] = {}
        root = self._root
        paths[root] = "/" + str(root.tag)
        stack: list[Element] = [root]
        while stack:
            parent = stack.pop()
            base = paths[parent]
            counts: dict[str, int] = {}
            totals: dict[str, int] = {}
            children = [c for c in parent if isinstance(c.tag, str)]
            for child in children:
                totals[child.tag] = totals.get(child.tag, 0) + 1
            for child in children:
                tag = child.tag
                n = counts[tag] = counts.get(tag, 0) + 1
                paths[child] = f"{base}/{tag}[{n}]" if totals[tag] > 1 else f"{base}/{tag}"
                if len(child):
                    stack.append(child)
        return paths

    def path(self, el: Element) -> str:
        """The element's path; elements added after the index was built get getpath()."""
        if self._paths is None:
            self._paths = self._build()
        found = self._paths.get(el)
        return found if found is not None else el.getroottree().getpath(el)

    def paths(self, elements: Iterable[Element]) -> list[str]:
        return [self.path(el) for el in elements]

"""What the preview shows about one cleaned page, built from the CleanResult's removals.

- where each removal sits in the original page: prune's ``html:`` paths are exact; other
  removals (the body finder's, the text layer's ``text:N``) are found by their text;
- the page's text ("before"), split into segments that carry the removal they belong to;
- the page itself with each removed element marked and given an anchor, for the
  sandboxed iframe (``#cleaner-removal-N`` scrolls to removal N, no script needed);
- a line diff of the before text and the clean text.

Nothing here runs on the hot path of :func:`cleaner.clean_article`; it re-reads the same
tree the pipeline parses (:func:`cleaner.parse_page`), so the paths recorded in
``Removal.where`` point at the same elements.
"""

from __future__ import annotations

import difflib
import re
import secrets
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from cleaner import CleanOptions, Removal, parse_page
from cleaner.dom import BLOCK_TAGS, NEVER_CONTENT, Element

__all__ = ["Annotation", "Segment", "annotate_html", "annotate_text", "diff_lines",
           "rewrite_images", "sandboxed_page", "MARK_STYLE", "MAX_LINES"]

MAX_LINES = 4000         # before-text lines shown (and diffed); a note says when cut
_SKIP = frozenset(NEVER_CONTENT)
_BLOCK = BLOCK_TAGS
_WS = re.compile(r"\s+")


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()

# injected into the marked page; the page's CSP allows inline styles only
MARK_STYLE = """
[data-cleaner-removal]{outline:3px solid #c62828 !important;outline-offset:1px;
  background-color:rgba(198,40,40,.10) !important}
[data-cleaner-removal]::before{content:"removed: " attr(data-cleaner-rule);display:block;
  width:max-content;max-width:100%;font:600 12px/1.5 ui-monospace,monospace;color:#fff;
  background:#c62828;padding:0 6px;margin:0 0 2px}
[data-cleaner-family="hidden"]{display:block !important;visibility:visible !important;
  position:static !important;opacity:.85 !important;outline-style:dashed !important}
.cleaner-anchor{display:block;height:0;scroll-margin-top:48px}
.cleaner-anchor:target+[data-cleaner-removal]{outline:4px solid #ef6c00 !important;
  background-color:rgba(255,193,7,.35) !important}
"""


Segment = tuple[str, "int | None"]


@dataclass
class Annotation:
    """The preview's view of one page. ``lines`` is the before text as segments
    ``(text, removal index or None)``; ``located`` holds the removals found in the page."""

    lines: list[list[Segment]]
    located: set[int] = field(default_factory=set)
    marked_html: str | None = None
    truncated: bool = False
    # the page's images, in the order rewrite_images numbered them in marked_html
    images: list[str] = field(default_factory=list)
    image_token: str = ""

    @property
    def plain_lines(self) -> list[str]:
        return ["".join(t for t, _ in line) for line in self.lines]


_NO_SPACE = re.compile(r"\s+")


def _is_element(node: Element) -> bool:
    return isinstance(node.tag, str)


def _itertext(el: Element) -> Iterator[str]:
    """The element's text as a reader sees it: script, style, forms' inputs etc. skipped."""
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        skip = not _is_element(node) or node.tag in _SKIP
        if event == "start":
            if skip and node is not el:
                walker.skip_subtree()
            elif node.text:
                yield node.text
        elif node is not el and node.tail:
            yield node.tail


def _text(el: Element) -> str:
    return _collapse("".join(_itertext(el)))


def _squash(text: str) -> str:
    """Text without any whitespace: removal records put spaces between blocks that the
    page's own text may run together, so locating compares without them."""
    return _NO_SPACE.sub("", text)


class _TextIndex:
    """The page's reader text with all whitespace squashed out, and each element's span in
    it, built in one walk, so finding a removal is a string search, not a tree walk."""

    def __init__(self, body: Element) -> None:
        parts: list[str] = []
        pos = 0
        self.start: dict[Element, int] = {}
        self.end: dict[Element, int] = {}
        self._kids: dict[Element, list[Element]] = {}
        walker = etree.iterwalk(body, events=("start", "end"))
        for event, node in walker:
            inside = node in self.start
            if event == "start":
                if node is not body and (not _is_element(node) or node.tag in _SKIP):
                    walker.skip_subtree()
                    continue
                self.start[node] = pos
                piece = _squash(node.text or "")
            else:
                if inside:
                    self.end[node] = pos
                if node is body:
                    continue
                piece = _squash(node.tail or "")
            parts.append(piece)
            pos += len(piece)
        self.text = "".join(parts)

    def text_of(self, el: Element) -> str | None:
        if el not in self.end:
            return None
        return self.text[self.start[el]:self.end[el]]

    def child_holding(self, node: Element, lo: int, hi: int) -> Element | None:
        """The child element of ``node`` whose span holds [lo, hi), if one does."""
        kids = self._kids.get(node)
        if kids is None:
            kids = self._kids[node] = [k for k in node if k in self.end]
        starts = [self.start[k] for k in kids] if len(kids) < 64 else None
        if starts is None:  # long child lists: binary search on the starts
            i = bisect_right(_StartView(kids, self.start), lo) - 1
        else:
            i = bisect_right(starts, lo) - 1
        if i >= 0:
            kid = kids[i]
            if self.start[kid] <= lo and hi <= self.end[kid]:
                return kid
        return None


class _StartView:
    """A read-only sequence of the children's span starts, for bisect."""

    def __init__(self, kids: list[Element], start: dict[Element, int]) -> None:
        self.kids, self.start_of = kids, start

    def __len__(self) -> int:
        return len(self.kids)

    def __getitem__(self, i: int) -> int:
        return self.start_of[self.kids[i]]


MAX_OCCURRENCES = 50   # a removal's text is looked for at most this many times


def _by_path(root: Element, index: _TextIndex, where: str, want: str) -> Element | None:
    try:
        found = root.getroottree().xpath(where[len("html:"):])
    except etree.XPathError:
        return None
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element) \
            or not _is_element(found[0]):
        return None
    el = found[0]
    text = index.text_of(el)
    if text is None:
        text = _squash(_text(el))
    return el if text == _squash(want) else None


def _by_text(body: Element, index: _TextIndex, want: str, marked: Mapping[Element, int],
             last: bool) -> Element | None:
    """The innermost element holding ``want``, not inside an already marked one."""
    want = _squash(want)
    if not want:
        return None
    text = index.text
    pos = text.rfind(want) if last else text.find(want)
    for _ in range(MAX_OCCURRENCES):
        if pos < 0:
            return None
        lo, hi = pos, pos + len(want)
        node, blocked = body, False
        while True:
            kid = index.child_holding(node, lo, hi)
            if kid is None:
                break
            if kid in marked:
                blocked = True
                break
            node = kid
        if not blocked and node is not body:
            return node
        pos = text.rfind(want, 0, hi - 1) if last else text.find(want, lo + 1)
    return None


def _locate(root: Element, body: Element, removals: Sequence[Removal]) -> dict[Element, int]:
    """element -> removal index, for every removal found in the page."""
    marked: dict[Element, int] = {}
    index = _TextIndex(body)
    # exact paths first, so text searches never claim an element prune recorded
    for i, r in enumerate(removals):
        want = _collapse(r.text)
        if want and r.where.startswith("html:/"):
            el = _by_path(root, index, r.where, want)
            if el is not None and el not in marked:
                marked[el] = i
    found = set(marked.values())
    for i, r in enumerate(removals):
        want = _collapse(r.text)
        if i in found or not want:
            continue
        el = _by_text(body, index, want, marked, last=r.family == "duplicate")
        if el is not None and el not in marked:
            marked[el] = i
    return marked


def _lines(body: Element, marked: Mapping[Element, int]) -> tuple[list[list[Segment]], bool]:
    raw: list[list[Segment]] = [[]]
    stack: list[int] = []
    pushed: set[Element] = set()

    def emit(text: str | None) -> None:
        if text:
            raw[-1].append((text, stack[-1] if stack else None))

    def newline() -> None:
        if raw[-1]:
            raw.append([])

    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if _is_element(el) else ""
        if event == "start":
            if not tag or tag in _SKIP:
                walker.skip_subtree()
                continue
            if tag in _BLOCK:
                newline()
            if el in marked:
                stack.append(marked[el])
                pushed.add(el)
            emit(el.text)
        else:
            if el in pushed:
                stack.pop()
            if tag in _BLOCK:
                newline()
            if el is not body:
                emit(el.tail)
    lines: list[list[Segment]] = []
    for line in raw:
        segs: list[Segment] = []
        for text, idx in line:
            text = _WS.sub(" ", text)
            if segs and segs[-1][1] == idx:
                segs[-1] = (segs[-1][0] + text, idx)
            else:
                segs.append((text, idx))
        if segs:
            segs[0] = (segs[0][0].lstrip(), segs[0][1])
            segs[-1] = (segs[-1][0].rstrip(), segs[-1][1])
            segs = [s for s in segs if s[0]]
        if segs:
            lines.append(segs)
            if len(lines) >= MAX_LINES:
                return lines, True
    return lines, False


def _mark(root: Element, marked: Mapping[Element, int], removals: Sequence[Removal]) -> None:
    for el, i in marked.items():
        r = removals[i]
        el.set("data-cleaner-removal", str(i))
        el.set("data-cleaner-rule", r.rule)
        el.set("data-cleaner-family", r.family)
        anchor = lxml.html.Element("a")
        anchor.set("id", f"cleaner-removal-{i}")
        anchor.set("class", "cleaner-anchor")
        el.addprevious(anchor)
    head = root.find("head")
    if head is None:
        head = lxml.html.Element("head")
        root.insert(0, head)
    style = etree.SubElement(head, "style")
    style.text = MARK_STYLE


def _serialise(root: Element) -> str:
    html: str = lxml.html.tostring(root, encoding="unicode", method="html")
    return "<!DOCTYPE html>\n" + html


def _remove(el: Element) -> None:
    """Take ``el`` out of the tree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# (tag, attribute, is a srcset): what a page loads as images once img-src lets it
_IMAGE_ATTRS = (("img", "src", False), ("img", "srcset", True), ("source", "srcset", True),
                ("video", "poster", False), ("input", "src", False))


def rewrite_images(root: Element, base_url: str | None, token: str) -> list[str]:
    """Point every image the page would load at ``token`` + its number, and return the
    images' absolute URLs in that order; the preview swaps ``token`` for the path of its
    image proxy (images on) or for a URL that loads nothing (off).

    URLs are resolved against ``<base href>`` and ``base_url``; what is not http(s) after
    that, or cannot be resolved, is dropped (``data:`` stays as it is). ``<base>`` and
    every ``<link>`` (preload, prefetch, preconnect, icons, styles) are removed, so that
    nothing but the proxied images can make the browser contact a server.
    """
    first = next((el for el in root.iter("base") if el.get("href")), None)
    base = base_url if first is None else urljoin(base_url or "", first.get("href", "").strip())
    for el in list(root.iter("base", "link")):
        _remove(el)
    urls: list[str] = []
    index: dict[str, int] = {}

    def proxied(url: str) -> str | None:
        url = url.strip()
        if url.lower().startswith("data:"):
            return url
        absolute = urljoin(base or "", url)
        if urlsplit(absolute).scheme.lower() not in ("http", "https"):
            return None  # relative with no base, javascript:, file:, blob: ...
        if absolute not in index:
            index[absolute] = len(urls)
            urls.append(absolute)
        return f"{token}{index[absolute]}"

    for tag, attr, is_srcset in _IMAGE_ATTRS:
        for el in root.iter(tag):
            value = el.get(attr)
            parent = el.getparent()
            if value is None or (tag == "input" and (el.get("type") or "").lower() != "image") \
                    or (tag == "source" and parent is not None and parent.tag != "picture"):
                continue  # an input that is no image; a video's or audio's source
            if not is_srcset:
                new = proxied(value)
            else:
                parts = []
                for item in value.split(","):
                    url, _, size = item.strip().partition(" ")
                    got = proxied(url) if url else None
                    if got is not None:
                        parts.append(f"{got} {size.strip()}".strip())
                new = ", ".join(parts) or None
            if new is None:
                del el.attrib[attr]
            else:
                el.set(attr, new)
    return urls


def sandboxed_page(data: bytes | str, *, headers: Mapping[str, str] | None = None,
                   base_url: str | None = None, options: CleanOptions | None = None,
                   token: str) -> tuple[str, list[str]]:
    """The unmarked page with its images pointed at ``token`` (see :func:`rewrite_images`);
    and the images' URLs.

    >>> html, urls = sandboxed_page('<base href="https://a.example/img/">'
    ...                             '<img src="x.png" srcset="y.png 2x">', token="T:")
    >>> urls
    ['https://a.example/img/x.png', 'https://a.example/img/y.png']
    >>> 'src="T:0" srcset="T:1 2x"' in html and "<base" not in html
    True
    """
    root = parse_page(data, base_url, headers=headers, options=options)
    if root is None:
        return "", []
    urls = rewrite_images(root, base_url, token)
    return _serialise(root), urls


def annotate_html(data: bytes | str, removals: Sequence[Removal], *,
                  headers: Mapping[str, str] | None = None,
                  base_url: str | None = None,
                  options: CleanOptions | None = None) -> Annotation:
    """Locate ``removals`` (from cleaning ``data`` with ``options``) in the page; mark its
    text and markup."""
    root = parse_page(data, base_url, headers=headers, options=options)
    if root is None:
        return Annotation(lines=[])
    body = root.find("body")
    if body is None:
        body = root
    marked = _locate(root, body, removals)
    lines, truncated = _lines(body, marked)
    _mark(root, marked, removals)
    token = f"cleaner-image-{secrets.token_hex(8)}:"
    images = rewrite_images(root, base_url, token)
    return Annotation(lines=lines, located=set(marked.values()), marked_html=_serialise(root),
                      truncated=truncated, images=images, image_token=token)


def annotate_text(text: str, removals: Sequence[Removal]) -> Annotation:
    """The same for plain text: ``text:N`` removals mark line N (or the cut phrase in it)."""
    by_line: dict[int, list[int]] = {}
    for i, r in enumerate(removals):
        if r.where.startswith("text:") and r.where[5:].isdigit():
            by_line.setdefault(int(r.where[5:]) - 1, []).append(i)
    lines: list[list[Segment]] = []
    located: set[int] = set()
    for n, line in enumerate(text.splitlines()):
        segs: list[Segment] = [(line, None)]
        for i in by_line.get(n, ()):
            cut = removals[i].text
            pos = line.find(cut) if cut and cut.strip() != line.strip() else -1
            if pos >= 0:
                segs = [s for s in ((line[:pos], None), (cut, i), (line[pos + len(cut):], None))
                        if s[0]]
            else:
                segs = [(line, i)]
            located.add(i)
        if line.strip():
            lines.append(segs)
        if len(lines) >= MAX_LINES:
            return Annotation(lines=lines, located=located, truncated=True)
    return Annotation(lines=lines, located=located)


def diff_lines(before: Sequence[str], after: Sequence[str]) -> list[tuple[str, str]]:
    """A line diff as ``(op, line)`` rows: ``" "`` kept, ``"-"`` removed, ``"+"`` added."""
    a, b = list(before[:MAX_LINES]), list(after[:MAX_LINES])
    rows: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend((" ", line) for line in a[i1:i2])
            continue
        rows.extend(("-", line) for line in a[i1:i2])
        rows.extend(("+", line) for line in b[j1:j2])
    return rows

"""What the preview shows about one cleaned page, built from the CleanResult's removals.

- where each removal sits in the original page: by ``Removal.path`` (the element's path in
  the page as parsed), the whole element when the record's text is the element's (less
  what other records inside it took), else the part of it that holds the text; the
  regions outside the article body too (outlined in a quiet style of their own), and
  loose text between regions (listed, never outlined). Records with no usable path are
  found by their text;
- the page's text ("before"), split into segments that carry the removal they belong to;
- the page itself with each removed element marked and given an anchor, for the
  sandboxed iframe (``#cleaner-removal-N`` scrolls to removal N, no script needed);
- a line diff of the before text and the clean text, each dropped line with the records
  that explain it (or marked unexplained).

Nothing here runs on the hot path of :func:`cleaner.clean_article`; it re-reads the same
tree the pipeline parses (:func:`cleaner.parse_page`), so the paths recorded in
``Removal.path`` point at the same elements.
"""

from __future__ import annotations

import re
import secrets
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from cleaner import CleanOptions, Removal, parse_page
from cleaner.dom import BLOCK_TAGS, NEVER_CONTENT, Element, child_steps

from .linediff import line_opcodes

__all__ = ["Annotation", "Segment", "DiffRow", "PathResolver", "annotate_html",
           "annotate_text", "diff_lines", "diff_rows", "rewrite_images", "sandboxed_page",
           "MARK_STYLE", "MAX_LINES", "OUTSIDE", "STRAY_TEXT", "PATH_PATTERN"]

MAX_LINES = 4000         # before-text lines shown (and diffed); a note says when cut
OUTSIDE = "outside"      # the family of the regions the article body leaves out
STRAY_TEXT = "extract.stray-text"   # loose text between regions: listed, never outlined
# an element path as PathIndex writes it: /html/body/div[2]/p (tags may hold a colon)
PATH_PATTERN = re.compile(r"(?:/[^/\[\]\s]{1,64}(?:\[[1-9][0-9]{0,6}\])?){1,512}")
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
[data-cleaner-family="outside"]{outline:2px dashed #7b8494 !important;outline-offset:2px;
  background-color:rgba(123,132,148,.06) !important}
[data-cleaner-family="outside"]::before{content:"outside the article: " attr(data-cleaner-rule);
  color:#3d4452;background:#e3e6ec}
[data-cleaner-body]{outline:2px solid #2e7d32 !important;outline-offset:3px}
[data-cleaner-pick]{outline:4px solid #2457c5 !important;outline-offset:2px;
  background-color:rgba(36,87,197,.12) !important}
[data-cleaner-pick]::after{content:"picked";display:block;width:max-content;
  font:600 12px/1.5 ui-monospace,monospace;color:#fff;background:#2457c5;padding:0 6px}
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
    located: set[int] = field(default_factory=set)     # outlined in the page ("find")
    in_text: set[int] = field(default_factory=set)     # found in the before text only
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
        self.body = body
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
_STEP = re.compile(r"([^/\[\]]+)(?:\[([0-9]+)\])?")


class PathResolver:
    """Finds elements by the paths :class:`cleaner.dom.PathIndex` writes
    (``/html/body/div[2]/p``), walking the tree step by step: no XPath is evaluated, so a
    path from a request cannot run one, and tags such as ``o:p`` resolve too. Each
    parent's children are indexed once, on first use.

    >>> from cleaner import parse_page
    >>> root = parse_page("<div><p>a</p><p>b</p></div><o:p>c</o:p>")
    >>> [PathResolver(root).find(p).text for p in ("/html/body/div/p[2]", "/html/body/*[2]")]
    ['b', 'c']
    """

    def __init__(self, root: Element) -> None:
        self.root = root
        self._steps: dict[Element, dict[str, Element]] = {}

    def _children(self, parent: Element) -> dict[str, Element]:
        table = self._steps.get(parent)
        if table is None:
            table = self._steps[parent] = {step: kid for kid, step in
                                           child_steps(parent).items()}
        return table

    def find(self, path: str) -> Element | None:
        """The element at ``path``, or None (no such element, or not a path)."""
        if not path or len(path) > 8192 or not PATH_PATTERN.fullmatch(path):
            return None
        first, *steps = path[1:].split("/")
        m = _STEP.fullmatch(first)
        if m is None or m.group(1) != self.root.tag or m.group(2) not in (None, "1"):
            return None
        node = self.root
        for step in steps:
            found = self._children(node).get(step)
            if found is None:
                return None
            node = found
        return node


def _by_text(body: Element, index: _TextIndex, want: str, marked: Mapping[Element, int],
             last: bool) -> Element | None:
    """The innermost element holding ``want``, not inside an already marked one."""
    want = _squash(want)
    if not want:
        return None
    text = index.text
    if body is not index.body:  # a search inside one element: its span only
        if body not in index.end:
            return None
        lo_bound, hi_bound = index.start[body], index.end[body]
    else:
        lo_bound, hi_bound = 0, len(text)
    pos = text.rfind(want, lo_bound, hi_bound) if last else text.find(want, lo_bound, hi_bound)
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
        pos = text.rfind(want, lo_bound, hi - 1) if last else \
            text.find(want, lo + 1, hi_bound)
    return None


class _Claimed:
    """The spans of the before text that located removals claimed, so that a region's
    record (the region less what records inside it took) can be compared with the
    region's own text."""

    def __init__(self, index: _TextIndex) -> None:
        self.index = index
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, el: Element) -> None:
        if el in self.index.end:
            at = bisect_right(self.starts, self.index.start[el])
            self.starts.insert(at, self.index.start[el])
            self.ends.insert(at, self.index.end[el])

    def unclaimed_text(self, el: Element) -> str | None:
        """The element's squashed text less the spans claimed inside it."""
        if el not in self.index.end:
            return None
        lo, hi = self.index.start[el], self.index.end[el]
        text = self.index.text
        out, pos = [], lo
        for k in range(bisect_right(self.starts, lo - 1), len(self.starts)):
            start, end = self.starts[k], self.ends[k]
            if start >= hi:
                break
            if end > hi or start < pos:
                continue  # holds el, or inside a span already skipped
            out.append(text[pos:start])
            pos = end
        out.append(text[pos:hi])
        return "".join(out)


@dataclass
class _Located:
    marked: dict[Element, int] = field(default_factory=dict)      # outlined, whole
    stray: dict[Element, int] = field(default_factory=dict)       # loose text in element
    phrases: dict[Element, list[int]] = field(default_factory=dict)  # text inside element


def _locate(root: Element, body: Element, removals: Sequence[Removal]) -> _Located:
    """Where each removal is: by its path first (the whole element, one inside it that
    holds just its text, or the text inside it), then by its text alone."""
    found = _Located()
    marked = found.marked
    index = _TextIndex(body)
    claimed = _Claimed(index)
    resolve = PathResolver(root)
    searched: list[int] = []
    for i, r in enumerate(removals):
        want = _collapse(r.text)
        if not want:
            continue
        path = r.path or (r.where[len("html:"):] if r.where.startswith("html:/") else "")
        el = resolve.find(path) if path else None
        if el is None:
            searched.append(i)
            continue
        if r.rule == STRAY_TEXT:
            found.stray.setdefault(el, i)
            continue
        w = _squash(want)
        have = claimed.unclaimed_text(el)
        if have is None:
            have = _squash(_text(el))
        whole = have == w or (r.layer == "html" and w not in have)
        if whole and el not in marked:
            marked[el] = i
            claimed.add(el)
            continue
        inner = _by_text(el, index, want, marked, last=False) if el in index.end else None
        if inner is not None and index.text_of(inner) == w:
            marked[inner] = i
            claimed.add(inner)
        else:
            found.phrases.setdefault(el, []).append(i)
    for i in searched:
        r = removals[i]
        el = _by_text(body, index, _collapse(r.text), marked, last=r.family == "duplicate")
        if el is not None and el not in marked:
            marked[el] = i
    return found


def _lines(body: Element, found: _Located,
           removals: Sequence[Removal]) -> tuple[list[list[Segment]], bool, set[int]]:
    """The before text as lines of segments; and which phrase records were found in it."""
    marked, stray = found.marked, found.stray
    raw: list[list[Segment]] = [[]]
    stack: list[int] = []
    pushed: set[Element] = set()
    spans: list[tuple[int, int, int]] = []   # (removal, first raw line, last raw line)
    opened: dict[Element, int] = {}

    def emit(text: str | None, loose_in: Element | None) -> None:
        if text:
            idx = stack[-1] if stack else stray.get(loose_in) if loose_in is not None \
                else None
            raw[-1].append((text, idx))

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
            if el in found.phrases:
                opened[el] = len(raw) - 1
            if el in marked:
                stack.append(marked[el])
                pushed.add(el)
            emit(el.text, el)
        else:
            if el in pushed:
                stack.pop()
            if tag in _BLOCK:
                newline()
            if el in opened:
                first = opened.pop(el)
                spans.extend((i, first, len(raw) - 1) for i in found.phrases[el])
            if el is not body:
                emit(el.tail, el.getparent())
    lines: list[list[Segment]] = []
    line_of: dict[int, int] = {}   # raw line -> its place in lines
    truncated = False
    for n, line in enumerate(raw):
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
            line_of[n] = len(lines)
            lines.append(segs)
            if len(lines) >= MAX_LINES:
                truncated = True
                break
    in_text: set[int] = set()
    for i, first, last in spans:
        want = _collapse(removals[i].text)
        held = [lines[k] for k in (line_of.get(n) for n in range(first, last + 1))
                if k is not None]
        if any(_split_phrase(segs, want, i) for segs in held) or _claim_pieces(held, want, i):
            in_text.add(i)
    return lines, truncated, in_text


def _split_phrase(segs: list[Segment], want: str, i: int) -> bool:
    """Mark ``want`` inside an unmarked segment of one line as removal ``i``."""
    for k, (text, idx) in enumerate(segs):
        pos = text.find(want) if idx is None else -1
        if pos >= 0:
            parts = [(text[:pos], None), (want, i), (text[pos + len(want):], None)]
            segs[k:k + 1] = [p for p in parts if p[0]]
            return True
    return False


def _claim_pieces(lines: list[list[Segment]], want: str, i: int) -> bool:
    """Mark unmarked segments that together spell ``want`` in order (a record joining
    several blocks, such as a comment thread), or nothing when they do not."""
    rest = _squash(want)
    hits: list[tuple[list[Segment], int]] = []
    for segs in lines:
        for k, (text, idx) in enumerate(segs):
            piece = _squash(text)
            if idx is None and piece and rest.startswith(piece):
                hits.append((segs, k))
                rest = rest[len(piece):]
    if rest or not hits:
        return False
    for segs, k in hits:
        segs[k] = (segs[k][0], i)
    return True


def _anchor(el: Element, name: str) -> None:
    if el.getparent() is None:  # the root (a record may name /html): no sibling to add
        return
    anchor = lxml.html.Element("a")
    anchor.set("id", name)
    anchor.set("class", "cleaner-anchor")
    el.addprevious(anchor)


def _mark(root: Element, marked: Mapping[Element, int], removals: Sequence[Removal],
          body: Sequence[Element] = (), pick: Element | None = None) -> None:
    for el, i in marked.items():
        r = removals[i]
        el.set("data-cleaner-removal", str(i))
        el.set("data-cleaner-rule", r.rule)
        el.set("data-cleaner-family", r.family)
        _anchor(el, f"cleaner-removal-{i}")
    for n, el in enumerate(body):
        el.set("data-cleaner-body", "")
        if n == 0:
            _anchor(el, "cleaner-body")
    if pick is not None:
        pick.set("data-cleaner-pick", "")
        _anchor(pick, "cleaner-pick")
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


def _web_url(base: str, url: str) -> str | None:
    """``url`` resolved against ``base`` when that is an http(s) URL; None otherwise, and
    for what urllib cannot read ("http://[::1", a host that NFKC would change).

    >>> _web_url("https://a.example/x/", "y.png"), _web_url("", "http://[::1/y.png")
    ('https://a.example/x/y.png', None)
    """
    try:
        absolute = urljoin(base, url)
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 - raises on a port past 65535
    except ValueError:
        return None
    return absolute if parts.scheme.lower() in ("http", "https") else None


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
    base = base_url if first is None else \
        _web_url(base_url or "", first.get("href", "").strip()) or base_url
    for el in list(root.iter("base", "link")):
        _remove(el)
    urls: list[str] = []
    index: dict[str, int] = {}

    def proxied(url: str) -> str | None:
        url = url.strip()
        if url.lower().startswith("data:"):
            return url
        absolute = _web_url(base or "", url)
        if absolute is None:
            return None  # relative with no base, javascript:, file:, blob:, "http://[" ...
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
                  options: CleanOptions | None = None,
                  body_paths: Sequence[str] = (), pick: str | None = None) -> Annotation:
    """Locate ``removals`` (from cleaning ``data`` with ``options``) in the page; mark its
    text and markup. ``body_paths`` (``metadata["body"]["containers"]``) are outlined as
    the article body, ``pick`` (a path) as the element picked in the preview."""
    root = parse_page(data, base_url, headers=headers, options=options)
    if root is None:
        return Annotation(lines=[])
    body = root.find("body")
    if body is None:
        body = root
    found = _locate(root, body, removals)
    lines, truncated, in_text = _lines(body, found, removals)
    resolve = PathResolver(root)
    containers = [el for el in (resolve.find(p) for p in body_paths) if el is not None]
    _mark(root, found.marked, removals, containers,
          resolve.find(pick) if pick else None)
    token = f"cleaner-image-{secrets.token_hex(8)}:"
    images = rewrite_images(root, base_url, token)
    outlined = set(found.marked.values())
    return Annotation(lines=lines, located=outlined,
                      in_text=(in_text | set(found.stray.values())) - outlined,
                      marked_html=_serialise(root), truncated=truncated, images=images,
                      image_token=token)


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
    for op, i1, i2, j1, j2 in line_opcodes(a, b):
        if op == "equal":
            rows.extend((" ", line) for line in a[i1:i2])
            continue
        rows.extend(("-", line) for line in a[i1:i2])
        rows.extend(("+", line) for line in b[j1:j2])
    return rows


@dataclass(frozen=True)
class DiffRow:
    """One row of the before/after diff: ``op`` is ``" "`` kept, ``"-"`` only before,
    ``"+"`` only after. A dropped line lists the ``removals`` (indices) whose text it
    shows, and is ``unexplained`` when words of it are in no record and not in the
    clean text either."""

    op: str
    text: str
    removals: tuple[int, ...] = ()
    unexplained: bool = False


_WORD = re.compile(r"\w")


def diff_rows(before: Sequence[Sequence[Segment]], after: Sequence[str]) -> list[DiffRow]:
    """The line diff of the before text (as segments, so each dropped line knows which
    removals it shows) against the clean text.

    >>> rows = diff_rows([[("Story.", None)], [("Share", 0)], [("Gone", None)]], ["Story."])
    >>> [(r.op, r.text, r.removals, r.unexplained) for r in rows]
    [(' ', 'Story.', (), False), ('-', 'Share', (0,), False), ('-', 'Gone', (), True)]
    """
    a = ["".join(t for t, _ in line) for line in before[:MAX_LINES]]
    b = list(after[:MAX_LINES])
    rows: list[DiffRow] = []
    for op, i1, i2, j1, j2 in line_opcodes(a, b):
        if op == "equal":
            rows.extend(DiffRow(" ", line) for line in a[i1:i2])
            continue
        kept = _squash("".join(b[j1:j2]))  # what a changed line became
        for k in range(i1, i2):
            segs = before[k]
            idx = tuple(dict.fromkeys(i for _, i in segs if i is not None))
            lost = any(i is None and _WORD.search(t) and _squash(t) not in kept
                       for t, i in segs)
            rows.append(DiffRow("-", a[k], idx, lost))
        rows.extend(DiffRow("+", line) for line in b[j1:j2])
    return rows

"""Everything the chosen body leaves out, as removals: one per region of the page.

Walking down from ``<body>`` to the body's containers, every child that is neither a
container nor on the way to one is a region: a masthead, a menu, a sidebar, a footer,
a teaser list beside the article. Each region that still holds text after pruning
becomes one Removal with its path and the reason "outside the article body <path>",
so "where did this text go?" has an answer for every word of the page. Text sitting
directly in an element on the way down (between regions) is one record per element.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from ..dom import Element, PathIndex, parting_text_of, text_of
from ..result import Removal
from ..textnorm import collapse_spaces
from .boxes import hint_text
from .scores import Scores

__all__ = ["outside_regions", "FAMILY", "MAX_REGIONS_PER_PARENT"]

FAMILY = "outside"
MAX_REGIONS_PER_PARENT = 40    # past this many, neighbouring small regions share a record
_KINDS = (  # (rule, class/id pattern, tags), first match wins
    ("extract.navigation", re.compile(r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|menus|"
                                      r"breadcrumbs?|topnav|subnav)(?:$|[\s_-])"),
     ("nav", "menu")),
    ("extract.header", re.compile(r"(?:^|[\s_-])(?:header|masthead|banner|topbar|top-bar|"
                                  r"branding|logo)(?:$|[\s_-])"), ("header",)),
    ("extract.footer", re.compile(r"(?:^|[\s_-])(?:footer|colophon|copyright)(?:$|[\s_-])"),
     ("footer",)),
    ("extract.comments", re.compile(r"(?:^|[\s_-])(?:comments?|respond|discussion|disqus)"
                                    r"(?:$|[\s_-])"), ()),
    ("extract.sidebar", re.compile(r"(?:^|[\s_-])(?:sidebar|side-bar|aside|rail|widgets?|"
                                   r"secondary)(?:$|[\s_-])"), ("aside",)),
)
_ANY_KIND = re.compile("|".join(f"(?:{p.pattern})" for _, p, _ in _KINDS))
_KIND_TAGS = frozenset(t for _, _, tags in _KINDS for t in tags)
_WHY = {
    "extract.navigation": "site navigation",
    "extract.header": "the site's header",
    "extract.footer": "the site's footer",
    "extract.comments": "reader comments",
    "extract.sidebar": "a sidebar",
    "extract.sibling": "a box beside the article",
    "extract.outside-body": "a region",
    "extract.stray-text": "text between the page's regions",
}


def _kind(el: Element, beside: bool) -> str:
    hint = hint_text(el)
    tag = el.tag
    if tag not in _KIND_TAGS and not (hint and _ANY_KIND.search(hint)):
        return "extract.sibling" if beside else "extract.outside-body"
    for rule, pattern, tags in _KINDS:
        if tag in tags or (hint and pattern.search(hint)):
            return rule
    return "extract.sibling" if beside else "extract.outside-body"


def outside_regions(body: Element, containers: Sequence[Element], paths: PathIndex,
                    kept: Iterable[Element] = (), scores: Scores | None = None
                    ) -> list[Removal]:
    """The regions of ``body`` outside ``containers`` (and ``kept``, e.g. comment sections
    shown with the body) that hold text, one Removal each, in page order. With the
    page's ``scores`` (last reader of the tree: its blocks are spaced out once, page-wide,
    from what the scorer's walk saw), a region's text is read in one C call."""
    read: Callable[[Element], str] = parting_text_of
    chars: dict[Element, int] = {}   # a block the walk found no text in is not read
    if scores is not None:
        scores.space_blocks()
        read, chars = text_of, scores.chars
    keep = set(containers) | set(kept)
    if body in keep:
        return []
    spine: set[Element] = set()
    for el in keep:
        for anc in el.iterancestors():
            if anc in spine:
                break
            spine.add(anc)
            if anc is body:
                break
    if body not in spine:
        return []
    where = ", ".join(paths.path(c) for c in list(containers)[:3])
    parents = {c.getparent() for c in containers}
    found: list[tuple[str, Element, str, Element]] = []   # rule, element, text, parent
    stack: list[tuple[Element, Iterator[Element], list[str]]] = [(body, iter(body),
                                                                   [body.text or ""])]
    while stack:
        el, children, stray = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            loose = collapse_spaces(" ".join(stray)) if stray else ""
            if loose:
                found.append(("extract.stray-text", el, loose, el))
            continue
        tail = child.tail
        if tail and not tail.isspace():
            stray.append(tail)
        if child in keep or not isinstance(child.tag, str):
            continue
        if child in spine:
            text = child.text
            stack.append((child, iter(child), [text] if text and not text.isspace() else []))
            continue
        if chars.get(child) == 0:
            continue
        text = collapse_spaces(read(child))
        if text:
            found.append((_kind(child, el in parents), child, text, el))
    return [Removal.of_element(rule, FAMILY, text, paths.path(el),
                               f"{_WHY[rule]} outside the article body {where}")
            for rule, el, text in _grouped(found)]


def _grouped(found: list[tuple[str, Element, str, Element]]) -> list[tuple[str, Element, str]]:
    """At most about MAX_REGIONS_PER_PARENT records for one parent: past that, runs of
    neighbouring regions of that parent share one record (named by the first)."""
    per_parent: dict[Element, int] = {}
    for _, _, _, parent in found:
        per_parent[parent] = per_parent.get(parent, 0) + 1
    out: list[tuple[str, Element, str]] = []
    run: list[tuple[str, Element, str, Element]] = []

    def close() -> None:
        if run:
            rule = run[0][0] if all(r[0] == run[0][0] for r in run) else \
                "extract.outside-body"
            out.append((rule, run[0][1], " ".join(r[2] for r in run)))
            run.clear()

    for item in found:
        count = per_parent[item[3]]
        if count <= MAX_REGIONS_PER_PARENT or item[0] == "extract.stray-text":
            close()
            out.append(item[:3])
            continue
        size = -(-count // MAX_REGIONS_PER_PARENT)
        if run and (run[0][3] is not item[3] or len(run) >= size):
            close()
        run.append(item)
    close()
    return out

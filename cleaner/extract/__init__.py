"""Stage 3, extract: find the article body in the pruned tree and turn it into blocks.

1. :mod:`.scores`: one post-order walk scores containers: every paragraph (25+
   characters) gives points (1 + commas + length) to its ancestors, which start from tag
   and class/id hints (:mod:`.boxes`); link-heavy containers are discounted
   (readability's method, weights in :mod:`.weights`), and prose mass is counted.
2. :mod:`.choose`: the best container is narrowed or widened by prose mass, and siblings
   that score well or read as prose join it.
3. :mod:`.blockify`: the body is walked once more into Blocks; boxes that are chrome by
   class, link lists and link-dense paragraphs inside it are dropped and recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..blocks import Block
from ..dom import Element, PathIndex
from ..result import Removal
from .blockify import blockify, drop_trailing_chrome
from .choose import comment_sections, top_candidate, with_siblings
from .outside import outside_regions
from .scores import Scores

__all__ = ["extract", "Extraction", "blockify"]


@dataclass
class Extraction:
    """The chosen body: its containers, the blocks made from them, and the removals
    (inside the body, then every region outside it)."""

    containers: list[Element] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)


def extract(root: Element, paths: PathIndex, *, body_selector: Any = None,
            include_captions: bool = False, include_comments: bool = False,
            residue: dict[Element, int] | None = None) -> Extraction:
    """Find the article body in a pruned tree and render it to blocks.

    ``body_selector`` (a compiled XPath from a site profile) overrides the scoring.
    With ``include_comments``, reader comments outside the body follow it. ``paths``
    names elements as the page was parsed, for blocks and removals.
    """
    body = root.find("body")
    if body is None:
        body = root
    containers = None
    if body_selector is not None:
        found = [el for el in body_selector(root) if isinstance(el.tag, str)]
        containers = found or None
    sc = Scores(body, residue)
    if containers is None:
        top = top_candidate(body, sc)
        containers = with_siblings(top, body, sc)
    ex = Extraction(containers=containers)
    body_chars = sum(sc.chars.get(c, 0) for c in containers) or None
    for c in containers:
        blockify(c, sc, paths, ex.blocks, ex.removed, include_captions=include_captions,
                 body_chars=body_chars, keep_comments=include_comments)
    drop_trailing_chrome(ex.blocks, ex.removed)
    sections = comment_sections(root, containers) if include_comments else []
    for section in sections:
        blockify(section, sc, paths, ex.blocks, ex.removed,
                 include_captions=include_captions, keep_comments=True)
    ex.removed.extend(outside_regions(body, containers, paths, kept=sections))
    return ex

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

from ..blocks import Block
from ..result import Removal
from .blockify import blockify, drop_trailing_chrome
from .choose import comment_sections, top_candidate, with_siblings
from .scores import Scores

__all__ = ["extract", "Extraction", "blockify"]


@dataclass
class Extraction:
    """The chosen body: its containers, the blocks made from them, and the removals."""

    containers: list = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)


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
    sc = Scores(body, residue)
    if containers is None:
        top = top_candidate(body, sc)
        containers = with_siblings(top, body, sc)
    ex = Extraction(containers=containers)
    tree = root.getroottree()
    body_chars = sum(sc.chars.get(c, 0) for c in containers) or None
    for c in containers:
        blockify(c, sc, tree, ex.blocks, ex.removed, include_captions=include_captions,
                 body_chars=body_chars, keep_comments=include_comments)
    drop_trailing_chrome(ex.blocks, ex.removed)
    if include_comments:
        for section in comment_sections(root, containers):
            blockify(section, sc, tree, ex.blocks, ex.removed,
                     include_captions=include_captions, keep_comments=True)
    return ex

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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..blocks import Block
from ..dom import Element, PathIndex
from ..result import Removal
from . import weights as S
from .blockify import blockify, drop_trailing_chrome
from .choose import comment_sections
from .decide import BodyDecision, decide
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
    decision: BodyDecision | None = None


def extract(root: Element, paths: PathIndex, *, body_selector: Any = None,
            include_captions: bool = False, include_comments: bool = False,
            residue: dict[Element, int] | None = None, article_body: str | None = None,
            second_opinion: Callable[[Element], str | None] | None = None,
            title: str | None = None,
            residue_share: Callable[[Element], float] | None = None) -> Extraction:
    """Find the article body in a pruned tree and render it to blocks.

    ``body_selector`` (a compiled XPath from a site profile) overrides the scoring.
    With ``include_comments``, reader comments outside the body follow it. ``paths``
    names elements as the page was parsed, for blocks and removals. ``article_body``
    (the page's JSON-LD) and ``second_opinion`` (another extractor's text for the
    tree) check the decision (:mod:`.decide`).
    """
    body = root.find("body")
    if body is None:
        body = root
    sc = Scores(body, residue)
    found = [el for el in body_selector(root) if isinstance(el.tag, str)] \
        if body_selector is not None else []
    if found:
        decision = BodyDecision(containers=found, decided_by="profile")
    else:
        decision = decide(root, body, sc, article_body=article_body,
                          second_opinion=second_opinion, title=title,
                          residue_share=residue_share)
    containers = decision.containers
    ex = _walk(containers, sc, paths, include_captions, include_comments)
    if not include_captions and _captions_are_the_article(ex):
        ex = _walk(containers, sc, paths, True, include_comments)
    if not ex.blocks and decision.decided_by != "profile":
        # a body with nothing in it: the rival box, then the whole page with its
        # chrome left in, since a short page's text is better than none
        for fallback, strict in ((decision.runner_up, True), (body, True), (body, False)):
            if fallback is None:
                continue
            again = _walk([fallback], sc, paths, include_captions, include_comments,
                          strict=strict)
            if again.blocks:
                ex, containers = again, [fallback]
                decision.containers = containers
                decision.decided_by = "fallback"
                break
    ex.decision = decision
    sections = comment_sections(root, containers) if include_comments else []
    for section in sections:
        blockify(section, sc, paths, ex.blocks, ex.removed,
                 include_captions=include_captions, keep_comments=True)
    ex.removed.extend(outside_regions(body, containers, paths, kept=sections))
    return ex


def _walk(containers: list[Element], sc: Scores, paths: PathIndex, include_captions: bool,
          include_comments: bool, strict: bool = True) -> Extraction:
    """The containers into blocks; the comment thread cut off where it starts. Not
    ``strict``: no box is dropped as chrome (the last resort for an empty body)."""
    ex = Extraction(containers=containers)
    body_chars = sum(sc.chars.get(c, 0) for c in containers) or None
    marks: list[int] = []
    for c in containers:
        blockify(c, sc, paths, ex.blocks, ex.removed, include_captions=include_captions,
                 body_chars=body_chars, keep_comments=include_comments,
                 comment_marks=None if include_comments else marks, strict=strict)
    if not include_comments:
        cut = comment_cut(ex.blocks, marks)
        if cut is not None:
            ex.removed.extend(thread_removals(ex.blocks[cut:]))
            del ex.blocks[cut:]
    drop_trailing_chrome(ex.blocks, ex.removed)
    return ex


def _captions_are_the_article(ex: Extraction) -> bool:
    """A photo post: its captions hold more text than everything else kept."""
    captions = sum(len(r.text) for r in ex.removed if r.family == "caption")
    return captions > 0 and captions > sum(len(b.text) for b in ex.blocks)


def comment_cut(blocks: list[Block], marks: list[int]) -> int | None:
    """Where the reader comments start inside the body: at a short line naming the thread
    ("12 Comments", "Leave a Reply"), or where a small comments box was dropped, once
    COMMENT_CUT_MIN_CHARS of the body came before it."""
    seen = 0
    at = set(marks)
    for i, b in enumerate(blocks):
        if seen >= S.COMMENT_CUT_MIN_CHARS and (
                i in at or (len(b.text) <= S.COMMENT_HEADING_MAX_CHARS and
                            b.kind in ("h", "p") and S.COMMENT_HEADING.match(b.text))):
            return i
        seen += len(b.text)
    return None


def thread_removals(blocks: list[Block]) -> list[Removal]:
    """The blocks of a comment thread as removals, one per comment (the blocks that share
    a parent element share a record)."""
    out: list[Removal] = []
    group: list[Block] = []

    def close() -> None:
        if group:
            parent = group[0].path.rpartition("/")[0] if len(group) > 1 else group[0].path
            out.append(Removal.of_element("extract.comment-thread", "comments",
                                          " ".join(b.text for b in group), parent,
                                          "reader comments, after the thread's start"))
            group.clear()

    for b in blocks:
        if group and b.path.rpartition("/")[0] != group[0].path.rpartition("/")[0]:
            close()
        group.append(b)
    close()
    return out

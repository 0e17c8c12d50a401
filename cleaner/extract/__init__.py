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

import html
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from ..blocks import Block, from_paths, is_paragraph
from ..dom import Element, PathIndex
from ..result import Removal
from ..textnorm import collapse_spaces
from . import weights as S
from .blockify import blockify, drop_trailing_chrome
from .boxes import form_boxes, vote_boxes
from .choose import comment_sections, opens_a_thread
from .decide import BodyDecision, decide
from .outside import outside_regions
from .scores import Scores, measure

__all__ = ["extract", "Extraction", "blockify", "follow_keep", "form_boxes", "vote_boxes"]


@dataclass
class Extraction:
    """The chosen body: its containers, the blocks made from them, and the removals
    (inside the body, then every region outside it)."""

    containers: list[Element] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    decision: BodyDecision | None = None
    # where a meta box (byline, dateline) was dropped: the number of blocks before it
    meta_marks: list[int] = field(default_factory=list)


def extract(root: Element, paths: PathIndex, *, body_selector: Any = None,
            include_captions: bool = False, include_comments: bool = False,
            residue: dict[Element, int] | None = None, article_body: str | None = None,
            article_body_path: str | None = None,
            second_opinion: Callable[[Element], str | None] | None = None,
            title: str | None = None,
            residue_share: Callable[[Element], float] | None = None,
            keep: Collection[Element] = (),
            forms: Collection[Element] = (), discussion: bool = False,
            votes: Collection[Element] = ()) -> Extraction:
    """Find the article body in a pruned tree and render it to blocks.

    ``body_selector`` (a compiled XPath from a site profile) overrides the scoring.
    With ``include_comments``, reader comments outside the body follow it. ``paths``
    names elements as the page was parsed, for blocks and removals. ``article_body``
    (the page's JSON-LD) and ``second_opinion`` (another extractor's text for the
    tree) check the decision (:mod:`.decide`); on a page that shows little of its
    ``article_body`` anywhere, the declaration is the text, its blocks named by
    ``article_body_path`` (the script). ``keep`` (a site profile's keep rules):
    a kept box holding the whole body becomes the body, kept boxes outside it join it,
    and nothing in a kept box is dropped as chrome. ``forms``: boxes of forms that ask
    for input (:func:`.boxes.form_boxes`, read before pruning): chrome. ``discussion``
    (the page declares itself a forum thread or a question's page), or a body that
    opens a thread (:func:`.choose.opens_a_thread`, its ``votes`` read before pruning by
    :func:`.boxes.vote_boxes`): the replies follow the body, any
    box named as comments being a section of them.
    """
    body = root.find("body")
    if body is None:
        body = root
    sc = Scores(body, residue, forms)
    found = [el for el in body_selector(root) if isinstance(el.tag, str)] \
        if body_selector is not None else []
    if found:
        decision = BodyDecision(containers=found, decided_by="profile")
    else:
        decision = decide(root, body, sc, article_body=article_body,
                          second_opinion=second_opinion, title=title,
                          residue_share=residue_share)
    kept = frozenset(keep)
    if kept:
        follow_keep(decision, kept, body)
    containers = decision.containers
    ex = _walk(containers, sc, paths, include_captions, include_comments, keep=kept)
    if decision.decided_by == "json-ld-text" and article_body:
        _stand_in(ex, article_body, article_body_path or paths.path(root))
    elif not include_captions and _captions_are_the_article(ex):
        # the captions are the text; their credits still go
        ex = _walk(containers, sc, paths, True, include_comments, keep=kept, credits=False)
    elif _comments_hold_the_article(ex):
        ex = _walk(containers, sc, paths, include_captions, include_comments, strict=False,
                   keep=kept)
    if not ex.blocks and decision.decided_by not in ("profile", "json-ld-text"):
        # a body with nothing in it: the rival box, then the whole page with its
        # chrome left in, since a short page's text is better than none
        for fallback, strict in ((decision.runner_up, True), (body, True), (body, False)):
            if fallback is None:
                continue
            again = _walk([fallback], sc, paths, include_captions, include_comments,
                          strict=strict, keep=kept)
            if again.blocks:
                ex, containers = again, [fallback]
                decision.containers = containers
                decision.decided_by = "fallback"
                break
    ex.decision = decision
    if not discussion and not include_comments and \
            decision.decided_by not in ("profile", "json-ld-text") and \
            opens_a_thread(root, containers, sc, votes):
        discussion = True
        decision.signals["thread"] = 1
    sections = comment_sections(root, containers, sc if discussion else None) \
        if include_comments or discussion else []
    for section in sections:
        blockify(section, sc, paths, ex.blocks, ex.removed,
                 include_captions=include_captions, keep_comments=True)
    ex.removed.extend(outside_regions(body, containers, paths, kept=sections,
                                      scores=sc))
    return ex


_MARKUP = re.compile(r"</?[A-Za-z][^>]*>")


def _stand_in(ex: Extraction, declared: str, path: str) -> None:
    """The page's JSON-LD articleBody as the body's blocks, one per line (markup in it
    read as line breaks), with ``path`` (the script that declared it); what the chosen
    box showed is recorded as left out."""
    for b in ex.blocks:
        ex.removed.append(Removal.of_element(
            "extract.declared-text", "layout", b.text, b.path,
            "the page's JSON-LD articleBody stands in for a body that shows little of it"))
    if _MARKUP.search(declared):
        declared = html.unescape(_MARKUP.sub("\n", declared))
    lines = (collapse_spaces(line) for line in declared.splitlines())
    ex.blocks = [Block("p", line, path=path) for line in lines if line]
    ex.meta_marks = []  # they counted the shown blocks


def follow_keep(decision: BodyDecision, keep: frozenset[Element], body: Element) -> None:
    """A site profile's kept boxes in the body decision: one that holds every container
    becomes the body (decided by the profile); the outermost kept boxes outside the
    containers join them, in page order, in place of any container they hold."""
    containers = decision.containers
    holders = [k for k in keep
               if all(k is c or any(a is k for a in c.iterancestors()) for c in containers)]
    if holders:  # the innermost box holding the whole body
        decision.containers = [max(holders, key=lambda k: sum(1 for _ in k.iterancestors()))]
        decision.decided_by = "profile"
        return
    outer = [k for k in keep if not any(a in keep for a in k.iterancestors())]
    inside = set(containers)
    joining = [k for k in outer if not any(a in inside for a in k.iterancestors())]
    if not joining:
        return
    held = {c for c in containers for k in joining
            if any(a is k for a in c.iterancestors())}
    order = {el: i for i, el in enumerate(body.iter())}
    decision.containers = sorted([c for c in containers if c not in held] + joining,
                                 key=lambda el: order.get(el, 0))
    decision.signals["kept_boxes"] = len(joining)


def _walk(containers: list[Element], sc: Scores, paths: PathIndex, include_captions: bool,
          include_comments: bool, strict: bool = True,
          keep: frozenset[Element] = frozenset(), credits: bool | None = None) -> Extraction:
    """The containers into blocks; the comment thread cut off where it starts. Not
    ``strict``: no box is dropped as chrome (the last resort for an empty body).
    ``credits``: keep an image's credit beside it (by default, when captions are kept)."""
    ex = Extraction(containers=containers)
    body_chars = sum(sc.chars.get(c, 0) for c in containers) or None
    marks: list[int] = []
    for c in containers:
        blockify(c, sc, paths, ex.blocks, ex.removed, include_captions=include_captions,
                 include_credits=include_captions if credits is None else credits,
                 body_chars=body_chars, keep_comments=include_comments,
                 comment_marks=None if include_comments else marks, strict=strict,
                 keep=keep, meta_marks=ex.meta_marks)
    if not include_comments:
        kept = from_paths(paths.path(k) for k in keep)
        cut = comment_cut(ex.blocks, marks, kept)
        if cut is not None:
            tail = ex.blocks[cut:]
            del ex.blocks[cut:]
            ex.removed.extend(thread_removals([b for b in tail if not (kept and kept(b))]))
            ex.blocks.extend(b for b in tail if kept and kept(b))
    drop_trailing_chrome(ex.blocks, ex.removed)
    return ex


def _captions_are_the_article(ex: Extraction) -> bool:
    """A photo post: its captions hold more text than everything else kept."""
    captions = sum(len(r.text) for r in ex.removed if r.family == "caption")
    return captions > 0 and captions > sum(len(b.text) for b in ex.blocks)


def _comments_hold_the_article(ex: Extraction) -> bool:
    """The body's prose all sits in boxes named as comments (letters to the editor,
    testimonials): those boxes hold more text than everything kept, and nothing kept is
    a paragraph."""
    dropped = sum(len(r.text) for r in ex.removed
                  if r.rule == "extract.chrome-box" and r.family == "comments")
    return dropped > sum(len(b.text) for b in ex.blocks) and \
        not any(map(is_paragraph, ex.blocks))


def comment_cut(blocks: list[Block], marks: list[int],
                kept: Callable[[Block], bool] | None = None) -> int | None:
    """Where the reader comments start inside the body: at a short line naming the thread
    ("12 Comments", "Leave a Reply"), or where a small comments box was dropped, once
    COMMENT_CUT_MIN_CHARS of the body came before it (measured: a Han or kana character
    counts as several Latin ones); never at a block ``kept`` keeps."""
    seen = 0
    at = set(marks)
    for i, b in enumerate(blocks):
        if seen >= S.COMMENT_CUT_MIN_CHARS and not (kept and kept(b)) and (
                i in at or (len(b.text) <= S.COMMENT_HEADING_MAX_CHARS and
                            b.kind in ("h", "p") and S.COMMENT_HEADING.match(b.text) and
                            not _a_section_among_others(blocks, i) and
                            not _code_around(blocks, i) and not _recurs(blocks, i))):
            return i
        if seen < S.COMMENT_CUT_MIN_CHARS:   # past it, the count no longer matters
            seen += measure(b.text)[0]
    return None


def _a_section_among_others(blocks: list[Block], i: int) -> bool:
    """The heading at ``i`` is one of the article's section headings: SECTIONS_AFTER or
    more headings of its level follow it, none naming the comments ("Comment", then
    "Briefing", "Access", "Data": the article's parts, not a thread)."""
    head = blocks[i]
    if head.kind != "h":
        return False
    after = [b for b in blocks[i + 1:] if b.kind == "h" and b.level == head.level]
    return len(after) >= S.SECTIONS_AFTER and \
        not any(S.COMMENT_HEADING.match(b.text) for b in after)


def _code_around(blocks: list[Block], i: int) -> bool:
    """Code blocks (<pre>) both before and after the line at ``i``: a technical page's
    section ("Responses" of an API call, "Comments" in a config file), not a reader
    thread, whose comments do not come as code."""
    return any(b.kind == "pre" for b in blocks[:i]) and \
        any(b.kind == "pre" for b in blocks[i + 1:])


def _recurs(blocks: list[Block], i: int) -> bool:
    """The heading at ``i`` recurs: another heading of the body reads the same (each API
    operation's "Responses"), a section of a repeated template, as a page has one
    thread."""
    head = blocks[i]
    if head.kind != "h":
        return False
    text = head.text.strip().casefold()
    return any(b.kind == "h" and b is not head and b.text.strip().casefold() == text
               for b in blocks)


def thread_removals(blocks: list[Block]) -> list[Removal]:
    """The blocks of a comment thread as removals, one per comment (the blocks that share
    a parent element share a record)."""
    out: list[Removal] = []
    group: list[Block] = []

    def close() -> None:
        if group:
            # blocks of one element (loose text cut by <br>s) are that element's, not
            # its parent's: lines in <body> named /html, the whole page
            one = all(b.path == group[0].path for b in group)
            parent = group[0].path if one else group[0].path.rpartition("/")[0]
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

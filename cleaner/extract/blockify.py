"""Walking a body container into Blocks, dropping chrome boxes, link lists, captions and
link paragraphs inside it, each recorded as a Removal.
"""

from __future__ import annotations

from lxml import etree

from ..blocks import Block, holds_prose
from ..dom import BLOCK_TAGS, Element, PathIndex, spaced_text_of, text_of
from ..result import Removal
from ..textnorm import collapse_spaces
from . import weights as S
from .boxes import (
    caption_credit,
    counter_or_icon,
    drop_box,
    gallery_caption,
    hint_text,
    image_credit,
    inline_chrome,
    is_caption,
    is_data_table,
    table_block,
    titled_box,
)
from .scores import Scores

__all__ = ["blockify", "drop_trailing_chrome", "HEADINGS"]

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_KIND = {"h1": "h", "h2": "h", "h3": "h", "h4": "h", "h5": "h", "h6": "h", "li": "li",
         "pre": "pre", "blockquote": "quote", "figcaption": "caption"}


def blockify(container: Element, sc: Scores, paths: PathIndex, blocks: list[Block],
             removed: list[Removal], *, include_captions: bool = False,
             include_credits: bool = False, body_chars: int | None = None,
             keep_comments: bool = False,
             comment_marks: list[int] | None = None, strict: bool = True,
             keep: frozenset[Element] = frozenset(),
             meta_marks: list[int] | None = None) -> None:
    """Walk one body container into blocks, dropping chrome boxes and link lists; every
    block and removal carries the path of the element it came from. Where a comments box
    naming the thread ("12 Comments", "Leave a Reply") was dropped, the number of blocks
    so far goes to ``comment_marks``: the thread starts there; where a meta box (a byline,
    a dateline) was dropped, to ``meta_marks``: the edge trimmer's byline. Nothing in a ``keep``
    element (a site profile keeps it), nor a box holding one, is dropped. The captions of
    a photo gallery (:func:`.boxes.gallery_caption`) holding GALLERY_TEXT_SHARE of the
    rest of the body's text are the article's text (a gallery article), their credit
    lines aside. An image's credit beside it in its figure goes unless
    ``include_credits`` (the caller keeps captions)."""
    chars = sc.chars
    body_chars = body_chars or chars.get(container) or len(text_of(container)) or 1
    buf: list[str] = []
    state = {"links": 0}
    ctx: list[str] = []          # block kind of the innermost kind-setting element
    lists: list[list[int]] = []  # [ordered, counter] per open ul/ol
    open_blocks: list[Element] = []   # the block elements the walk is inside
    in_link = 0
    in_pre = 0
    skipped: set[Element] = set()
    self_links: set[Element] = set()
    code_boxes: set[Element] = set()  # boxes set as code (_set_as_code) the walk is inside
    holding = {a for k in keep for a in k.iterancestors()}
    kept_depth = 0               # how many kept elements the walk is inside
    galleries: dict[tuple[Element, str, str], int] = {}
    captions: list[Element] = []  # the captions kept as text the walk is inside

    def add(text: str | None) -> None:
        if text:
            buf.append(text)
            if in_link:
                state["links"] += len(text.strip())

    def flush() -> None:
        if not buf:
            return
        raw = "".join(buf)
        buf.clear()
        links, state["links"] = state["links"], 0
        kind = ctx[-1] if ctx else "p"
        if in_pre or kind == "pre":
            text = "\n".join(line.rstrip() for line in raw.strip("\n").split("\n"))
            kind = "pre"
        else:
            text = collapse_spaces(raw)
        if not text:
            return
        n = len(text)
        if kind == "h" and n > S.LONG_HEADING_CHARS:
            kind = "p"  # a paragraph set in heading type
        path = paths.path(open_blocks[-1] if open_blocks else container)
        if strict and kind != "h" and links and links / n > S.BLOCK_MAX_LINK_DENSITY \
                and n < S.BLOCK_LINKY_MAX_CHARS and not kept_depth:
            removed.append(Removal.of_element("extract.link-paragraph", "related", text, path,
                                              "a short paragraph made of links"))
            return
        if kind == "li":
            level = len(lists) or 1
            ordered = lists[-1][1] if lists and lists[-1][0] else 0
            blocks.append(Block("li", text, level=level, ordered=ordered, path=path))
        elif kind == "h":
            blocks.append(Block("h", text, level=ctx_level[-1] if ctx_level else 2,
                                path=path))
        else:
            blocks.append(Block(kind, text, path=path))

    ctx_level: list[int] = []
    walker = etree.iterwalk(container, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in BLOCK_TAGS:
                flush()
            if el in keep:
                kept_depth += 1
            # an element with no attribute is no counter, icon, label or code box by markup
            bare = not el.attrib
            if el is not container:
                # a kept box is text, and so is code: a listing's 'comment' span is code
                guarded = kept_depth > 0 or el in holding or in_pre > 0
                # its class and id, read once for the tests below
                hint = "" if bare or guarded else hint_text(el)
                # a box the scorer gave no characters (an inline element) is no chrome box
                why = drop_box(el, sc, body_chars, hint, bare) \
                    if strict and not guarded and el in chars else None
                if why is None and not guarded and not bare:
                    why = counter_or_icon(el, hint)
                    if why is not None and tag not in BLOCK_TAGS:
                        buf.append(" ")
                if why is not None and keep_comments and why[1] == "comments":
                    why = None
                if why is None and not guarded and captions and \
                        caption_credit(el, captions[-1]):
                    why = ("extract.caption-credit", "caption",
                           "the credit line of a caption kept as the article's text")
                if why is None and not guarded and not include_credits and image_credit(el):
                    why = ("extract.image-credit", "caption",
                           "an image's credit beside it in its figure, outside the caption")
                # a caption is a <figcaption> or classed as one
                if why is None and not guarded and (not bare or tag == "figcaption") and \
                        is_caption(el):
                    gallery = gallery_caption(el, galleries)
                    if gallery and gallery >= S.GALLERY_TEXT_SHARE * (body_chars - gallery):
                        captions.append(el)  # a gallery article's caption: its text
                    elif not include_captions:
                        why = ("extract.caption", "caption",
                               "an image caption or credit (include_captions=True keeps it)")
                # a data table is one block; one whose cells sit in no row (broken
                # markup) has no rows to show and is read as layout instead
                b = table_block(el) if why is None and tag == "table" and \
                    is_data_table(el) else None
                if b is not None:
                    title = el.find("caption")
                    if title is not None and collapse_spaces(text_of(title)):
                        blocks.append(Block("p", collapse_spaces(text_of(title)),
                                            path=paths.path(title)))
                    blocks.append(b._replace(path=paths.path(el)))
                    walker.skip_subtree()
                    skipped.add(el)
                    continue
                if why is None and tag not in BLOCK_TAGS and tag != "a" and not guarded and \
                        not bare:
                    why = inline_chrome(el, hint)
                    if why is not None:
                        buf.append(" ")  # the label sat between two words or sentences
                if why is not None:
                    text = collapse_spaces(spaced_text_of(el))
                    if why[1] == "meta" and why[0] == "extract.chrome-box" and \
                            meta_marks is not None:
                        meta_marks.append(len(blocks))
                    if why[1] == "comments" and comment_marks is not None and \
                            len(text) <= S.COMMENT_HEADING_MAX_CHARS and \
                            S.COMMENT_HEADING.match(text):
                        comment_marks.append(len(blocks))
                    if text:
                        removed.append(Removal.of_element(why[0], why[1], text,
                                                          paths.path(el), why[2]))
                    # a heading right before a list of links is that list's title,
                    # unless the list opens with a title of its own
                    if why[1] == "related" and not buf and blocks and \
                            blocks[-1].kind == "h" and not titled_box(el):
                        head = blocks.pop()
                        removed.append(Removal.of_element(
                            "extract.box-title", "related", head.text, head.path,
                            "the title of a removed list of links"))
                    walker.skip_subtree()
                    skipped.add(el)
                    continue
            if tag == "br" or tag == "hr":
                continue
            if tag in BLOCK_TAGS:
                open_blocks.append(el)
            kind = _KIND.get(tag)
            if kind:
                ctx.append(kind)
                if kind == "h":
                    ctx_level.append(HEADINGS[tag])
            if tag in ("ul", "ol"):
                lists.append([tag == "ol", 0])
            elif tag == "li" and lists:
                lists[-1][1] += 1
            if tag == "a":
                if _names_its_block(el, open_blocks):
                    self_links.add(el)  # a permalink to its own term: not a link away
                else:
                    in_link += 1
            elif tag == "pre":
                in_pre += 1
            elif not bare and _set_as_code(el):
                code_boxes.add(el)
                in_pre += 1
            if not in_pre and tag not in BLOCK_TAGS and _set_apart(el, buf):
                buf.append(" ")
            elif in_pre and buf and not buf[-1].endswith("\n") and \
                    not S.CODE_LINE.isdisjoint((el.get("class") or "").split()):
                buf.append("\n")  # a highlighter's line box, drawn as a line by its CSS
            add(el.text)
        else:
            if el in skipped:
                skipped.discard(el)
                kept_depth -= el in keep
                add(el.tail)
                continue
            if tag == "br" or tag == "hr":
                flush()
                kept_depth -= el in keep
                add(el.tail)
                continue
            if tag in BLOCK_TAGS:
                flush()
                if open_blocks and open_blocks[-1] is el:
                    open_blocks.pop()
            kept_depth -= el in keep
            if captions and captions[-1] is el:
                captions.pop()
            if tag in _KIND:
                ctx.pop()
                if tag in HEADINGS:
                    ctx_level.pop()
            if tag in ("ul", "ol") and lists:
                lists.pop()
            elif tag == "a":
                if el in self_links:
                    self_links.discard(el)
                else:
                    in_link -= 1
            elif tag == "pre":
                in_pre -= 1
            elif el in code_boxes:
                code_boxes.discard(el)
                in_pre -= 1
            if el is not container:
                add(el.tail)
    flush()


def _set_as_code(el: Element) -> bool:
    """A box styled ``white-space: pre`` (not pre-wrap or pre-line: a paragraph's) keeps
    its lines as a <pre> does: a code block drawn with a <div> (Notion)."""
    style = el.get("style")
    return bool(style) and el.tag in BLOCK_TAGS and \
        S.WHITE_SPACE_PRE.search(style or "") is not None


def _set_apart(el: Element, buf: list[str]) -> bool:
    """Two classed inline elements side by side with no text between them
    (``<label class=name>limit</label><span class=type>int32</span>``), or two labels
    (a tab bar's), are laid out apart, as flex items are: a word does not run on across
    them. A first element of one letter is a drop cap, the start of its word."""
    prev = el.getprevious()
    if prev is None or prev.tail or not buf or prev.tag in BLOCK_TAGS or not (
            el.tag == prev.tag == "label" or (el.get("class") and prev.get("class"))):
        return False
    return buf[-1][-1:].isalnum() and (el.text or "")[:1].isalnum() and \
        len(text_of(prev).strip()) > 1


def _names_its_block(link: Element, open_blocks: list[Element]) -> bool:
    """The link points at the block it sits in (``<dt id="x"><a href="#x">``): the
    block's own permalink, as a reference page marks each term it defines."""
    href = link.get("href")
    if not href or not href.startswith("#") or not open_blocks:
        return False
    return href[1:] == open_blocks[-1].get("id")


def drop_trailing_chrome(blocks: list[Block], removed: list[Removal]) -> None:
    """Headings with nothing after them are titles of boxes that were removed, in a body
    with prose (without, the headings are its text)."""
    if not holds_prose(blocks):
        return
    while blocks and blocks[-1].kind == "h":
        b = blocks.pop()
        removed.append(Removal.of_element("extract.orphan-heading", "layout", b.text, b.path,
                                          "a heading with no text after it"))

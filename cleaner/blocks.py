"""Blocks: the body as a flat list of paragraphs, headings, list items, code, quotes and
tables, and the three renderers (text, Markdown, HTML) that read it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape
from typing import NamedTuple

__all__ = ["Block", "to_text", "to_markdown", "to_html", "from_paths", "holds_prose",
           "is_paragraph", "PROSE_BLOCK_CHARS", "PARAGRAPH_CHARS"]


class Block(NamedTuple):
    """One block of the body.

    kind: ``p``, ``h`` (level 1-6), ``li`` (level = nesting depth from 1; ``ordered`` > 0
    is the item's number), ``pre``, ``quote``, ``caption``, ``table`` (``rows``: cells).
    ``path``: the element it came from, in the page as parsed (empty for plain text).
    """

    kind: str
    text: str
    level: int = 0
    ordered: int = 0
    rows: tuple[tuple[str, ...], ...] = ()
    header: bool = False
    path: str = ""


PROSE_BLOCK_CHARS = 40   # a body with no other block this long has no prose (a sentence)
PARAGRAPH_CHARS = 80     # a paragraph, quote or list item this long is the article's prose


def is_paragraph(b: Block) -> bool:
    """A paragraph, quote or list item of PARAGRAPH_CHARS or more: article prose."""
    return b.kind in ("p", "quote", "li") and len(b.text) >= PARAGRAPH_CHARS


def holds_prose(blocks: Iterable[Block]) -> bool:
    """Some block other than a heading is PROSE_BLOCK_CHARS long: a body without one (a
    photo post, a slideshow's title page) has its headline and byline as its text.

    >>> holds_prose([Block("h", "A title", 1), Block("p", "By Ann Lee")])
    False
    """
    return any(b.kind != "h" and len(b.text) >= PROSE_BLOCK_CHARS for b in blocks)


def from_paths(paths: Iterable[str]) -> Callable[[Block], bool] | None:
    """A test of whether a block came from one of the elements at ``paths`` or from
    inside one (a site profile's kept elements); None for no paths.

    >>> kept = from_paths(["/html/body/div[1]"])
    >>> kept(Block("p", "x", path="/html/body/div[1]/p")), kept(Block("p", "x",
    ...      path="/html/body/div[10]"))
    (True, False)
    """
    exact = frozenset(paths)
    if not exact:
        return None
    prefixes = tuple(p + "/" for p in exact)
    return lambda b: bool(b.path) and (b.path in exact or b.path.startswith(prefixes))


def table_text(rows: tuple[tuple[str, ...], ...]) -> str:
    """A table as text: one row per line, cells separated by ``|``."""
    return "\n".join(" | ".join(c for c in row if c) for row in rows if any(row))


def to_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    """Plain text, one block per line; list items start with ``- ``."""
    out = []
    for b in blocks:
        if b.kind == "li":
            out.append("  " * (b.level - 1) + "- " + b.text)
        else:
            out.append(b.text)
    return "\n".join(out)


_MD_LINE_START = re.compile(r"^(\s*)([#>+*]|-+|\d+)([.)]?)(?=\s|$)")
# "<" opens raw HTML (a <script> would run where the Markdown is shown) and "&x;" is a
# character reference: both are escaped so they read as the text they are
_MD_INLINE = re.compile(r"([\\`*_\[\]<]|&(?=#?\w+;))")
_BACKTICKS = re.compile(r"`+")


def _md_escape(text: str) -> str:
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(_escape_marker, text)


def _escape_marker(m: re.Match[str]) -> str:
    indent, mark, dot = (str(g or "") for g in m.groups())
    if mark.isdigit():  # "1." starts a list; "1\." does not
        return indent + mark + ("\\" + dot if dot else "")
    return indent + "\\" + mark + dot


def _md_cell(text: str) -> str:
    return _md_escape(text).replace("|", "\\|").replace("\n", " ")


def _md_table(b: Block) -> str:
    rows = [r for r in b.rows if any(r)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [tuple(r) + ("",) * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(_md_cell(c) for c in rows[0]) + " |",
             "|" + "---|" * width]
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def to_markdown(blocks: tuple[Block, ...] | list[Block]) -> str:
    """Markdown: ATX headings, nested lists, fenced code, quotes, GFM tables."""
    parts: list[str] = []
    prev = ""
    for b in blocks:
        if b.kind == "h":
            s = "#" * max(1, min(b.level, 6)) + " " + _md_escape(b.text)
        elif b.kind == "li":
            marker = f"{b.ordered}." if b.ordered else "-"
            s = "   " * (b.level - 1) + marker + " " + _md_escape(b.text)
        elif b.kind == "pre":
            # longer than any run of backticks inside, so no line of the code closes it
            fence = "`" * max(3, 1 + max(map(len, _BACKTICKS.findall(b.text)), default=0))
            s = f"{fence}\n{b.text}\n{fence}"
        elif b.kind == "quote":
            s = "\n".join("> " + _md_escape(line) for line in b.text.split("\n"))
        elif b.kind == "table":
            s = _md_table(b)
        elif b.kind == "caption":
            s = "*" + _md_escape(b.text) + "*"
        else:
            s = _md_escape(b.text)
        if not s:
            continue
        # consecutive list items stay together; everything else gets a blank line
        sep = "\n" if (b.kind == "li" and prev == "li") else "\n\n"
        parts.append(sep + s if parts else s)
        prev = b.kind
    return "".join(parts)


def to_html(blocks: tuple[Block, ...] | list[Block]) -> str:
    """Simple HTML with only tags cleaner writes; all text escaped."""
    out: list[str] = []
    stack: list[str] = []  # open list tags

    def close_lists(depth: int) -> None:
        while len(stack) > depth:
            out.append(f"</li></{stack.pop()}>")

    for b in blocks:
        if b.kind != "li":
            close_lists(0)
        t = escape(b.text, quote=False)
        if b.kind == "h":
            lv = max(1, min(b.level, 6))
            out.append(f"<h{lv}>{t}</h{lv}>")
        elif b.kind == "li":
            tag = "ol" if b.ordered else "ul"
            if len(stack) >= b.level:
                close_lists(b.level)
                out.append("</li>")
            while len(stack) < b.level:
                out.append(f"<{tag}>")
                stack.append(tag)
            out.append(f"<li>{t}")
        elif b.kind == "pre":
            out.append(f"<pre><code>{t}</code></pre>")
        elif b.kind == "quote":
            out.append(f"<blockquote><p>{t}</p></blockquote>")
        elif b.kind == "caption":
            out.append(f"<figure><figcaption>{t}</figcaption></figure>")
        elif b.kind == "table":
            rows = []
            for i, row in enumerate(b.rows):
                cell = "th" if (i == 0 and b.header) else "td"
                rows.append("<tr>" + "".join(f"<{cell}>{escape(c, quote=False)}</{cell}>"
                                              for c in row) + "</tr>")
            out.append("<table>" + "".join(rows) + "</table>")
        else:
            out.append(f"<p>{t}</p>")
    close_lists(0)
    return "\n".join(out)

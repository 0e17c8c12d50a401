"""Stage 1b, parse: prepared text -> Document (the lxml tree every later stage works on).

Two things in the markup cost libxml2 more than linear time or lose text, and are
handled before it parses: start tags with thousands of attributes (trimmed), and
nesting past its depth limit (containers flattened, then every tag but paragraphs).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from lxml import etree

from .dom import MAX_DEPTH, Element, text_of
from .errors import InputError, InputTooLargeError
from .options import DEFAULT_MAX_NODES
from .repair import repair

__all__ = ["Document", "parse", "trim_attributes", "MAX_ATTRIBUTES"]

EMPTY_BODY_SHARE = 0.05   # a body with less of the page's text than this was misparsed
FEW_CHILDREN = 3          # ... which is only looked at when it has this few children


@dataclass
class Document:
    """A parsed page: the tree every later stage works on, and what parsing learned."""

    root: Element                  # <html>
    url: str | None = None
    encoding: str = "utf-8"
    encoding_source: str = "str"   # bom, http, meta, utf-8, detected, fallback, str
    notes: list[str] = field(default_factory=list)


# whitespace or '/' separates attributes; a quote opens a value only after '='
_SEP = r"[\t\n\f\r /]"
_END_OF_NAME = rf"(?={_SEP}|>)"
_ATTR = (r"""[^\t\n\f\r />][^\t\n\f\r />=]*+"""
         r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]++)?+)?+""")
# libxml2 appends each attribute by walking the element's list: k attributes cost k² steps
# (100,000 on one tag: 14 s). Past this many, a tag's further attributes are dropped.
MAX_ATTRIBUTES = 128
_FEW_ATTRS = rf"(?:{_SEP}*+{_ATTR}){{0,{MAX_ATTRIBUTES}}}+"
_RAW_TEXT = ("style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")


def _raw_body(name: str) -> str:
    """The content of a raw-text element: anything up to ``</name``."""
    return rf"(?:[^<]++|<(?!/(?i:{name}){_END_OF_NAME}))*+"


# script content, with the standard's escape states ("<!--<script>...</script>-->")
_SCRIPT_BODY = (
    rf"(?:[^<]++|<(?!!--|/(?i:script){_END_OF_NAME})"
    rf"|<!(?=--)(?:[^<-]++|-(?!->)|<(?!/?(?i:script){_END_OF_NAME})"
    rf"|<(?i:script){_END_OF_NAME}(?:[^<-]++|-(?!->)|<(?!/(?i:script){_END_OF_NAME}))*+"
    rf"(?:</(?i:script){_END_OF_NAME})?)*+(?:-->)?)*+")
# a self-closing raw-text tag ("<textarea/>") is empty: its '/' must touch the '>'
_RAW_TAG_END = r"(?:[\t\n\f\r /]*[\t\n\f\r ])?>"
_RAW_BODIES = {name: re.compile(_raw_body(name), re.S) for name in _RAW_TEXT}
_RAW_BODIES["script"] = re.compile(_SCRIPT_BODY, re.S)
_RAW_BODIES["plaintext"] = re.compile(r".*+", re.S)
# every token of a page at C speed; stops only at a start tag with too many attributes
_TOKENS = re.compile(
    r"(?:[^<]++"
    r"|<!--(?:-?>|.*?--!?>|.*+)"
    r"|(?=<[iInNpPsStTxX])(?:"  # the raw-text elements' initials: the rest skip them
    + "|".join(rf"<(?i:{name}){_END_OF_NAME}{_FEW_ATTRS}{_RAW_TAG_END}{body.pattern}"
               for name, body in _RAW_BODIES.items()) + ")"
    rf"|<[A-Za-z][^\t\n\f\r />]*+{_FEW_ATTRS}{_SEP}*+>"
    rf"|</[A-Za-z][^\t\n\f\r />]*+(?:{_SEP}*+{_ATTR})*+{_SEP}*+>?"
    r"|<[!?/][^>]*+>?"
    r"|<(?![A-Za-z!?/])"
    r")*+", re.S)
_TAG_HEAD = re.compile(rf"<([A-Za-z][^\t\n\f\r />]*+){_FEW_ATTRS}")
_MORE_ATTRS = re.compile(rf"{_SEP}*+{_ATTR}")
_TAG_REST = re.compile(rf"(?:{_SEP}*+{_ATTR})*+({_SEP}*+)(>?)")
# containers flattened when a page nests deeper than the parser's depth limit (a whole
# tag, quotes and all, in one linear pass: "[^>]*>" is quadratic on '<div<div<div...')
_NESTING_TAGS = re.compile(
    r"</?(?i:div|span|section|article|aside|main|font|center|table|tbody|thead|tfoot|tr|td|"
    r"th|ul|ol|li|dl|dd|dt|b|i|u|em|strong|small|big|sub|sup|a|label|form|fieldset|nav|"
    r"header|footer|figure|blockquote|q|s|strike|code|abbr|mark|ins|del|details|summary)"
    rf"{_END_OF_NAME}(?:{_SEP}*+{_ATTR})*+{_SEP}*+>?")
# the last resort past the depth limit: every tag but paragraphs, breaks and raw text goes
_ANY_TAG = re.compile(
    rf"</?(?!(?i:p|br|hr|wbr|img|html|head|body|title|meta|link|base|script|style)"
    rf"{_END_OF_NAME})[A-Za-z][^\t\n\f\r />]*+(?:{_SEP}*+{_ATTR})*+{_SEP}*+>?")


def trim_attributes(text: str) -> tuple[str, int]:
    """Drop the attributes past ``MAX_ATTRIBUTES`` from every start tag that has more;
    returns the text and how many tags were trimmed. Linear in the text.

    >>> trim_attributes("<p " + " ".join(f"a{i}" for i in range(200)) + ">x</p>")[1]
    1
    """
    # no regex precheck: searched from every '<', one is quadratic on "<div<div<div..."
    pos, n, last, trimmed = 0, len(text), 0, 0
    out: list[str] = []
    while True:
        pos = _must(_TOKENS.match(text, pos)).end()
        if pos >= n:
            break
        head = _must(_TAG_HEAD.match(text, pos))  # the scan stops only at a start tag
        if not _MORE_ATTRS.match(text, head.end()):
            break  # a tag left open at the end of the page: the parser drops it
        rest = _must(_TAG_REST.match(text, head.end()))
        closes_itself = rest.group(1).endswith("/") and rest.group(2) == ">"
        out += [text[last:head.end()], "/>" if closes_itself else rest.group(2)]
        last = pos = rest.end()
        trimmed += 1
        body = _RAW_BODIES.get(head.group(1).lower())
        if body is not None and not closes_itself:  # raw-text content holds no tags
            pos = _must(body.match(text, pos)).end()
    if not trimmed:
        return text, 0
    out.append(text[last:])
    return "".join(out), trimmed


def _must(match: re.Match[str] | None) -> re.Match[str]:
    """A match of a pattern that matches the empty string, so never None."""
    assert match is not None
    return match


_local = threading.local()  # lxml parsers must not be shared between threads


def _parser(utf8: bool = False) -> etree.HTMLParser:
    # plain etree elements: lxml.html's Python class lookup costs a call per element
    name = "utf8_parser" if utf8 else "parser"
    p = getattr(_local, name, None)
    if p is None:
        p = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True,
                             default_doctype=False,  # type: ignore[call-arg]  # not in stubs
                             collect_ids=False,  # no id() lookups
                             encoding="utf-8" if utf8 else None)
        setattr(_local, name, p)
    _local.last = p
    return p


def parse(text: str, url: str | None = None, max_nodes: int | None = DEFAULT_MAX_NODES,
          encoding: str = "utf-8", encoding_source: str = "str",
          utf8: bytes | None = None) -> Document | None:
    """Parse prepared text into a Document; ``None`` when there is no element to parse.

    Pages nested deeper than libxml2's limit (``MAX_DEPTH``) would lose everything past that
    depth; they are re-parsed with inline and container tags flattened instead, and if
    that is not enough, with every tag but paragraphs and line breaks flattened. Start
    tags with over ``MAX_ATTRIBUTES`` attributes keep only the first ones (libxml2 takes
    quadratic time over a tag's attributes). ``utf8``: the same text as UTF-8 bytes, if
    the caller has them (:attr:`cleaner.decode.Prepared.utf8`).
    """
    notes: list[str] = []
    text, trimmed = trim_attributes(text)
    if trimmed:
        notes.append(f"{trimmed:,} tag(s) with over {MAX_ATTRIBUTES} attributes: "
                     "the rest of their attributes dropped")
    root = _parse_once(utf8 if utf8 is not None and not trimmed else text)
    if root is not None and _too_deep(root):
        notes.append(f"nesting deeper than {MAX_DEPTH:,} levels: containers flattened")
        text = _NESTING_TAGS.sub(" ", text)
        root = _parse_once(text)
        if root is not None and _too_deep(root):
            notes[-1] = (f"nesting deeper than {MAX_DEPTH:,} levels: every tag but "
                         "paragraphs and line breaks flattened")
            root = _parse_once(_ANY_TAG.sub(" ", text))
            if root is not None and _too_deep(root):
                raise InputError(f"the page is nested deeper than {MAX_DEPTH:,} levels "
                                 "even with its tags flattened")
    if root is None:
        return None
    # '<' count bounds the element count cheaply (and the length bounds that, for free);
    # count for real only when close
    if max_nodes and len(text) > max_nodes and text.count("<") > max_nodes:
        counted = _COUNT_ELEMENTS(root)  # in C: no Python object per element
        n = int(counted) if isinstance(counted, float) else 0
        if n > max_nodes:
            raise InputTooLargeError(
                f"page has {n:,} elements, over the limit of {max_nodes:,} "
                "(raise max_nodes to allow it)")
    if root.tag != "html":  # fragments: lxml can return a bare element
        html = etree.Element("html")
        body = etree.SubElement(html, "body")
        body.append(root)
        root = html
    root = _whole_page(root, text)
    notes.extend(repair(root))
    return Document(root=root, url=url, encoding=encoding, encoding_source=encoding_source,
                    notes=notes)


_HTML_START = re.compile(r"<html\b[^>]*>", re.I)
_COUNT_ELEMENTS = etree.XPath("count(descendant-or-self::*)")
_ANY_MARKUP = re.compile(r"<[^>]*>")


def _whole_page(root: Element, text: str) -> Element:
    """A broken ``<html ...>`` start tag can make libxml2 drop the document: when the
    body holds almost none of the page's text, parse again with the tag reduced to
    ``<html>`` and keep whichever tree holds more."""
    body = root.find("body")
    if body is not None and len(body) > FEW_CHILDREN:
        return root  # a body with this many children was not dropped
    shown = len(text_of(body)) if body is not None else 0
    if shown > EMPTY_BODY_SHARE * len(text):
        return root
    start = _HTML_START.search(text, 0, 5000)
    if start is None or start.group() == "<html>" or \
            shown > EMPTY_BODY_SHARE * len(_ANY_MARKUP.sub("", text)):
        return root
    again = _parse_once(text[:start.start()] + "<html>" + text[start.end():])
    if again is None:
        return root
    found = again.find("body")
    return again if found is not None and len(text_of(found)) > shown else root


def _parse_once(text: str | bytes) -> Element | None:
    if isinstance(text, str) and text.lstrip()[:5].lower() == "<?xml":
        text = text[text.find(">") + 1:]  # lxml refuses a str with an encoding declaration
    try:
        root = etree.fromstring(text, parser=_parser(isinstance(text, bytes)))
    except etree.ParserError:
        return None  # "Document is empty"
    except (ValueError, etree.LxmlError) as exc:
        raise InputError(f"cannot parse the input as HTML: {exc}") from None
    return root


def _too_deep(root: Element) -> bool:
    # the depth error is fatal, so it is the last one logged
    last = _local.last.error_log.last_error  # the parser that made ``root``
    return last is not None and "Excessive depth" in last.message

"""Stage 1, parse: bytes or str -> Document (lxml tree, encoding and how it was found).

Decoding follows the browser's order: BOM, HTTP ``Content-Type`` charset, ``<meta>`` or
XML declaration prescan, then charset-normalizer; lxml never guesses (it would read
undeclared UTF-8 as Latin-1). Limits are checked before any expensive work.
"""

from __future__ import annotations

import codecs
import re
import threading
import zlib
from dataclasses import dataclass, field
from typing import Any, Mapping

from lxml import etree

from .errors import InputError, InputTooLargeError

__all__ = ["Document", "Limits", "parse", "decode", "looks_like_html", "text_of",
           "spaced_text_of", "trim_attributes", "MAX_ATTRIBUTES"]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one call. ``None`` switches a limit off."""

    max_bytes: int | None = 20_000_000      # input size, bytes (str: UTF-8 length bound)
    max_nodes: int | None = 1_000_000       # elements after parsing


DEFAULT_LIMITS = Limits()


@dataclass
class Document:
    """A parsed page: the tree every later stage works on, and what parsing learned."""

    root: Any                      # lxml.etree element (<html>)
    url: str | None = None
    encoding: str = "utf-8"
    encoding_source: str = "str"   # bom, http, meta, utf-8, detected, fallback, str
    notes: list[str] = field(default_factory=list)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: these labels mean windows-1252 in browsers
_LABEL_ALIASES = {
    "latin-1": "cp1252", "latin1": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252",
    "ascii": "cp1252", "us-ascii": "cp1252", "l1": "cp1252", "windows-1252": "cp1252",
    "x-sjis": "shift_jis", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
    "iso-8859-9": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874", "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949", "utf8": "utf-8", "unicode": "utf-16-le", "utf-16": "utf-16-le",
}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""", re.I)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9:-]*[\s/>]|!--|!doctype|/[a-zA-Z])", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# characters lxml's parser lets into the tree but its setters refuse (ValueError): control
# characters go (as NUL always did), form feeds become spaces, lone surrogates U+FFFD
_NOT_XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in (9, 10, 13))
# character references the parser turns into those characters ("&#1", "&#xFFFE;")
_NOT_XML_REF = re.compile(
    r"&#(?:0*(?:[1-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9])"
    r"|[xX]0*(?:[1-8bBcCeEfF]|1[0-9a-fA-F]|[fF][fF][fF][eEfF])(?![0-9a-fA-F]));?")
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF file"), (b"PK\x03\x04", "a ZIP archive"), (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an ELF executable"), (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ", "an xz archive"),
    (b"OggS", "an Ogg media file"), (b"\x00\x00\x01\x00", "an icon file"),
    (b"wOFF", "a web font"), (b"wOF2", "a web font"), (b"ID3", "an MP3 file"),
)
# -- the HTML standard's tokenizer, as far as tags go (libxml2 2.14 follows it) -----------
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
    pos, n, out, last, trimmed = 0, len(text), [], 0, 0
    while True:
        pos = _TOKENS.match(text, pos).end()
        if pos >= n:
            break
        head = _TAG_HEAD.match(text, pos)  # the scan stops only at a start tag
        if not _MORE_ATTRS.match(text, head.end()):
            break  # a tag left open at the end of the page: the parser drops it
        rest = _TAG_REST.match(text, head.end())
        closes_itself = rest.group(1).endswith("/") and rest.group(2) == ">"
        out += [text[last:head.end()], "/>" if closes_itself else rest.group(2)]
        last = pos = rest.end()
        trimmed += 1
        body = _RAW_BODIES.get(head.group(1).lower())
        if body is not None and not closes_itself:  # raw-text content holds no tags
            pos = body.match(text, pos).end()
    if not trimmed:
        return text, 0
    out.append(text[last:])
    return "".join(out), trimmed


def _norm_label(label: str) -> str | None:
    label = label.strip().strip("'\"").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _LABEL_ALIASES.get(name, name)


def _declared(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _norm_label(m.group(1).decode("ascii", "replace")) if m else None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:2000]
    if len(sample) < 8:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.4 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.4 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _maybe_gunzip(data: bytes, limits: Limits) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        return data
    cap = limits.max_bytes
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, cap + 1 if cap else 0)
    except zlib.error as exc:
        raise InputError(f"input is a broken gzip stream: {exc}") from None
    if cap and len(out) > cap:
        raise InputTooLargeError(
            f"input is over the size limit once decompressed ({cap:,} bytes; "
            "raise max_bytes to allow it)")
    return out


def decode(data: bytes, headers: Mapping[str, str] | None = None,
           limits: Limits = DEFAULT_LIMITS) -> tuple[str, str, str]:
    """Decode page bytes like a browser. Returns ``(text, encoding, source)``.

    >>> decode("Grüße".encode("utf-8"))[1:]
    ('utf-8', 'utf-8')
    """
    data = _maybe_gunzip(data, limits)
    for kind, what in _MAGIC:
        if data.startswith(kind):
            raise InputError(f"input is {what}, not an HTML page or text")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace"), enc, "bom"
    header_enc = None
    if headers:
        ctype = _content_type(headers)
        m = _HTTP_CHARSET.search(ctype or "")
        header_enc = _norm_label(m.group(1)) if m else None
    declared = header_enc or _declared(data)
    source = "http" if header_enc else "meta"
    if declared in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32"):
        declared = None  # a UTF-16 page cannot declare itself in ASCII meta; sniff instead
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, "replace"), utf16, "detected"
    if declared and declared != "utf-8":
        # a declaration on bytes that are valid, non-ASCII UTF-8 is a lie: no other
        # encoding's text is valid UTF-8 by chance
        if not data.isascii():
            text = _as_utf8(data)
            if text is not None:
                return text, "utf-8", "utf-8"
        return data.decode(declared, "replace"), declared, source
    if declared == "utf-8":
        text = data.decode("utf-8", "replace")
        # UTF-8 with a few broken bytes stays UTF-8; bytes that are mostly not UTF-8
        # (cp1252 under a utf-8 meta) are detected like undeclared ones
        if "\ufffd" not in text or text.count("\ufffd") - data.count(b"\xef\xbf\xbd") <= \
                len(data) - len(text):  # bytes saved by valid multi-byte characters
            return text, "utf-8", source
    text = _as_utf8(data)
    if text is not None:
        return text, "utf-8", "utf-8"
    guess = _detect(data)
    if guess:
        return data.decode(guess, "replace"), guess, "detected"
    return data.decode("cp1252", "replace"), "cp1252", "fallback"


def _content_type(headers) -> str | None:
    """The Content-Type from any headers mapping: str or bytes keys and values, and
    list values as Scrapy's ``Headers`` hold them."""
    for key, value in headers.items():
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if not isinstance(key, str) or key.lower() != "content-type":
            continue
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else ""
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return value if isinstance(value, str) else None
    return None


def _as_utf8(data: bytes) -> str | None:
    """The bytes decoded as UTF-8, or None when they are not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the very end is still UTF-8
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data.decode("utf-8", "replace")
        return None


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    # a sample keeps detection cheap on big pages; prose sits after the <head>
    sample = data if len(data) <= 65536 else data[:32768] + data[-32768:]
    best = from_bytes(sample).best()
    if best is None:
        return None
    return _norm_label(best.encoding) or None


def looks_like_html(text: str) -> bool:
    """True when the text has at least one tag, comment or doctype in its first 64 KB."""
    return _TAG.search(text, 0, 65536) is not None


def _check_binary(text: str) -> None:
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > len(sample) * 0.1:
        raise InputError("input looks binary (too many control characters), not HTML or text")


def prepare(html: str | bytes, headers: Mapping[str, str] | None = None,
            limits: Limits = DEFAULT_LIMITS) -> tuple[str, str, str]:
    """Input -> clean ``str``: size cap, decoding, BOM, XML declaration, and characters
    lxml cannot hold (NUL and other control characters, lone surrogates) handled."""
    return prepare_utf8(html, headers, limits)[:3]


def prepare_utf8(html: str | bytes, headers: Mapping[str, str] | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> tuple[str, str, str, bytes | None]:
    """:func:`prepare`, plus the input bytes when they are exactly the prepared text in
    UTF-8 (lxml parses those faster than a ``str``), else None."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        if limits.max_bytes and len(data) > limits.max_bytes:
            raise InputTooLargeError(
                f"input is {len(data):,} bytes, over the limit of {limits.max_bytes:,} "
                "(raise max_bytes to allow it)")
        text, enc, source = decode(data, headers, limits)
        # UTF-8 bytes hold the text's control characters as the same bytes: check those
        raw = data if enc == "utf-8" and not data.startswith(b"\x1f\x8b") else None
        if raw is not None and source == "bom":
            raw = raw[3:]  # decode() dropped the BOM from the text
    elif isinstance(html, str):
        if limits.max_bytes and len(html) > limits.max_bytes:
            raise InputTooLargeError(
                f"input is {len(html):,} characters, over the limit of {limits.max_bytes:,} "
                "(raise max_bytes to allow it)")
        text, enc, source, raw = html, "utf-8", "str", None
    else:
        raise InputError(f"expected HTML as str or bytes, got {type(html).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
        raw = None
    _check_binary(text)
    decoded = text
    text = _xml_safe(text, raw)
    text = _XML_DECL.sub("", text, count=1)
    same = raw is not None and "\ufffd" not in text and len(text) == len(decoded) and \
        text == decoded
    return text, enc, source, raw if same else None


def _xml_safe(text: str, raw: bytes | None = None) -> str:
    """The text without the characters lxml refuses to set (it parses them, then fails on
    the first ``el.text = ...`` that holds one). A byte-level scan keeps this cheap;
    ``raw`` is the UTF-8 the text was decoded from, when it was."""
    if not text.isascii() and ("\ufffe" in text or "\uffff" in text):
        text = text.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")
    if raw is None:
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates, from a str or a UTF-7 page
            text = _SURROGATE.sub("\ufffd", text)
            raw = text.encode("utf-8")
    if raw.translate(None, _NOT_CONTROL_BYTES):  # UTF-8 keeps controls as single bytes
        text = _NOT_XML_CONTROL.sub("", text.replace("\x0c", " "))
    if "&#" in text and _NOT_XML_REF.search(text):
        return _NOT_XML_REF.sub(" ", text)  # a space, so "&#&#1;1;" cannot become "&#1;"
    return text


_local = threading.local()  # lxml parsers must not be shared between threads


def _parser(utf8: bool = False) -> etree.HTMLParser:
    # plain etree elements: lxml.html's Python class lookup costs a call per element
    name = "utf8_parser" if utf8 else "parser"
    p = getattr(_local, name, None)
    if p is None:
        p = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True,
                             default_doctype=False, collect_ids=False,  # no id() lookups
                             encoding="utf-8" if utf8 else None)
        setattr(_local, name, p)
    _local.last = p
    return p


def text_of(el) -> str:
    """All text inside an element (not its tail), as the reader would see it."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


# elements that start a new line for a reader; text on either side is not one word
_BREAKS = frozenset({
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "h1", "h2",
    "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table",
    "tr", "td", "th", "caption", "figure", "figcaption", "form", "fieldset", "legend",
    "address", "hr", "br", "label", "button", "option", "details", "summary"})


def spaced_text_of(el, sep: str = " ") -> str:
    """Like text_of, with a space wherever a block or line break separates two texts
    ("Cancel reply" + "Your email" stays two phrases), for removal records."""
    if not any(True for _ in el.iterdescendants(*_BREAKS)):
        return text_of(el)
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag
        if event == "start":
            if tag in _BREAKS:
                parts.append(sep)
            if node.text:
                parts.append(node.text)
        else:
            if tag in _BREAKS:
                parts.append(sep)
            if node is not el and node.tail:
                parts.append(node.tail)
    return "".join(parts)


def parse(text: str, url: str | None = None, limits: Limits = DEFAULT_LIMITS,
          encoding: str = "utf-8", encoding_source: str = "str",
          utf8: bytes | None = None) -> Document | None:
    """Parse prepared text into a Document; ``None`` when there is no element to parse.

    Pages nested deeper than libxml2's limit (2,047) would lose everything past that
    depth; they are re-parsed with inline and container tags flattened instead, and if
    that is not enough, with every tag but paragraphs and line breaks flattened. Start
    tags with over ``MAX_ATTRIBUTES`` attributes keep only the first ones (libxml2 takes
    quadratic time over a tag's attributes). ``utf8``: the same text as UTF-8 bytes, if
    the caller has them (see :func:`prepare_utf8`).
    """
    notes: list[str] = []
    text, trimmed = trim_attributes(text)
    if trimmed:
        notes.append(f"{trimmed:,} tag(s) with over {MAX_ATTRIBUTES} attributes: "
                     "the rest of their attributes dropped")
    root = _parse_once(utf8 if utf8 is not None and not trimmed else text)
    if root is not None and _too_deep(root):
        notes.append("nesting deeper than 2,047 levels: containers flattened")
        text = _NESTING_TAGS.sub(" ", text)
        root = _parse_once(text)
        if root is not None and _too_deep(root):
            notes[-1] = ("nesting deeper than 2,047 levels: every tag but paragraphs and "
                         "line breaks flattened")
            root = _parse_once(_ANY_TAG.sub(" ", text))
            if root is not None and _too_deep(root):
                raise InputError("the page is nested deeper than 2,047 levels even with "
                                 "its tags flattened")
    if root is None:
        return None
    if limits.max_nodes:
        # '<' count bounds the element count cheaply; count for real only when close
        if text.count("<") > limits.max_nodes:
            n = sum(1 for _ in root.iter())
            if n > limits.max_nodes:
                raise InputTooLargeError(
                    f"page has {n:,} elements, over the limit of {limits.max_nodes:,} "
                    "(raise max_nodes to allow it)")
    if root.tag != "html":  # fragments: lxml can return a bare element
        html = etree.Element("html")
        body = etree.SubElement(html, "body")
        body.append(root)
        root = html
    return Document(root=root, url=url, encoding=encoding, encoding_source=encoding_source,
                    notes=notes)


def _parse_once(text: str | bytes):
    try:
        root = etree.fromstring(text, parser=_parser(isinstance(text, bytes)))
    except etree.ParserError:
        return None  # "Document is empty"
    except (ValueError, etree.LxmlError) as exc:
        raise InputError(f"cannot parse the input as HTML: {exc}") from None
    return root


def _too_deep(root) -> bool:
    # the depth error is fatal, so it is the last one logged
    last = _local.last.error_log.last_error  # the parser that made ``root``
    return last is not None and "Excessive depth" in last.message

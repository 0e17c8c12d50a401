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
           "spaced_text_of"]


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
_SINGLE_BYTE = {"cp1252", "cp1250", "cp1251", "cp1254", "cp874", "iso8859-2", "iso8859-15",
                "koi8-r", "mac-roman"}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""", re.I)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9:-]*[\s/>]|!--|!doctype|/[a-zA-Z])", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF file"), (b"PK\x03\x04", "a ZIP archive"), (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an ELF executable"), (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ", "an xz archive"),
    (b"OggS", "an Ogg media file"), (b"\x00\x00\x01\x00", "an icon file"),
    (b"wOFF", "a web font"), (b"wOF2", "a web font"), (b"ID3", "an MP3 file"),
)
# containers flattened when a page nests deeper than the parser's depth limit
_NESTING_TAGS = re.compile(
    r"</?(?:div|span|section|article|aside|main|font|center|table|tbody|thead|tfoot|tr|td|th|"
    r"ul|ol|li|dl|dd|dt|b|i|u|em|strong|small|big|sub|sup|a|label|form|fieldset|nav|header|"
    r"footer|figure|blockquote|q|s|strike|code|abbr|mark|ins|del|details|summary)\b[^>]*>",
    re.I)


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
        ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
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
        # a single-byte declaration on bytes that are valid, non-ASCII UTF-8 is a lie
        if declared in _SINGLE_BYTE and not data.isascii():
            text = _as_utf8(data)
            if text is not None:
                return text, "utf-8", "utf-8"
        return data.decode(declared, "replace"), declared, source
    if declared == "utf-8":
        return data.decode("utf-8", "replace"), "utf-8", source
    text = _as_utf8(data)
    if text is not None:
        return text, "utf-8", "utf-8"
    guess = _detect(data)
    if guess:
        return data.decode(guess, "replace"), guess, "detected"
    return data.decode("cp1252", "replace"), "cp1252", "fallback"


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
    """Input -> clean ``str``: size cap, decoding, BOM, XML declaration and NULs handled."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        if limits.max_bytes and len(data) > limits.max_bytes:
            raise InputTooLargeError(
                f"input is {len(data):,} bytes, over the limit of {limits.max_bytes:,} "
                "(raise max_bytes to allow it)")
        text, enc, source = decode(data, headers, limits)
    elif isinstance(html, str):
        if limits.max_bytes and len(html) > limits.max_bytes:
            raise InputTooLargeError(
                f"input is {len(html):,} characters, over the limit of {limits.max_bytes:,} "
                "(raise max_bytes to allow it)")
        text, enc, source = html, "utf-8", "str"
    else:
        raise InputError(f"expected HTML as str or bytes, got {type(html).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
    _check_binary(text)
    if "\x00" in text:
        text = text.replace("\x00", "")
    text = _XML_DECL.sub("", text, count=1)
    return text, enc, source


_local = threading.local()  # lxml parsers must not be shared between threads


def _parser() -> etree.HTMLParser:
    # plain etree elements: lxml.html's Python class lookup costs a call per element
    p = getattr(_local, "parser", None)
    if p is None:
        p = _local.parser = etree.HTMLParser(
            remove_comments=True, remove_pis=True, huge_tree=True, default_doctype=False)
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
          encoding: str = "utf-8", encoding_source: str = "str") -> Document | None:
    """Parse prepared text into a Document; ``None`` when there is no element to parse.

    Pages nested deeper than libxml2's limit (2,047) would lose everything past that
    depth; they are re-parsed with inline and container tags flattened instead.
    """
    notes: list[str] = []
    root = _parse_once(text)
    if root is not None and _too_deep(root):
        notes.append("nesting deeper than 2,047 levels: containers flattened")
        root = _parse_once(_NESTING_TAGS.sub(" ", text))
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


def _parse_once(text: str):
    try:
        root = etree.fromstring(text, parser=_parser())
    except etree.ParserError:
        return None  # "Document is empty"
    except (ValueError, etree.LxmlError) as exc:
        raise InputError(f"cannot parse the input as HTML: {exc}") from None
    return root


def _too_deep(root) -> bool:
    # the depth error is fatal, so it is the last one logged
    last = _parser().error_log.last_error
    return last is not None and "Excessive depth" in last.message

"""Stage 1a, decode: page bytes or str -> clean ``str``, as a browser would read them.

Decoding follows the browser's order: BOM, HTTP ``Content-Type`` charset, ``<meta>`` or
XML declaration prescan, then charset-normalizer; lxml never guesses (it would read
undeclared UTF-8 as Latin-1). The size limit is checked before any expensive work, and
characters lxml cannot hold (control characters, lone surrogates) are handled here.

>>> decode("Grüße".encode("utf-8"))[1:]
('utf-8', 'utf-8')
"""

from __future__ import annotations

import codecs
import re
import zlib
from functools import lru_cache
from typing import Any, NamedTuple

from .errors import InputError, InputTooLargeError
from .headers import content_type
from .options import DEFAULT_MAX_BYTES
from .textnorm import without_surrogates

__all__ = ["Prepared", "decode", "prepare", "looks_like_html"]


class Prepared(NamedTuple):
    """A page ready to parse: its text, the encoding read and how it was found
    (bom, http, meta, utf-8, detected, fallback, str), and the input's own UTF-8 bytes
    when they are exactly that text (lxml parses bytes faster than a str), else None."""

    text: str
    encoding: str
    source: str
    utf8: bytes | None = None


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
# searched in the lowered head (ASCII only, as re.I folds bytes): no case-blind test at
# every position
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)""")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""", re.I)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9:-]*[\s/>]|!--|!doctype|/[a-zA-Z])", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# characters lxml's parser lets into the tree but its setters refuse (ValueError): control
# characters go (as NUL always did), form feeds become spaces, lone surrogates U+FFFD
_NOT_XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# the control bytes but tab and line ends, each looked for on its own: 29 scans by memchr
# cost a third of one pass that deletes every other byte
_CONTROL_BYTES = tuple(bytes((b,)) for b in range(0x20) if b not in (9, 10, 13))
# character references the parser turns into those characters ("&#1", "&#xFFFE;")
_NOT_XML_REF = re.compile(
    r"&#(?:0*(?:[1-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9])"
    r"|[xX]0*(?:[1-8bBcCeEfF]|1[0-9a-fA-F]|[fF][fF][fF][eEfF])(?![0-9a-fA-F]));?")
_NOT_XML_REF_BYTES = re.compile(_NOT_XML_REF.pattern.encode("ascii"))
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF file"), (b"PK\x03\x04", "a ZIP archive"), (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an ELF executable"), (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ", "an xz archive"),
    (b"OggS", "an Ogg media file"), (b"\x00\x00\x01\x00", "an icon file"),
    (b"wOFF", "a web font"), (b"wOF2", "a web font"), (b"ID3", "an MP3 file"),
)
# -- the HTML standard's tokenizer, as far as tags go (libxml2 2.14 follows it) -----------
# codecs Python calls text encodings that are no document's charset: IDNA and punycode
# (host-name codecs; punycode decodes in quadratic time), the refusing "undefined",
# Python string-literal escapes (they make lone surrogates from "\ud800"), and UTF-7,
# which no browser reads (the HTML standard forbids it): "+1-555" or "C++" turned to U+FFFD
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape",
                           "raw-unicode-escape", "utf-7"})


def _norm_label(label: str) -> str | None:
    """The codec a charset label names, or None for an unknown label and for a codec that
    is not a text encoding of documents (``hex``, ``base64``, ``zlib``, ``rot13``,
    ``idna``...): those are "unknown charset", and detection decides.

    >>> _norm_label("Latin-1"), _norm_label("hex"), _norm_label("punycode")
    ('cp1252', None, None)
    """
    label = label.strip().strip("'\"").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # bytes-to-bytes and str-to-str codecs (hex, zlib, rot13) say they are not text
    if not getattr(info, "_is_text_encoding", True):
        return None
    name = info.name.replace("_", "-")
    if name in _NOT_CHARSETS:
        return None
    return _LABEL_ALIASES.get(info.name, info.name)


def _declared(data: bytes) -> str | None:
    """The charset a ``<meta>`` or XML declaration names; one whose bytes do not read
    as ASCII (EBCDIC: ``cp037``...) is no charset of a page declared in ASCII."""
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head.lower())
    enc = _norm_label(m.group(1).decode("ascii", "replace")) if m else None
    return enc if enc and _reads_ascii(enc) else None


_PROBE = b'<meta charset="x">\n<p class=a>Text, 1-2.</p>'


@lru_cache(maxsize=64)
def _reads_ascii(enc: str) -> bool:
    """Whether ``enc`` reads ASCII markup as ASCII (EBCDIC does not)."""
    try:
        return _PROBE.decode(enc) == _PROBE.decode("ascii")
    except UnicodeDecodeError:
        return False


def _bom(data: bytes) -> tuple[bytes, str] | None:
    """The byte order mark ``data`` starts with, and its encoding."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return bom, enc
    return None


_ASCII_TAG = re.compile(rb"<[a-zA-Z!/?]")


def _bom_encoding(bom: bytes, enc: str, data: bytes) -> str | None:
    """The encoding of the bytes after a BOM: the BOM's, the other byte order when the
    bytes say so, or None for a stray BOM on bytes that are not UTF-16/32 at all
    (ASCII markup with no NUL byte; code points past U+10FFFF)."""
    sample = data[len(bom):len(bom) + 2000]
    if enc.startswith("utf-32"):
        try:
            sample[:len(sample) // 4 * 4].decode(enc)
        except UnicodeDecodeError:
            return None
        return enc
    if enc.startswith("utf-16"):
        order = _utf16_without_bom(sample)
        if order:
            return order
        if b"\0" not in sample and _ASCII_TAG.search(sample):
            return None
    return enc


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


def _maybe_gunzip(data: bytes, max_bytes: int | None) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        return data
    cap = max_bytes
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


def decode(data: bytes, headers: Any = None,
           max_bytes: int | None = DEFAULT_MAX_BYTES) -> tuple[str, str, str]:
    """Decode page bytes like a browser. Returns ``(text, encoding, source)``.

    >>> decode("Grüße".encode("utf-8"))[1:]
    ('utf-8', 'utf-8')
    """
    data = _maybe_gunzip(data, max_bytes)
    for kind, what in _MAGIC:
        if data.startswith(kind):
            raise InputError(f"input is {what}, not an HTML page or text")
    found = _bom(data)
    if found:
        bom, enc = found
        read_as = _bom_encoding(bom, enc, data)
        if read_as:
            return data[len(bom):].decode(read_as, "replace"), read_as, "bom"
        data = data[len(bom):]  # a stray BOM: the bytes after it are read as if it was not
    header_enc = None
    if headers is not None:
        m = _HTTP_CHARSET.search(content_type(headers) or "")
        header_enc = _norm_label(m.group(1)) if m else None
        if header_enc and not _reads_ascii(header_enc) and _ASCII_TAG.search(data[:2000]):
            header_enc = None  # EBCDIC on ASCII markup: the server's charset is wrong
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


def prepare(html: str | bytes | bytearray | memoryview, headers: Any = None,
            max_bytes: int | None = DEFAULT_MAX_BYTES) -> Prepared:
    """Input -> clean ``str``: size cap, decoding, BOM, XML declaration, and characters
    lxml cannot hold (NUL and other control characters, lone surrogates) handled.

    >>> prepare(b"<p>caf\\xc3\\xa9</p>").text, prepare("<p>x</p>").source
    ('<p>café</p>', 'str')
    """
    if isinstance(html, (bytes, bytearray, memoryview)):
        try:
            data = bytes(html)
        except ValueError as exc:  # a released memoryview
            raise InputError(f"cannot read the input bytes: {exc}") from None
        if max_bytes and len(data) > max_bytes:
            raise InputTooLargeError(
                f"input is {len(data):,} bytes, over the limit of {max_bytes:,} "
                "(raise max_bytes to allow it)")
        text, enc, source = decode(data, headers, max_bytes)
        # UTF-8 bytes hold the text's control characters as the same bytes: check those
        raw = data if enc == "utf-8" and not data.startswith(b"\x1f\x8b") else None
        found = _bom(raw) if raw is not None else None
        if raw is not None and found:
            raw = raw[len(found[0]):]  # decode() dropped the BOM (maybe a stray one)
    elif isinstance(html, str):
        if max_bytes and len(html) > max_bytes:
            raise InputTooLargeError(
                f"input is {len(html):,} characters, over the limit of {max_bytes:,} "
                "(raise max_bytes to allow it)")
        text, enc, source, raw = html, "utf-8", "str", None
    else:
        raise InputError(f"expected HTML as str or bytes, got {type(html).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
        raw = None
    # UTF-8 bytes hold the text's control characters as the same bytes: a scan in C of
    # them finds none on most pages, and then the text need not be searched for them
    controls = _has_controls(raw) if raw is not None else None
    if raw is None or controls or b"\x7f" in raw:
        _check_binary(text)
    decoded = text
    text = _xml_safe(text, raw, controls)
    text = _XML_DECL.sub("", text, count=1)
    same = raw is not None and "\ufffd" not in text and len(text) == len(decoded) and \
        text == decoded
    return Prepared(text, enc, source, raw if same else None)


def _has_controls(raw: bytes) -> bool:
    """Whether the bytes hold a control character other than tab, LF and CR."""
    return any(byte in raw for byte in _CONTROL_BYTES)


def _xml_safe(text: str, raw: bytes | None = None, controls: bool | None = None) -> str:
    """The text without the characters lxml refuses to set (it parses them, then fails on
    the first ``el.text = ...`` that holds one). A byte-level scan keeps this cheap;
    ``raw`` is the UTF-8 the text was decoded from, when it was, and ``controls`` whether
    it holds control bytes, when the caller knows."""
    if not text.isascii() and ("\ufffe" in text or "\uffff" in text):
        text = text.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")
    if raw is None:
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates, from a str or a UTF-7 page
            text = without_surrogates(text)
            raw = text.encode("utf-8")
    if controls is None:
        controls = _has_controls(raw)
    if controls:  # UTF-8 keeps controls as single bytes
        text = _NOT_XML_CONTROL.sub("", text.replace("\x0c", " "))
        found = _NOT_XML_REF.search(text) is not None
    else:  # the bytes hold the text's ASCII as it is, and are faster to search
        found = _NOT_XML_REF_BYTES.search(raw) is not None
    if found:  # (a search is faster than testing for "&#" first)
        return _NOT_XML_REF.sub(" ", text)  # a space, so "&#&#1;1;" cannot become "&#1;"
    return text


"""Text normalisation shared by the text rules and the HTML layer's text checks."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize_line", "collapse_spaces", "without_surrogates", "stream_safe"]

_QUOTE_MAP = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2039": "'", "\u203a": "'",
    "\u2032": "'", "\u00b4": "'", "`": "'", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "", "\u200c": "", "\u200d": "",
    "\u2060": "", "\ufeff": "", "\u00ad": "",
}
# a regex pass replaces the few quotes in a line faster than str.translate with a dict
_QUOTE_CHARS = re.compile("[" + "".join(_QUOTE_MAP) + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Lone surrogates (which no encoder accepts) as U+FFFD; other text unchanged.

    >>> without_surrogates("abc \\ud800 def") == "abc \\ufffd def"
    True
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _straight(text: str) -> str:
    return _QUOTE_CHARS.sub(_swap, text)  # the same object back when there is none


def _swap(m: re.Match[str]) -> str:
    return _QUOTE_MAP[m.group()]


def collapse_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space and trim (split and join: four times
    faster than a regex, and the same whitespace).

    >>> collapse_spaces(" a\\n\\t b  ")
    'a b'
    """
    return " ".join(text.split())


# NFKC sorts each run of combining marks (canonical ordering is a bubble sort): a run of
# 100,000 marks takes minutes. UAX #15's stream-safe format bounds the runs: after 30
# non-starters, a COMBINING GRAPHEME JOINER (a starter) goes in. Short text cannot hold
# a run long enough to matter, so only longer text is scanned.
_STREAM_SAFE_RUN = 30
_STREAM_SAFE_ABOVE = 256       # characters; shorter text is normalised as it is
_LAST_MARK_PLANE = 0x20000     # no Unicode version has a combining mark past plane 1
_FIRST_MARK = 0x300            # ... nor one before U+0300
# every run of non-starters is a run of these: a one-range class, eight times faster to
# search than the marks' own, and European text holds no run of 31 of them
_LONG_HIGH_RUN = re.compile(f"[{chr(_FIRST_MARK)}-{chr(_LAST_MARK_PLANE - 1)}]"
                            f"{{{_STREAM_SAFE_RUN + 1}}}")


@lru_cache(maxsize=1)
def _long_mark_run() -> re.Pattern[str]:
    """A run of over ``_STREAM_SAFE_RUN`` non-starters: characters with a combining class,
    or that decompose to one first (Tibetan vowel signs, halfwidth sound marks). Built on
    first use (40 ms) from the running Python's Unicode data."""
    codes = []
    for code in range(_LAST_MARK_PLANE):
        ch = chr(code)
        if unicodedata.combining(ch) or (
                unicodedata.decomposition(ch)
                and unicodedata.combining(unicodedata.normalize("NFKD", ch)[0])):
            codes.append(code)
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    cls = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)
    return re.compile(f"([{cls}]{{{_STREAM_SAFE_RUN}}})(?=[{cls}])")


def stream_safe(text: str) -> str:
    """The text with a COMBINING GRAPHEME JOINER after every 30 non-starters in a row
    (UAX #15 stream-safe format), so NFKC takes linear time on it.

    >>> stream_safe("a" + "\u0301" * 300).count("\u034f")
    9
    """
    if len(text) <= _STREAM_SAFE_ABOVE or text.isascii() or not _LONG_HIGH_RUN.search(text):
        return text
    return _long_mark_run().sub("\\1\u034f", text)


def normalize_line(text: str) -> str:
    """The form text rules compare: NFKC, straight quotes, one space, lower case.

    >>> normalize_line("\u201e*\u201c  zeigt erforderliche Felder an")
    '"*" zeigt erforderliche felder an'
    """
    if not text.isascii():
        text = _straight(stream_safe(text))
        nfkc = unicodedata.normalize("NFKC", text)
        if nfkc != text:
            text = _straight(nfkc)
    return " ".join(text.split()).lower()

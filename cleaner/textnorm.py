"""Text normalisation shared by the text rules and the HTML layer's text checks."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_line", "collapse_spaces", "without_surrogates"]

_QUOTE_MAP = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2039": "'", "\u203a": "'",
    "\u2032": "'", "\u00b4": "'", "`": "'", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "", "\u200c": "", "\u200d": "",
    "\u2060": "", "\ufeff": "", "\u00ad": "",
}
# a regex pass replaces the few quotes in a line faster than str.translate with a dict
_QUOTE_CHARS = re.compile("[" + "".join(_QUOTE_MAP) + "]")
_SPACES = re.compile(r"\s+")
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


def _swap(m: re.Match) -> str:
    return _QUOTE_MAP[m.group()]


def collapse_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _SPACES.sub(" ", text).strip()


def normalize_line(text: str) -> str:
    """The form text rules compare: NFKC, straight quotes, one space, lower case.

    >>> normalize_line("\u201e*\u201c  zeigt erforderliche Felder an")
    '"*" zeigt erforderliche felder an'
    """
    if not text.isascii():
        text = _straight(text)
        nfkc = unicodedata.normalize("NFKC", text)
        if nfkc != text:
            text = _straight(nfkc)
    return _SPACES.sub(" ", text).strip().lower()

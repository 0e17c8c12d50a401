"""HTTP headers of any shape -> one plain dict: what the HTTP charset is read from.

Callers hand over ``resp.headers`` of requests, httpx, urllib, Scrapy (bytes keys, list
values), a list of pairs, or a dict. Names are lower-cased; of repeated values the last
wins, as browsers read ``Content-Type``.

>>> flatten_headers([("Content-Type", "text/html"), ("content-type", "text/html; charset=koi8-r")])
{'content-type': 'text/html; charset=koi8-r'}
>>> content_type({b"Content-Type": [b"text/html; charset=utf-8"]})
'text/html; charset=utf-8'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import OptionError
from .textnorm import without_surrogates

__all__ = ["flatten_headers", "content_type"]


def _text(value: Any) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    return value if isinstance(value, str) else None


def _pairs(headers: Any) -> Iterable[Any]:
    items = getattr(headers, "items", None)
    if callable(items):  # a Mapping, or a headers object that has items()
        try:
            return list(items())
        except (TypeError, ValueError, AttributeError) as exc:  # items() is not pairs
            raise OptionError(f"headers: cannot read the items ({exc})") from None
    if isinstance(headers, (list, tuple)):
        return headers
    raise OptionError(f"headers must be a mapping or a list of (name, value) pairs, "
                      f"got {type(headers).__name__}")


def flatten_headers(headers: Any) -> dict[str, str]:
    """``{lower-case name: value}`` from any headers shape; entries that are not a name
    and a text value are skipped. A non-mapping, non-list raises OptionError."""
    out: dict[str, str] = {}
    if headers is None:
        return out
    for pair in _pairs(headers):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise OptionError("headers: each entry must be a (name, value) pair")
        name, value = _text(pair[0]), _text(pair[1])
        if name is None or value is None:
            continue
        out[without_surrogates(name).strip().lower()] = without_surrogates(value).strip()
    return out


def content_type(headers: Any) -> str | None:
    """The ``Content-Type`` value, or None."""
    return flatten_headers(headers).get("content-type") if headers is not None else None

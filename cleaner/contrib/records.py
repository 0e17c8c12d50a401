"""Pages as records and tables: what a distributed engine calls on its workers.

One page is a record ``{"url": ..., "html": ..., "headers": ...}`` (only ``html`` is
required). Cleaning it gives the record back without ``html`` and with ``text`` (the body
in the ``format`` of the options), ``title``, ``metadata``, ``removed`` (one dict per removal)
and ``error`` (None, or why the page could not be cleaned: one bad page never fails a
whole partition). The table forms (:func:`clean_columns`, :func:`clean_frame`) have the
same fields as columns of text: ``metadata`` and ``removed`` as JSON, so that Parquet,
Arrow and Spark schemas are plain strings.

Every function here is a plain module-level function of picklable arguments, imports no
engine, and keeps no state, so Dask, Spark, Ray, multiprocessing and Hugging Face
``datasets`` can ship it to any worker process or machine.

>>> rec = clean_record({"url": "https://example.org/a", "html": "<article><p>The story, "
...                     "told once.</p><p>Share this article</p></article>"})
>>> rec["text"], rec["url"], [r["family"] for r in rec["removed"]], rec["error"]
('The story, told once.', 'https://example.org/a', ['share'], None)
>>> clean_columns({"html": ["<p>One page of text here.</p>", b"\\x89PNG\\r\\n"]})["error"]
[None, 'input is a PNG image, not an HTML page or text']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import OptionError, error_message
from ..options import CleanOptions
from ..pipeline import clean_article

__all__ = [
    "FIELDS",
    "clean_columns",
    "clean_frame",
    "clean_record",
    "clean_records",
    "frame_meta",
]

FIELDS = ("text", "title", "metadata", "removed", "error")   # what cleaning adds


def _clean(html: Any, url: Any, headers: Any, options: CleanOptions) -> dict[str, Any]:
    try:
        result = clean_article(html, url if isinstance(url, str) else None,
                               headers=headers if isinstance(headers, Mapping) else None,
                               options=options)
    except Exception as exc:
        return {"text": "", "title": None, "metadata": {}, "removed": [],
                "error": error_message(exc)}
    return {"text": result.content, "title": result.title, "metadata": dict(result.metadata),
            "removed": [r.to_dict() for r in result.removed], "error": None}


def clean_record(record: Mapping[str, Any] | str | bytes, *, html: str = "html",
                 url: str = "url", headers: str = "headers", keep_html: bool = False,
                 options: CleanOptions | None = None, **option_fields: Any) -> dict[str, Any]:
    """Clean one record (or bare HTML); returns its other fields plus :data:`FIELDS`.

    ``options`` (a :class:`~cleaner.options.CleanOptions`) and/or its fields as keyword
    arguments (``format``, ``profile``, ``include_comments``...) say how to clean.
    """
    opts = CleanOptions.build(options, **option_fields)
    if not isinstance(record, Mapping):
        record = {html: record}
    out = {k: v for k, v in record.items() if keep_html or k != html}
    out.update(_clean(record.get(html), record.get(url), record.get(headers), opts))
    return out


def _fields(fields: Sequence[str]) -> tuple[str, ...]:
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise OptionError(f"unknown field {unknown[0]!r}; choose from {', '.join(FIELDS)}")
    return tuple(fields)


def clean_columns(columns: Mapping[str, list[Any]], *, html: str = "html", url: str = "url",
                  headers: str = "headers", fields: Sequence[str] = FIELDS,
                  options: CleanOptions | None = None,
                  **option_fields: Any) -> dict[str, list[Any]]:
    """Clean a batch given as columns (Hugging Face ``datasets.map(batched=True)``):
    returns the new columns (``fields``, default all of :data:`FIELDS`), a value a row."""
    fields = _fields(fields)
    opts = CleanOptions.build(options, **option_fields)
    pages = columns[html]
    urls = columns.get(url) or [None] * len(pages)
    heads = columns.get(headers) or [None] * len(pages)
    rows = [_clean(h, u, hd, opts) for h, u, hd in zip(pages, urls, heads, strict=False)]
    return {name: [_as_text(name, row[name]) for row in rows] for name in fields}


def _as_text(name: str, value: Any) -> Any:
    if name in ("metadata", "removed"):
        return json.dumps(value, ensure_ascii=False)
    return value


def clean_frame(frame: Any, *, html: str = "html", url: str = "url",
                headers: str = "headers", keep_html: bool = False,
                fields: Sequence[str] = FIELDS, **options: Any) -> Any:
    """Clean a pandas DataFrame with an ``html`` column (and ``url``, ``headers`` if
    present): returns a new frame with the ``fields`` columns added (pandas ``string``
    dtype; missing values are NA). Dask's ``map_partitions`` and Spark's ``mapInPandas``
    call it once per partition."""
    import pandas as pd

    columns = {html: frame[html].tolist()}
    for name in (url, headers):
        if name in frame.columns:
            columns[name] = frame[name].tolist()
    new = clean_columns(columns, html=html, url=url, headers=headers, fields=fields,
                        **options)
    out = (frame if keep_html else frame.drop(columns=[html])).copy()
    for name in new:
        out[name] = pd.Series(new[name], index=frame.index, dtype="string")
    return out


def frame_meta(frame: Any, *, html: str = "html", keep_html: bool = False,
               fields: Sequence[str] = FIELDS) -> Any:
    """The empty frame :func:`clean_frame` returns for ``frame``'s columns (Dask's meta)."""
    import pandas as pd

    head = frame.iloc[:0] if keep_html else frame.iloc[:0].drop(columns=[html])
    head = head.copy()
    for name in _fields(fields):
        head[name] = pd.Series([], dtype="string")
    return head


def clean_records(records: Iterable[Mapping[str, Any] | str | bytes],
                  **options: Any) -> list[dict[str, Any]]:
    """:func:`clean_record` over many records (a partition), in order."""
    return [clean_record(r, **options) for r in records]

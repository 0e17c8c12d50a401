"""Benchmark datasets: a folder with ``truth.jsonl`` and ``pages/<id>.html.gz``.

``truth.jsonl`` holds one JSON object a line: ``id``, ``url``, ``body``, optional
``include`` / ``exclude`` snippet lists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ...errors import CleanerError
from .worker import read_page

__all__ = ["load_dataset", "read_page", "utf16_truth"]

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")  # ids become file names
# a UTF-16 byte-order mark read one byte a character (cp1252, Latin-1): "ÿþ", "þÿ"
_UTF16_MARKS = ("\xff\xfe", "\xfe\xff")
# where Dragnet's truth files end the article (their README: comments follow it);
# a truth read as UTF-16 could not be cut there when the set was made
_COMMENTS_LINE = re.compile(r"^[ \t]*!@#\$%\^&\*\(\)[ \t]*COMMENTS\b.*", re.M | re.S)


def utf16_truth(body: str) -> str | None:
    r"""The text of a truth file saved as UTF-16 that was read one byte a character (it
    starts with the byte-order mark as "ÿþ" and holds NULs), up to a comments separator
    line; ``None`` when the body is not one.

    >>> utf16_truth("\xff\xfe" + "\x00".join("Hi there") + "\x00")
    'Hi there'
    """
    if not body.startswith(_UTF16_MARKS) or "\x00" not in body:
        return None
    raw = bytearray()
    for ch in body:
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None  # not one byte a character
            raw.append(ord(ch))  # a byte cp1252 leaves undefined, read as Latin-1
    text = bytes(raw).decode("utf-16", errors="replace")
    return _COMMENTS_LINE.sub("", text).strip()

def load_dataset(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read ``truth.jsonl`` of a dataset folder: id -> entry, in file order.

    Each entry has ``id``, ``url``, ``body``, ``include`` and ``exclude`` (lists, maybe
    empty), ``page``, the path of its HTML (``pages/<id>.html.gz`` or ``.html``), and
    ``utf16``: whether ``body`` was a UTF-16 file read one byte a character, read again
    (:func:`utf16_truth`).
    Raises ``CleanerError`` naming the file and line for anything malformed.

    >>> truth = load_dataset("bench/scrapinghub")              # doctest: +SKIP
    >>> evaluate({pid: "" for pid in truth}, truth).recall      # doctest: +SKIP
    0.0
    """
    root = Path(path)
    truth_file = root / "truth.jsonl"
    try:
        lines = truth_file.read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise CleanerError(f"cannot read {truth_file}: {exc.strerror or exc} "
                           "(a dataset is a folder with truth.jsonl and pages/)") from None
    except UnicodeDecodeError as exc:
        raise CleanerError(f"{truth_file} is not UTF-8: {exc}") from None
    entries: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{truth_file}:{number}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise CleanerError(f"{where}: not JSON ({exc})") from None
        except RecursionError:  # "[[[[...": nested deeper than the decoder's stack
            raise CleanerError(f"{where}: not JSON (nested too deep)") from None
        pid = row.get("id") if isinstance(row, dict) else None
        if not isinstance(pid, str) or not _SAFE_ID.match(pid):
            raise CleanerError(f"{where}: 'id' must be a plain file name, got {pid!r}")
        if pid in entries:
            raise CleanerError(f"{where}: id {pid} appears twice")
        for key in ("url", "body"):
            if not isinstance(row.get(key) or "", str):
                raise CleanerError(f"{where}: '{key}' must be a string")
        lists = {}
        for key in ("include", "exclude"):
            value = row.get(key) or []
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                raise CleanerError(f"{where}: '{key}' must be a list of strings")
            lists[key] = value
        page = next((p for p in (root / "pages" / f"{pid}.html.gz",
                                 root / "pages" / f"{pid}.html") if p.is_file()), None)
        if page is None:
            raise CleanerError(f"{where}: no page for {pid} (pages/{pid}.html.gz)")
        body = row.get("body") or ""
        repaired = utf16_truth(body)
        entries[pid] = {"id": pid, "url": row.get("url") or None, "body": repaired or body,
                        **lists, "page": page, "utf16": repaired is not None}
    if not entries:
        raise CleanerError(f"{truth_file} lists no pages")
    return entries

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

__all__ = ["load_dataset", "read_page"]

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")  # ids become file names

def load_dataset(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read ``truth.jsonl`` of a dataset folder: id -> entry, in file order.

    Each entry has ``id``, ``url``, ``body``, ``include`` and ``exclude`` (lists, maybe
    empty) and ``page``, the path of its HTML (``pages/<id>.html.gz`` or ``.html``).
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
        entries[pid] = {"id": pid, "url": row.get("url") or None, "body": row.get("body") or "",
                        **lists, "page": page}
    if not entries:
        raise CleanerError(f"{truth_file} lists no pages")
    return entries

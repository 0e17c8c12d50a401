"""What a batch cleans: files, folders, globs, JSONL and WARC inputs, as named tasks.

>>> names = Namer()
>>> names.claim("news/story", "a/news/story.html"), names.claim("news/story", "b/news/story.html")
('news/story', 'news/story-8c16e7bc')
>>> safe_part("../Grüße an alle?.html")
'Grüße_an_alle_.html'
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import stat
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from glob import glob, has_magic
from urllib.parse import urlsplit

from ..errors import CleanerError
from ..sources.warc import WarcReader, is_warc_name

__all__ = ["Task", "Namer", "PAGE_SUFFIXES", "safe_part", "url_slug", "find_pages",
           "Sources", "expand"]

PAGE_SUFFIXES = (".html.gz", ".html", ".htm")     # what a folder walk picks up
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                       *(f"lpt{i}" for i in range(1, 10))})   # Windows device names
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Task:
    """One page to clean, a task for a worker: its source id, its output name, and its
    bytes or its file.

    ``source`` is stable across runs (a path, ``FILE.jsonl:LINE``, ``FILE.warc.gz@OFFSET``);
    ``name`` is the output file's path inside the output folder, without extension.
    A page whose input could not be read carries the reason in ``error``.
    """

    source: str
    name: str
    path: str | None = None                  # a file the worker reads itself
    data: bytes | str | None = None          # bytes the parent read (JSONL, WARC)
    url: str | None = None
    headers: dict[str, str] | None = None
    error: str | None = None


def safe_part(text: str, limit: int = 120) -> str:
    """One path component made safe: letters, digits, ``. - _``; no leading dot; short.

    >>> safe_part(".."), safe_part("CON.html"), safe_part("a/b c")
    ('_', '_CON.html', 'a_b_c')
    """
    # NFC on the start only: the name keeps ``limit`` bytes, and NFC's time grows with
    # the square of a run of combining marks
    text = unicodedata.normalize("NFC", text[:limit * 2])
    part = _UNSAFE.sub("_", text).strip("._-") or "_"
    part = part.encode("utf-8")[:limit].decode("utf-8", "ignore").rstrip("._-") or "_"
    if part.split(".", 1)[0].lower() in _RESERVED:
        part = "_" + part
    return part


def _strip_page_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in PAGE_SUFFIXES:
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def _stem(path: str) -> str:
    name = os.path.basename(path)
    lower = name.lower()
    for suffix in (".warc.gz", ".jsonl.gz", ".warc", ".jsonl"):
        if lower.endswith(suffix):
            return name[:-len(suffix)]
    return name


def url_slug(url: str | None) -> str:
    """A short, safe file name part from a URL: host and path.

    >>> url_slug("https://www.example.org/2025/10/story/?page=2")
    'www.example.org_2025_10_story_page_2'
    >>> url_slug("http://[::1]:8080/a"), url_slug("http://[::1")
    ('1_a', '1')
    """
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # "http://[::1", a netloc NFKC would change: name it by its text
        return safe_part(url.split("://", 1)[-1], limit=80)
    return safe_part("_".join(filter(None, (host, parts.path.strip("/"), parts.query))),
                     limit=80)


class Namer:
    """Hands out output names, unique in one run (case-insensitively); the order is fixed
    by the input order, so a resumed run gives every page the same name again."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, base: str, source: str) -> str:
        name = base
        if name.casefold() in self._used:
            # surrogatepass: a path's undecodable bytes arrive as lone surrogates
            digest = hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()
            name = f"{base}-{digest[:8]}"
            n = 2
            while name.casefold() in self._used:
                name, n = f"{base}-{n}", n + 1
        self._used.add(name.casefold())
        return name



@dataclass(frozen=True)
class _Input:
    kind: str              # "file", "jsonl" or "warc"
    path: str
    name: str              # output name (files) or output folder stem (records)


def _kind(path: str) -> str:
    lower = path.lower()
    if is_warc_name(lower):
        return "warc"
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "file"


def _special(path: str) -> bool:
    """A FIFO, socket or device: reading one may wait forever, so folder walks and globs
    pass it by (named as an INPUT it is read: ``<(zcat pages.jsonl.gz)`` is a pipe)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # missing, or a broken link: its page is an error line
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _walk(folder: str, skip: str | None = None) -> Iterator[str]:
    """Page files under a folder, in a fixed (sorted) order; hidden folders, ``skip``
    (the output folder, when it lies inside an input) and special files left out."""
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and os.path.abspath(os.path.join(top, d)) != skip)
        for f in sorted(files):
            path = os.path.join(top, f)
            if f.lower().endswith(PAGE_SUFFIXES) and not f.startswith(".") \
                    and not _special(path):
                yield path


def expand(inputs: Sequence[str | os.PathLike[str]],
           out: str | None = None) -> list[_Input]:
    found: list[_Input] = []
    skip = os.path.abspath(out) if out else None
    for raw in inputs:
        arg = os.fspath(raw)
        if os.path.exists(arg):
            matches = [arg]
        elif has_magic(arg):
            matches = [m for m in sorted(glob(arg, recursive=True)) if not _special(m)]
            if not matches:
                raise CleanerError(f"no files match {arg}")
        else:
            raise CleanerError(f"no such file or folder: {arg}")
        for path in matches:
            if os.path.isdir(path):
                for f in _walk(path, skip):
                    rel = os.path.relpath(f, path).split(os.sep)
                    rel[-1] = _strip_page_suffix(rel[-1])
                    found.append(_Input("file", f, "/".join(safe_part(p) for p in rel)))
            else:
                kind = _kind(path)
                name = safe_part(_strip_page_suffix(os.path.basename(path)) if kind == "file"
                                 else _stem(path))
                found.append(_Input(kind, path, name))
    return found


def _line_limit(max_bytes: int | None) -> int:
    """The longest JSONL line read for a page of up to ``max_bytes`` characters: JSON
    writes an astral character as 12 bytes ("\\ud83d\\ude00"); plus room for the URL."""
    return -1 if max_bytes is None else 12 * max_bytes + (1 << 20)


def _jsonl_pages(path: str, stem: str,
                 max_bytes: int | None = None) -> Iterator[tuple[Task, int]]:
    opener = gzip.open if path.lower().endswith(".gz") else open
    limit = _line_limit(max_bytes)
    try:
        with opener(path, "rb") as fh:
            number = 0
            while line := fh.readline(limit):
                number += 1
                size = len(line)
                source, base = f"{path}:{number}", f"{stem}/{number}"
                if limit > 0 and size == limit and not line.endswith(b"\n"):
                    # a line no page under the cap needs (a gzip bomb of "[[[["...):
                    # passed by in blocks, never held whole
                    while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                        size += len(rest)
                    size += len(rest)
                    yield Task(source, base, error=f"the line is over {limit:,} bytes, too "
                               f"long for a page of up to {max_bytes:,} characters"), size
                elif line.strip():
                    yield _jsonl_page(line, source, base), size
    except (OSError, EOFError, zlib.error) as exc:
        raise CleanerError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") \
            from None


def _jsonl_page(line: bytes, source: str, base: str) -> Task:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return Task(source, base, error=f"not a JSON object: {exc}")
    except RecursionError:  # "[[[[...": nested deeper than the decoder's stack
        return Task(source, base, error="not a JSON object: nested too deep")
    if not isinstance(obj, dict) or not isinstance(obj.get("html"), str):
        return Task(source, base, error='expected an object with an "html" string')
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    headers = obj.get("headers") if isinstance(obj.get("headers"), dict) else None
    slug = url_slug(url)
    return Task(source, f"{base}-{slug}" if slug else base, data=obj["html"], url=url,
                headers=headers)


def _warc_pages(reader: WarcReader, path: str, stem: str) -> Iterator[tuple[Task, int]]:
    last = 0
    for record in reader:
        slug = url_slug(record.url)
        base = f"{stem}/{record.offset}" + (f"-{slug}" if slug else "")
        yield (Task(f"{path}@{record.offset}", base, data=record.content, url=record.url,
                    headers=record.headers), reader.position - last)
        last = reader.position


@dataclass
class Sources:
    """The pages of all inputs, named, in order; counts what it skipped on the way."""

    inputs: list[_Input]
    max_bytes: int | None = None
    not_html: int = 0

    @property
    def file_count(self) -> int:
        return sum(i.kind == "file" for i in self.inputs)

    @property
    def stream_bytes(self) -> int:
        return sum(_size(i.path) for i in self.inputs if i.kind != "file")

    def pages(self) -> Iterator[tuple[Task, int]]:
        """(page, stream bytes it took): file pages count 0 bytes."""
        names, seen = Namer(), set()
        for inp in self.inputs:
            key = os.path.normpath(os.path.abspath(inp.path))  # the same file named twice
            if key in seen:
                continue
            seen.add(key)
            if inp.kind == "file":
                yield Task(inp.path, names.claim(inp.name, inp.path), path=inp.path), 0
                continue
            reader = WarcReader(inp.path, max_bytes=self.max_bytes) if inp.kind == "warc" \
                else None
            records = (_warc_pages(reader, inp.path, inp.name) if reader
                       else _jsonl_pages(inp.path, inp.name, self.max_bytes))
            try:
                for page, size in records:
                    yield replace(page, name=names.claim(page.name, page.source)), size
            except CleanerError as exc:  # a broken archive: record it, go on with the rest
                yield Task(inp.path, names.claim(inp.name, inp.path), error=str(exc)), 0
            self.not_html += reader.skipped if reader else 0


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def find_pages(inputs: Sequence[str | os.PathLike[str]]) -> list[Task]:
    """The pages ``cleaner batch`` would clean, named, in order (reads JSONL and WARC).

    >>> find_pages(["no/such/folder"])
    Traceback (most recent call last):
    ...
    cleaner.errors.CleanerError: no such file or folder: no/such/folder
    """
    return [page for page, _ in Sources(expand(inputs)).pages()]

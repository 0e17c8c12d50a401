"""WARC input: the HTML responses of a WARC or WARC.gz file, streamed one record at a time.

A record is a page when it is a ``response`` (2xx status, ``text/html`` or
``application/xhtml+xml``, or no Content-Type and markup that starts like HTML) or a
``resource`` with an HTML content type. Requests, metadata, revisits, redirects, images
and the rest are skipped and counted. Each page carries the record's target URL and its
HTTP headers, so the ``Content-Type`` charset reaches :func:`cleaner.clean_article`.

The file is read as a stream (warcio decompresses it member by member): memory holds one
record at a time, whatever the size of the file. A body is read up to ``max_bytes + 1``
bytes, so an oversized record costs at most that much memory and is then refused by
``clean_article`` as too large.

>>> import io
>>> from warcio.warcwriter import WARCWriter
>>> from warcio.statusandheaders import StatusAndHeaders
>>> buf = io.BytesIO()
>>> http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
...                         protocol="HTTP/1.1")
>>> w = WARCWriter(buf, gzip=True)
>>> w.write_record(w.create_warc_record("https://example.org/a", "response",
...     payload=io.BytesIO(b"<p>Hello</p>"), http_headers=http))
>>> _ = buf.seek(0)
>>> reader = WarcReader(buf)
>>> [(p.url, p.content, p.headers["content-type"]) for p in reader]
[('https://example.org/a', b'<p>Hello</p>', 'text/html; charset=utf-8')]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..headers import flatten_headers
from ..options import DEFAULT_MAX_BYTES
from . import Page

__all__ = ["HTML_TYPES", "Page", "WarcReader", "is_warc_name"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_SUFFIXES = (".warc", ".warc.gz")
_SNIFF = (b"<!doctype html", b"<html")


def is_warc_name(name: str) -> bool:
    """True for ``*.warc`` and ``*.warc.gz`` (any case).

    >>> is_warc_name("CC-MAIN-1.warc.gz"), is_warc_name("pages.jsonl")
    (True, False)
    """
    return name.lower().endswith(WARC_SUFFIXES)


class WarcReader:
    """Iterates the HTML pages of one WARC stream; ``skipped`` counts the other records.

    ``source`` is a path or a binary file object. Iterating twice reads the file twice
    (a path) or continues where the last loop stopped (a file object).
    """

    def __init__(self, source: str | Path | IO[bytes], *,
                 max_bytes: int | None = DEFAULT_MAX_BYTES) -> None:
        self.source = source
        self.max_bytes = max_bytes
        self.skipped = 0
        self.position = 0        # bytes of the file read so far, for progress

    def __iter__(self) -> Iterator[Page]:
        if isinstance(self.source, (str, Path)):
            try:
                with open(self.source, "rb") as fh:
                    yield from self._records(fh)
            except OSError as exc:
                raise InputError(f"cannot read {self.source}: {exc.strerror or exc}") from None
        else:
            yield from self._records(self.source)

    def _records(self, fh: IO[bytes]) -> Iterator[Page]:
        try:
            from warcio.archiveiterator import ArchiveIterator
            from warcio.exceptions import ArchiveLoadFailed
        except ImportError:
            raise InputError("reading WARC files needs warcio: "
                             "pip install 'cleaner[batch]'") from None

        name = getattr(fh, "name", "the stream")
        records = ArchiveIterator(fh)
        it = iter(records)
        while True:
            try:
                record = next(it)
            except StopIteration:
                break
            except ArchiveLoadFailed as exc:
                raise InputError(f"{name} is not a readable WARC file: "
                                 f"{' '.join(str(exc).split())}") from None
            # warcio on a cut or broken record: zlib and gzip errors, bad lengths, and
            # (a warcio bug) AttributeError on a header block cut before its target URI
            except (OSError, EOFError, ValueError, AttributeError, TypeError) as exc:
                raise InputError(f"{name}: broken WARC record at byte {records.offset}: "
                                 f"{type(exc).__name__}: {exc}") from None
            if record.format != "warc":  # warcio also reads ARC, and takes junk for it
                raise InputError(f"{name} is not a WARC file (no WARC/1.x header at "
                                 f"byte {records.offset})")
            if record.rec_headers.get_header("Content-Length") is None:  # headers cut short
                raise InputError(f"{name} ends inside the record at byte {records.offset} "
                                 "(its header has no Content-Length: a truncated file)")
            try:
                found = self._read_page(record)
                _drain(record.raw_stream)
            except (OSError, EOFError, ValueError) as exc:  # zlib, truncated gzip
                raise InputError(f"{name}: broken WARC record at byte {records.offset}: "
                                 f"{exc}") from None
            self.position = _tell(fh, self.position)
            if getattr(record.raw_stream, "limit", 0) > 0:  # its length is not all there
                raise InputError(f"{name} ends inside the record at byte {records.offset} "
                                 "(a truncated file)")
            if found is None:
                self.skipped += 1
                continue
            # warcio knows where a record started only once its body has been read
            url, content, headers = found
            yield Page(url, content, headers, offset=records.get_record_offset())
        _check_end(fh, records.offset, name)

    def _read_page(self, record: Any) -> tuple[str, bytes, dict[str, str]] | None:
        kind = record.rec_type
        if kind not in ("response", "resource"):
            return None
        http = record.http_headers
        if kind == "response":
            if http is None or not (http.get_statuscode() or "").startswith("2"):
                return None
            headers = flatten_headers(http.headers)
            ctype = http.get_header("content-type")
        else:
            headers = {}
            ctype = record.rec_headers.get_header("content-type")
        ctype = (ctype or "").split(";", 1)[0].strip().lower()
        if ctype and ctype not in HTML_TYPES:
            return None
        limit = None if self.max_bytes is None else self.max_bytes + 1
        content = _read(record.content_stream(), limit)
        if not ctype and not content.lstrip()[:20].lower().startswith(_SNIFF):
            return None
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        return url.strip("<>"), content, headers


def _read(stream: IO[bytes], limit: int | None) -> bytes:
    """All of a stream, or its first ``limit`` bytes (decoding readers return short reads)."""
    if limit is None:
        return stream.read()
    parts, size = [], 0
    while size < limit:
        block = stream.read(min(65536, limit - size))
        if not block:
            break
        parts.append(block)
        size += len(block)
    return b"".join(parts)


def _drain(stream: IO[bytes]) -> None:
    """Read what is left of a record (an oversized body, a skipped record), unkept."""
    while stream.read(65536):
        pass


def _check_end(fh: IO[bytes], end: int, name: str) -> None:
    """Refuse bytes after the last whole record: warcio stops without a word at a gzip
    member or a header block cut short, and the pages in it would be lost unreported."""
    try:
        size = fh.seek(0, 2)
        fh.seek(end)
        rest = fh.read(4096)
    except (OSError, AttributeError, ValueError):  # a stream: nothing to compare with
        return
    if end < size and rest.strip():
        raise InputError(f"{name} ends inside the record at byte {end} (a truncated file)")


def _tell(fh: IO[bytes], last: int) -> int:
    try:
        return fh.tell()
    except (OSError, AttributeError, ValueError):
        return last

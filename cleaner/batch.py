"""``cleaner batch``: clean many pages with worker processes, a progress bar and resume.

Inputs are files, folders (recursive: ``*.html``, ``*.htm``, ``*.html.gz``), glob
patterns, JSONL files (one ``{"url", "html"}`` object a line; optional ``headers``) and
WARC files (``*.warc``, ``*.warc.gz``: the HTML responses, see :mod:`cleaner.warc`).

The output is a folder (one file per page, named after its source) or a ``.jsonl`` file
(one ``CleanResult.to_dict()`` a line, with ``"source"`` first). Every page that fails
is one line in the errors file (default ``OUT/errors.jsonl``, or ``OUT.errors.jsonl``
beside a JSONL output), and the batch goes on.

Resume: a page's file appears in one atomic rename (written to ``OUT/.cleaner-tmp/``
first), a JSONL line in one ``write()``; ``--resume`` skips every page that has its
file, its line or its error line already, so a batch killed with ``kill -9`` loses
nothing and repeats nothing. The work is done in input order, in chunks of a few pages
handed to a process pool, with a bounded number of chunks in flight: memory stays flat
however long the input.

>>> names = Namer()
>>> names.claim("news/story", "a/news/story.html"), names.claim("news/story", "b/news/story.html")
('news/story', 'news/story-8c16e7bc')
>>> safe_part("../Grüße an alle?.html")
'Grüße_an_alle_.html'
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from glob import glob, has_magic
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .cli import whole_number
from .errors import CleanerError, OptionError, error_message
from .parse import DEFAULT_LIMITS
from .pipeline import OUTPUTS, clean_article
from .profiles import find_profile
from .warc import WarcReader, is_warc_name

__all__ = [
    "EXTENSIONS",
    "PAGE_SUFFIXES",
    "TMP_DIR",
    "BatchSummary",
    "Job",
    "Namer",
    "Outcome",
    "Page",
    "add_cli",
    "clean_pages",
    "find_pages",
    "run_batch",
    "safe_part",
]

EXTENSIONS = {"text": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}
PAGE_SUFFIXES = (".html.gz", ".html", ".htm")     # what a folder walk picks up
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
TMP_DIR = ".cleaner-tmp"            # inside a folder output: files being written
CHUNK_PAGES = 8                     # pages per task handed to a worker
CHUNK_BYTES = 1 << 20               # ... or fewer, once their bytes pass this
CHUNKS_PER_WORKER = 4               # chunks in flight per worker (bounds memory)
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                       *(f"lpt{i}" for i in range(1, 10))})   # Windows device names
_UNSAFE = re.compile(r"[^\w.-]+")


# -- what flows through the batch ------------------------------------------------------

@dataclass(frozen=True)
class Page:
    """One page to clean: its source id, its output name, and its bytes or its file.

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


@dataclass(frozen=True)
class Outcome:
    """What a worker did with one page: its removals per family, or its error."""

    source: str
    url: str | None = None
    families: dict[str, int] = field(default_factory=dict)
    empty: bool = False
    line: str | None = None                  # the JSONL line (JSONL output only)
    error: str | None = None


@dataclass(frozen=True)
class Job:
    """The settings every worker needs: output format, where files go, cleaning options."""

    fmt: str = "text"
    out_dir: str | None = None               # a folder output; None: lines back to the parent
    options: dict[str, Any] = field(default_factory=dict)   # keyword arguments of clean_article

    @property
    def tmp_dir(self) -> str | None:
        return os.path.join(self.out_dir, TMP_DIR) if self.out_dir else None


# -- naming ------------------------------------------------------------------------------

def safe_part(text: str, limit: int = 120) -> str:
    """One path component made safe: letters, digits, ``. - _``; no leading dot; short.

    >>> safe_part(".."), safe_part("CON.html"), safe_part("a/b c")
    ('_', '_CON.html', 'a_b_c')
    """
    part = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip("._-") or "_"
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
    """
    if not url:
        return ""
    parts = urlsplit(url)
    return safe_part("_".join(filter(None, (parts.hostname, parts.path.strip("/"),
                                            parts.query))), limit=80)


class Namer:
    """Hands out output names, unique in one run (case-insensitively); the order is fixed
    by the input order, so a resumed run gives every page the same name again."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, base: str, source: str) -> str:
        name = base
        if name.casefold() in self._used:
            name = f"{base}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:8]}"
            n = 2
            while name.casefold() in self._used:
                name, n = f"{base}-{n}", n + 1
        self._used.add(name.casefold())
        return name


# -- inputs ------------------------------------------------------------------------------

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


def _walk(folder: str, skip: str | None = None) -> Iterator[str]:
    """Page files under a folder, in a fixed (sorted) order; hidden folders and ``skip``
    (the output folder, when it lies inside an input) left out."""
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and os.path.abspath(os.path.join(top, d)) != skip)
        for f in sorted(files):
            if f.lower().endswith(PAGE_SUFFIXES) and not f.startswith("."):
                yield os.path.join(top, f)


def _expand(inputs: Sequence[str | os.PathLike], out: str | None = None) -> list[_Input]:
    found: list[_Input] = []
    skip = os.path.abspath(out) if out else None
    for raw in inputs:
        arg = os.fspath(raw)
        if os.path.exists(arg):
            matches = [arg]
        elif has_magic(arg):
            matches = sorted(glob(arg, recursive=True))
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


def _jsonl_pages(path: str, stem: str) -> Iterator[tuple[Page, int]]:
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                source = f"{path}:{number}"
                yield _jsonl_page(line, source, f"{stem}/{number}"), len(line)
    except (OSError, EOFError) as exc:
        raise CleanerError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") \
            from None


def _jsonl_page(line: bytes, source: str, base: str) -> Page:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return Page(source, base, error=f"not a JSON object: {exc}")
    if not isinstance(obj, dict) or not isinstance(obj.get("html"), str):
        return Page(source, base, error='expected an object with an "html" string')
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    headers = obj.get("headers") if isinstance(obj.get("headers"), dict) else None
    slug = url_slug(url)
    return Page(source, f"{base}-{slug}" if slug else base, data=obj["html"], url=url,
                headers=headers)


def _warc_pages(reader: WarcReader, path: str, stem: str) -> Iterator[tuple[Page, int]]:
    last = 0
    for record in reader:
        slug = url_slug(record.url)
        base = f"{stem}/{record.offset}" + (f"-{slug}" if slug else "")
        yield (Page(f"{path}@{record.offset}", base, data=record.content, url=record.url,
                    headers=record.headers), reader.position - last)
        last = reader.position


@dataclass
class _Sources:
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

    def pages(self) -> Iterator[tuple[Page, int]]:
        """(page, stream bytes it took): file pages count 0 bytes."""
        names, seen = Namer(), set()
        for inp in self.inputs:
            key = os.path.normpath(os.path.abspath(inp.path))  # the same file named twice
            if key in seen:
                continue
            seen.add(key)
            if inp.kind == "file":
                yield Page(inp.path, names.claim(inp.name, inp.path), path=inp.path), 0
                continue
            reader = WarcReader(inp.path, max_bytes=self.max_bytes) if inp.kind == "warc" \
                else None
            records = (_warc_pages(reader, inp.path, inp.name) if reader
                       else _jsonl_pages(inp.path, inp.name))
            try:
                for page, size in records:
                    yield replace(page, name=names.claim(page.name, page.source)), size
            except CleanerError as exc:  # a broken archive: record it, go on with the rest
                yield Page(inp.path, names.claim(inp.name, inp.path), error=str(exc)), 0
            self.not_html += reader.skipped if reader else 0


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def find_pages(inputs: Sequence[str | os.PathLike]) -> list[Page]:
    """The pages ``cleaner batch`` would clean, named, in order (reads JSONL and WARC).

    >>> find_pages(["no/such/folder"])
    Traceback (most recent call last):
    ...
    cleaner.errors.CleanerError: no such file or folder: no/such/folder
    """
    return [page for page, _ in _Sources(_expand(inputs)).pages()]


# -- the worker ----------------------------------------------------------------------------

def clean_pages(job: Job, pages: Sequence[Page]) -> list[Outcome]:
    """Clean a chunk of pages: write each page's file (folder output) or return its line.

    Runs in a worker process; any error of one page becomes that page's Outcome.
    """
    return [_clean_one(job, page) for page in pages]


def _clean_one(job: Job, page: Page) -> Outcome:
    if page.error:
        return Outcome(page.source, page.url, error=page.error)
    try:
        data = page.data
        if page.path is not None:
            try:
                data = Path(page.path).read_bytes()
            except OSError as exc:
                raise CleanerError(f"cannot read {page.path}: {exc.strerror or exc}") from None
        result = clean_article(data, page.url, output=job.fmt, headers=page.headers,
                               **job.options)
        record = {"source": page.source, **result.to_dict()} if job.fmt == "json" \
            or job.out_dir is None else None
        line = None
        if job.out_dir is None:
            line = json.dumps(record, ensure_ascii=False)
        else:
            body = json.dumps(record, ensure_ascii=False, indent=2) if record is not None \
                else result.content
            _write_atomic(job, page.name, body)
        return Outcome(page.source, page.url, result.removed_by_family(),
                       empty=not result.text, line=line)
    except Exception as exc:  # noqa: BLE001 - recorded, the batch goes on
        return Outcome(page.source, page.url, error=_one_line(error_message(exc)))


def _one_line(text: str) -> str:
    return " ".join(text.split())[:1000]


def _file_of(out_dir: str, name: str, fmt: str) -> str:
    return os.path.join(out_dir, *name.split("/")) + EXTENSIONS[fmt]


def _write_atomic(job: Job, name: str, body: str) -> None:
    assert job.out_dir is not None and job.tmp_dir is not None
    final = _file_of(job.out_dir, name, job.fmt)
    os.makedirs(os.path.dirname(final), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=job.tmp_dir, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(body if not body or body.endswith("\n") else body + "\n")
        os.replace(tmp, final)
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _worker_init(lifeline) -> None:
    """In each worker: ignore Ctrl-C (the parent stops the batch), and end when the batch
    process is gone, even by ``kill -9`` (a worker would otherwise wait for work forever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(lifeline,), daemon=True,
                     name="cleaner-lifeline").start()


def _exit_with_parent(lifeline) -> None:
    try:
        lifeline.recv_bytes()   # nothing is ever sent: this returns when the parent is gone
    except (EOFError, OSError):
        pass
    os._exit(1)


# -- outputs: what is done, and writing what the workers return ---------------------------

class _JsonLines:
    """An append-only JSONL file written by the parent, one ``write()`` per line.

    ``open(resume=True)`` cuts a torn last line (a write cut by power loss) and returns
    the ``source`` of every complete line.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    def open(self, resume: bool) -> set[str]:
        if not resume:
            _unlink(self.path)
            return set()
        return _read_sources(self.path)

    def append(self, line: str) -> None:
        if self._fd is None:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        data = (line + "\n").encode("utf-8")
        while data:
            data = data[os.write(self._fd, data):]

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


_SOURCE_PREFIX = '{"source": '


def _read_sources(path: str) -> set[str]:
    done: set[str] = set()
    decoder = json.JSONDecoder()
    if not os.path.exists(path):
        return done
    with open(path, "r+b") as fh:
        good = 0
        for line in fh:
            if not line.endswith(b"\n"):
                break
            text = line.decode("utf-8", "replace")
            if text.startswith(_SOURCE_PREFIX):  # only the id is decoded, not the page
                try:
                    source, _ = decoder.raw_decode(text, len(_SOURCE_PREFIX))
                    done.add(source)
                except ValueError:
                    pass
            good += len(line)
        fh.truncate(good)
    return done


# -- progress ----------------------------------------------------------------------------

class _Progress:
    """A tqdm bar on stderr in pages, with pages/s and ETA. For JSONL and WARC inputs the
    total is estimated from the bytes read so far."""

    def __init__(self, enabled: bool, files: int, stream_bytes: int) -> None:
        self.files, self.stream_bytes = files, stream_bytes
        self.stream_pages = self.stream_read = 0
        self.bar = None
        if enabled:
            from tqdm import tqdm
            self.bar = tqdm(total=files + (1 if stream_bytes else 0), unit=" pages",
                            file=sys.stderr, dynamic_ncols=True, mininterval=0.5,
                            smoothing=0.1, desc="cleaning")

    def read(self, stream_bytes: int) -> None:
        if stream_bytes:
            self.stream_pages += 1
            self.stream_read += stream_bytes

    def done(self, pages: int = 1) -> None:
        if self.bar is None:
            return
        if self.stream_bytes and self.stream_read:
            share = min(1.0, self.stream_read / self.stream_bytes)
            estimate = self.files + round(self.stream_pages / share) if share else 0
            self.bar.total = max(estimate, self.bar.n + pages)
        self.bar.update(pages)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# -- the batch -----------------------------------------------------------------------------

@dataclass
class BatchSummary:
    """What a batch did: counts, removals per family, time; ``format()`` for people."""

    pages: int = 0                       # cleaned this run (files written / lines added)
    empty: int = 0                       # ... of which had no article text
    errors: int = 0
    done_before: int = 0                 # skipped by --resume
    not_html: int = 0                    # WARC records that are not HTML responses
    families: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    jobs: int = 1
    errors_path: str | None = None

    @property
    def pages_per_second(self) -> float:
        return (self.pages + self.errors) / self.seconds if self.seconds else 0.0

    def format(self) -> str:
        workers = "1 worker" if self.jobs == 1 else f"{self.jobs} workers"
        lines = [(f"cleaned {self.pages:,} pages in {self.seconds:.1f} s "
                  f"({self.pages_per_second:.1f} pages/s, {workers}): "
                  f"{self.pages - self.empty:,} with text, {self.empty:,} empty, "
                  f"{self.errors:,} errors")]
        extra = []
        if self.done_before:
            extra.append(f"{self.done_before:,} done before (resumed)")
        if self.not_html:
            extra.append(f"{self.not_html:,} WARC records skipped (not HTML responses)")
        if extra:
            lines.append("; ".join(extra))
        if self.families:
            lines.append("removals: " + ", ".join(f"{family} {count:,}" for family, count
                                                  in self.families.most_common()))
        if self.errors and self.errors_path:
            lines.append(f"errors: {self.errors_path}")
        return "\n".join(lines)


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_batch(inputs: Sequence[str | os.PathLike], out: str | os.PathLike, *,
              fmt: str = "text", jobs: int | None = None, resume: bool = False,
              errors: str | os.PathLike | None = None, progress: bool = False,
              **options: Any) -> BatchSummary:
    """Clean every page of ``inputs`` into ``out`` (a folder, or a ``.jsonl`` file).

    ``options`` go to :func:`cleaner.clean_article` (``profile``, ``include_comments``,
    ``include_captions``, ``max_bytes``, ``max_nodes``, ``profiles_dir``). ``jobs=1``
    cleans in this process; more uses that many worker processes. Raises CleanerError
    for a missing input; a page that fails is written to the errors file instead.

    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "a.html").write_text("<article><p>The story, in full.</p></article>")
    >>> summary = run_batch([tmp / "a.html"], tmp / "out", jobs=1)
    >>> summary.pages, (tmp / "out" / "a.txt").read_text()
    (1, 'The story, in full.\\n')
    """
    if fmt not in OUTPUTS:
        raise OptionError(f"unknown format {fmt!r}; choose one of {', '.join(OUTPUTS)}")
    jobs = default_jobs() if jobs is None else jobs
    if not isinstance(jobs, int) or jobs < 1:
        raise OptionError(f"jobs must be 1 or more, got {jobs!r}")
    if options.get("profile") or options.get("profiles_dir"):
        # a wrong profile name or folder is one error now, not one per page
        find_profile(name=options.get("profile"), profiles_dir=options.get("profiles_dir"))
    out = os.fspath(out)
    jsonl = out.lower().endswith(".jsonl")
    sources = _Sources(_expand(inputs, out),
                       max_bytes=options.get("max_bytes", DEFAULT_LIMITS.max_bytes))
    errors_path = os.fspath(errors) if errors else (
        out[:-len(".jsonl")] + ".errors.jsonl" if jsonl else os.path.join(out, "errors.jsonl"))
    job = Job(fmt=fmt, out_dir=None if jsonl else out, options=options)

    lines = _JsonLines(out) if jsonl else None
    error_log = _JsonLines(errors_path)
    done = lines.open(resume) if lines else set()
    done |= error_log.open(resume)
    if job.tmp_dir:
        _prepare_folder(out, job.tmp_dir)

    summary = BatchSummary(jobs=jobs, errors_path=errors_path)
    bar = _Progress(progress, sources.file_count, sources.stream_bytes)
    start = time.perf_counter()

    def todo() -> Iterator[Page]:
        for page, size in sources.pages():
            bar.read(size)
            if page.source in done or (resume and not jsonl and not page.error and
                                       os.path.exists(_file_of(out, page.name, fmt))):
                summary.done_before += 1
                bar.done()
                continue
            yield page

    def record(outcome: Outcome) -> None:
        if outcome.error is not None:
            summary.errors += 1
            error_log.append(json.dumps({"source": outcome.source, "url": outcome.url,
                                         "error": outcome.error}, ensure_ascii=False))
        else:
            summary.pages += 1
            summary.empty += outcome.empty
            summary.families.update(outcome.families)
            if lines is not None and outcome.line is not None:
                lines.append(outcome.line)
        bar.done()

    try:
        chunks = _chunks(todo())
        if jobs == 1:
            for chunk in chunks:
                for outcome in clean_pages(job, chunk):
                    record(outcome)
        else:
            _run_pool(job, chunks, jobs, record)
    finally:
        bar.close()
        if lines:
            lines.close()
        error_log.close()
        summary.not_html = sources.not_html
        summary.seconds = time.perf_counter() - start
        if job.tmp_dir:  # the workers are done: nothing is being written any more
            shutil.rmtree(job.tmp_dir, ignore_errors=True)
    return summary


def _prepare_folder(out: str, tmp_dir: str) -> None:
    try:
        os.makedirs(out, exist_ok=True)
        shutil.rmtree(tmp_dir, ignore_errors=True)  # files a killed run was writing
        os.makedirs(tmp_dir, exist_ok=True)
    except OSError as exc:
        raise CleanerError(f"cannot write to {out}: {exc.strerror or exc}") from None


def _chunks(pages: Iterable[Page]) -> Iterator[list[Page]]:
    chunk: list[Page] = []
    size = 0
    for page in pages:
        chunk.append(page)
        size += len(page.data) if page.data is not None else 0
        if len(chunk) >= CHUNK_PAGES or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _pool_context():
    import multiprocessing
    # forkserver where there is one: workers start clean (no inherited threads or locks)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Pool:
    """A process pool that is replaced when one of its workers dies."""

    def __init__(self, jobs: int) -> None:
        from concurrent.futures import ProcessPoolExecutor
        context = _pool_context()
        # only this process holds the write end: the workers see EOF when it dies
        lifeline, self._lifeline = context.Pipe(duplex=False)
        self._make = lambda: ProcessPoolExecutor(jobs, mp_context=context,
                                                 initializer=_worker_init,
                                                 initargs=(lifeline,))
        self.executor = self._make()

    def submit(self, job: Job, chunk: list[Page]):
        return self.executor.submit(clean_pages, job, chunk)

    def renew(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._make()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self._lifeline.close()


def _run_pool(job: Job, chunks: Iterator[list[Page]], jobs: int, record) -> None:
    """Chunks to a process pool, a bounded window of them in flight, results recorded in
    input order. A worker that dies (a crash, the OOM killer) breaks the pool: the chunks
    that were in flight are re-run one page at a time in a new pool, and a page that
    kills its worker again is recorded as an error."""
    from concurrent.futures.process import BrokenProcessPool

    pool = _Pool(jobs)
    pending: deque = deque()

    def alone(page: Page) -> list[Outcome]:
        try:
            return pool.submit(job, [page]).result()
        except BrokenProcessPool:
            pool.renew()
            return [Outcome(page.source, page.url, error="the worker process died cleaning "
                            "this page (a crash, or killed for memory)")]

    def drain(keep: int) -> None:
        while len(pending) > keep:
            future, chunk = pending.popleft()
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                caught = [(future, chunk), *pending]
                pending.clear()
                pool.renew()  # waits: every caught future is now finished or failed
                for fut, ch in caught:
                    done = fut.exception() is None
                    for outcome in (fut.result() if done
                                    else [o for page in ch for o in alone(page)]):
                        record(outcome)
                continue
            for outcome in outcomes:
                record(outcome)

    try:
        for chunk in chunks:
            pending.append((pool.submit(job, chunk), chunk))
            drain(jobs * CHUNKS_PER_WORKER)
        drain(0)
    finally:
        pool.close()


# -- the command line ----------------------------------------------------------------------

def _cmd_batch(args: argparse.Namespace) -> int:
    options: dict[str, Any] = {}
    for name in ("profile", "include_comments", "include_captions"):
        if getattr(args, name):
            options[name] = getattr(args, name)
    for name in ("max_bytes", "max_nodes"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name) or None  # 0 switches the limit off
    if args.profiles:
        options["profiles_dir"] = args.profiles
    summary = run_batch(args.inputs, args.out, fmt=args.format, jobs=args.jobs,
                        resume=args.resume, errors=args.errors,
                        progress=not args.quiet and sys.stderr.isatty(), **options)
    print(summary.format(), file=sys.stderr)
    return 0


def add_cli(subparsers: Any) -> None:
    """Add ``cleaner batch`` to the command line."""
    p = subparsers.add_parser(
        "batch", help="clean many pages (files, folders, globs, JSONL, WARC) in parallel",
        description="Clean many pages with worker processes. A page that fails goes to the "
        "errors file and the batch goes on; --resume skips what a previous (even killed) "
        "run finished. Exit 0 once every page was tried, 1 when an input is missing.")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a file, a folder (*.html, *.htm, *.html.gz, recursive), a glob, "
                   "a JSONL file ({\"url\", \"html\"} a line) or a WARC(.gz) file")
    p.add_argument("--out", "-o", required=True, metavar="OUT",
                   help="a folder (one file per page) or a .jsonl file (one result a line)")
    p.add_argument("--format", "-f", choices=OUTPUTS, default="text",
                   help="the files' format in a folder output (a .jsonl output always has "
                   "every field)")
    p.add_argument("--jobs", "-j", type=whole_number(1), default=None, metavar="N",
                   help=f"worker processes (default: the CPU count, {default_jobs()} here)")
    p.add_argument("--resume", action="store_true",
                   help="skip pages that already have output or an error line")
    p.add_argument("--errors", metavar="FILE",
                   help="where failed pages go, one JSON line each "
                   "(default OUT/errors.jsonl, or OUT.errors.jsonl beside a .jsonl output)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--profile", help="use this site profile for every page")
    p.add_argument("--profiles", metavar="DIR", help="a folder of site profiles to add")
    p.add_argument("--include-comments", action="store_true", help="keep reader comments")
    p.add_argument("--include-captions", action="store_true", help="keep image captions")
    p.add_argument("--max-bytes", type=whole_number(0), metavar="N",
                   help="refuse pages over N bytes (default 20,000,000; 0: no limit)")
    p.add_argument("--max-nodes", type=whole_number(0), metavar="N",
                   help="refuse pages over N elements (default 1,000,000; 0: no limit)")
    p.set_defaults(func=_cmd_batch)

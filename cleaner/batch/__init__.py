"""``cleaner batch``: clean many pages with worker processes, a progress bar and resume.

Inputs are files, folders (recursive: ``*.html``, ``*.htm``, ``*.html.gz``), glob
patterns, JSONL files (one ``{"url", "html"}`` object a line; optional ``headers``) and
WARC files (``*.warc``, ``*.warc.gz``: the HTML responses, see :mod:`cleaner.sources.warc`).

The output is a folder (one file per page, named after its source) or a ``.jsonl`` file
(one ``CleanResult.to_dict()`` a line, with ``"source"`` first). Every page that fails
is one line in the errors file (default ``OUT/errors.jsonl``, or ``OUT.errors.jsonl``
beside a JSONL output), and the batch goes on.

Resume: a page's file appears in one atomic rename (written to ``OUT/.cleaner-tmp/``
first and fsynced; the folder is fsynced after the rename), a JSONL line in one
``write()`` (the JSONL files are fsynced at checkpoints, every ``CHECKPOINT_SECONDS``, and
at the end); ``--resume`` skips every page that has its file, its line or its error line
already, so a batch killed with ``kill -9`` loses nothing and repeats nothing. One batch
per output at a time: a lock file (``OUT/.cleaner-lock``, or ``.NAME.jsonl.lock`` beside
a JSONL output and an ``--errors`` file) refuses a second one. The work is done in input
order, in chunks of a few pages handed to a process pool, with a bounded number of chunks
in flight: memory stays flat however long the input.

The pieces: :mod:`.inputs` (what to clean, named), :mod:`.worker` (cleaning in a worker
process), :mod:`.pool` (the process pool), :mod:`.outputs` (JSONL files, resume),
:mod:`.progress`. This module runs a whole batch.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import CleanerError, OptionError
from ..options import CleanOptions
from ..profiles import find_profile
from .inputs import PAGE_SUFFIXES, Namer, Sources, Task, expand, find_pages, safe_part
from .outputs import JsonLines, OutputLock, check_file_output
from .pool import chunks, run_pool
from .progress import Progress
from .worker import EXTENSIONS, TMP_DIR, Job, Outcome, clean_tasks, file_of

__all__ = [
    "EXTENSIONS",
    "PAGE_SUFFIXES",
    "TMP_DIR",
    "BatchSummary",
    "Job",
    "Namer",
    "Outcome",
    "Task",
    "clean_tasks",
    "default_jobs",
    "find_pages",
    "run_batch",
    "safe_part",
]


LOW_CONFIDENCE = 0.5     # pages below this confidence are listed in the summary
SHOW_UNSURE = 10         # ... this many by name


@dataclass
class BatchSummary:
    """What a batch did: counts, removals per family, time; ``format()`` for people."""

    pages: int = 0                       # cleaned this run (files written / lines added)
    empty: int = 0                       # ... of which had no article text
    errors: int = 0
    done_before: int = 0                 # skipped by --resume
    not_html: int = 0                    # WARC records that are not HTML responses
    families: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    jobs: int = 1
    errors_path: str | None = None
    # pages whose body decision was unsure (confidence below LOW_CONFIDENCE): worth a
    # re-fetch or a look in the preview; (source, confidence), in page order
    unsure: list[tuple[str, float]] = field(default_factory=list)

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
        if self.unsure:
            shown = ", ".join(f"{s} ({c:.2f})" for s, c in self.unsure[:SHOW_UNSURE])
            more = f", +{len(self.unsure) - SHOW_UNSURE:,} more" \
                if len(self.unsure) > SHOW_UNSURE else ""
            lines.append(f"low confidence (< {LOW_CONFIDENCE}): {len(self.unsure):,} pages, "
                         f"worth a look: {shown}{more}")
        return "\n".join(lines)


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_batch(inputs: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str], *,
              options: CleanOptions | None = None, jobs: int | None = None,
              resume: bool = False, errors: str | os.PathLike[str] | None = None,
              progress: bool = False, **option_fields: Any) -> BatchSummary:
    """Clean every page of ``inputs`` into ``out`` (a folder, or a ``.jsonl`` file).

    ``options`` (a :class:`~cleaner.options.CleanOptions`, and/or its fields as keyword
    arguments: ``format``, ``profile``, ``include_comments``...) say how. ``jobs=1``
    cleans in this process; more uses that many worker processes. Raises CleanerError
    for a missing input; a page that fails is written to the errors file instead.

    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "a.html").write_text("<article><p>The story, in full.</p></article>")
    >>> summary = run_batch([tmp / "a.html"], tmp / "out", jobs=1)
    >>> summary.pages, (tmp / "out" / "a.txt").read_text()
    (1, 'The story, in full.\\n')
    """
    opts = CleanOptions.build(options, **option_fields)
    jobs = default_jobs() if jobs is None else jobs
    if not isinstance(jobs, int) or jobs < 1:
        raise OptionError(f"jobs must be 1 or more, got {jobs!r}")
    if opts.profile or opts.profiles_dir:
        # a wrong profile name or folder is one error now, not one per page
        find_profile(name=opts.profile if isinstance(opts.profile, str) else None,
                     profiles_dir=opts.profiles_dir)
    out = os.fspath(out)
    jsonl = out.lower().endswith(".jsonl")
    sources = Sources(expand(inputs, out), max_bytes=opts.max_bytes)
    errors_path = os.fspath(errors) if errors else (
        out[:-len(".jsonl")] + ".errors.jsonl" if jsonl else os.path.join(out, "errors.jsonl"))
    job = Job(options=opts, out_dir=None if jsonl else out)

    # the outputs checked before any work, each refused in one line
    if jsonl:
        check_file_output(out, "--out")
    else:
        _make_folder(out)
    check_file_output(errors_path, "--errors")
    # one batch per output: a second one would delete the first one's temp files and
    # append to its lines (lock files beside a JSONL output, inside a folder output)
    locks = [OutputLock(_lock_path(out, jsonl), f"--out {out}").acquire()]
    try:
        if errors:
            locks.append(OutputLock(_lock_path(errors_path, True),
                                    f"--errors {errors_path}").acquire())
        return _run(job, sources, out, jsonl, errors_path, jobs, resume, progress)
    finally:
        for lock in reversed(locks):
            lock.release()


CHECKPOINT_SECONDS = 1.0    # the JSONL outputs are fsynced this often, and at the end


def _run(job: Job, sources: Sources, out: str, jsonl: bool, errors_path: str, jobs: int,
         resume: bool, progress: bool) -> BatchSummary:
    fmt = job.options.format
    lines = JsonLines(out, "--out") if jsonl else None
    error_log = JsonLines(errors_path, "--errors")
    done = lines.open(resume) if lines else set()
    done |= error_log.open(resume)
    if job.tmp_dir:
        _prepare_tmp(job.tmp_dir)

    summary = BatchSummary(jobs=jobs, errors_path=errors_path)
    bar = Progress(progress, sources.file_count, sources.stream_bytes)
    start = last_sync = time.perf_counter()

    def todo() -> Iterator[Task]:
        for page, size in sources.pages():
            bar.read(size)
            if page.source in done or (resume and not jsonl and not page.error and
                                       os.path.exists(file_of(out, page.name, fmt))):
                summary.done_before += 1
                bar.done()
                continue
            yield page

    def record(outcome: Outcome) -> None:
        nonlocal last_sync
        if outcome.error is not None:
            summary.errors += 1
            error_log.append(json.dumps({"source": outcome.source, "url": outcome.url,
                                         "error": outcome.error}, ensure_ascii=False))
        else:
            summary.pages += 1
            summary.empty += outcome.empty
            summary.families.update(outcome.families)
            if outcome.confidence is not None and outcome.confidence < LOW_CONFIDENCE:
                summary.unsure.append((outcome.source, outcome.confidence))
            if lines is not None and outcome.line is not None:
                lines.append(outcome.line)
        bar.done()
        now = time.perf_counter()
        if now - last_sync >= CHECKPOINT_SECONDS:  # a checkpoint --resume can trust
            if lines is not None:
                lines.sync()
            error_log.sync()
            last_sync = now

    try:
        work = chunks(todo())
        if jobs == 1:
            for chunk in work:
                for outcome in clean_tasks(job, chunk):
                    record(outcome)
        else:
            run_pool(job, work, jobs, record)
    finally:
        bar.close()
        try:
            if lines:
                lines.close()
        finally:
            error_log.close()
            summary.not_html = sources.not_html
            summary.seconds = time.perf_counter() - start
            if job.tmp_dir:  # the workers are done: nothing is being written any more
                shutil.rmtree(job.tmp_dir, ignore_errors=True)
    return summary


def _lock_path(path: str, beside: bool) -> str:
    """The lock file of an output: hidden beside a file, inside a folder."""
    if beside:
        folder, name = os.path.split(os.path.abspath(path))
        return os.path.join(folder, f".{name}.lock")
    return os.path.join(path, ".cleaner-lock")


def _make_folder(out: str) -> None:
    if os.path.exists(out) and not os.path.isdir(out):
        raise CleanerError(f"--out {out} is a file; give a folder, or a path ending in .jsonl")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        raise CleanerError(f"cannot create the folder --out {out}: "
                           f"{exc.strerror or exc} (is a part of the path a file?)") from None


def _prepare_tmp(tmp_dir: str) -> None:
    try:
        shutil.rmtree(tmp_dir, ignore_errors=True)  # files a killed run was writing
        os.makedirs(tmp_dir, exist_ok=True)
    except OSError as exc:
        raise CleanerError(f"cannot write to {os.path.dirname(tmp_dir)}: "
                           f"{exc.strerror or exc}") from None

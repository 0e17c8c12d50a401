"""The worker side of a batch: clean a chunk of tasks, write each page's file atomically.

Everything here runs in a worker process and must be picklable: :class:`Job` holds the
options every worker needs.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import CleanerError, error_message
from ..options import CleanOptions
from ..pipeline import clean_article
from ..sources.files import read_bounded
from .inputs import Task

__all__ = ["Job", "Outcome", "EXTENSIONS", "TMP_DIR", "clean_tasks", "file_of", "unlink",
           "fsync_dir", "worker_init"]

EXTENSIONS = {"text": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}
TMP_DIR = ".cleaner-tmp"            # inside a folder output: files being written


@dataclass(frozen=True)
class Outcome:
    """What a worker did with one page: its removals per family, or its error."""

    source: str
    url: str | None = None
    families: dict[str, int] = field(default_factory=dict)
    empty: bool = False
    line: str | None = None                  # the JSONL line (JSONL output only)
    error: str | None = None
    confidence: float | None = None          # how sure the body decision was


@dataclass(frozen=True)
class Job:
    """The settings every worker needs: the cleaning options and where files go."""

    options: CleanOptions = field(default_factory=CleanOptions)
    out_dir: str | None = None               # a folder output; None: lines back to the parent

    @property
    def tmp_dir(self) -> str | None:
        return os.path.join(self.out_dir, TMP_DIR) if self.out_dir else None


def clean_tasks(job: Job, tasks: Sequence[Task]) -> list[Outcome]:
    """Clean a chunk of pages: write each page's file (folder output) or return its line.

    Runs in a worker process; any error of one page becomes that page's Outcome.
    """
    return [_clean_one(job, task) for task in tasks]


def _clean_one(job: Job, page: Task) -> Outcome:
    if page.error:
        return Outcome(page.source, page.url, error=page.error)
    try:
        data = page.data
        if page.path is not None:
            try:
                with open(page.path, "rb") as fh:  # /dev/zero: no more than the cap
                    data = read_bounded(fh, job.options.max_bytes, page.path)
            except OSError as exc:
                raise CleanerError(f"cannot read {page.path}: {exc.strerror or exc}") from None
        result = clean_article(data, page.url, headers=page.headers, options=job.options)
        record = {"source": page.source, **result.to_dict()} if job.options.format == "json" \
            or job.out_dir is None else None
        line = None
        if job.out_dir is None:
            line = json.dumps(record, ensure_ascii=False)
        else:
            body = json.dumps(record, ensure_ascii=False, indent=2) if record is not None \
                else result.content
            _write_atomic(job, page.name, body)
        return Outcome(page.source, page.url, result.removed_by_family(),
                       empty=not result.text, line=line, confidence=result.confidence)
    except Exception as exc:
        return Outcome(page.source, page.url, error=_one_line(error_message(exc)))


def _one_line(text: str) -> str:
    return " ".join(text.split())[:1000]


def file_of(out_dir: str, name: str, fmt: str) -> str:
    return os.path.join(out_dir, *name.split("/")) + EXTENSIONS[fmt]


def _write_atomic(job: Job, name: str, body: str) -> None:
    """The page's file, whole or not at all, even across a power loss: written in the
    temp folder, fsynced, renamed into place, and the folder fsynced (the rename)."""
    assert job.out_dir is not None and job.tmp_dir is not None
    final = file_of(job.out_dir, name, job.options.format)
    folder = os.path.dirname(final)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=job.tmp_dir, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(body if not body or body.endswith("\n") else body + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        unlink(tmp)
        raise
    fsync_dir(folder)


def fsync_dir(path: str) -> None:
    """Make a folder's entries (a new or renamed file) durable; a no-op where folders
    cannot be opened (Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a folder: nothing more to do
        pass
    finally:
        os.close(fd)


def unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def worker_init(lifeline: Any) -> None:
    """In each worker: ignore Ctrl-C (the parent stops the batch), and end when the batch
    process is gone, even by ``kill -9`` (a worker would otherwise wait for work forever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(lifeline,), daemon=True,
                     name="cleaner-lifeline").start()


def _exit_with_parent(lifeline: Any) -> None:
    try:
        lifeline.recv_bytes()   # nothing is ever sent: this returns when the parent is gone
    except (EOFError, OSError):
        pass
    os._exit(1)

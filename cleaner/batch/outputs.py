"""The parent side of a batch's output: append-only JSONL files, what is done already, and
the lock that keeps one batch per output.

Durability: a JSONL line is one ``write()`` (a killed process leaves whole lines, or a torn
last one that ``--resume`` cuts); :meth:`JsonLines.sync` (``fsync``) runs at checkpoints
and at the end, so after a power loss the file holds whole lines up to a checkpoint at
least, and the lines after it are cleaned again.
"""

from __future__ import annotations

import json
import os

from ..errors import CleanerError
from .worker import fsync_dir, unlink

__all__ = ["JsonLines", "OutputLock", "read_sources", "check_file_output"]


class JsonLines:
    """An append-only JSONL file written by the parent, one ``write()`` per line.

    ``open(resume=True)`` cuts a torn last line (a write cut by a kill or a power loss)
    and returns the ``source`` of every complete line. Errors writing or reading the file
    are :class:`CleanerError` naming it.
    """

    def __init__(self, path: str, what: str = "the output") -> None:
        self.path = path
        self.what = what
        self._fd: int | None = None
        self._unsynced = False

    def open(self, resume: bool) -> set[str]:
        try:
            if not resume:
                unlink(self.path)
                return set()
            return read_sources(self.path)
        except OSError as exc:
            raise CleanerError(f"cannot read {self.what} {self.path}: "
                               f"{exc.strerror or exc}") from None

    def append(self, line: str) -> None:
        # a lone surrogate (a file name's undecodable byte) is written as its JSON
        # escape, "\udcff": valid UTF-8, and it reads back as the same string
        data = (line + "\n").encode("utf-8", "backslashreplace")
        try:
            if self._fd is None:
                os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
                created = not os.path.exists(self.path)
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                if created:  # the new file's name must survive a power loss too
                    fsync_dir(os.path.dirname(os.path.abspath(self.path)))
            while data:
                data = data[os.write(self._fd, data):]
        except OSError as exc:
            raise CleanerError(f"cannot write {self.what} {self.path}: "
                               f"{exc.strerror or exc}") from None
        self._unsynced = True

    def sync(self) -> None:
        """A checkpoint: every line appended so far is on the disk."""
        if self._fd is not None and self._unsynced:
            try:
                os.fsync(self._fd)
            except OSError as exc:
                raise CleanerError(f"cannot write {self.what} {self.path}: "
                                   f"{exc.strerror or exc}") from None
            self._unsynced = False

    def close(self) -> None:
        if self._fd is not None:
            try:
                self.sync()
            finally:
                os.close(self._fd)
                self._fd = None


_SOURCE_PREFIX = '{"source": '


def read_sources(path: str) -> set[str]:
    """The ``source`` of every complete line of a JSONL output; a torn last line is cut."""
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


def check_file_output(path: str, what: str) -> None:
    """Refuse, in one line, a file output that cannot be one: a folder, or a path under a
    file; create its folder."""
    if os.path.isdir(path):
        raise CleanerError(f"{what} {path} is a folder, not a file")
    parent = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise CleanerError(f"cannot create the folder of {what} {path}: "
                           f"{exc.strerror or exc} (is a part of the path a file?)") from None


class OutputLock:
    """One batch per output at a time: an exclusive ``flock`` on ``path``, taken without
    waiting (a second batch is refused with a clear message). The kernel drops the lock
    when the process dies, even by ``kill -9``, so ``--resume`` after a crash just works.
    Where ``fcntl`` is missing (Windows) there is no lock."""

    def __init__(self, path: str, what: str) -> None:
        self.path = path
        self.what = what
        self._fd: int | None = None

    def acquire(self) -> OutputLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            return self
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise CleanerError(f"cannot create the lock file {self.path}: "
                                   f"{exc.strerror or exc}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise CleanerError(
                    f"another cleaner batch is writing {self.what} (it holds {self.path}); "
                    "wait for it to end, or choose another output") from None
            # a batch that just ended may have removed the file we opened: lock the new one
            try:
                if os.path.samestat(os.fstat(fd), os.stat(self.path)):
                    self._fd = fd
                    return self
            except FileNotFoundError:
                pass
            os.close(fd)

    def release(self) -> None:
        if self._fd is not None:
            unlink(self.path)  # while still locked: a waiting opener sees it gone
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

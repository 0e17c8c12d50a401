"""The parent side of a batch's output: append-only JSONL files and what is done already."""

from __future__ import annotations

import json
import os

from .worker import unlink

__all__ = ["JsonLines", "read_sources"]


class JsonLines:
    """An append-only JSONL file written by the parent, one ``write()`` per line.

    ``open(resume=True)`` cuts a torn last line (a write cut by power loss) and returns
    the ``source`` of every complete line.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    def open(self, resume: bool) -> set[str]:
        if not resume:
            unlink(self.path)
            return set()
        return read_sources(self.path)

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


def read_sources(path: str) -> set[str]:
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

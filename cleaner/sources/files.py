"""Pages from files and streams, read with a size cap: at most ``max_bytes + 1`` bytes are
ever read, so ``/dev/zero``, an endless pipe or a huge file costs that much memory and then
an :class:`InputTooLargeError`, never all the machine's memory."""

from __future__ import annotations

from typing import Protocol

from ..errors import InputTooLargeError

__all__ = ["read_bounded"]

_BLOCK = 1 << 20


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def read_bounded(fh: _Readable, max_bytes: int | None, what: str) -> bytes:
    """All of ``fh``, refused once it passes ``max_bytes`` (None: no limit).

    >>> import io
    >>> read_bounded(io.BytesIO(b"abc"), 3, "x")
    b'abc'
    >>> try:
    ...     read_bounded(io.BytesIO(b"abcd"), 3, "x")
    ... except InputTooLargeError as exc:
    ...     print(str(exc)[:35])
    x is over the size limit of 3 bytes
    """
    parts: list[bytes] = []
    size = 0
    while max_bytes is None or size <= max_bytes:
        want = _BLOCK if max_bytes is None else min(_BLOCK, max_bytes + 1 - size)
        block = fh.read(want)
        if not block:
            return b"".join(parts)
        parts.append(block)
        size += len(block)
    raise InputTooLargeError(f"{what} is over the size limit of {max_bytes:,} bytes "
                             "(raise --max-bytes, or 0 for no limit)")

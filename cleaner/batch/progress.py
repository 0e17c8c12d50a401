"""The batch's progress bar (tqdm, on stderr)."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["Progress"]


class Progress:
    """A tqdm bar on stderr in pages, with pages/s and ETA. For JSONL and WARC inputs the
    total is estimated from the bytes read so far."""

    def __init__(self, enabled: bool, files: int, stream_bytes: int) -> None:
        self.files, self.stream_bytes = files, stream_bytes
        self.stream_pages = self.stream_read = 0
        self.bar: Any = None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:  # the batch extra is not installed: no bar, same batch
                return
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

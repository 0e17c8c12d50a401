"""Where pages come from: the guarded URL fetcher and the WARC reader, one page type.

Both hand out :class:`Page`: the bytes as served, the URL they came from and the HTTP
headers (so the HTTP charset counts when cleaning), plus where the page was found: the
final URL and redirects of a fetch, or the record's offset in a WARC file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Page"]


@dataclass(frozen=True)
class Page:
    """One page from a source. ``headers`` has lower-case names; ``content`` is the body
    with transfer and content encodings undone."""

    url: str
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    redirects: tuple[str, ...] = ()          # a fetch: the URLs before ``url``
    offset: int | None = None                # a WARC record: its first byte in the file

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")
